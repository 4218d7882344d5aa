//! Unknown paths and methods answer with a catalog error, never an empty body or HTML.

use crate::AppState;
use crate::auth::lang_of;
use crate::render::flat_error;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};

/// Ayrshare endpoint families crier does not offer yet: a clear "not supported", not "no such path".
const NOT_YET: &[&str] = &[
    "/api/media/uploadUrl", "/api/media/meta", "/api/media/resize", "/api/comments", "/api/feed",
    "/api/brand", "/api/generate", "/api/hashtags", "/api/reviews", "/api/analytics/links", "/api/validate",
    "/api/messages",
];

fn not_yet(path: &str) -> bool {
    NOT_YET.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The `action` of an error about a route: the operation its path (and method) names, as
/// Ayrshare's errors name theirs; `request` for a path that names none.
pub(crate) fn action_of(method: &Method, path: &str) -> Action {
    let rest = path.strip_prefix("/api/").unwrap_or(path.trim_start_matches('/'));
    let mut segments = rest.split('/');
    match (segments.next().unwrap_or(""), segments.next()) {
        ("post", Some("retry")) => Action::Retry,
        ("post" | "delete", _) if method == Method::DELETE => Action::Delete,
        ("post", _) => Action::Post,
        ("delete", _) => Action::Delete,
        ("history", _) => Action::History,
        ("analytics", _) => Action::Analytics,
        ("comments" | "comment", _) => Action::Comment,
        ("media" | "upload", _) => Action::Upload,
        ("profiles" | "profile", _) => Action::Profile,
        ("user", _) => Action::User,
        ("link" | "linking" | "links", _) => Action::Link,
        ("feed", _) => Action::Feed,
        ("hook" | "webhook" | "webhooks", _) => Action::Webhook,
        ("brand", _) => Action::Brand,
        ("generate", _) => Action::Generate,
        ("hashtags", _) => Action::Hashtags,
        ("reviews", _) => Action::Reviews,
        ("messages", _) => Action::Messages,
        ("validate", _) => Action::Validate,
        _ => Action::Request,
    }
}

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let code = if not_yet(path) { Code::NotSupported } else { Code::RouteNotFound };
    flat_error(&state.i18n, lang_of(&headers), &ErrorReport::new(code, action_of(&method, path)).details(path.to_string()))
}

/// A known path with a method it does not take: 405 (axum adds the `Allow` header to this answer).
/// Paths of endpoint families crier does not offer yet keep their 920 whatever the method.
pub async fn method_not_allowed(State(state): State<AppState>, headers: HeaderMap, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let action = action_of(&method, path);
    let report = if not_yet(path) {
        ErrorReport::new(Code::NotSupported, action).details(path.to_string())
    } else {
        ErrorReport::new(Code::MethodNotAllowed, action).details(format!("{method} {path}"))
    };
    flat_error(&state.i18n, lang_of(&headers), &report)
}
