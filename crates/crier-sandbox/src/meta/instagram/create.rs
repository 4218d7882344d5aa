//! `POST /{ig-user}/media`: container creation, its checks and the image
//! download, with Meta's error codes for each refusal.

use std::time::Duration;

use axum::response::Response;
use serde_json::{Value, json};

use crate::SandboxState;
use crate::ledger::now_ms;
use crate::media_fetch::{FetchFailure, MediaFormat};
use crate::meta::config::Outcome;
use crate::meta::container::{Lifecycle, Phase};
use crate::meta::error::GraphError;
use crate::meta::ok;
use crate::meta::request::Call;

use super::{Container, IgStore, Kind};

const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
const MAX_VIDEO_BYTES: usize = 4 * 1024 * 1024 * 1024;
const MAX_CAPTION_CHARS: usize = 2200;
const MAX_HASHTAGS: usize = 30;
const CAROUSEL_MIN: usize = 2;
const CAROUSEL_MAX: usize = 10;

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
            cfg.container_outcome == Outcome::Error,
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
