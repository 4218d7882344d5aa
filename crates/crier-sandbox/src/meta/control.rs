//! The Meta part of the control API: `/_sandbox/meta/tokens`,
//! `/_sandbox/meta/throttle`, `/_sandbox/meta/config` and
//! `/_sandbox/media-host` (documented in the crate README).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::auth::{TokenRecord, TokenState};
use super::config::{ConfigPatch, ThrottleRequest};
use super::media_host::MediaHostPatch;
use crate::SandboxState;
use crate::control::{bad_request, parse};
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

async fn set_token(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: TokenBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
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

async fn set_throttle(State(state): State<SandboxState>, body: Bytes) -> Response {
    let request: ThrottleRequest = match parse(&body) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.meta.lock();
    if let Err(message) = inner.throttles.apply(request) {
        return bad_request(message);
    }
    axum::Json(inner.throttles.clone()).into_response()
}

async fn get_throttle(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().throttles.clone()).into_response()
}

async fn set_config(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: ConfigPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.meta.lock();
    inner.config.apply(patch);
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().config.clone()).into_response()
}

async fn set_media_host(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: MediaHostPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.meta.lock();
    if let Err(message) = inner.media_host.apply(patch) {
        return bad_request(message);
    }
    axum::Json(inner.media_host.clone()).into_response()
}

async fn get_media_host(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.meta.lock().media_host.clone()).into_response()
}
