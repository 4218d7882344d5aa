//! `/_sandbox/pinterest/...` control routes:
//!
//! * `POST|GET /pinterest/config`: `{"perMinute": N|null, "perDay": N|null,
//!   "mediaOutcome": "succeeded"|"failed", "mediaProcessingPolls": K}`.
//! * `POST|GET /pinterest/token`: `{"state": "valid"|"expired"|"revoked"}`
//!   (expired and revoked both answer 401 code 2, as on Pinterest).
//! * `POST /pinterest/throttle`: `{"requests": N, "resetSeconds": S}`: the
//!   next N API calls answer 429 code 8 with `X-RateLimit-Reset: S`.
//! * `POST /pinterest/pins/{id}/metrics`: `{"IMPRESSION": 10, …}` lifetime
//!   totals for the analytics endpoint.
//! * `GET /pinterest/pins`: every Pin, deleted ones included.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::TokenState;
use super::analytics::METRIC_TYPES;
use super::limits::ConfigPatch;
use super::view::pin_json;
use crate::SandboxState;
use crate::control::{bad_request, parse};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/pinterest/config", post(set_config).get(get_config))
        .route("/pinterest/token", post(set_token).get(get_token))
        .route("/pinterest/throttle", post(throttle))
        .route("/pinterest/pins", get(list_pins))
        .route("/pinterest/pins/{id}/metrics", post(set_metrics))
}

async fn set_config(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: ConfigPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.pinterest.lock();
    if let Err(message) = inner.config.apply(patch) {
        return bad_request(message);
    }
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.pinterest.lock().config.clone()).into_response()
}

fn token_name(token: TokenState) -> &'static str {
    match token {
        TokenState::Valid => "valid",
        TokenState::Expired => "expired",
        TokenState::Revoked => "revoked",
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    state: String,
}

async fn set_token(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: TokenBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
    let token = match body.state.as_str() {
        "valid" => TokenState::Valid,
        "expired" => TokenState::Expired,
        "revoked" => TokenState::Revoked,
        other => {
            return bad_request(format!(
                "state must be \"valid\", \"expired\" or \"revoked\", not {other:?}"
            ));
        }
    };
    state.inner.pinterest.lock().token = token;
    axum::Json(json!({"state": token_name(token)})).into_response()
}

async fn get_token(State(state): State<SandboxState>) -> Response {
    let token = state.inner.pinterest.lock().token;
    axum::Json(json!({"state": token_name(token)})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ThrottleBody {
    requests: u32,
    #[serde(default = "default_reset")]
    reset_seconds: u64,
}

fn default_reset() -> u64 {
    60
}

async fn throttle(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: ThrottleBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.pinterest.lock();
    inner.counters.throttle_left = body.requests;
    inner.counters.throttle_reset_secs = body.reset_seconds;
    axum::Json(json!({"requests": body.requests, "resetSeconds": body.reset_seconds}))
        .into_response()
}

async fn list_pins(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.pinterest.lock();
    let pins: Vec<Value> = inner
        .pins
        .iter()
        .map(|p| {
            let mut json = pin_json(p);
            json["deleted"] = json!(p.deleted);
            json
        })
        .collect();
    axum::Json(json!({"pins": pins})).into_response()
}

async fn set_metrics(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let metrics: std::collections::BTreeMap<String, u64> = match parse(&body) {
        Ok(metrics) => metrics,
        Err(message) => return bad_request(message),
    };
    if let Some(bad) = metrics
        .keys()
        .find(|m| !METRIC_TYPES.contains(&m.as_str()) || *m == "ALL")
    {
        return bad_request(format!("{bad:?} is not a Pin metric type"));
    }
    let mut inner = state.inner.pinterest.lock();
    let Some(pin) = inner.pins.iter_mut().find(|p| p.id == id) else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": format!("no Pin {id}")})),
        )
            .into_response();
    };
    pin.metrics.extend(metrics);
    axum::Json(json!({"id": id, "metrics": pin.metrics})).into_response()
}
