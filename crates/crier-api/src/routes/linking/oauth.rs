//! OAuth 2.0 cards: `POST /link/{token}/oauth/{network}` sends the browser to the network's
//! consent page (state bound to the linking session, PKCE S256); the network sends it back to
//! `GET /link/callback/{network}` (one fixed callback per network, oauth-and-webhooks.md §11.5),
//! where the code is exchanged through `crier_networks::oauth` (Meta and Threads tokens made
//! long-lived), the grant's accounts listed, and the one chosen stored (`choose`). A denied consent, a tampered or reused state, another browser, or a profile
//! deleted meanwhile link nothing.

use super::choose::{self, see_other};
use super::html::error_page;
use super::session::{resolve_form, resolve_hash};
use super::{LinkingSettings, oauth_ready};
use crate::AppState;
use crate::auth::lang_of;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use crier_core::Platform;
use crier_networks::link_targets::{TargetsError, offers_choice};
use crier_networks::oauth;
use std::collections::HashMap;

/// How long a consent may take (X's codes die after 30 s; the networks' pages are quick).
const CONSENT_MS: i64 = 10 * 60_000;

/// The callback path segment of a network: one per app, as `[oauth.<section>]` names them
/// (YouTube and Business Profile share Google's app, Instagram Facebook's).
fn callback_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Youtube | Platform::Gmb => "google",
        Platform::Instagram => "facebook",
        p => p.as_str(),
    }
}

/// The callback URL crier gives the network: the app's registered one, else crier's own.
fn redirect_uri(cfg: &LinkingSettings, platform: Platform) -> String {
    cfg.oauth_apps
        .get(&platform)
        .and_then(|a| a.redirect_url.clone())
        .unwrap_or_else(|| format!("{}/link/callback/{}", cfg.public_base.trim_end_matches('/'), callback_name(platform)))
}

pub async fn start(State(s): State<AppState>, Path((token, network)): Path<(String, String)>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let open = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok((o, _)) => o,
        Err(r) => return r,
    };
    let Some(platform) = Platform::parse(&network).filter(|p| open.session.allowed.contains(p) && oauth_ready(cfg, *p)) else {
        return error_page(cfg, t, lang, StatusCode::FORBIDDEN, "form");
    };
    let app = &cfg.oauth_apps[&platform];
    let (state, verifier) = match s.store.create_oauth_state(&token, platform, s.store.now_ms() + CONSENT_MS).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "storing an OAuth state failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    };
    let challenge = oauth::pkce_challenge(&verifier);
    match oauth::authorize_url(platform, app, &redirect_uri(cfg, platform), &state, Some(&challenge), &[]) {
        Some(url) => see_other(&url),
        None => error_page(cfg, t, lang, StatusCode::FORBIDDEN, "form"),
    }
}

pub async fn callback(State(s): State<AppState>, Path(network): Path<String>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    // A state that is unknown, spent, expired or for another network: nothing to go back to.
    let taken = match q.get("state") {
        Some(state) => s.store.take_oauth_state(state).await,
        None => Ok(None),
    };
    let st = match taken {
        Ok(Some(st)) if network == callback_name(st.platform) || network == st.platform.as_str() => st,
        Ok(_) => return error_page(cfg, t, lang, StatusCode::BAD_REQUEST, "form"),
        Err(e) => {
            tracing::error!(error = %e, "reading an OAuth state failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    };
    // The browser that started the consent, on a live session of an existing profile.
    let open = match resolve_hash(&s, &st.token_hash, &headers, lang, false).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let platform = st.platform;
    let page = format!("/link/{}", st.token);
    let Some(code) = q.get("code").filter(|_| !q.contains_key("error")) else {
        return see_other(&format!("{page}?denied={platform}"));
    };
    let Some(app) = cfg.oauth_apps.get(&platform) else {
        return see_other(&format!("{page}?failed={platform}"));
    };
    let sent_ms = s.store.now_ms();
    let http = &s.engine.networks().http;
    let exchanged = match oauth::exchange_code(http, platform, app, code, &redirect_uri(cfg, platform), Some(&st.verifier)).await {
        Ok(tk) => oauth::lasting(http, platform, app, tk).await,
        Err(e) => Err(e),
    };
    let tokens = match exchanged {
        Ok(tk) => tk,
        Err(e) => {
            tracing::warn!(network = %platform, error = %e, "OAuth code exchange failed");
            return see_other(&format!("{page}?failed={platform}"));
        }
    };
    let targets = match s.engine.networks().oauth_targets(platform, &tokens).await {
        Ok(targets) => targets,
        Err(TargetsError::Nothing) => return see_other(&format!("{page}?nothing={platform}")),
        Err(TargetsError::Unreadable) => {
            tracing::warn!(network = %platform, "the accounts of an OAuth grant could not be read");
            return see_other(&format!("{page}?failed={platform}"));
        }
    };
    match targets.as_slice() {
        [only] if !offers_choice(platform) => choose::finish(&s, &open, &st.token, lang, platform, only, &tokens, sent_ms).await,
        _ => choose::offer(&s, &open, &st.token, lang, platform, &targets, &tokens, sent_ms).await,
    }
}
