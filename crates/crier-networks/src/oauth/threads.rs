//! Threads: the code gives a short-lived token (1 h, `POST /oauth/access_token`), exchanged for a
//! 60-day one (`th_exchange_token`). There is no refresh token: the long-lived token refreshes
//! itself (`th_refresh_token`, allowed once it is 24 h old and before it expires).

use super::wire::{self, TokenRequest};
use super::{App, TokenError, TokenSet};
use crier_core::Platform;

const DEFAULT_SCOPES: &[&str] = &["threads_basic", "threads_content_publish", "threads_manage_insights", "threads_delete"];

fn base(app: &App) -> &str {
    app.token_base.trim_end_matches('/')
}

pub(crate) fn authorize_url(app: &App, redirect_uri: &str, state: &str, scopes: &[&str]) -> String {
    let scopes = if scopes.is_empty() { DEFAULT_SCOPES } else { scopes };
    let mut url = url::Url::parse(&format!("{}/oauth/authorize", app.authorize_base.trim_end_matches('/'))).unwrap_or_else(|_| url::Url::parse("invalid:").expect("static"));
    url.query_pairs_mut()
        .append_pair("client_id", &app.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", &scopes.join(","))
        .append_pair("response_type", "code")
        .append_pair("state", state);
    url.to_string()
}

pub(crate) fn code_request(app: &App, code: &str, redirect_uri: &str) -> TokenRequest {
    // The callback appends `#_` to the code; browsers drop fragments, but a pasted code keeps it.
    let code = code.trim_end_matches("#_");
    TokenRequest {
        post: true,
        url: format!("{}/oauth/access_token", base(app)),
        params: vec![
            ("client_id", app.client_id.clone()),
            ("client_secret", app.client_secret.clone()),
            ("code", code.into()),
            ("grant_type", "authorization_code".into()),
            ("redirect_uri", redirect_uri.into()),
        ],
        basic: None,
    }
}

pub(crate) fn long_lived_request(app: &App, short_token: &str) -> TokenRequest {
    TokenRequest {
        post: false,
        url: format!("{}/access_token", base(app)),
        params: vec![("grant_type", "th_exchange_token".into()), ("client_secret", app.client_secret.clone()), ("access_token", short_token.into())],
        basic: None,
    }
}

pub(crate) fn refresh_request(app: &App, long_lived_token: &str) -> TokenRequest {
    TokenRequest {
        post: false,
        url: format!("{}/refresh_access_token", base(app)),
        params: vec![("grant_type", "th_refresh_token".into()), ("access_token", long_lived_token.into())],
        basic: None,
    }
}

/// Exchanges a short-lived Threads token for a 60-day one.
pub async fn long_lived(http: &reqwest::Client, app: &App, short_token: &str) -> Result<TokenSet, TokenError> {
    wire::send(http, Platform::Threads, long_lived_request(app, short_token)).await
}
