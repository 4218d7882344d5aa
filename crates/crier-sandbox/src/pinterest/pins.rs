//! `POST /v5/pins`: the body's checks, the media source, the Pin record and
//! its ledger entry.
//!
//! Field limits: title 100, description 500 (what Pinterest's Pin builder
//! takes), alt_text 500, link 2048 characters; over them answers 400 code 1
//! (texts chosen). `media_source.source_type` is one of `image_url`,
//! `image_base64` (`content_type` `image/jpeg`|`image/png`), `multiple_image_urls`
//! (2–5 `items`, each `{url, title?, description?, link?}`) or `video_id`
//! (`media_id` of an uploaded video whose status is `succeeded`, plus
//! `cover_image_url` or `cover_image_key_frame_time`).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use super::Call;
use super::error::PinError;
use super::fetch::{self, is_pin_image, label};
use super::media::MediaStatus;
use super::view::pin_json;
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::MediaFormat;
use crate::seed;

const MAX_TITLE: usize = 100;
const MAX_DESCRIPTION: usize = 500;
const MAX_ALT_TEXT: usize = 500;
const MAX_LINK: usize = 2048;
const CAROUSEL_MIN: usize = 2;
const CAROUSEL_MAX: usize = 5;

#[derive(Clone, Debug)]
pub(crate) struct CarouselItem {
    pub url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum PinMedia {
    /// An image by URL (`None` for a base64 upload).
    Image {
        url: Option<String>,
    },
    Carousel(Vec<CarouselItem>),
    Video {
        media_id: String,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Pin {
    pub id: String,
    pub board_id: String,
    pub board_section_id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub alt_text: Option<String>,
    pub dominant_color: Option<String>,
    pub media: PinMedia,
    pub created_ms: i64,
    pub deleted: bool,
    pub ledger_seq: u64,
    /// Lifetime metric totals set by `/_sandbox/pinterest/pins/{id}/metrics`.
    pub metrics: BTreeMap<String, u64>,
}

/// An optional string field; a non-string value is invalid.
fn opt_str(body: &Map<String, Value>, key: &str) -> Result<Option<String>, PinError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(PinError::invalid(format!(
            "Invalid request body: '{key}' must be a string."
        ))),
    }
}

fn check_len(value: &Option<String>, key: &str, max: usize) -> Result<(), PinError> {
    match value {
        Some(s) if s.chars().count() > max => Err(PinError::invalid(format!(
            "Invalid request body: '{key}' must be at most {max} characters."
        ))),
        _ => Ok(()),
    }
}

fn check_link(link: &Option<String>, key: &str) -> Result<(), PinError> {
    check_len(link, key, MAX_LINK)?;
    if let Some(link) = link {
        let ok = reqwest::Url::parse(link)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        if !ok {
            return Err(PinError::invalid(format!(
                "Invalid request body: '{key}' must be a valid http(s) URL."
            )));
        }
    }
    Ok(())
}

/// The media source as requested, before anything is fetched.
enum Source {
    ImageUrl(String),
    ImageBase64(Vec<u8>),
    Carousel(Vec<CarouselItem>),
    Video {
        media_id: String,
        cover_url: Option<String>,
    },
}

fn parse_source(body: &Map<String, Value>) -> Result<Source, PinError> {
    let Some(Value::Object(source)) = body.get("media_source") else {
        return Err(PinError::invalid(
            "Invalid request body: 'media_source' is a required property.",
        ));
    };
    let required = |key: &str| -> Result<String, PinError> {
        opt_str(source, key)?
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                PinError::invalid(format!(
                    "Invalid request body: 'media_source.{key}' is a required property."
                ))
            })
    };
    match opt_str(source, "source_type")?.as_deref() {
        Some("image_url") => Ok(Source::ImageUrl(required("url")?)),
        Some("image_base64") => {
            let content_type = required("content_type")?;
            if !matches!(content_type.as_str(), "image/jpeg" | "image/png") {
                return Err(PinError::invalid(
                    "Invalid request body: 'media_source.content_type' must be one of image/jpeg, image/png.",
                ));
            }
            let data = required("data")?;
            STANDARD
                .decode(data.trim())
                .map(Source::ImageBase64)
                .map_err(|_| {
                    PinError::invalid(
                        "Invalid request body: 'media_source.data' is not valid base64.",
                    )
                })
        }
        Some("multiple_image_urls") => {
            let Some(Value::Array(items)) = source.get("items") else {
                return Err(PinError::invalid(
                    "Invalid request body: 'media_source.items' is a required property.",
                ));
            };
            if !(CAROUSEL_MIN..=CAROUSEL_MAX).contains(&items.len()) {
                return Err(PinError::invalid(format!(
                    "Invalid request body: a carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} images, not {}.",
                    items.len()
                )));
            }
            let mut out = Vec::new();
            for item in items {
                let Value::Object(item) = item else {
                    return Err(PinError::invalid(
                        "Invalid request body: each of 'media_source.items' must be an object.",
                    ));
                };
                let url = opt_str(item, "url")?.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
                    PinError::invalid("Invalid request body: 'media_source.items[].url' is a required property.")
                })?;
                let entry = CarouselItem {
                    url,
                    title: opt_str(item, "title")?,
                    description: opt_str(item, "description")?,
                    link: opt_str(item, "link")?,
                };
                check_len(&entry.title, "items[].title", MAX_TITLE)?;
                check_len(&entry.description, "items[].description", MAX_DESCRIPTION)?;
                check_link(&entry.link, "items[].link")?;
                out.push(entry);
            }
            Ok(Source::Carousel(out))
        }
        Some("video_id") => {
            let media_id = required("media_id")?;
            let cover_url = opt_str(source, "cover_image_url")?;
            if cover_url.is_none() && source.get("cover_image_key_frame_time").is_none() {
                return Err(PinError::invalid(
                    "Invalid request body: a video Pin needs 'media_source.cover_image_url' or 'media_source.cover_image_key_frame_time'.",
                ));
            }
            Ok(Source::Video {
                media_id,
                cover_url,
            })
        }
        other => Err(PinError::invalid(format!(
            "Invalid request body: 'media_source.source_type' {:?} is not one of image_url, image_base64, multiple_image_urls, video_id.",
            other.unwrap_or("")
        ))),
    }
}

