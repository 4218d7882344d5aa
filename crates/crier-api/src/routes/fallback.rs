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
    "/api/media/uploadUrl", "/api/media/meta", "/api/media/resize", "/api/comments", "/api/feed", "/api/auto-schedule", "/api/hook",
    "/api/brand", "/api/generate", "/api/hashtags", "/api/reviews", "/api/analytics/links", "/api/validate",
    "/api/messages",
];

fn not_yet(path: &str) -> bool {
    NOT_YET.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    let code = if not_yet(path) { Code::NotSupported } else { Code::RouteNotFound };
    flat_error(&state.i18n, lang_of(&headers), &ErrorReport::new(code, Action::Post).details(path.to_string()))
}

/// A known path with a method it does not take: 405 (axum adds the `Allow` header to this answer).
/// Paths of endpoint families crier does not offer yet keep their 920 whatever the method.
pub async fn method_not_allowed(State(state): State<AppState>, headers: HeaderMap, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let report = if not_yet(path) {
        ErrorReport::new(Code::NotSupported, Action::Post).details(path.to_string())
    } else {
        ErrorReport::new(Code::MethodNotAllowed, Action::Post).details(format!("{method} {path}"))
    };
    flat_error(&state.i18n, lang_of(&headers), &report)
}
