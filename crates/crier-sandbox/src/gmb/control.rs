//! `/_sandbox/gmb/...` control routes.

use axum::Router;

use crate::SandboxState;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
}
