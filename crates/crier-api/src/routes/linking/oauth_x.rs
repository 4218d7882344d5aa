//! The X card: OAuth 1.0a three-legged (oauth-and-webhooks.md §9.1) with the app keys given to
//! generateJWT (`X-Twitter-OAuth1-Api-Key`/`-Secret`, kept in memory for the session), else the
//! operator's `oauth.x` app (client id = consumer key, client secret = consumer secret).
//!
//! `POST /link/{token}/oauth/x` gets a request token (callback `{public_base}/link/callback/x`),
//! keeps its secret encrypted in the store under the request token (single use, bound to the
//! session) and sends the browser to X's authorize page. `GET /link/callback/x` takes it back
//! (`oauth_token` + `oauth_verifier`, or `denied`), on the same browser, exchanges it for the
//! user's token and links the account. The consumer keys are never stored: posting takes them
//! from each request's headers, as before.

use super::choose::see_other;
use super::html::{error_page, tr};
use super::session::{profile_still_there, resolve_form, resolve_hash};
use crate::AppState;
use crate::auth::lang_of;
use crate::i18n::Lang;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use crier_core::Platform;
use crier_networks::oauth::x1;
use serde_json::{Value, json};
use std::collections::HashMap;

/// How long X's authorize page may take (X's request tokens live a few minutes too).
const CONSENT_MS: i64 = 10 * 60_000;

/// Which app signs the flow: the session's BYO keys, or the configured `oauth.x` app.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Byo,
    Config,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Byo => "byo",
            Which::Config => "config",
        }
    }
}

/// The consumer key and secret of `which` for the session `token_hash`, if still available.
fn keys(s: &AppState, token_hash: &str, which: Which) -> Option<(String, String)> {
    match which {
        Which::Byo => s.linking.byo_for(token_hash).map(|k| (k.key, k.secret)),
        Which::Config => s
            .linking
            .settings
            .oauth_apps
            .get(&Platform::Twitter)
            .filter(|a| !a.client_id.is_empty() && !a.client_secret.is_empty())
            .map(|a| (a.client_id.clone(), a.client_secret.clone())),
    }
}

/// The app the session would link X with: BYO keys first (the customer's own app), then config.
fn available(s: &AppState, token_hash: &str) -> Option<(Which, String, String)> {
    [Which::Byo, Which::Config].into_iter().find_map(|w| keys(s, token_hash, w).map(|(k, sec)| (w, k, sec)))
}

/// The X card's action: a Link/Relink button when app keys are at hand, else what is missing.
pub(crate) fn card(s: &AppState, token_hash: &str, token_e: &str, csrf_e: &str, is_linked: bool, lang: Lang) -> String {
    let t = &s.i18n;
    if available(s, token_hash).is_none() {
        return format!(r#"<p class="help" id="twitter-needs-keys">{}</p>"#, tr(t, lang, "link-x-needs-keys", &[]));
    }
    let button = if is_linked { "link-button-relink" } else { "link-button-link" };
    format!(
        r#"<form method="post" action="/link/{token_e}/oauth/x"><input type="hidden" name="csrf" value="{csrf_e}"><button type="submit" id="twitter-oauth" aria-describedby="net-twitter">{}</button></form>"#,
        tr(t, lang, button, &[])
    )
}

/// `POST /link/{token}/oauth/x`.
pub async fn start(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let open = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok((o, _)) => o,
        Err(r) => return r,
    };
    let app = available(&s, &open.session.token_hash).filter(|_| open.session.allowed.contains(&Platform::Twitter));
    let Some((which, key, secret)) = app else {
        return error_page(cfg, t, lang, StatusCode::FORBIDDEN, "form");
    };
    let networks = s.engine.networks();
    let base = networks.endpoints.twitter.as_str();
    let callback = format!("{}/link/callback/x", cfg.public_base.trim_end_matches('/'));
    let (request_token, request_secret) = match x1::request_token(&networks.http, base, &key, &secret, &callback).await {
        Ok(x) => x,
        Err(e) => {
            // Wrong keys, or the callback is not registered on the app: the page says it failed.
            tracing::warn!(error = %e, "X request token refused");
            return see_other(&format!("/link/{token}?failed=twitter"));
        }
    };
    let extra = json!({"app": which.name()});
    if let Err(e) = s.store.create_oauth_state_with(&token, Platform::Twitter, &request_token, &request_secret, extra, s.store.now_ms() + CONSENT_MS).await {
        tracing::error!(error = %e, "storing an X request token failed");
        return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
    }
    see_other(&x1::authorize_url(base, &request_token))
}

/// `GET /link/callback/x?oauth_token=…&oauth_verifier=…` (or `?denied=<request token>`).
pub async fn callback(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let denied = q.get("denied");
    // A request token that is unknown, spent, expired or not X's: nothing to go back to.
    let taken = match denied.or(q.get("oauth_token")).filter(|v| !v.is_empty()) {
        Some(rt) => s.store.take_oauth_state(rt).await,
        None => Ok(None),
    };
    let st = match taken {
        Ok(Some(st)) if st.platform == Platform::Twitter && st.extra.get("app").is_some() => st,
        Ok(_) => return error_page(cfg, t, lang, StatusCode::BAD_REQUEST, "form"),
        Err(e) => {
            tracing::error!(error = %e, "reading an X request token failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    };
    // The browser that started the consent, on a live session of an existing profile.
    let open = match resolve_hash(&s, &st.token_hash, &headers, lang, false).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let page = format!("/link/{}", st.token);
    let verifier = q.get("oauth_verifier").filter(|v| !v.is_empty());
    let (Some(verifier), None) = (verifier, denied) else {
        return see_other(&format!("{page}?denied=twitter"));
    };
    let which = if st.extra.get("app").and_then(Value::as_str) == Some("byo") { Which::Byo } else { Which::Config };
    // BYO keys live in this process's memory: a restart since the start loses them.
    let Some((key, secret)) = keys(&s, &st.token_hash, which) else {
        return see_other(&format!("{page}?failed=twitter"));
    };
    let networks = s.engine.networks();
    let request_token = q.get("oauth_token").map(String::as_str).unwrap_or_default();
    let user = match x1::access_token(&networks.http, &networks.endpoints.twitter, &key, &secret, request_token, &st.verifier, verifier).await {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "X access token refused");
            return see_other(&format!("{page}?failed=twitter"));
        }
    };
    // Checked again right before storing: a profile deleted during the consent gets nothing.
    if let Err(r) = profile_still_there(&s, &open.session, lang).await {
        return r;
    }
    // As the X connector reads them (`twitter::keys`, `username` for post URLs) and as `crier
    // account link` documents them, plus X's stable user id. The consumer keys come with each post.
    let credentials = json!({
        "accessToken": user.oauth_token, "accessTokenSecret": user.oauth_token_secret,
        "username": user.screen_name, "userId": user.user_id,
    });
    let name = format!("@{}", user.screen_name);
    let granted = crier_store::GrantedTokens::default();
    if let Err(e) = s.store.link_network_with_tokens(&open.session.profile_id, Platform::Twitter, &credentials, Some(&name), &granted).await {
        tracing::error!(error = %e, "storing a linked X account failed");
        return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
    }
    tracing::info!(network = "twitter", "account linked through OAuth 1.0a");
    see_other(&format!("{page}?linked=twitter"))
}
