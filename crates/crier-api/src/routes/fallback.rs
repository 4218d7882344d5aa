//! Unknown paths answer with a catalog error, never an empty body or HTML.

use crate::AppState;
use crate::auth::lang_of;
use crate::render::flat_error;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap) -> Response {
    flat_error(&state.i18n, lang_of(&headers), &ErrorReport::new(Code::RouteNotFound, Action::Post))
}
