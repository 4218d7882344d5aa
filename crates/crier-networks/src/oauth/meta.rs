//! Facebook Login for Pages and Instagram professional accounts (through their Page): the code
//! gives a short-lived user token (~1 h), exchanged for a long-lived one (~60 days,
//! `fb_exchange_token`), from which Page tokens without expiry are derived (`/me/accounts`).
//! Nothing is refreshed afterwards: a dead Page token (Graph code 190) means relink (161).

use super::wire::{self, TokenRequest};
use super::{App, TokenError, TokenSet};
use crier_core::Platform;
use serde_json::Value;

/// The Graph API version crier pins for login (the path version is optional but pinned).
pub const GRAPH_VERSION: &str = "v25.0";

const DEFAULT_SCOPES: &[&str] = &["pages_show_list", "pages_manage_posts", "pages_read_engagement", "read_insights", "publish_video"];
const INSTAGRAM_SCOPES: &[&str] = &["pages_show_list", "pages_read_engagement", "instagram_basic", "instagram_content_publish", "instagram_manage_insights"];

fn token_url(app: &App) -> String {
    format!("{}/{GRAPH_VERSION}/oauth/access_token", app.token_base.trim_end_matches('/'))
}

pub(crate) fn authorize_url(platform: Platform, app: &App, redirect_uri: &str, state: &str, scopes: &[&str]) -> String {
    let scopes = match (scopes.is_empty(), platform) {
        (false, _) => scopes,
        (true, Platform::Instagram) => INSTAGRAM_SCOPES,
        (true, _) => DEFAULT_SCOPES,
    };
    let mut url = url::Url::parse(&format!("{}/{GRAPH_VERSION}/dialog/oauth", app.authorize_base.trim_end_matches('/'))).unwrap_or_else(|_| url::Url::parse("invalid:").expect("static"));
    url.query_pairs_mut()
        .append_pair("client_id", &app.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state)
        .append_pair("response_type", "code")
        .append_pair("scope", &scopes.join(","));
    url.to_string()
}

pub(crate) fn code_request(app: &App, code: &str, redirect_uri: &str) -> TokenRequest {
    TokenRequest {
        post: false,
        url: token_url(app),
        params: vec![("client_id", app.client_id.clone()), ("redirect_uri", redirect_uri.into()), ("client_secret", app.client_secret.clone()), ("code", code.into())],
        basic: None,
    }
}

pub(crate) fn long_lived_request(app: &App, short_token: &str) -> TokenRequest {
    TokenRequest {
        post: false,
        url: token_url(app),
        params: vec![
            ("grant_type", "fb_exchange_token".into()),
            ("client_id", app.client_id.clone()),
            ("client_secret", app.client_secret.clone()),
            ("fb_exchange_token", short_token.into()),
        ],
        basic: None,
    }
}

/// Exchanges a short-lived user token (from [`super::exchange_code`]) for a ~60-day one.
pub async fn long_lived(http: &reqwest::Client, app: &App, short_token: &str) -> Result<TokenSet, TokenError> {
    wire::send(http, Platform::Facebook, long_lived_request(app, short_token)).await
}

/// One Page the user can publish to, with its own token (no expiry when derived from a
/// long-lived user token) and its Instagram professional account, if any.
#[derive(Clone, PartialEq, Eq)]
pub struct PageToken {
    pub page_id: String,
    pub name: String,
    pub access_token: String,
    pub instagram_id: Option<String>,
}

impl std::fmt::Debug for PageToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageToken").field("page_id", &self.page_id).field("name", &self.name).field("instagram_id", &self.instagram_id).finish_non_exhaustive()
    }
}

/// Reads `/me/accounts`' answer (`{"data":[{id,name,access_token,instagram_business_account}]}`).
pub(crate) fn parse_pages(status: u16, body: &Value) -> Result<Vec<PageToken>, TokenError> {
    if !(200..300).contains(&status) {
        return wire::parse(Platform::Facebook, status, body).map(|_| Vec::new());
    }
    let pages = body.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
    Ok(pages
        .iter()
        .filter_map(|p| {
            let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
            Some(PageToken {
                page_id: s("id")?,
                name: s("name").unwrap_or_default(),
                access_token: s("access_token")?,
                instagram_id: p.get("instagram_business_account").and_then(|i| i.get("id")).and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect())
}

/// The Pages of the user behind `user_token` (long-lived, so the Page tokens never expire).
/// `graph_base` is the Graph API host (`networks.facebook`).
pub async fn page_tokens(http: &reqwest::Client, graph_base: &str, user_token: &str) -> Result<Vec<PageToken>, TokenError> {
    let url = format!("{}/{GRAPH_VERSION}/me/accounts", graph_base.trim_end_matches('/'));
    let req = http.get(url).query(&[("fields", "id,name,access_token,instagram_business_account"), ("limit", "100")]).bearer_auth(user_token);
    match crate::http::send(req).await {
        Ok(a) => parse_pages(a.status, &a.body),
        Err(e) => Err(TokenError::Transient(format!("Facebook: {}", e.into_text()))),
    }
}
