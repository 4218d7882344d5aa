//! Instagram content publishing on graph.facebook.com: containers
//! (`POST /{ig-user}/media`), their status (`GET /{container}`), publishing
//! (`POST /{ig-user}/media_publish`) with the rolling 24 h cap, the
//! `content_publishing_limit`, `media` and `stories` edges and media nodes.
//!
//! Image URLs are downloaded while the container is created, so a failed
//! image download answers the creation call (9004/2207052 with the cause in
//! `error_user_msg`). Video URLs are downloaded too, but their failure shows
//! the way Meta reports asynchronous video processing: the container goes
//! `ERROR` with a `status` text naming subcode 2207052.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use axum::response::Response;
use serde_json::{Map, Value, json};

use super::auth::Account;
use super::container::{Lifecycle, Phase, builder_missing, publish_refusal};
use super::error::GraphError;
use super::ids::{shortcode, timestamp};
use super::insights::numbers;
use super::request::Call;
use super::usage::{BucType, Pct};
use super::{Ctx, ok, paginate, project};
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::{FetchFailure, MediaFormat};

const USERNAME: &str = crate::seed::INSTAGRAM_USERNAME;
const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
const MAX_VIDEO_BYTES: usize = 4 * 1024 * 1024 * 1024;
const MAX_CAPTION_CHARS: usize = 2200;
const MAX_HASHTAGS: usize = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;
const CAROUSEL_MIN: usize = 2;
const CAROUSEL_MAX: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Image,
    /// A carousel item video (`media_type=VIDEO` + `is_carousel_item`).
    Video,
    Reels,
    Stories,
    Carousel,
}

pub(crate) struct Container {
    pub id: String,
    pub kind: Kind,
    pub carousel_item: bool,
    pub is_video: bool,
    pub url: Option<String>,
    pub caption: String,
    pub children: Vec<String>,
    pub life: Lifecycle,
    /// The `status` text of an `ERROR` container.
    pub error_text: String,
}

pub(crate) struct Media {
    pub id: String,
    pub media_type: &'static str,
    pub product: &'static str,
    pub caption: String,
    pub urls: Vec<String>,
    pub created_ms: i64,
}

#[derive(Default)]
pub(crate) struct IgStore {
    pub containers: HashMap<String, Container>,
    pub media: HashMap<String, Media>,
    /// Media ids in publish order.
    order: Vec<String>,
    /// Publish times within the rolling window.
    publishes: VecDeque<i64>,
}

impl IgStore {
    fn roll(&mut self, now: i64) {
        while self.publishes.front().is_some_and(|t| *t <= now - DAY_MS) {
            self.publishes.pop_front();
        }
    }
}

fn status_text(phase: Phase, container: &Container) -> String {
    match phase {
        Phase::InProgress => "In Progress: Media is still being processed.".into(),
        Phase::Finished => {
            "Finished: Media has been uploaded and it is ready to be published.".into()
        }
        Phase::Published => "Published: Media has been successfully published.".into(),
        Phase::Expired => "Expired: Media was not published within 24 hours.".into(),
        Phase::Error => container.error_text.clone(),
    }
}

/// 9004/2207052 for an image the crawler could not fetch, with the cause
/// where Meta puts it (`error_user_msg`).
fn download_failed(cause: &str) -> GraphError {
    GraphError::new(
        9004,
        "Media download has failed.: The media could not be fetched from the provided URI",
    )
    .sub(2207052)
    .transient(false)
    .user(
        "Media download has failed.",
        format!("The media could not be fetched from the provided URI. {cause}"),
    )
}

fn image_failure(failure: &FetchFailure) -> GraphError {
    match failure {
        FetchFailure::TooLarge => GraphError::new(36000, "The image size is too large.")
            .sub(2207004)
            .transient(false)
            .user(
                "Image size too large",
                "The image is too large to download. It should be less than 8 MiB.",
            ),
        FetchFailure::Timeout => GraphError::new(-2, "It takes too long to download the media.")
            .sub(2207003)
            .transient(true)
            .user(
                "Media download timed out",
                "It takes too long to download the media.",
            ),
        other => download_failed(&other.cause()),
    }
}

