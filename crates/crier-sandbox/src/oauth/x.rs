//! X's OAuth 1.0a three-legged flow (what Ayrshare's bring-your-own-keys
//! model uses): `POST /oauth/request_token` (signed with the app's keys,
//! `oauth_callback` in the header), the authorize page
//! (`/oauth/authorize` or `/oauth/authenticate?oauth_token=`), and
//! `POST /oauth/access_token` (signed with the request token's secret,
//! `oauth_verifier`). Signatures are verified for real (HMAC-SHA1, the X
//! emulator's code). The access token handed out is the seeded user's token
//! for the app (`seed::X_ACCESS_TOKEN` for `seed::X_CONSUMER_KEY`): X gives
//! a user the same token again when they re-authorize the same app.
//! Answers are form-encoded text; errors are X's
//! `{"errors":[{"code","message"}]}`.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::grants::{now_ms, random, secs_ms};
use super::net::Net;
use super::page::encode;
use crate::params::percent_decode;
use crate::x::oauth::{base_string, form_pairs, verify};
use crate::{SandboxState, seed};

/// How long a request token waits for the user (X: a few minutes).
const REQUEST_TOKEN_SECS: u64 = 600;

#[derive(Clone, Debug)]
pub(crate) struct RequestToken {
    secret: String,
    callback: String,
    consumer_key: String,
    verifier: Option<String>,
    expires_ms: i64,
    used: bool,
}

/// A signed OAuth 1.0a request: its `oauth_*` parameters (header, query
/// and form body alike) once the signature checked out.
struct Signed {
    params: Vec<(String, String)>,
}

impl Signed {
    fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The `Authorization: OAuth …` parameters (without `realm`); the signature apart.
fn header_params(headers: &HeaderMap) -> Option<(Vec<(String, String)>, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return None;
    }
    let mut params = Vec::new();
    let mut signature = None;
    for item in rest.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (k, raw) = item.split_once('=')?;
        let raw = raw.trim();
        let raw = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(raw);
        let v = percent_decode(raw, false);
        match k.trim() {
            "realm" => {}
            "oauth_signature" => signature = Some(v),
            k if k.starts_with("oauth_") => params.push((k.to_owned(), v)),
            _ => return None,
        }
    }
    Some((params, signature?))
}

/// Reads and verifies a request signed with `consumer secret & token secret`;
/// the token secret comes from `token_secret(params)`.
async fn signed(
    req: Request,
    token_secret: impl FnOnce(&[(String, String)]) -> Option<String>,
) -> Result<Signed, Response> {
    let (parts, body) = req.into_parts();
    let (header, signature) = header_params(&parts.headers).ok_or_else(not_authenticated)?;
    let mut params = header.clone();
    if let Some(q) = parts.uri.query() {
        params.extend(form_pairs(q));
    }
    let form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form && let Ok(bytes) = to_bytes(body, 64 * 1024).await {
        params.extend(form_pairs(&String::from_utf8_lossy(&bytes)));
    }
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("oauth_signature_method").as_deref() != Some("HMAC-SHA1")
        || get("oauth_version").is_some_and(|v| v != "1.0")
        || get("oauth_nonce").is_none()
        || get("oauth_timestamp").is_none()
    {
        return Err(not_authenticated());
    }
    if get("oauth_consumer_key").as_deref() != Some(seed::X_CONSUMER_KEY) {
        return Err(not_authenticated());
    }
    let token_secret = token_secret(&params).ok_or_else(invalid_token)?;
    let host = crate::request::host_or_localhost(&parts.headers).to_ascii_lowercase();
    let host = host.strip_suffix(":80").unwrap_or(&host);
    let base = base_string(
        parts.method.as_str(),
        &format!("http://{host}{}", parts.uri.path()),
        &params,
    );
    if !verify(&base, seed::X_CONSUMER_SECRET, &token_secret, &signature) {
        return Err(not_authenticated());
    }
    Ok(Signed { params })
}

fn x_error(status: StatusCode, code: u32, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"errors": [{"code": code, "message": message}]})),
    )
        .into_response()
}

fn not_authenticated() -> Response {
    x_error(StatusCode::UNAUTHORIZED, 32, "Could not authenticate you.")
}

fn invalid_token() -> Response {
    x_error(StatusCode::UNAUTHORIZED, 89, "Invalid or expired token.")
}

