//! The Telegram and Bluesky forms: checked with the network, then stored encrypted like
//! `crier account link` does. On any failure nothing is stored and the page says why.

use super::html::error_page;
use super::page::{Flash, render};
use super::session::{profile_still_there, resolve_form};
use crate::AppState;
use crate::auth::lang_of;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use crier_core::Platform;
use crier_networks::link_check::Checked;
use std::collections::HashMap;

pub async fn telegram(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    submit(s, token, headers, body, Platform::Telegram).await
}

pub async fn bluesky(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    submit(s, token, headers, body, Platform::Bluesky).await
}

async fn submit(s: AppState, token: String, headers: HeaderMap, body: Bytes, platform: Platform) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let (open, fields) = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    if !open.session.allowed.contains(&platform) {
        return error_page(cfg, t, lang, StatusCode::FORBIDDEN, "form");
    }
    let get = |k: &str| fields.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (a, b) = match platform {
        Platform::Telegram => (get("botToken"), get("chatId")),
        _ => (get("identifier"), get("appPassword")),
    };
    // What the page may show again: the non-secret field only.
    let shown: HashMap<String, String> = match platform {
        Platform::Telegram => [("chatId".to_string(), b.clone())].into(),
        _ => [("identifier".to_string(), a.clone())].into(),
    };
    let fail = |key: &str, status: StatusCode| {
        let flash = Flash { error: Some((platform, key.to_string(), shown.clone())), ..Flash::default() };
        (flash, status)
    };
    let (flash, status) = if a.is_empty() || b.is_empty() {
        fail("link-missing-fields", StatusCode::BAD_REQUEST)
    } else {
        let networks = s.engine.networks();
        let checked = match platform {
            Platform::Telegram => networks.check_telegram(&a, &b).await,
            _ => networks.check_bluesky(&a, &b).await,
        };
        match checked {
            Checked::Good { credentials, display_name } => {
                // The profile may have been deleted while the user typed: link nothing then.
                if let Err(r) = profile_still_there(&s, &open.session, lang).await {
                    return r;
                }
                if let Err(e) = s.store.link_network(&open.session.profile_id, platform, &credentials, Some(&display_name)).await {
                    tracing::error!(error = %e, network = %platform, "storing a linked account failed");
                    return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
                }
                tracing::info!(network = %platform, "account linked through the linking page");
                // Post/Redirect/Get: a reload does not submit the form again.
                let mut resp = super::html::html_response(StatusCode::SEE_OTHER, String::new());
                if let Ok(to) = HeaderValue::from_str(&format!("/link/{token}?linked={platform}")) {
                    resp.headers_mut().insert(header::LOCATION, to);
                }
                return resp;
            }
            Checked::Refused(key) => fail(key, StatusCode::UNPROCESSABLE_ENTITY),
            Checked::Unreachable => fail("link-network-down", StatusCode::BAD_GATEWAY),
        }
    };
    render(&s, &token, &open, lang, &flash, status).await
}
