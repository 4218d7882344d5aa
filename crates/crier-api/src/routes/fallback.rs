//! Unknown paths answer with a catalog error, never an empty body or HTML.

use crate::AppState;
use crate::auth::lang_of;
use crate::render::flat_error;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};

/// Ayrshare endpoint families crier does not offer yet: a clear "not supported", not "no such path".
const NOT_YET: &[&str] = &[
    "/api/media/uploadUrl", "/api/media/meta", "/api/media/resize", "/api/comments", "/api/feed", "/api/auto-schedule", "/api/hook",
    "/api/brand", "/api/generate", "/api/hashtags", "/api/reviews", "/api/profiles/generateJWT",
    "/api/profiles/social", "/api/analytics/links", "/api/validate", "/api/messages",
];

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let path = uri.path();
    let code = if NOT_YET.iter().any(|p| path == *p || path.starts_with(&format!("{p}/"))) {
        Code::NotSupported
    } else {
        Code::RouteNotFound
    };
    flat_error(&state.i18n, lang_of(&headers), &ErrorReport::new(code, Action::Post).details(path.to_string()))
}
