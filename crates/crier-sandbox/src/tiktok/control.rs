//! `/_sandbox/tiktok/...` control routes: `config` (status polls, failure
//! outcome, caps and rate limits, privacy options, scopes), `account`
//! (token validity, posting ban) and `stats` (view/like/comment/share counts
//! of a post).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::json;

use super::config::ConfigPatch;
use crate::SandboxState;
use crate::control::{bad_request, parse};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/tiktok/config", post(set_config).get(get_config))
        .route("/tiktok/account", post(set_account).get(get_account))
        .route("/tiktok/stats", post(set_stats))
}

async fn set_config(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: ConfigPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
    let mut inner = state.inner.tiktok.lock();
    if let Err(message) = inner.config.apply(patch) {
        return bad_request(message);
    }
    axum::Json(inner.config.clone()).into_response()
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

async fn set_account(State(state): State<SandboxState>, body: Bytes) -> Response {
    let patch: AccountPatch = match parse(&body) {
        Ok(patch) => patch,
        Err(message) => return bad_request(message),
    };
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

async fn set_stats(State(state): State<SandboxState>, body: Bytes) -> Response {
    let body: StatsBody = match parse(&body) {
        Ok(body) => body,
        Err(message) => return bad_request(message),
    };
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