fn unknown_media_type(label: &str) -> GraphError {
    GraphError::new(100, format!("The media type {label} is unknown."))
        .sub(2207023)
        .transient(false)
        .user(
            "Unknown media type",
            "The media type entered is not one of the expected media types.",
        )
}

/// 100/2207028; the wording is chosen from the error table's description.
fn carousel_invalid(detail: &str) -> GraphError {
    GraphError::new(100, format!("(#100) Carousel validation failed: {detail}"))
        .sub(2207028)
        .transient(false)
        .user(
            "Invalid carousel",
            "Carousels need between 2 and 10 photos or videos, each created with is_carousel_item=true and finished processing.",
        )
}

/// Checks the optional JSON parameters Meta validates up front.
fn check_options(call: &Call, kind: Kind, is_video: bool) -> Result<(), GraphError> {
    if let Some(tags) = call.json("user_tags")? {
        let valid = tags.as_array().is_some_and(|list| {
            list.iter()
                .all(|t| t.get("username").and_then(Value::as_str).is_some())
        });
        if !valid {
            return Err(GraphError::param(
                "Param user_tags must be an array of objects with a username",
            ));
        }
    }
    if let Some(collaborators) = call.json("collaborators")? {
        let valid = collaborators
            .as_array()
            .is_some_and(|list| list.len() <= 3 && list.iter().all(Value::is_string));
        if !valid {
            return Err(GraphError::param(
                "Param collaborators must be an array of at most 3 usernames",
            ));
        }
    }
    if call.text("alt_text").is_some() && is_video {
        return Err(GraphError::param(
            "Param alt_text is only supported for images",
        ));
    }
    if let Some(offset) = call.text("thumb_offset")
        && offset.parse::<u64>().is_err()
    {
        return Err(GraphError::param(
            "Param thumb_offset must be a non-negative integer",
        ));
    }
    call.bool("share_to_feed")?;
    if let Some(trial) = call.json("trial_params")? {
        if kind != Kind::Reels {
            return Err(GraphError::param(
                "Param trial_params is only supported for REELS",
            ));
        }
        let strategy = trial.get("graduation_strategy").and_then(Value::as_str);
        if !matches!(strategy, Some("MANUAL" | "SS_PERFORMANCE")) {
            return Err(GraphError::param(
                "Param trial_params[graduation_strategy] must be one of {MANUAL, SS_PERFORMANCE}",
            ));
        }
    }
    Ok(())
}

fn kind_of(call: &Call) -> Result<(Kind, bool), GraphError> {
    let carousel_item = call.bool("is_carousel_item")?.unwrap_or(false);
    let media_type = call.text("media_type").map(|t| t.to_ascii_uppercase());
    let kind = match (media_type.as_deref(), carousel_item) {
        (Some("CAROUSEL"), false) => Kind::Carousel,
        (Some("REELS"), false) => Kind::Reels,
        (Some("STORIES"), false) => Kind::Stories,
        (Some("VIDEO"), true) => Kind::Video,
        (Some("IMAGE") | None, _) => Kind::Image,
        (Some("VIDEO"), false) => {
            // Wording chosen: feed videos are published as REELS since 2023.
            return Err(GraphError::param(
                "Param media_type VIDEO is only supported for carousel items; use REELS",
            ));
        }
        (Some("CAROUSEL" | "REELS" | "STORIES"), true) => {
            return Err(GraphError::param(
                "Param media_type must be IMAGE or VIDEO for a carousel item",
            ));
        }
        (Some(other), _) => return Err(unknown_media_type(other)),
    };
    Ok((kind, carousel_item))
}

