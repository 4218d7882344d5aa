//! Threads publishing on graph.threads.net: containers
//! (`POST /{threads-user}/threads`), their `status`/`error_message`,
//! `threads_publish` with the rolling 24 h cap, `threads_publishing_limit`,
//! the `threads` listing, media nodes and `DELETE`.
//!
//! Threads reports less than Instagram: an image it could not download
//! fails container creation with subcode 2207052 and no cause at all, and a
//! video download failure only shows as `error_message:
//! FAILED_DOWNLOADING_VIDEO` on the container.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use axum::response::Response;
use serde_json::{Map, Value, json};

use super::auth::Account;
use super::config::Outcome;
use super::container::{Lifecycle, Phase, builder_missing, publish_refusal};
use super::error::GraphError;
use super::ids::{shortcode, timestamp};
use super::request::Call;
use super::{ok, paginate, project};
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};

const USERNAME: &str = crate::seed::THREADS_USERNAME;
const MAX_TEXT_CHARS: usize = 500;
const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
const MAX_VIDEO_BYTES: usize = 4 * 1024 * 1024 * 1024;
const DAY_MS: i64 = 24 * 3600 * 1000;
const CAROUSEL_MIN: usize = 2;
const CAROUSEL_MAX: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Image,
    Video,
    Carousel,
}

pub(crate) struct Container {
    pub kind: Kind,
    pub carousel_item: bool,
    pub url: Option<String>,
    pub text: String,
    pub children: Vec<String>,
    pub life: Lifecycle,
    pub error_message: String,
}

pub(crate) struct Media {
    pub id: String,
    pub kind: Kind,
    pub text: String,
    pub urls: Vec<String>,
    pub created_ms: i64,
    pub ledger_seq: u64,
    pub deleted: bool,
}

#[derive(Default)]
pub(crate) struct ThreadsStore {
    pub containers: HashMap<String, Container>,
    pub media: HashMap<String, Media>,
    order: Vec<String>,
    publishes: VecDeque<i64>,
}

impl ThreadsStore {
    fn roll(&mut self, now: i64) {
        while self.publishes.front().is_some_and(|t| *t <= now - DAY_MS) {
            self.publishes.pop_front();
        }
    }

    /// Live media, newest first.
    pub(crate) fn live(&self) -> Vec<String> {
        self.order
            .iter()
            .rev()
            .filter(|id| self.media.get(*id).is_some_and(|m| !m.deleted))
            .cloned()
            .collect()
    }
}

/// An image Threads could not download: the subcode and a title, nothing
/// about the cause.
fn image_download_failed() -> GraphError {
    GraphError::new(9004, "Media download has failed.")
        .sub(2207052)
        .transient(false)
        .user_title("Media download has failed.")
}

fn check_children(th: &ThreadsStore, children: &[String], now: i64) -> Result<(), GraphError> {
    let fine = (CAROUSEL_MIN..=CAROUSEL_MAX).contains(&children.len())
        && children.iter().all(|c| {
            th.containers
                .get(c)
                .is_some_and(|c| c.carousel_item && c.life.phase(now) == Phase::Finished)
        });
    if fine {
        Ok(())
    } else {
        // Wording chosen: Threads' text for a bad carousel is not documented.
        Err(GraphError::param(format!(
            "Param children must list {CAROUSEL_MIN} to {CAROUSEL_MAX} finished carousel item containers"
        )))
    }
}

