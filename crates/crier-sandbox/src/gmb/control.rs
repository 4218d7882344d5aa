//! `/_sandbox/gmb/...` control routes:
//!
//! * `POST|GET /gmb/config`: photo size bounds, post state outcome, rate
//!   limit (see `config::GmbConfig`).
//! * `POST /gmb/token {"state":"valid"|"expired"|"revoked"}`: the seeded
//!   token's fate (expired and revoked both answer 401 `UNAUTHENTICATED`;
//!   expired carries `ErrorInfo.reason: ACCESS_TOKEN_EXPIRED`).
//! * `POST /gmb/location {"verified":bool}`: an unverified location refuses
//!   post create/patch with 400 `FAILED_PRECONDITION`.
//! * `GET /gmb/posts`: every post, deleted ones included.
//! * `GET /gmb/media`: every photo-section media item, deleted ones included.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::config::ConfigPatch;
use crate::SandboxState;
use crate::control_kit::{ControlJson, TokenState, config_answer, token_route};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/gmb/config", post(set_config).get(get_config))
        .route(
            "/gmb/token",
            token_route(|state, set| TokenState::update(&mut state.inner.gmb.lock().token, set)),
        )
        .route("/gmb/location", post(set_location))
        .route("/gmb/posts", get(list_posts))
        .route("/gmb/media", get(list_media))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.gmb.lock();
    let applied = inner.config.apply(patch);
    config_answer(applied, &inner.config)
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.gmb.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationBody {
    verified: bool,
}

async fn set_location(
    State(state): State<SandboxState>,
    ControlJson(req): ControlJson<LocationBody>,
) -> Response {
    state.inner.gmb.lock().verified = req.verified;
    axum::Json(json!({"verified": req.verified})).into_response()
}

async fn list_posts(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.gmb.lock();
    let posts: Vec<Value> = inner
        .posts
        .iter()
        .map(|p| {
            let mut v = p.json();
            v["deleted"] = json!(p.deleted);
            v
        })
        .collect();
    axum::Json(json!({ "posts": posts })).into_response()
}

async fn list_media(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.gmb.lock();
    let media: Vec<Value> = inner
        .photos
        .iter()
        .map(|p| {
            let mut v = p.json();
            v["deleted"] = json!(p.deleted);
            v
        })
        .collect();
    axum::Json(json!({ "media": media })).into_response()
}
