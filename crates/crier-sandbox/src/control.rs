//! The control API under `/_sandbox` (documented in the crate README).

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::SandboxState;
use crate::bluesky::Limits;
use crate::control_kit::{ControlJson, bad_request};
use crate::faults::Fault;
use crate::params::parse_urlencoded;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/ledger", get(ledger))
        .route("/release", post(release))
        .route("/held", get(held))
        .route("/landings", get(landings))
        .route("/reset", post(reset))
        .route("/bluesky/expire-sessions", post(expire_sessions))
        .route("/bluesky/limits", get(get_limits).post(set_limits))
        .route("/telegram/flood", get(get_flood).post(set_flood))
        .merge(crate::meta::control::routes())
        .merge(crate::x::control::routes())
        .merge(crate::youtube::control::routes())
        .merge(crate::bitly::control::routes())
        .merge(crate::linkedin::control::routes())
        .merge(crate::tiktok::control::routes())
        .merge(crate::pinterest::control::routes())
        .merge(crate::reddit::control::routes())
        .merge(crate::gmb::control::routes())
        .merge(crate::snapchat::control::routes())
        .merge(crate::oauth::control::routes())
}

async fn add_fault(
    State(state): State<SandboxState>,
    ControlJson(fault): ControlJson<Fault>,
) -> Response {
    if let Err(message) = fault.validate() {
        return bad_request(message);
    }
    let id = state.add_fault(fault);
    axum::Json(json!({"id": id})).into_response()
}

async fn list_faults(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({"faults": state.inner.faults.list()})).into_response()
}

async fn clear_faults(State(state): State<SandboxState>) -> Response {
    state.clear_faults();
    axum::Json(json!({})).into_response()
}

async fn ledger(State(state): State<SandboxState>, RawQuery(query): RawQuery) -> Response {
    let params = query.as_deref().map(parse_urlencoded).unwrap_or_default();
    let network = params
        .get("network")
        .and_then(|v| v.as_str())
        .filter(|n| !n.is_empty());
    let entries: Vec<_> = state
        .ledger()
        .into_iter()
        .filter(|e| network.is_none_or(|n| e.network == n))
        .collect();
    axum::Json(json!({"entries": entries})).into_response()
}

async fn release(State(state): State<SandboxState>) -> Response {
    let released = state.inner.holds.release_all();
    axum::Json(json!({"released": released})).into_response()
}

async fn held(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({"held": state.inner.holds.held()})).into_response()
}

async fn landings(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({"pending": state.pending_landings()})).into_response()
}

async fn reset(State(state): State<SandboxState>) -> Response {
    state.reset();
    axum::Json(json!({})).into_response()
}

async fn expire_sessions(State(state): State<SandboxState>) -> Response {
    let expired = state.expire_bluesky_sessions();
    axum::Json(json!({"expired": expired})).into_response()
}

async fn get_limits(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.bluesky.limits()).into_response()
}

async fn set_limits(
    State(state): State<SandboxState>,
    ControlJson(limits): ControlJson<Limits>,
) -> Response {
    state.inner.bluesky.set_limits(limits.clone());
    axum::Json(limits).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Flood {
    per_chat_per_minute: Option<u32>,
}

async fn get_flood(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({"perChatPerMinute": state.inner.telegram.flood_limit()})).into_response()
}

async fn set_flood(
    State(state): State<SandboxState>,
    ControlJson(flood): ControlJson<Flood>,
) -> Response {
    state.set_telegram_flood_limit(flood.per_chat_per_minute);
    axum::Json(json!({"perChatPerMinute": state.inner.telegram.flood_limit()})).into_response()
}