pub(crate) async fn create(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let carousel_item = call.bool("is_carousel_item")?.unwrap_or(false);
    let media_type = call
        .text("media_type")
        .map(|t| t.to_ascii_uppercase())
        .ok_or_else(|| GraphError::param("The parameter media_type is required."))?;
    let kind = match media_type.as_str() {
        "TEXT" if !carousel_item => Kind::Text,
        "IMAGE" => Kind::Image,
        "VIDEO" => Kind::Video,
        "CAROUSEL" if !carousel_item => Kind::Carousel,
        _ => {
            return Err(GraphError::param(
                "Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}",
            ));
        }
    };
    let text = call.str("text").unwrap_or_default();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(GraphError::param(format!(
            "Param text must be at most {MAX_TEXT_CHARS} characters long."
        )));
    }
    let url = match kind {
        Kind::Text => {
            if text.trim().is_empty() {
                return Err(GraphError::param("The parameter text is required."));
            }
            None
        }
        Kind::Image => Some(
            call.text("image_url")
                .ok_or_else(|| GraphError::param("The parameter image_url is required."))?,
        ),
        Kind::Video => Some(
            call.text("video_url")
                .ok_or_else(|| GraphError::param("The parameter video_url is required."))?,
        ),
        Kind::Carousel => None,
    };
    let children = call.list("children");
    let meta = &state.inner.meta;
    let (delay, expiry, outcome, error_message, timeout) = {
        let inner = meta.lock();
        if kind == Kind::Carousel {
            check_children(&inner.th, &children, now_ms())?;
        }
        let cfg = &inner.config;
        (
            cfg.container_delay_ms,
            cfg.container_expiry_ms,
            cfg.container_outcome,
            cfg.threads_error_message.clone(),
            Duration::from_millis(cfg.crawler_timeout_ms),
        )
    };
    let mut failure = None;
    match (kind, &url) {
        (Kind::Image, Some(url)) => {
            let fetched = meta
                .crawler
                .fetch(url, timeout, MAX_IMAGE_BYTES)
                .await
                .map_err(|_| image_download_failed())?;
            if !fetched.format.is_web_image() {
                return Err(image_download_failed());
            }
        }
        (Kind::Video, Some(url)) => match meta.crawler.fetch(url, timeout, MAX_VIDEO_BYTES).await {
            Err(_) => failure = Some("FAILED_DOWNLOADING_VIDEO".to_owned()),
            Ok(fetched) if !fetched.format.is_video() => {
                failure = Some("FAILED_PROCESSING_VIDEO".to_owned());
            }
            Ok(_) => {}
        },
        _ => {}
    }
    // Text posts need no processing: Meta lets them be published at once.
    let (delay, outcome_error) = match kind {
        Kind::Text => (0, false),
        _ => (delay, outcome == Outcome::Error),
    };
    if failure.is_none() && outcome_error {
        failure = Some(error_message);
    }
    let now = now_ms();
    let mut inner = meta.lock();
    if kind == Kind::Carousel {
        check_children(&inner.th, &children, now)?;
    }
    let id = meta.ids.threads_container();
    inner.th.containers.insert(
        id.clone(),
        Container {
            kind,
            carousel_item,
            url,
            text,
            children,
            life: Lifecycle::new(now, delay, expiry, failure.is_some()),
            error_message: failure.unwrap_or_default(),
        },
    );
    ok(json!({ "id": id }))
}

pub(crate) fn get_container(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let container = inner
        .th
        .containers
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let phase = container.life.phase(now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(id));
    full.insert("status".into(), json!(phase.code()));
    full.insert(
        "error_message".into(),
        if phase == Phase::Error {
            json!(container.error_message)
        } else {
            Value::Null
        },
    );
    ok(project(&full, call.fields(), &[], "ThreadsMediaBuilder")?)
}

pub(crate) fn publish(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let creation_id = call
        .text("creation_id")
        .ok_or_else(|| GraphError::param("The parameter creation_id is required."))?;
    let meta = &state.inner.meta;
    let user = Account::ThreadsUser.id();
    let mut inner = meta.lock();
    let now = now_ms();
    let limit = inner.config.threads_daily_limit;
    let th = &mut inner.th;
    th.roll(now);
    let container = th
        .containers
        .get(&creation_id)
        .ok_or_else(builder_missing)?;
    if let Some(refusal) = publish_refusal(container.life.phase(now)) {
        return Err(refusal);
    }
    if container.carousel_item {
        return Err(GraphError::param(
            "A carousel item container cannot be published on its own",
        ));
    }
    if th.publishes.len() >= limit as usize {
        // Threads' own text for its cap is not documented; the code pair is
        // Instagram's, whose publishing stack Threads shares.
        return Err(GraphError::new(
            9,
            "You reached maximum number of posts that is allowed to be published by Threads API.",
        )
        .sub(2207042)
        .transient(false)
        .user(
            "Max Posts Reached",
            "You reached the maximum number of posts that can be published through the API in 24 hours.",
        ));
    }
    let urls: Vec<String> = if container.kind == Kind::Carousel {
        container
            .children
            .iter()
            .filter_map(|c| th.containers.get(c).and_then(|c| c.url.clone()))
            .collect()
    } else {
        container.url.iter().cloned().collect()
    };
    let (kind, text) = (container.kind, container.text.clone());
    let media_id = meta.ids.threads_media();
    let seq = state.inner.ledger.push(LedgerEntry {
        network: "threads".into(),
        account: user.into(),
        native_id: media_id.clone(),
        text: text.clone(),
        media: urls.clone(),
        title: None,
        at_ms: now,
        deleted: false,
    });
    if let Some(container) = th.containers.get_mut(&creation_id) {
        container.life.published = Some(media_id.clone());
    }
    th.publishes.push_back(now);
    th.order.push(media_id.clone());
    th.media.insert(
        media_id.clone(),
        Media {
            id: media_id.clone(),
            kind,
            text,
            urls,
            created_ms: now,
            ledger_seq: seq,
            deleted: false,
        },
    );
    ok(json!({ "id": media_id }))
}

