//! `GET /post/:id`, optionally waiting for the post to settle (crier's `waitSeconds`).

use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal, json_response};
use crate::routes::path::path_param;
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use std::time::Duration;

/// Longest wait a caller may ask for with `waitSeconds` on `GET /post/:id` (crier extension).
const MAX_READ_WAIT: Duration = Duration::from_secs(120);

#[utoipa::path(get, path = "/api/post/{id}", tag = "post", params(("id" = String, Path, description = "crier post id"), ("waitSeconds" = Option<i64>, Query, description = "crier extension: wait up to this long (≤ 120 s) for the post to settle")),
    responses((status = 200, description = "The post", body = crate::openapi::PostObject), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn read(State(s): State<AppState>, caller: Caller, path: Result<Path<String>, PathRejection>, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let id = match path_param(t, lang, Action::Post, path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let wait = match q.number("waitSeconds") {
        Ok(w) => Duration::from_secs(w.unwrap_or(0).max(0) as u64).min(MAX_READ_WAIT),
        Err(d) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Post).details(d)),
    };
    let post = match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) if !wait.is_zero() => s.engine.wait_settled(&p.id, wait).await.map(|p| p.filter(|p| p.profile_id == caller.profile.id)),
        other => other,
    };
    match post {
        Ok(Some(p)) => json_response(200, crate::render::post_object(t, lang, &p, &caller.profile)),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id)),
        Err(e) => internal(t, lang, &e),
    }
}

