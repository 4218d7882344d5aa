//! `/_sandbox/linkedin/...` control routes: `config` (daily member cap,
//! active versions, media processing), `token` (valid / expired / revoked),
//! `throttle` (the next N `/rest/` calls answer 429) and `social-actions`
//! (like/comment counts of a post).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::config::{ConfigPatch, TokenState};
use crate::SandboxState;
use crate::control::{bad_request, parse};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/linkedin/config", post(set_config).get(get_config))
        .route("/linkedin/token", post(set_token).get(get_token))
        .route("/linkedin/throttle", post(set_throttle))
        .route("/linkedin/social-actions", post(set_social))
}

async fn set_config(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: ConfigPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.linkedin.lock();
    if let Err(message) = inner.config.apply(patch) {
        return bad_request(message);
    }
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.linkedin.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    state: TokenState,
}

async fn set_token(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: TokenBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
    state.inner.linkedin.lock().token = body.state;
    axum::Json(json!({ "state": body.state })).into_response()
}

async fn get_token(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({ "state": state.inner.linkedin.lock().token })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThrottleBody {
    requests: u32,
}

async fn set_throttle(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: ThrottleBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
    state.inner.linkedin.lock().throttle_left = body.requests;
    axum::Json(json!({ "requests": body.requests })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SocialBody {
    urn: String,
    #[serde(default)]
    likes: u64,
    #[serde(default)]
    comments: u64,
}

async fn set_social(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: SocialBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.linkedin.lock();
    if !inner.posts.iter().any(|p| p.urn == body.urn) {
        return bad_request(format!("no LinkedIn post {}", body.urn));
    }
    inner
        .social
        .insert(body.urn.clone(), (body.likes, body.comments));
    axum::Json(json!({"urn": body.urn, "likes": body.likes, "comments": body.comments}))
        .into_response()
}
