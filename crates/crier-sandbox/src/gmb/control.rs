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
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::TokenState;
use super::config::ConfigPatch;
use crate::SandboxState;
use crate::control::{bad_request, parse};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/gmb/config", post(set_config).get(get_config))
        .route("/gmb/token", post(set_token))
        .route("/gmb/location", post(set_location))
        .route("/gmb/posts", get(list_posts))
        .route("/gmb/media", get(list_media))
}

async fn set_config(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: ConfigPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.gmb.lock();
    if let Err(message) = inner.config.apply(patch) {
        return bad_request(message);
    }
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.gmb.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    state: String,
}

async fn set_token(State(state): State<SandboxState>, body: Bytes) -> Response {
    let req: TokenBody = match parse(&body) {
        Ok(req) => req,
        Err(message) => return bad_request(message),
    };
    let token = match req.state.as_str() {
        "valid" => TokenState::Valid,
        "expired" => TokenState::Expired,
        "revoked" => TokenState::Revoked,
        other => {
            return bad_request(format!(
                "state must be \"valid\", \"expired\" or \"revoked\", not {other:?}"
            ));
        }
    };
    state.inner.gmb.lock().token = token;
    axum::Json(json!({"state": req.state})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationBody {
    verified: bool,
}

async fn set_location(State(state): State<SandboxState>, body: Bytes) -> Response {
    let req: LocationBody = match parse(&body) {
        Ok(req) => req,
        Err(message) => return bad_request(message),
    };
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