pub(crate) async fn create(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let (kind, carousel_item) = kind_of(call)?;
    let image_url = call.text("image_url");
    let video_url = call.text("video_url");
    let caption = call.str("caption").unwrap_or_default();
    if caption.chars().count() > MAX_CAPTION_CHARS
        || caption
            .split_whitespace()
            .filter(|w| w.starts_with('#'))
            .count()
            > MAX_HASHTAGS
    {
        return Err(GraphError::new(100, "The caption is too long.")
            .sub(2207010)
            .transient(false)
            .user(
                "Caption too long",
                "The caption cannot exceed 2,200 characters or 30 hashtags.",
            ));
    }
    let (url, is_video) = match kind {
        Kind::Image => (
            Some(
                image_url
                    .ok_or_else(|| GraphError::param("The parameter image_url is required."))?,
            ),
            false,
        ),
        Kind::Video | Kind::Reels => (
            Some(
                video_url
                    .ok_or_else(|| GraphError::param("The parameter video_url is required."))?,
            ),
            true,
        ),
        Kind::Stories => match (image_url, video_url) {
            (_, Some(video)) => (Some(video), true),
            (Some(image), None) => (Some(image), false),
            (None, None) => {
                return Err(GraphError::param(
                    "The parameter image_url or video_url is required.",
                ));
            }
        },
        Kind::Carousel => (None, false),
    };
    check_options(call, kind, is_video)?;
    let meta = &state.inner.meta;
    let children = call.list("children");
    let (delay, expiry, outcome_error, subcode, timeout) = {
        let inner = meta.lock();
        let cfg = &inner.config;
        if kind == Kind::Carousel {
            check_children(&inner.ig, &children, now_ms())?;
        }
        (
            cfg.container_delay_ms,
            cfg.container_expiry_ms,
            cfg.container_outcome == super::config::Outcome::Error,
            cfg.container_error_subcode,
            Duration::from_millis(cfg.crawler_timeout_ms),
        )
    };
    let mut error_text = None;
    if let Some(url) = &url {
        if is_video {
            match meta.crawler.fetch(url, timeout, MAX_VIDEO_BYTES).await {
                Err(FetchFailure::Timeout) => {
                    error_text = Some("Error: Media download has failed with error code 2207003: It takes too long to download the media.".to_owned());
                }
                Err(FetchFailure::TooLarge) => {
                    error_text =
                        Some("Error: Media upload has failed with error code 2207026".to_owned());
                }
                Err(failure) => {
                    error_text = Some(format!(
                        "Error: Media download has failed with error code 2207052: {}",
                        failure.cause()
                    ));
                }
                Ok(fetched) if !fetched.format.is_video() => {
                    error_text =
                        Some("Error: Media upload has failed with error code 2207026".to_owned());
                }
                Ok(_) => {}
            }
        } else {
            let fetched = meta
                .crawler
                .fetch(url, timeout, MAX_IMAGE_BYTES)
                .await
                .map_err(|f| image_failure(&f))?;
            match fetched.format {
                MediaFormat::Jpeg | MediaFormat::Png => {}
                MediaFormat::Gif | MediaFormat::Webp => {
                    return Err(GraphError::new(36001, "The image format is not supported.")
                        .sub(2207005)
                        .transient(false)
                        .user(
                            "Unsupported image format",
                            "The image format is not supported. Use a JPEG image.",
                        ));
                }
                other => return Err(unknown_media_type(other.mime().unwrap_or("unknown"))),
            }
        }
    }
    if error_text.is_none() && outcome_error {
        error_text = Some(format!(
            "Error: Media upload has failed with error code {subcode}"
        ));
    }
    let now = now_ms();
    let mut inner = meta.lock();
    if kind == Kind::Carousel {
        // Children could have expired while the lock was released.
        check_children(&inner.ig, &children, now)?;
    }
    let id = meta.ids.ig_container();
    inner.ig.containers.insert(
        id.clone(),
        Container {
            id: id.clone(),
            kind,
            carousel_item,
            is_video,
            url,
            caption,
            children,
            life: Lifecycle::new(now, delay, expiry, error_text.is_some()),
            error_text: error_text.unwrap_or_default(),
        },
    );
    ok(json!({ "id": id }))
}

fn check_children(ig: &IgStore, children: &[String], now: i64) -> Result<(), GraphError> {
    if !(CAROUSEL_MIN..=CAROUSEL_MAX).contains(&children.len()) {
        return Err(carousel_invalid(&format!(
            "a carousel needs {CAROUSEL_MIN} to {CAROUSEL_MAX} children, got {}",
            children.len()
        )));
    }
    for child in children {
        let Some(c) = ig.containers.get(child) else {
            return Err(carousel_invalid(&format!("child {child} does not exist")));
        };
        if !c.carousel_item {
            return Err(carousel_invalid(&format!(
                "child {child} was not created with is_carousel_item=true"
            )));
        }
        let phase = c.life.phase(now);
        if phase != Phase::Finished {
            return Err(carousel_invalid(&format!(
                "child {child} is {}",
                phase.code()
            )));
        }
    }
    Ok(())
}