/// Downloads and sniffs one image URL; what Pinterest cannot use is refused.
async fn check_image_url(url: &str) -> Result<(), PinError> {
    match fetch::fetch(url).await {
        Ok(format) if is_pin_image(format) => Ok(()),
        Ok(format) => Err(PinError::bad_image(&format!(
            "the media type {} is not supported.",
            label(format)
        ))),
        // Text chosen: Pinterest's wording for an unreachable image is not documented.
        Err(cause) => Err(PinError::invalid(format!(
            "Sorry, we could not fetch the image at {url}: {cause}."
        ))),
    }
}

/// `POST /v5/pins`.
pub(crate) async fn create(state: &SandboxState, call: &Call) -> Result<Response, PinError> {
    let body = match serde_json::from_slice::<Value>(&call.body) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(PinError::invalid(
                "Invalid request body: not a JSON object.",
            ));
        }
    };
    let board_id = opt_str(&body, "board_id")?
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            PinError::invalid("Invalid request body: 'board_id' is a required property.")
        })?;
    let title = opt_str(&body, "title")?;
    let description = opt_str(&body, "description")?;
    let link = opt_str(&body, "link")?;
    let alt_text = opt_str(&body, "alt_text")?;
    let dominant_color = opt_str(&body, "dominant_color")?;
    check_len(&title, "title", MAX_TITLE)?;
    check_len(&description, "description", MAX_DESCRIPTION)?;
    check_len(&alt_text, "alt_text", MAX_ALT_TEXT)?;
    check_link(&link, "link")?;
    let source = parse_source(&body)?;
    let board_section_id = opt_str(&body, "board_section_id")?;
    if board_id != seed::PINTEREST_BOARD_ID || board_section_id.is_some() {
        // The seeded board has no sections.
        return Err(PinError::board_not_found());
    }
    let media = match source {
        Source::ImageUrl(url) => {
            check_image_url(&url).await?;
            PinMedia::Image { url: Some(url) }
        }
        Source::ImageBase64(bytes) => {
            let format = MediaFormat::sniff(&bytes);
            if !matches!(format, MediaFormat::Jpeg | MediaFormat::Png) {
                return Err(PinError::bad_image(&format!(
                    "the data is {}, not a JPEG or PNG image.",
                    label(format)
                )));
            }
            PinMedia::Image { url: None }
        }
        Source::Carousel(items) => {
            for item in &items {
                check_image_url(&item.url).await?;
            }
            PinMedia::Carousel(items)
        }
        Source::Video {
            media_id,
            cover_url,
        } => {
            let status = {
                let inner = state.inner.pinterest.lock();
                inner
                    .media
                    .iter()
                    .find(|m| m.id == media_id)
                    .map(|m| m.status)
            };
            match status {
                Some(MediaStatus::Succeeded) => {}
                Some(MediaStatus::Failed) => {
                    return Err(PinError::invalid(format!(
                        "Invalid request body: media {media_id} failed processing."
                    )));
                }
                Some(_) => {
                    // Text chosen: the video must finish processing first.
                    return Err(PinError::invalid(format!(
                        "Invalid request body: media {media_id} is not ready yet; wait until its status is succeeded."
                    )));
                }
                None => return Err(PinError::media_not_found()),
            }
            if let Some(cover) = &cover_url {
                check_image_url(cover).await?;
            }
            PinMedia::Video { media_id }
        }
    };
    let ps = &state.inner.pinterest;
    let now = now_ms();
    let id = format!("80000{:014}", ps.next_seq());
    let ledger_media = match &media {
        PinMedia::Image { url } => {
            vec![url.clone().unwrap_or_else(|| "upload:image_base64".into())]
        }
        PinMedia::Carousel(items) => items.iter().map(|i| i.url.clone()).collect(),
        PinMedia::Video { media_id } => vec![format!("media:{media_id}")],
    };
    let ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "pinterest".into(),
        account: board_id.clone(),
        native_id: id.clone(),
        text: description.clone().unwrap_or_default(),
        media: ledger_media,
        title: title.clone(),
        at_ms: now,
        deleted: false,
    });
    let pin = Pin {
        id,
        board_id,
        board_section_id: None,
        title,
        description,
        link,
        alt_text,
        dominant_color,
        media,
        created_ms: now,
        deleted: false,
        ledger_seq,
        metrics: BTreeMap::new(),
    };
    let json = pin_json(&pin);
    ps.lock().pins.push(pin);
    Ok((StatusCode::CREATED, axum::Json(json)).into_response())
}