fn form_answer(pairs: &[(&str, &str)]) -> Response {
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// `POST /oauth/request_token` signed with the app's keys only.
pub(crate) async fn request_token(State(state): State<SandboxState>, req: Request) -> Response {
    state.inner.oauth.lock().count_call(Net::X, "request_token");
    let signed = match signed(req, |_| Some(String::new())).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(callback) = signed.get("oauth_callback").map(str::to_owned) else {
        return x_error(StatusCode::BAD_REQUEST, 215, "Bad Authentication data.");
    };
    let allowed = callback == "oob" || super::page::redirect_allowed(&state, Net::X, &callback);
    if !allowed {
        return x_error(
            StatusCode::FORBIDDEN,
            415,
            "Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings",
        );
    }
    let token = format!("sbxReq{}", random(27));
    let secret = random(32);
    state.inner.oauth.lock().x_requests.insert(
        token.clone(),
        RequestToken {
            secret: secret.clone(),
            callback,
            consumer_key: seed::X_CONSUMER_KEY.to_owned(),
            verifier: None,
            expires_ms: now_ms() + secs_ms(REQUEST_TOKEN_SECS),
            used: false,
        },
    );
    form_answer(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", "true"),
    ])
}

/// The authorize page (`/oauth/authorize`, `/oauth/authenticate`):
/// Authorize app / Cancel, as plain forms.
pub(crate) async fn authorize(State(state): State<SandboxState>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let req = super::wire::OauthReq::read(req).await;
    let token = req.get("oauth_token").unwrap_or("").to_owned();
    let pending = {
        let g = state.inner.oauth.lock();
        g.x_requests
            .get(&token)
            .filter(|r| !r.used && r.verifier.is_none() && r.expires_ms > now_ms())
            .cloned()
    };
    let Some(pending) = pending else {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>X (sandbox): error</title></head>\
<body><main><h1>X sandbox</h1><p id=\"error\">This page is no longer valid. It looks like someone already used the token information you provided.</p></main></body></html>\n";
        return (StatusCode::BAD_REQUEST, Html(page)).into_response();
    };
    if method != Method::POST {
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>X (sandbox): authorize app</title></head><body><main>\n<h1>X sandbox</h1>\n\
<p>The app <strong id=\"client\">{app}</strong> asks to use your account \
<strong id=\"account\">@{user}</strong>: read and write posts.</p>\n\
<form method=\"post\" action=\"{path}\">\n<input type=\"hidden\" name=\"oauth_token\" value=\"{token}\">\n\
<button type=\"submit\" id=\"consent\" name=\"decision\" value=\"consent\">Authorize app</button>\n\
<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Cancel</button>\n</form></main></body></html>\n",
            app = pending.consumer_key,
            user = seed::X_USERNAME,
            path = path,
            token = encode(&token),
        );
        return Html(page).into_response();
    }
    let sep = if pending.callback.contains('?') {
        '&'
    } else {
        '?'
    };
    let location = match req.get("decision") {
        Some("consent") => {
            let verifier = random(32);
            if let Some(r) = state.inner.oauth.lock().x_requests.get_mut(&token) {
                r.verifier = Some(verifier.clone());
            }
            if pending.callback == "oob" {
                let page = format!(
                    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>X (sandbox)</title></head><body><main><p>PIN: <code id=\"pin\">{verifier}</code></p></main></body></html>\n"
                );
                return Html(page).into_response();
            }
            format!(
                "{}{sep}oauth_token={}&oauth_verifier={verifier}",
                pending.callback,
                encode(&token)
            )
        }
        Some("deny") => {
            if let Some(r) = state.inner.oauth.lock().x_requests.get_mut(&token) {
                r.used = true;
            }
            format!("{}{sep}denied={}", pending.callback, encode(&token))
        }
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Html("decision must be consent or deny"),
            )
                .into_response();
        }
    };
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `POST /oauth/access_token` signed with the request token's secret,
/// with `oauth_verifier`: the user's access token (single use per request token).
pub(crate) async fn access_token(State(state): State<SandboxState>, req: Request) -> Response {
    state.inner.oauth.lock().count_call(Net::X, "access_token");
    let lookup = state.clone();
    let signed = match signed(req, move |params| {
        let token = params
            .iter()
            .find(|(k, _)| k == "oauth_token")
            .map(|(_, v)| v.as_str())?;
        let g = lookup.inner.oauth.lock();
        g.x_requests.get(token).map(|r| r.secret.clone())
    })
    .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let token = signed.get("oauth_token").unwrap_or_default().to_owned();
    let mut g = state.inner.oauth.lock();
    let Some(request) = g.x_requests.get_mut(&token) else {
        return invalid_token();
    };
    let fresh = !request.used && request.expires_ms > now_ms();
    let verified =
        request.verifier.is_some() && request.verifier.as_deref() == signed.get("oauth_verifier");
    if !(fresh && verified) {
        return (
            StatusCode::UNAUTHORIZED,
            "Error processing your OAuth request: Invalid oauth_verifier parameter",
        )
            .into_response();
    }
    request.used = true;
    form_answer(&[
        ("oauth_token", seed::X_ACCESS_TOKEN),
        ("oauth_token_secret", seed::X_ACCESS_TOKEN_SECRET),
        ("user_id", seed::X_USER_ID),
        ("screen_name", seed::X_USERNAME),
    ])
}
