//! `POST /v2/post/publish/status/fetch/` `{"publish_id"}`: the publish's
//! state. While bytes are missing: `PROCESSING_UPLOAD` (FILE_UPLOAD) or
//! `PROCESSING_DOWNLOAD` (PULL_FROM_URL). Once the media is in, the
//! `statusPolls`-th fetch settles it: `PUBLISH_COMPLETE` with
//! `publicaly_available_post_id` (TikTok's spelling; list of int64) and a
//! ledger entry, `SEND_TO_USER_INBOX` for inbox uploads, or `FAILED` with
//! `fail_reason` (the media's own failure, else the configured one).
//! Limited to `statusPerMinute` fetches per token (TikTok: 30).

use axum::response::Response;
use serde_json::{Value, json};

use super::Call;
use super::error::{TtError, ok};
use super::publish::{Publish, Settled, Source};
use super::reads::Posted;
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::seed;

pub(crate) fn fetch(state: &SandboxState, call: &Call) -> Result<Response, TtError> {
    let ts = &state.inner.tiktok;
    let mut inner = ts.lock();
    let per_minute = inner.config.status_per_minute;
    if !inner.status_window.take(per_minute, now_ms()) {
        return Err(TtError::rate_limited());
    }
    let body = call.json_object()?;
    let publish_id = body
        .get("publish_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| TtError::invalid_params("publish_id is required."))?;
    let needed = inner.config.status_polls.max(1);
    let configured_failure = inner.config.fail_reason.clone();
    let index = inner
        .publishes
        .iter()
        .position(|p| p.publish_id == publish_id)
        .ok_or_else(|| TtError::not_found(&format!("publish_id {publish_id}")))?;
    let publish = &mut inner.publishes[index];
    let mut newly_posted = None;
    if publish.settled.is_none() && publish.media_in() {
        publish.polls += 1;
        if publish.polls >= needed {
            let settled = if let Some(reason) = publish.media_failure {
                Settled::Failed(reason.to_owned())
            } else if let Some(reason) = configured_failure {
                Settled::Failed(reason)
            } else if publish.inbox {
                Settled::Inbox
            } else {
                let post_id = (7_500_000_000_000_000_000u64 + ts.next_seq()).to_string();
                newly_posted = Some(post_id.clone());
                Settled::Complete { post_id }
            };
            publish.settled = Some(settled);
        }
    }
    let data = status_json(publish);
    if let Some(post_id) = newly_posted {
        let publish = &inner.publishes[index];
        let posted = record(state, publish, post_id);
        inner.posted.push(posted);
    }
    Ok(ok(data))
}

/// Writes the ledger entry of a completed post and returns its list record.
fn record(state: &SandboxState, publish: &Publish, post_id: String) -> Posted {
    // The caption: a video's title; a photo post's description (its title
    // is a separate short field).
    let (text, title) = if publish.photo {
        (
            publish.description.clone(),
            Some(publish.title.clone()).filter(|t| !t.is_empty()),
        )
    } else {
        (publish.title.clone(), None)
    };
    let at_ms = now_ms();
    state.inner.ledger.push(LedgerEntry {
        network: "tiktok".into(),
        account: seed::TIKTOK_OPEN_ID.into(),
        native_id: post_id.clone(),
        text,
        media: publish.media.clone(),
        title,
        at_ms,
        deleted: false,
    });
    Posted {
        id: post_id,
        title: publish.title.clone(),
        description: publish.description.clone(),
        photo: publish.photo,
        create_time: at_ms / 1000,
    }
}

fn status_json(publish: &Publish) -> Value {
    let (bytes_key, bytes) = match &publish.source {
        Source::Upload { received, .. } => ("uploaded_bytes", *received),
        Source::Pulled { bytes } => ("downloaded_bytes", *bytes),
    };
    let mut data = match &publish.settled {
        None => {
            let status = match publish.source {
                Source::Upload { .. } => "PROCESSING_UPLOAD",
                Source::Pulled { .. } => "PROCESSING_DOWNLOAD",
            };
            json!({"status": status})
        }
        Some(Settled::Complete { post_id }) => {
            let number: u64 = post_id.parse().unwrap_or_default();
            json!({"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [number]})
        }
        Some(Settled::Inbox) => json!({"status": "SEND_TO_USER_INBOX"}),
        Some(Settled::Failed(reason)) => json!({"status": "FAILED", "fail_reason": reason}),
    };
    data[bytes_key] = json!(bytes);
    data
}
