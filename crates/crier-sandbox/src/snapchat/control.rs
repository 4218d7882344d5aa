//! `/_sandbox/snapchat/...` control routes:
//!
//! * `POST /snapchat/token {"state":"valid"|"expired"|"revoked"}`: any state
//!   but valid answers 401.
//! * `POST|GET /snapchat/config`: `rateLimited`, `retryAfterSecs`,
//!   `processingPosts` (given fields replace current ones).
//! * `POST /snapchat/expire-media`: every media object passes its 24 h.
//! * `GET /snapchat/posts`: every post, deleted ones included.
//! * `GET /snapchat/media`: every media object (type, status, expiry, the
//!   format the decrypted file sniffed as), oldest first.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::media::{MediaStatus, MediaType};
use crate::SandboxState;
use crate::control_kit::{ControlJson, TokenState, token_route};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/snapchat/token",
            token_route(|state, set| {
                TokenState::update(&mut state.inner.snapchat.lock().token, set)
            }),
        )
        .route("/snapchat/config", post(set_config).get(get_config))
        .route("/snapchat/expire-media", post(expire_media))
        .route("/snapchat/posts", get(list_posts))
        .route("/snapchat/media", get(list_media))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigPatch {
    rate_limited: Option<bool>,
    retry_after_secs: Option<u64>,
    processing_posts: Option<u32>,
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.snapchat.lock();
    let config = &mut inner.config;
    if let Some(v) = patch.rate_limited {
        config.rate_limited = v;
    }
    if let Some(v) = patch.retry_after_secs {
        config.retry_after_secs = (v > 0).then_some(v);
    }
    if let Some(v) = patch.processing_posts {
        config.processing_posts = v;
    }
    axum::Json(config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.snapchat.lock().config.clone()).into_response()
}

async fn expire_media(State(state): State<SandboxState>) -> Response {
    let mut inner = state.inner.snapchat.lock();
    for media in &mut inner.media {
        media.expired = true;
    }
    axum::Json(json!({"expired": inner.media.len()})).into_response()
}

async fn list_posts(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.snapchat.lock();
    let posts: Vec<Value> = inner
        .posts
        .iter()
        .map(|p| {
            json!({
                "kind": p.kind.singular(),
                "id": p.id,
                "mediaIds": p.media_ids,
                "text": p.text(),
                "deleted": p.deleted,
            })
        })
        .collect();
    axum::Json(json!({ "posts": posts })).into_response()
}

async fn list_media(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.snapchat.lock();
    let media: Vec<Value> = inner
        .media
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "type": match m.media_type {
                    MediaType::Image => "IMAGE",
                    MediaType::Video => "VIDEO",
                },
                "status": match m.status {
                    MediaStatus::PendingUpload => "PENDING_UPLOAD",
                    MediaStatus::Ready => "READY",
                },
                "expired": m.expired,
                "format": m.format,
                "size": m.size,
            })
        })
        .collect();
    axum::Json(json!({ "media": media })).into_response()
}
