//! Unlinking: `DELETE /api/profiles/social {platform}` (Ayrshare's shape) and the page's
//! Disconnect button. Both remove the stored credentials.

use super::html::error_page;
use super::session::resolve_form;
use crate::AppState;
use crate::auth::{Caller, lang_of};
use crate::render::{flat_error, internal, json_response};
use crate::routes::body::json_body;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Value, json};

/// Seam: revoke the grant at the network (OAuth networks with a revoke endpoint) before the
/// credentials are forgotten. Telegram and Bluesky app passwords have nothing to revoke here.
async fn revoke(_s: &AppState, _profile_id: &str, _platform: Platform) {}

/// The durable `unlinked` account event (for webhooks); a failure to record it is logged only.
async fn unlinked_event(s: &AppState, profile_id: &str, platform: Platform) {
    if let Err(e) = s.store.record_account_event(profile_id, platform, "unlinked", &json!({})).await {
        tracing::warn!(error = %e, network = %platform, "recording the unlinked event failed");
    }
}

#[utoipa::path(delete, path = "/api/profiles/social", tag = "profiles", request_body = crate::openapi::UnlinkBody,
    responses((status = 200, description = "Unlinked", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn unlink_social(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Profile, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let name = match body.get("platform") {
        Some(Value::String(p)) if !p.trim().is_empty() => p.trim().to_ascii_lowercase(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Profile).details("platform").arg("field", "platform"));
        }
        Some(_) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Profile).details("platform must be a string")),
    };
    // Ayrshare's SDKs send the profile key in the body; else the `Profile-Key` header decides.
    let profile = match body.get("profileKey").and_then(Value::as_str).map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) => match s.store.profile_by_key(&caller.account, key).await {
            Ok(Some(p)) => p,
            Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::ProfileNotFound, Action::Profile)),
            Err(e) => return internal(t, lang, &e),
        },
        None => caller.profile.clone(),
    };
    let Some(platform) = Platform::parse(&name) else {
        return flat_error(t, lang, &ErrorReport::new(Code::UnknownPlatform, Action::Profile).details(format!("unknown platform {name:?}")).arg("platforms", &name));
    };
    revoke(&s, &profile.id, platform).await;
    match s.store.unlink_network(&profile.id, platform).await {
        Ok(true) => {
            unlinked_event(&s, &profile.id, platform).await;
            json_response(200, json!({"status": "success", "platform": platform.as_str(), "refId": profile.ref_id}))
        }
        Ok(false) => flat_error(t, lang, &ErrorReport::for_platform(Code::NotLinked, Action::Profile, platform).arg("network", platform.display_name())),
        Err(e) => internal(t, lang, &e),
    }
}

/// The page's Disconnect button.
pub async fn from_page(State(s): State<AppState>, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let lang = lang_of(&headers);
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let (open, fields) = match resolve_form(&s, &token, &headers, lang, &body).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(platform) = fields.get("platform").and_then(|p| Platform::parse(p)).filter(|p| open.session.allowed.contains(p)) else {
        return error_page(cfg, t, lang, StatusCode::FORBIDDEN, "form");
    };
    revoke(&s, &open.session.profile_id, platform).await;
    match s.store.unlink_network(&open.session.profile_id, platform).await {
        Ok(true) => unlinked_event(&s, &open.session.profile_id, platform).await,
        Ok(false) => {}
        Err(e) => {
            tracing::error!(error = %e, "unlinking failed");
            return error_page(cfg, t, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown");
        }
    }
    let mut resp = super::html::html_response(StatusCode::SEE_OTHER, String::new());
    if let Ok(to) = HeaderValue::from_str(&format!("/link/{token}?unlinked={platform}")) {
        resp.headers_mut().insert(header::LOCATION, to);
    }
    resp
}
