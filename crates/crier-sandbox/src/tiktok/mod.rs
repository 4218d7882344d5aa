//! Tiktok emulation under `/tiktok/...` (stub until the emulator is written).

pub(crate) mod control;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::SandboxState;

pub(crate) struct TiktokState {}

impl TiktokState {
    pub(crate) fn new() -> Self {
        Self {}
    }

    /// Forgets everything (what `POST /_sandbox/reset` does).
    pub(crate) fn reset(&self) {}
}

/// The fault endpoint name of a request under `/tiktok/` (`path` is the part after `/tiktok`).
pub(crate) fn classify(_method: &Method, _path: &str) -> Option<String> {
    None
}

/// Every request under `/tiktok/`.
pub(crate) async fn handle(State(_state): State<SandboxState>, _req: Request) -> Response {
    fault_error(StatusCode::NOT_IMPLEMENTED)
}

/// The network's own error body for a `status` fault without a body.
pub(crate) fn fault_error(code: StatusCode) -> Response {
    (code, axum::Json(serde_json::json!({"error": "stub"}))).into_response()
}
