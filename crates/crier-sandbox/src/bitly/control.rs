//! The Bitly part of the control API: `/_sandbox/bitly/config` (monthly
//! links, platform limit, custom domains) and `/_sandbox/bitly/links` (what
//! was shortened, in order; Bitly has no ledger entries).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::limits::ConfigPatch;
use super::links::control_json;
use crate::SandboxState;
use crate::control_kit::ControlJson;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/bitly/config", post(set_config).get(get_config))
        .route("/bitly/links", get(list_links))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.bitly.lock();
    inner.config.apply(patch);
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.bitly.lock().config.clone()).into_response()
}

async fn list_links(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.bitly.lock();
    let links: Vec<Value> = inner.links.iter().map(control_json).collect();
    axum::Json(json!({ "links": links })).into_response()
}