pub(crate) fn limit(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let mut inner = state.inner.meta.lock();
    let now = now_ms();
    let total = inner.config.threads_daily_limit;
    inner.th.roll(now);
    let usage = inner.th.publishes.len();
    let mut full = Map::new();
    full.insert("quota_usage".into(), json!(usage));
    full.insert(
        "config".into(),
        json!({"quota_total": total, "quota_duration": DAY_MS / 1000}),
    );
    full.insert("reply_quota_usage".into(), json!(0));
    full.insert(
        "reply_config".into(),
        json!({"quota_total": 1000, "quota_duration": DAY_MS / 1000}),
    );
    full.insert("delete_quota_usage".into(), json!(0));
    full.insert(
        "delete_config".into(),
        json!({"quota_total": 100, "quota_duration": DAY_MS / 1000}),
    );
    let mut item = project(
        &full,
        call.fields(),
        &["quota_usage"],
        "ThreadsPublishingLimit",
    )?;
    if let Some(obj) = item.as_object_mut() {
        obj.remove("id");
    }
    ok(json!({ "data": [item] }))
}

pub(crate) fn get_user(call: &Call) -> Result<Response, GraphError> {
    let mut full = Map::new();
    full.insert("id".into(), json!(Account::ThreadsUser.id()));
    full.insert("username".into(), json!(USERNAME));
    full.insert("name".into(), json!("Crier Sandbox"));
    full.insert(
        "threads_profile_picture_url".into(),
        json!("https://scontent.cdninstagram.com/v/crier_sandbox_threads.jpg"),
    );
    full.insert(
        "threads_biography".into(),
        json!("The profile crier's sandbox publishes to."),
    );
    ok(project(&full, call.fields(), &[], "ThreadsUser")?)
}

fn media_fields(media: &Media) -> Map<String, Value> {
    let media_type = match media.kind {
        Kind::Text => "TEXT_POST",
        Kind::Image => "IMAGE",
        Kind::Video => "VIDEO",
        Kind::Carousel => "CAROUSEL_ALBUM",
    };
    let code = shortcode(&media.id);
    let mut full = Map::new();
    full.insert("id".into(), json!(media.id));
    full.insert("media_product_type".into(), json!("THREADS"));
    full.insert("media_type".into(), json!(media_type));
    full.insert("media_url".into(), json!(media.urls.first()));
    full.insert(
        "permalink".into(),
        json!(format!("https://www.threads.net/@{USERNAME}/post/{code}")),
    );
    full.insert("owner".into(), json!({"id": Account::ThreadsUser.id()}));
    full.insert("username".into(), json!(USERNAME));
    full.insert(
        "text".into(),
        if media.text.is_empty() {
            Value::Null
        } else {
            json!(media.text)
        },
    );
    full.insert("timestamp".into(), json!(timestamp(media.created_ms)));
    full.insert("shortcode".into(), json!(code));
    full.insert("is_quote_post".into(), json!(false));
    full.insert("has_replies".into(), json!(false));
    full.insert(
        "thumbnail_url".into(),
        if media.kind == Kind::Video {
            json!(media.urls.first())
        } else {
            Value::Null
        },
    );
    full
}

pub(crate) fn list(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let ids = inner.th.live();
    let fields = call.fields();
    paginate(call, &ids, |id| match inner.th.media.get(id) {
        Some(media) => project(&media_fields(media), fields.clone(), &[], "ThreadsMedia"),
        None => Ok(Value::Null),
    })
}

pub(crate) fn get_media(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let media = inner
        .th
        .media
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    ok(project(
        &media_fields(media),
        call.fields(),
        &[],
        "ThreadsMedia",
    )?)
}

/// `DELETE /{threads-media-id}` → `{"success":true,"deleted_id":…}`.
pub(crate) fn delete(state: &SandboxState, call: &Call, id: &str) -> Result<Response, GraphError> {
    let seq = {
        let mut inner = state.inner.meta.lock();
        let media = inner
            .th
            .media
            .get_mut(id)
            .filter(|m| !m.deleted)
            .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
        media.deleted = true;
        media.ledger_seq
    };
    state.inner.ledger.mark_deleted(seq);
    ok(json!({ "success": true, "deleted_id": id }))
}