pub(crate) fn get_container(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let container = inner
        .ig
        .containers
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let phase = container.life.phase(now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(container.id));
    full.insert("status_code".into(), json!(phase.code()));
    full.insert("status".into(), json!(status_text(phase, container)));
    full.insert(
        "copyright_check_status".into(),
        json!({"status": if container.is_video { "completed" } else { "not_started" }, "matches_found": false}),
    );
    ok(project(&full, call.fields(), &[], "ShadowIGMediaBuilder")?)
}

pub(crate) fn publish(
    state: &SandboxState,
    call: &Call,
    ctx: &mut Ctx,
) -> Result<Response, GraphError> {
    let creation_id = call
        .text("creation_id")
        .ok_or_else(|| GraphError::param("The parameter creation_id is required."))?;
    let meta = &state.inner.meta;
    let user = Account::IgUser.id();
    let mut inner = meta.lock();
    if let Some(retry_after) = inner.throttles.instagram_publish {
        let minutes = retry_after.div_ceil(60).max(1) as u32;
        ctx.buc = Some((user.to_owned(), BucType::Instagram, Pct::full(minutes)));
        return Err(GraphError::instagram_limit()
            .status(429)
            .header("retry-after", retry_after.to_string()));
    }
    if inner.throttles.instagram_spam {
        return Err(GraphError::new(
            368,
            "It looks like you were misusing this feature by going too fast. You\u{2019}ve been temporarily blocked from using it.",
        )
        .sub(1390008)
        .transient(false)
        .user(
            "You Can't Use This Feature Right Now",
            "We limit how often you can post, comment or do other things in a given amount of time in order to help protect the community from spam. You can try again later.",
        ));
    }
    let now = now_ms();
    let limit = inner.config.instagram_daily_limit;
    let ig = &mut inner.ig;
    ig.roll(now);
    let container = ig
        .containers
        .get(&creation_id)
        .ok_or_else(builder_missing)?;
    if let Some(refusal) = publish_refusal(container.life.phase(now)) {
        return Err(refusal);
    }
    if container.carousel_item {
        // Wording chosen: items are published through their carousel only.
        return Err(GraphError::param(
            "A carousel item container cannot be published on its own",
        ));
    }
    if ig.publishes.len() >= limit as usize {
        return Err(GraphError::new(
            9,
            "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
        )
        .sub(2207042)
        .transient(false)
        .user(
            "Max Posts Reached",
            "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
        ));
    }
    let (media_type, product) = match container.kind {
        Kind::Image => ("IMAGE", "FEED"),
        Kind::Video => ("VIDEO", "FEED"),
        Kind::Reels => ("VIDEO", "REELS"),
        Kind::Stories if container.is_video => ("VIDEO", "STORY"),
        Kind::Stories => ("IMAGE", "STORY"),
        Kind::Carousel => ("CAROUSEL_ALBUM", "FEED"),
    };
    let urls: Vec<String> = if container.kind == Kind::Carousel {
        container
            .children
            .iter()
            .filter_map(|c| ig.containers.get(c).and_then(|c| c.url.clone()))
            .collect()
    } else {
        container.url.iter().cloned().collect()
    };
    let caption = container.caption.clone();
    let media_id = meta.ids.ig_media();
    state.inner.ledger.push(LedgerEntry {
        network: "instagram".into(),
        account: user.into(),
        native_id: media_id.clone(),
        text: caption.clone(),
        media: urls.clone(),
        title: None,
        at_ms: now,
        deleted: false,
    });
    if let Some(container) = ig.containers.get_mut(&creation_id) {
        container.life.published = Some(media_id.clone());
    }
    ig.publishes.push_back(now);
    ig.order.push(media_id.clone());
    ig.media.insert(
        media_id.clone(),
        Media {
            id: media_id.clone(),
            media_type,
            product,
            caption,
            urls,
            created_ms: now,
        },
    );
    ok(json!({ "id": media_id }))
}

