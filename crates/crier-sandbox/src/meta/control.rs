//! The Meta part of the control API: `/_sandbox/meta/tokens`,
//! `/_sandbox/meta/throttle`, `/_sandbox/meta/config` and
//! `/_sandbox/media-host` (documented in the crate README).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::auth::{TokenRecord, TokenState};
use super::config::{ConfigPatch, ThrottleRequest};
use super::media_host::MediaHostPatch;
use crate::SandboxState;
use crate::control_kit::{ControlJson, bad_request, config_answer};
use crate::ledger::now_ms;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/meta/tokens", post(set_token).get(list_tokens))
        .route("/meta/throttle", post(set_throttle).get(get_throttle))
        .route("/meta/config", post(set_config).get(get_config))
        .route("/media-host", post(set_media_host).get(get_media_host))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
    state: TokenState,
}

async fn set_token(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<TokenBody>,
) -> Response {
    if body.token.trim().is_empty() {
        return bad_request("token must not be empty");
    }
    let record = TokenRecord {
        state: body.state,
        since_ms: now_ms(),
    };
    state
        .inner
        .meta
        .lock()
        .tokens
        .insert(body.token.trim().to_owned(), record);
    axum::Json(json!({"token": body.token.trim(), "state": body.state})).into_response()
}

async fn list_tokens(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.meta.lock();
    let tokens: serde_json::Map<String, serde_json::Value> = inner
        .tokens
        .iter()
        .map(|(token, record)| (token.clone(), json!(record.state)))
        .collect();
    axum::Json(json!({ "tokens": tokens })).into_response()
}

async fn set_throttle(
    State(state): State<SandboxState>,
    ControlJson(request): ControlJson<ThrottleRequest>,
) -> Response {
    let mut inner = state.inner.meta.lock();
    let applied = inner.throttles.apply(request);
    config_answer(applied, &inner.throttles)
}

async fn get_throttle(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().throttles.clone()).into_response()
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.meta.lock();
    inner.config.apply(patch);
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().config.clone()).into_response()
}

async fn set_media_host(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<MediaHostPatch>,
) -> Response {
    let mut inner = state.inner.meta.lock();
    let applied = inner.media_host.apply(patch);
    config_answer(applied, &inner.media_host)
}

async fn get_media_host(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().media_host.clone()).into_response()
}
