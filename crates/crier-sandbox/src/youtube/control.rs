//! The YouTube part of the control API: `/_sandbox/youtube/config` (quota),
//! `/_sandbox/youtube/sessions/expire` and `/_sandbox/youtube/token`.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::quota::{ConfigPatch, Quota};
use crate::SandboxState;
use crate::control_kit::ControlJson;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/youtube/config", post(set_config).get(get_config))
        .route("/youtube/sessions/expire", post(expire_sessions))
        .route("/youtube/token", post(set_token).get(get_token))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.youtube.lock();
    inner.config.apply(patch);
    // New limits start from fresh counters.
    inner.quota = Quota::default();
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.youtube.lock().config.clone()).into_response()
}

async fn expire_sessions(State(state): State<SandboxState>) -> Response {
    let expired = state.inner.youtube.expire_sessions();
    axum::Json(json!({ "expired": expired })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    expired: bool,
}

async fn set_token(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<TokenBody>,
) -> Response {
    state.inner.youtube.lock().token_expired = body.expired;
    axum::Json(json!({ "expired": body.expired })).into_response()
}

async fn get_token(State(state): State<SandboxState>) -> Response {
    let expired = state.inner.youtube.lock().token_expired;
    axum::Json(json!({ "expired": expired })).into_response()
}
