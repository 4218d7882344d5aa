//! `POST /api/profiles/generateJWT`: a short-lived URL of the linking page for one profile of
//! the caller's account. The token is an opaque random secret (not a JWT: crier signs nothing
//! the caller verifies); the server-side session enforces expiry, one browser, and the end.

use crate::AppState;
use crate::auth::Caller;
use crate::render::{flat_error, internal, json_response};
use crate::routes::body::json_body;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_engine::ByoKeys;
use crier_store::{NewLinkingSession, hash_secret};
use serde_json::{Value, json};

/// Ayrshare's range for `expiresIn` (minutes).
const EXPIRES_RANGE: std::ops::RangeInclusive<i64> = 1..=2880;

fn malformed(detail: &str) -> ErrorReport {
    ErrorReport::new(Code::MalformedBody, Action::Profile).details(detail.to_string())
}

fn opt_str<'a>(body: &'a Value, field: &str) -> Result<Option<&'a str>, ErrorReport> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        Some(_) => Err(malformed(&format!("{field} must be a string"))),
    }
}

/// Everything the body asks for, checked.
struct Request {
    profile_key: String,
    redirect: Option<String>,
    allowed: Option<Vec<Platform>>,
    logout: bool,
    minutes: Option<i64>,
    byo: Option<ByoKeys>,
}

fn parse(body: &Value, headers: &HeaderMap, header_byo: Option<ByoKeys>) -> Result<Request, ErrorReport> {
    let profile_key = opt_str(body, "profileKey")?
        .or_else(|| headers.get("profile-key").and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty()))
        .ok_or_else(|| ErrorReport::new(Code::MissingField, Action::Profile).details("profileKey").arg("field", "profileKey"))?
        .to_string();
    // Accepted for compatibility: crier signs nothing with the caller's key, so both are ignored.
    opt_str(body, "domain")?;
    opt_str(body, "privateKey")?;
    let redirect = opt_str(body, "redirect")?.map(str::to_string);
    if redirect.as_deref().is_some_and(|r| !super::html::is_http_url(r)) {
        return Err(malformed("redirect must be an http or https URL"));
    }
    let allowed = match body.get("allowedSocial") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                let name = item.as_str().ok_or_else(|| malformed("allowedSocial must be an array of network ids"))?;
                let p = Platform::parse(&name.trim().to_ascii_lowercase()).ok_or_else(|| {
                    ErrorReport::new(Code::UnknownPlatform, Action::Profile).details(format!("unknown network {name:?} in allowedSocial")).arg("platforms", name)
                })?;
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            Some(out).filter(|o: &Vec<Platform>| !o.is_empty())
        }
        Some(_) => return Err(malformed("allowedSocial must be an array of network ids")),
    };
    let logout = match body.get("logout") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(malformed("logout must be true or false")),
    };
    let minutes = match body.get("expiresIn") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(m) if EXPIRES_RANGE.contains(&m) => Some(m),
            _ => return Err(malformed("expiresIn must be a whole number of minutes from 1 to 2880")),
        },
    };
    // The X app keys: headers, or Ayrshare's legacy body fields.
    let legacy = match (opt_str(body, "twitterApiKey")?, opt_str(body, "twitterApiSecret")?) {
        (Some(key), Some(secret)) => Some(ByoKeys { key: key.to_string(), secret: secret.to_string() }),
        _ => None,
    };
    Ok(Request { profile_key, redirect, allowed, logout, minutes, byo: header_byo.or(legacy) })
}

#[utoipa::path(post, path = "/api/profiles/generateJWT", tag = "profiles", request_body = crate::openapi::GenerateJwtBody,
    responses((status = 200, description = "The linking page's URL for the profile, valid `expiresIn` minutes", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn generate_jwt(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Profile, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let req = match parse(&body, &headers, caller.byo.clone()) {
        Ok(r) => r,
        Err(e) => return flat_error(t, lang, &e),
    };
    let profile = match s.store.profile_by_key(&caller.account, &req.profile_key).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::ProfileNotFound, Action::Profile)),
        Err(e) => return internal(t, lang, &e),
    };
    let cfg = &s.linking.settings;
    let minutes = req.minutes.unwrap_or(i64::from(cfg.default_minutes.max(1)));
    let now = s.store.now_ms();
    let allowed = req.allowed.unwrap_or_else(|| s.engine.networks().supported());
    if req.logout
        && let Err(e) = s.store.end_linking_sessions_of(&profile.id).await
    {
        return internal(t, lang, &e);
    }
    let session = NewLinkingSession { profile_id: profile.id.clone(), allowed, redirect: req.redirect, logout: req.logout, expires_ms: now + minutes * 60_000 };
    let token = match s.store.create_linking_session(&session).await {
        Ok(t) => t,
        Err(e) => return internal(t, lang, &e),
    };
    // Old sessions go as new ones come (an indexed DELETE; no sweeper task needed).
    if let Err(e) = s.store.sweep_linking_sessions().await {
        tracing::warn!(error = %e, "sweeping old linking sessions failed");
    }
    if let Some(keys) = req.byo {
        // Kept for the life of the session at most (page sessions last `session_minutes` once opened).
        let until = now + (minutes + i64::from(cfg.session_minutes)) * 60_000;
        s.linking.keep_byo(hash_secret(&token), keys, until, now);
    }
    let url = format!("{}/link/{token}", cfg.public_base.trim_end_matches('/'));
    json_response(200, json!({"status": "success", "title": profile.title, "token": token, "url": url, "expiresIn": minutes}))
}
