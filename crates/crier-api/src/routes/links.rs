//! `/links` (aliases `/shorten`, `/short`): crier's own link shortener, and the
//! public redirect `/l/{code}` that counts clicks without slowing down.

use super::body::json_body;
use super::path::path_param;
use crate::auth::Caller;
use crate::render::{flat_error, internal, iso, json_response};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use crier_core::{Action, Code, ErrorReport};
use crier_engine::Click;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/links", post(create).get(list))
        .route("/shorten", post(create))
        .route("/short", post(create))
        .route("/links/{id}", get(analytics))
}

/// The public redirect, mounted outside `/api`.
pub fn redirect_router() -> Router<AppState> {
    Router::new().route("/l/{code}", get(redirect))
}

#[utoipa::path(post, path = "/api/links", tag = "links", request_body = crate::openapi::LinkBody,
    responses((status = 200, description = "The short link", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn create(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Link, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(url) = body.get("url").and_then(Value::as_str).map(str::trim).filter(|u| !u.is_empty()) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Link).details("url").arg("field", "url"));
    };
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        _ => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Link).details(format!("url must be an http(s) URL: {url}"))),
    }
    match s.engine.create_short_link(&caller.profile.id, url, None).await {
        Ok(link) => json_response(
            200,
            json!({"status": "success", "id": link.code, "shortUrl": s.engine.short_url(&link), "originalUrl": link.original_url, "created": iso(link.created_ms)}),
        ),
        Err(e) => internal(t, lang, &e),
    }
}

/// The profile's short links, newest first (what the Python SDK asks for without an id).
#[utoipa::path(get, path = "/api/links", tag = "links",
    responses((status = 200, description = "The profile's short links", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn list(State(s): State<AppState>, caller: Caller) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    match s.store.list_short_links(&caller.profile.id, 500).await {
        Ok(links) => {
            let links: Vec<Value> = links
                .iter()
                .map(|l| json!({"id": l.code, "shortUrl": s.engine.short_url(l), "originalUrl": l.original_url, "created": iso(l.created_ms)}))
                .collect();
            json_response(200, json!({"status": "success", "links": links}))
        }
        Err(e) => internal(t, lang, &e),
    }
}

#[utoipa::path(get, path = "/api/links/{id}", tag = "links", params(("id" = String, Path)),
    responses((status = 200, description = "Clicks by referer and browser", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn analytics(State(s): State<AppState>, caller: Caller, path: Result<Path<String>, PathRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let id = match path_param(t, lang, Action::Link, path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let link = match s.store.short_link(&id).await {
        Ok(Some(l)) if l.profile_id == caller.profile.id => l,
        Ok(_) => return flat_error(t, lang, &ErrorReport::new(Code::LinkNotFound, Action::Link).details(id)),
        Err(e) => return internal(t, lang, &e),
    };
    s.clicks.flush().await;
    let stats = match s.store.click_stats(&link.code).await {
        Ok(st) => st,
        Err(e) => return internal(t, lang, &e),
    };
    let counts = |v: &[(String, i64)]| v.iter().map(|(k, n)| (k.clone(), json!(n))).collect::<serde_json::Map<_, _>>();
    json_response(
        200,
        json!({"status": "success", "id": link.code, "analytics": {
            "totalClicks": stats.total,
            "refererCounts": counts(&stats.by_referer),
            "browserCounts": counts(&stats.by_browser),
            "originalUrl": link.original_url,
            "shortUrl": s.engine.short_url(&link),
            "created": iso(link.created_ms),
        }}),
    )
}

/// The browser family from a User-Agent (order matters: Edge and Chrome also say Safari).
fn browser(ua: &str) -> &'static str {
    let checks: [(&str, &str); 7] = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl"), ("bot", "Bot")];
    checks.iter().find(|(needle, _)| ua.contains(needle)).map(|(_, name)| *name).unwrap_or("Other")
}

fn referer_host(headers: &HeaderMap) -> Option<String> {
    let r = headers.get(header::REFERER)?.to_str().ok()?;
    url::Url::parse(r).ok()?.host_str().map(str::to_string)
}

#[utoipa::path(get, path = "/l/{code}", tag = "links", security(()), params(("code" = String, Path)),
    responses((status = 302, description = "Redirect to the original URL (the click is counted)"), (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn redirect(State(s): State<AppState>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Response {
    let lang = crate::auth::lang_of(&headers);
    let code = match path_param(&s.i18n, lang, Action::Link, path) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.store.short_link(&code).await {
        Ok(Some(link)) => {
            let ua = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
            s.clicks.record(Click { code: link.code.clone(), at_ms: crier_store::now_ms(), referer: referer_host(&headers), browser: Some(browser(ua).to_string()) });
            (StatusCode::FOUND, [(header::LOCATION, link.original_url)]).into_response()
        }
        Ok(None) => flat_error(&s.i18n, lang, &ErrorReport::new(Code::LinkNotFound, Action::Link).details(code)),
        Err(e) => internal(&s.i18n, lang, &e),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn browser_families() {
        assert_eq!(super::browser("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"), "Chrome");
        assert_eq!(super::browser("Mozilla/5.0 ... Chrome/120.0 Safari/537.36 Edg/120.0"), "Edge");
        assert_eq!(super::browser("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"), "Safari");
        assert_eq!(super::browser("curl/8.5.0"), "curl");
        assert_eq!(super::browser(""), "Other");
    }
}