pub(crate) fn limit(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let mut inner = state.inner.meta.lock();
    let now = now_ms();
    let total = inner.config.instagram_daily_limit;
    inner.ig.roll(now);
    let since_ms = call
        .text("since")
        .and_then(|s| s.parse::<i64>().ok())
        .map(|s| s.saturating_mul(1000));
    let usage = inner
        .ig
        .publishes
        .iter()
        .filter(|t| since_ms.is_none_or(|since| **t >= since))
        .count();
    let mut full = Map::new();
    full.insert("quota_usage".into(), json!(usage));
    full.insert(
        "config".into(),
        json!({"quota_total": total, "quota_duration": DAY_MS / 1000}),
    );
    let mut item = project(
        &full,
        call.fields(),
        &["quota_usage"],
        "ContentPublishingLimit",
    )?;
    // This edge's items carry no id.
    if let Some(obj) = item.as_object_mut() {
        obj.remove("id");
    }
    ok(json!({ "data": [item] }))
}

pub(crate) fn get_user(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    // Stories are not counted in media_count, as on Instagram.
    let count = {
        let inner = state.inner.meta.lock();
        inner
            .ig
            .media
            .values()
            .filter(|m| m.product != "STORY")
            .count()
    };
    let id = Account::IgUser.id();
    let mut full = Map::new();
    full.insert("id".into(), json!(id));
    full.insert("ig_id".into(), json!(7_000_000_001u64));
    full.insert("username".into(), json!(USERNAME));
    full.insert("name".into(), json!("Crier Sandbox"));
    full.insert(
        "biography".into(),
        json!("The account crier's sandbox publishes to."),
    );
    full.insert("followers_count".into(), json!(2048));
    full.insert("follows_count".into(), json!(12));
    full.insert("media_count".into(), json!(count));
    full.insert(
        "profile_picture_url".into(),
        json!("https://scontent.cdninstagram.com/v/crier_sandbox.jpg"),
    );
    full.insert("website".into(), json!("https://example.org/crier"));
    ok(project(&full, call.fields(), &[], "IGUser")?)
}

pub(crate) fn permalink(media: &Media) -> String {
    let code = shortcode(&media.id);
    match media.product {
        "REELS" => format!("https://www.instagram.com/reel/{code}/"),
        "STORY" => format!("https://www.instagram.com/stories/{USERNAME}/{}/", media.id),
        _ => format!("https://www.instagram.com/p/{code}/"),
    }
}

fn media_fields(media: &Media) -> Map<String, Value> {
    let n = numbers(&media.id, media.created_ms, now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(media.id));
    full.insert(
        "caption".into(),
        if media.caption.is_empty() {
            Value::Null
        } else {
            json!(media.caption)
        },
    );
    full.insert("media_type".into(), json!(media.media_type));
    full.insert("media_product_type".into(), json!(media.product));
    full.insert("media_url".into(), json!(media.urls.first()));
    full.insert("permalink".into(), json!(permalink(media)));
    full.insert("shortcode".into(), json!(shortcode(&media.id)));
    full.insert("timestamp".into(), json!(timestamp(media.created_ms)));
    full.insert("username".into(), json!(USERNAME));
    full.insert("owner".into(), json!({"id": Account::IgUser.id()}));
    full.insert("like_count".into(), json!(n.likes));
    full.insert("comments_count".into(), json!(n.comments));
    full.insert("is_comment_enabled".into(), json!(true));
    full.insert(
        "thumbnail_url".into(),
        if media.media_type == "VIDEO" {
            json!(media.urls.first())
        } else {
            Value::Null
        },
    );
    full
}

/// `GET /{ig-user}/media` (feed and reels) or `/stories` (stories of the
/// last 24 h), newest first.
pub(crate) fn list(
    state: &SandboxState,
    call: &Call,
    stories: bool,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let now = now_ms();
    let ids: Vec<String> = inner
        .ig
        .order
        .iter()
        .rev()
        .filter(|id| {
            inner.ig.media.get(*id).is_some_and(|m| {
                if stories {
                    m.product == "STORY" && m.created_ms > now - DAY_MS
                } else {
                    m.product != "STORY"
                }
            })
        })
        .cloned()
        .collect();
    let fields = call.fields();
    paginate(call, &ids, |id| match inner.ig.media.get(id) {
        Some(media) => project(&media_fields(media), fields.clone(), &[], "IGMedia"),
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
        .ig
        .media
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    ok(project(
        &media_fields(media),
        call.fields(),
        &[],
        "IGMedia",
    )?)
}
