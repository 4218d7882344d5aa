//! `/_sandbox/reddit/...` control routes:
//!
//! * `POST|GET /reddit/config` `{"requestsPerWindow": N, "windowSeconds": S,
//!   "flairRequired": bool, "linkType": "any"|"self"|"link"}` (partial
//!   updates; a new window starts).
//! * `POST|GET /reddit/token` `{"state": "valid"|"expired"|"revoked"}`.
//! * `POST|GET /reddit/account` `{"suspended": bool}`: a suspended account's
//!   submits and deletes answer 403.
//! * `POST /reddit/ratelimit` `{"seconds": S, "submits": K}`: the next K
//!   (default 1) submits answer RATELIMIT "try again in …".
//! * `POST /reddit/posts/{id}/stats` `{"score": N, "numComments": M}`
//!   (`id` with or without `t3_`).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::SubmitThrottle;
use crate::SandboxState;
use crate::control_kit::{ControlJson, TokenState, bad_request, not_found, token_route};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/reddit/config", post(set_config).get(get_config))
        .route(
            "/reddit/token",
            token_route(|state, set| TokenState::update(&mut state.inner.reddit.lock().token, set)),
        )
        .route("/reddit/account", post(set_account).get(get_account))
        .route("/reddit/ratelimit", post(set_ratelimit))
        .route("/reddit/posts/{id}/stats", post(set_stats))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigPatch {
    requests_per_window: Option<u32>,
    window_seconds: Option<u64>,
    flair_required: Option<bool>,
    link_type: Option<String>,
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    if let Some(kind) = &patch.link_type
        && !matches!(kind.as_str(), "any" | "self" | "link")
    {
        return bad_request(format!(
            "linkType must be \"any\", \"self\" or \"link\", not {kind:?}"
        ));
    }
    if patch.window_seconds == Some(0) {
        return bad_request("windowSeconds must be at least 1");
    }
    let mut inner = state.inner.reddit.lock();
    let config = &mut inner.config;
    if let Some(n) = patch.requests_per_window {
        config.requests_per_window = n;
    }
    if let Some(s) = patch.window_seconds {
        config.window_seconds = s;
    }
    if let Some(flair) = patch.flair_required {
        config.flair_required = flair;
    }
    if let Some(kind) = patch.link_type {
        config.link_type = kind;
    }
    let config = config.clone();
    // New limits start from a fresh window.
    inner.window_start = 0;
    inner.window_used = 0;
    axum::Json(config).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.reddit.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountBody {
    suspended: bool,
}

async fn set_account(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<AccountBody>,
) -> Response {
    state.inner.reddit.lock().suspended = body.suspended;
    axum::Json(json!({"suspended": body.suspended})).into_response()
}

async fn get_account(State(state): State<SandboxState>) -> Response {
    axum::Json(json!({"suspended": state.inner.reddit.lock().suspended})).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatelimitBody {
    seconds: u64,
    #[serde(default = "one")]
    submits: u32,
}

fn one() -> u32 {
    1
}

async fn set_ratelimit(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<RatelimitBody>,
) -> Response {
    let throttle = SubmitThrottle {
        submits: body.submits,
        seconds: body.seconds.max(1),
    };
    state.inner.reddit.lock().throttle = throttle.clone();
    axum::Json(throttle).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StatsBody {
    score: Option<i64>,
    num_comments: Option<u64>,
}

async fn set_stats(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
    ControlJson(body): ControlJson<StatsBody>,
) -> Response {
    let bare = id.strip_prefix("t3_").unwrap_or(&id).to_owned();
    let mut inner = state.inner.reddit.lock();
    let Some(post) = inner.posts.iter_mut().find(|p| p.id == bare) else {
        return not_found(format!("no post {id}"));
    };
    if let Some(score) = body.score {
        post.score = score;
    }
    if let Some(n) = body.num_comments {
        post.num_comments = n;
    }
    axum::Json(
        json!({"id": post.fullname(), "score": post.score, "numComments": post.num_comments}),
    )
    .into_response()
}
