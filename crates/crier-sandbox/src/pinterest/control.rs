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
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::analytics::METRIC_TYPES;
use super::limits::ConfigPatch;
use super::view::pin_json;
use crate::SandboxState;
use crate::control_kit::{
    ControlJson, TokenState, bad_request, config_answer, not_found, token_route,
};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/pinterest/config", post(set_config).get(get_config))
        .route(
            "/pinterest/token",
            token_route(|state, set| {
                TokenState::update(&mut state.inner.pinterest.lock().token, set)
            }),
        )
        .route("/pinterest/throttle", post(throttle))
        .route("/pinterest/pins", get(list_pins))
        .route("/pinterest/pins/{id}/metrics", post(set_metrics))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.pinterest.lock();
    let applied = inner.config.apply(patch);
    config_answer(applied, &inner.config)
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.pinterest.lock().config.clone()).into_response()
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

async fn throttle(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<ThrottleBody>,
) -> Response {
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
    ControlJson(metrics): ControlJson<std::collections::BTreeMap<String, u64>>,
) -> Response {
    if let Some(bad) = metrics
        .keys()
        .find(|m| !METRIC_TYPES.contains(&m.as_str()) || *m == "ALL")
    {
        return bad_request(format!("{bad:?} is not a Pin metric type"));
    }
    let mut inner = state.inner.pinterest.lock();
    let Some(pin) = inner.pins.iter_mut().find(|p| p.id == id) else {
        return not_found(format!("no Pin {id}"));
    };
    pin.metrics.extend(metrics);
    axum::Json(json!({"id": id, "metrics": pin.metrics})).into_response()
}
