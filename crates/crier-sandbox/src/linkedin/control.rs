//! `/_sandbox/linkedin/...` control routes: `config` (daily member cap,
//! active versions, media processing), `token` (valid / expired / revoked),
//! `throttle` (the next N `/rest/` calls answer 429) and `social-actions`
//! (like/comment counts of a post).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::config::ConfigPatch;
use crate::SandboxState;
use crate::control_kit::{ControlJson, TokenState, bad_request, config_answer, token_route};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/linkedin/config", post(set_config).get(get_config))
        .route(
            "/linkedin/token",
            token_route(|state, set| {
                TokenState::update(&mut state.inner.linkedin.lock().token, set)
            }),
        )
        .route("/linkedin/throttle", post(set_throttle))
        .route("/linkedin/social-actions", post(set_social))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.linkedin.lock();
    let applied = inner.config.apply(patch);
    config_answer(applied, &inner.config)
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.linkedin.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThrottleBody {
    requests: u32,
}

async fn set_throttle(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<ThrottleBody>,
) -> Response {
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

async fn set_social(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<SocialBody>,
) -> Response {
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
