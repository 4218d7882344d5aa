//! Unlinking: `DELETE /api/profiles/social {platform}` (Ayrshare's shape) and the page's
//! Disconnect button. Both revoke the grant at the network (where it has a revoke endpoint),
//! then remove the stored credentials.

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
use crier_networks::oauth::revoke::{self as revocation, Revocation};
use serde_json::{Value, json};

/// Revokes the grant at the network (where it offers a revoke endpoint) before the credentials
/// are forgotten, and says how that went, for the `unlinked` event. Only grants crier obtained
/// through OAuth (an app is recorded): a token an operator pasted with `crier account link` may
/// serve elsewhere too. Best effort: a failure is logged (no token in it) and the unlink goes on.
async fn revoke(s: &AppState, profile_id: &str, platform: Platform) -> Value {
    let credentials = match s.store.token_state(profile_id, platform).await {
        Ok(Some((credentials, meta))) if meta.app.is_some() => credentials,
        Ok(_) => return json!({"revoke": "none"}),
        Err(e) => {
            tracing::warn!(error = %e, network = %platform, "reading the credentials to revoke failed");
            return json!({"revoke": "failed", "revokeError": "the stored credentials could not be read"});
        }
    };
    let app = s.engine.oauth_app(platform);
    let outcome = revocation::revoke(&s.engine.networks().http, platform, app.as_ref(), &credentials).await;
    match &outcome {
        Revocation::Failed(why) => {
            tracing::warn!(network = %platform, reason = %why, "revoking at the network failed; unlinking anyway");
            json!({"revoke": outcome.as_str(), "revokeError": why})
        }
        _ => json!({"revoke": outcome.as_str()}),
    }
}

/// The durable `unlinked` account event (for webhooks); a failure to record it is logged only.
async fn unlinked_event(s: &AppState, profile_id: &str, platform: Platform, details: &Value) {
    if let Err(e) = s.store.record_account_event(profile_id, platform, "unlinked", details).await {
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
    let revoked = revoke(&s, &profile.id, platform).await;
    match s.store.unlink_network(&profile.id, platform).await {
        Ok(true) => {
            unlinked_event(&s, &profile.id, platform, &revoked).await;
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
    let revoked = revoke(&s, &open.session.profile_id, platform).await;
    match s.store.unlink_network(&open.session.profile_id, platform).await {
        Ok(true) => unlinked_event(&s, &open.session.profile_id, platform, &revoked).await,
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
