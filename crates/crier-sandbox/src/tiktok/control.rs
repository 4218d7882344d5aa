//! `/_sandbox/tiktok/...` control routes: `config` (status polls, failure
//! outcome, caps and rate limits, privacy options, scopes), `account`
//! (token validity, posting ban) and `stats` (view/like/comment/share counts
//! of a post).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::config::ConfigPatch;
use crate::SandboxState;
use crate::control_kit::{ControlJson, bad_request, config_answer};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/tiktok/config", post(set_config).get(get_config))
        .route("/tiktok/account", post(set_account).get(get_account))
        .route("/tiktok/stats", post(set_stats))
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.tiktok.lock();
    let applied = inner.config.apply(patch);
    config_answer(applied, &inner.config)
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.tiktok.lock().config.clone()).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountPatch {
    token_valid: Option<bool>,
    banned: Option<bool>,
}

async fn set_account(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<AccountPatch>,
) -> Response {
    let mut inner = state.inner.tiktok.lock();
    if let Some(valid) = patch.token_valid {
        inner.account.token_valid = valid;
    }
    if let Some(banned) = patch.banned {
        inner.account.banned = banned;
    }
    axum::Json(inner.account).into_response()
}

async fn get_account(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.tiktok.lock().account).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StatsBody {
    post_id: String,
    #[serde(default)]
    views: u64,
    #[serde(default)]
    likes: u64,
    #[serde(default)]
    comments: u64,
    #[serde(default)]
    shares: u64,
}

async fn set_stats(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<StatsBody>,
) -> Response {
    let mut inner = state.inner.tiktok.lock();
    if !inner.posted.iter().any(|p| p.id == body.post_id) {
        return bad_request(format!("no TikTok post {}", body.post_id));
    }
    inner.stats.insert(
        body.post_id.clone(),
        [body.views, body.likes, body.comments, body.shares],
    );
    axum::Json(
        json!({"postId": body.post_id, "views": body.views, "likes": body.likes,
        "comments": body.comments, "shares": body.shares}),
    )
    .into_response()
}
