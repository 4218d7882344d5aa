//! `/post`: publish or schedule (create.rs), read one (read.rs), change a scheduled post
//! (update.rs), delete (remove.rs), retry (retry.rs).

pub(crate) mod create;
pub(crate) mod read;
pub(crate) mod remove;
pub(crate) mod retry;
pub(crate) mod update;

use crate::AppState;
use crate::auth::Caller;
use crate::render::{json_response, post_envelope, scheduled_envelope};
use axum::Router;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use crier_store::PostRecord;

pub(crate) use create::create;
pub(crate) use read::read;
pub(crate) use remove::remove;
pub(crate) use retry::retry;
pub(crate) use update::update;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/post", post(create).delete(remove).put(update).patch(update))
        .route("/delete", delete(remove))
        .route("/post/retry", put(retry).post(retry))
        .route("/post/{id}", get(read))
}

/// The same answer for a fresh post and an idempotent replay of it.
pub(crate) fn answer(s: &AppState, caller: &Caller, p: &PostRecord) -> Response {
    if p.status == crier_store::PostStatus::AwaitingApproval {
        // Held: nothing was sent. Ayrshare's post status, and the date it will keep once approved.
        let mut body = scheduled_envelope(p, &caller.profile);
        body["status"] = serde_json::json!(p.status.as_str());
        return json_response(200, body);
    }
    if p.kind == "scheduled" && p.deliveries.iter().all(|d| d.attempts == 0 && !d.state.is_settled()) {
        return json_response(200, scheduled_envelope(p, &caller.profile));
    }
    let (http, body) = post_envelope(&s.i18n, caller.lang, p, &caller.profile);
    json_response(http, body)
}

