//! Which linking session a page request belongs to, and whether this browser may use it.
//! A URL works once: the first browser that opens it gets a cookie (scoped to the URL's path)
//! and only that browser may use the page and its forms until the session ends.

use super::html::error_page;
use crate::AppState;
use crate::i18n::Lang;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use crier_store::{LinkingSession, hash_secret};

/// One cookie per session (a browser may hold several pages), scoped to `/link` so the OAuth
/// callback (`/link/callback/…`) sees it too: login CSRF needs this browser, not just the state.
fn cookie_name(token_hash: &str) -> String {
    format!("crier_link_{}", &token_hash[..token_hash.len().min(16)])
}

pub struct Open {
    pub session: LinkingSession,
    pub profile_title: String,
    /// `Set-Cookie` value when this request opened the session.
    pub set_cookie: Option<String>,
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// A form post of the page: this browser's session and the form's fields, its CSRF token checked.
#[allow(clippy::result_large_err)]
pub async fn resolve_form(s: &AppState, token: &str, headers: &HeaderMap, lang: Lang, body: &[u8]) -> Result<(Open, std::collections::HashMap<String, String>), Response> {
    let open = resolve(s, token, headers, lang, false).await?;
    let fields = form_fields(body);
    if !csrf_ok(&open.session, fields.get("csrf").map(String::as_str)) {
        return Err(error_page(&s.linking.settings, &s.i18n, lang, StatusCode::FORBIDDEN, "form"));
    }
    Ok((open, fields))
}

/// Resolves `token`. `may_open`: a GET of the page may bind a never-opened session to this browser.
#[allow(clippy::result_large_err)]
pub async fn resolve(s: &AppState, token: &str, headers: &HeaderMap, lang: Lang, may_open: bool) -> Result<Open, Response> {
    if token.is_empty() || token.len() > 128 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(error_page(&s.linking.settings, &s.i18n, lang, StatusCode::NOT_FOUND, "unknown"));
    }
    resolve_hash(s, &hash_secret(token), headers, lang, may_open).await
}

/// The same from the token's hash (the OAuth callback knows only that).
#[allow(clippy::result_large_err)]
pub async fn resolve_hash(s: &AppState, token_hash: &str, headers: &HeaderMap, lang: Lang, may_open: bool) -> Result<Open, Response> {
    let (cfg, t) = (&s.linking.settings, &s.i18n);
    let fail = |status: StatusCode, kind: &str| error_page(cfg, t, lang, status, kind);
    let session = match s.store.linking_session_by_hash(token_hash).await {
        Ok(Some(x)) => x,
        Ok(None) => return Err(fail(StatusCode::NOT_FOUND, "unknown")),
        Err(e) => {
            tracing::error!(error = %e, "linking session lookup failed");
            return Err(fail(StatusCode::SERVICE_UNAVAILABLE, "unknown"));
        }
    };
    let now = s.store.now_ms();
    if session.consumed_ms.is_some() {
        return Err(fail(StatusCode::GONE, "used"));
    }
    if session.expires_ms <= now {
        return Err(fail(StatusCode::GONE, "expired"));
    }
    let profile_title = match s.store.profile_title(&session.profile_id).await {
        Ok(Some(title)) => title,
        Ok(None) => return Err(fail(StatusCode::GONE, "profile")),
        Err(e) => {
            tracing::error!(error = %e, "profile lookup failed");
            return Err(fail(StatusCode::SERVICE_UNAVAILABLE, "unknown"));
        }
    };
    let name = cookie_name(token_hash);
    let presented = cookie(headers, &name);
    match &session.browser_hash {
        Some(h) if presented.as_deref().is_some_and(|c| &hash_secret(c) == h) => Ok(Open { session, profile_title, set_cookie: None }),
        Some(_) => Err(fail(StatusCode::GONE, "used")),
        None if !may_open => Err(fail(StatusCode::FORBIDDEN, "form")),
        None => {
            let secret = crier_store::browser_secret();
            let until = now + i64::from(cfg.session_minutes.max(1)) * 60_000;
            match s.store.open_linking_session(&session.token_hash, &secret, until).await {
                Ok(true) => {
                    let secure = if cfg.public_base.starts_with("https://") { "; Secure" } else { "" };
                    let set_cookie = format!("{name}={secret}; Path=/link; HttpOnly; SameSite=Lax; Max-Age={}{secure}", cfg.session_minutes.max(1) * 60);
                    let session = LinkingSession { browser_hash: Some(hash_secret(&secret)), expires_ms: until, ..session };
                    Ok(Open { session, profile_title, set_cookie: Some(set_cookie) })
                }
                // Another browser opened it a moment ago.
                Ok(false) => Err(fail(StatusCode::GONE, "used")),
                Err(e) => {
                    tracing::error!(error = %e, "opening a linking session failed");
                    Err(fail(StatusCode::SERVICE_UNAVAILABLE, "unknown"))
                }
            }
        }
    }
}

/// Constant-time comparison of the form's CSRF field with the session's.
pub fn csrf_ok(session: &LinkingSession, given: Option<&str>) -> bool {
    let Some(given) = given else { return false };
    let (a, b) = (given.as_bytes(), session.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Form fields of an `application/x-www-form-urlencoded` body.
pub fn form_fields(body: &[u8]) -> std::collections::HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// Checked right before storing an account: a profile deleted during the consent or while the
/// user typed gets nothing linked, and its own page.
#[allow(clippy::result_large_err)]
pub async fn profile_still_there(s: &AppState, session: &LinkingSession, lang: Lang) -> Result<(), Response> {
    match s.store.profile_title(&session.profile_id).await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(error_page(&s.linking.settings, &s.i18n, lang, StatusCode::GONE, "profile")),
        Err(e) => {
            tracing::error!(error = %e, "profile lookup failed");
            Err(error_page(&s.linking.settings, &s.i18n, lang, StatusCode::SERVICE_UNAVAILABLE, "unknown"))
        }
    }
}
