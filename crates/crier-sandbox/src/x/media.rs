//! Media upload v2: `POST /2/media/upload/initialize`, `…/{id}/append`,
//! `…/{id}/finalize`, `GET /2/media/upload?command=STATUS&media_id=` and the
//! one-shot `POST /2/media/upload` for images.
//!
//! Videos and GIFs go through processing after FINALIZE (`pending` →
//! `in_progress` → `succeeded`/`failed`, timed by `mediaProcessingMs`);
//! images are usable as soon as they are finalized. Only the byte counts of
//! the segments are kept, not their contents.

use std::collections::{BTreeMap, HashMap};

use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::error::XError;
use super::ids::{Snowflakes, media_key};
use super::limits::Outcome;
use super::oauth::form_pairs;
use super::{Auth, Call, Inner, ok};
use crate::ledger::now_ms;
use crate::multipart;

/// A media id is usable this long after INIT.
const EXPIRES_AFTER_SECS: i64 = 86_400;
/// Largest APPEND segment X accepts.
const MAX_SEGMENT: usize = 5 * 1024 * 1024;
const MAX_IMAGE: u64 = 5 * 1024 * 1024;
const MAX_GIF: u64 = 15 * 1024 * 1024;
const MAX_VIDEO: u64 = 512 * 1024 * 1024;

const IMAGE_TYPES: [&str; 6] = [
    "image/jpeg",
    "image/pjpeg",
    "image/png",
    "image/webp",
    "image/bmp",
    "image/tiff",
];
const VIDEO_TYPES: [&str; 4] = ["video/mp4", "video/quicktime", "video/webm", "video/mp2t"];
const CATEGORIES: [&str; 7] = [
    "tweet_image",
    "tweet_gif",
    "tweet_video",
    "amplify_video",
    "dm_image",
    "dm_gif",
    "dm_video",
];

pub(crate) struct Media {
    pub id: u64,
    pub key: String,
    pub owner: &'static str,
    pub category: String,
    pub total: u64,
    /// segment_index → bytes received.
    pub segments: BTreeMap<u32, u64>,
    pub finalized_ms: Option<i64>,
    /// Processing delay and outcome, fixed at FINALIZE (videos and GIFs).
    pub processing: Option<(u64, Outcome)>,
    pub expires_ms: i64,
}

#[derive(Default)]
pub(crate) struct MediaStore {
    by_id: HashMap<String, Media>,
}

/// Where a media object stands.
enum Stage {
    NotFinalized,
    Pending(u64),
    InProgress(u64, u64),
    Succeeded,
    Failed,
}

impl Media {
    fn stage(&self, now: i64) -> Stage {
        let Some(finalized) = self.finalized_ms else {
            return Stage::NotFinalized;
        };
        let Some((delay, outcome)) = self.processing else {
            return Stage::Succeeded;
        };
        let elapsed = u64::try_from(now - finalized).unwrap_or(0);
        if elapsed >= delay {
            return match outcome {
                Outcome::Succeeded => Stage::Succeeded,
                Outcome::Failed => Stage::Failed,
            };
        }
        let left_secs = (delay - elapsed).div_ceil(1000).max(1);
        if elapsed < delay / 2 {
            Stage::Pending(left_secs)
        } else {
            Stage::InProgress(left_secs, elapsed.saturating_mul(100) / delay.max(1))
        }
    }

    fn processing_info(&self, now: i64) -> Value {
        match self.stage(now) {
            Stage::NotFinalized => json!({"state": "pending", "check_after_secs": 1}),
            Stage::Pending(secs) => json!({"state": "pending", "check_after_secs": secs}),
            Stage::InProgress(secs, pct) => {
                json!({"state": "in_progress", "check_after_secs": secs, "progress_percent": pct})
            }
            Stage::Succeeded => json!({"state": "succeeded", "progress_percent": 100}),
            Stage::Failed => json!({
                "state": "failed",
                "progress_percent": 12,
                "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
            }),
        }
    }

    fn expires_after_secs(&self, now: i64) -> i64 {
        ((self.expires_ms - now) / 1000).max(0)
    }
}

impl MediaStore {
    /// The media key of a media id the user may attach now (finalized,
    /// processed, not expired), else `None`.
    pub(crate) fn attachable(&self, id: &str, user: &str, now: i64) -> Option<String> {
        let media = self.by_id.get(id).filter(|m| m.owner == user)?;
        (matches!(media.stage(now), Stage::Succeeded) && now < media.expires_ms)
            .then(|| media.key.clone())
    }

    fn owned(&mut self, id: &str, user: &str) -> Result<&mut Media, XError> {
        self.by_id
            .get_mut(id)
            .filter(|m| m.owner == user)
            .ok_or_else(|| bad_media_id(id))
    }
}

fn bad_media_id(id: &str) -> XError {
    // Wording chosen: X does not document its text for an unknown media id.
    XError::invalid(
        Some(("id", vec![id.to_owned()])),
        "The media ID is invalid.",
    )
}

/// Parameters from a JSON, form or multipart body (text parts only).
fn body_params(call: &Call) -> Result<Map<String, Value>, XError> {
    if call.body.is_empty() {
        return Ok(Map::new());
    }
    match call.media_type().as_deref() {
        Some("application/x-www-form-urlencoded") => {
            Ok(form_pairs(&String::from_utf8_lossy(&call.body))
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect())
        }
        _ => call.json_object(),
    }
}

fn text_param(params: &Map<String, Value>, key: &str) -> Option<String> {
    crate::params::get_str(params, key)
}

/// The category a media type defaults to, and whether the pair fits.
fn check_category(media_type: &str, category: Option<&str>) -> Result<String, XError> {
    let is_gif = media_type == "image/gif";
    let is_video = VIDEO_TYPES.contains(&media_type);
    let is_image = IMAGE_TYPES.contains(&media_type);
    if !(is_gif || is_video || is_image) {
        return Err(XError::invalid(
            Some(("media_type", vec![media_type.to_owned()])),
            &format!(
                "The `media_type` parameter value [{media_type}] is not a supported media type"
            ),
        ));
    }
    let category = match category {
        None if is_gif => "tweet_gif".to_owned(),
        None if is_video => "tweet_video".to_owned(),
        None => "tweet_image".to_owned(),
        Some(c) => c.to_owned(),
    };
    let fits = match category.as_str() {
        "tweet_image" | "dm_image" => is_image || is_gif,
        "tweet_gif" | "dm_gif" => is_gif,
        "tweet_video" | "amplify_video" | "dm_video" => is_video,
        _ => false,
    };
    if !CATEGORIES.contains(&category.as_str()) || !fits {
        return Err(XError::invalid(
            Some(("media_category", vec![category.clone()])),
            &format!(
                "The `media_category` parameter value [{category}] does not fit media type [{media_type}]"
            ),
        ));
    }
    Ok(category)
}

fn max_size(category: &str) -> u64 {
    match category {
        "tweet_gif" | "dm_gif" => MAX_GIF,
        "tweet_video" | "amplify_video" | "dm_video" => MAX_VIDEO,
        _ => MAX_IMAGE,
    }
}

fn needs_processing(category: &str) -> bool {
    matches!(
        category,
        "tweet_gif" | "tweet_video" | "amplify_video" | "dm_gif" | "dm_video"
    )
}

/// `POST /2/media/upload/initialize`.
pub(crate) fn initialize(
    inner: &mut Inner,
    ids: &Snowflakes,
    call: &Call,
    auth: Auth,
) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let params = body_params(call)?;
    let media_type = text_param(&params, "media_type")
        .ok_or_else(|| XError::invalid(None, "The `media_type` parameter is missing."))?;
    let total = text_param(&params, "total_bytes")
        .and_then(|t| t.parse::<u64>().ok())
        .filter(|t| *t > 0)
        .ok_or_else(|| {
            XError::invalid(
                Some((
                    "total_bytes",
                    vec![text_param(&params, "total_bytes").unwrap_or_default()],
                )),
                "The `total_bytes` parameter must be a positive integer.",
            )
        })?;
    let category = check_category(
        &media_type,
        text_param(&params, "media_category").as_deref(),
    )?;
    let max = max_size(&category);
    if total > max {
        return Err(XError::invalid(
            Some(("total_bytes", vec![total.to_string()])),
            &format!("File size exceeds {max} bytes."),
        ));
    }
    let id = ids.next();
    let key = media_key(&category, id);
    let now = now_ms();
    inner.media.by_id.insert(
        id.to_string(),
        Media {
            id,
            key: key.clone(),
            owner: auth.user.id,
            category,
            total,
            segments: BTreeMap::new(),
            finalized_ms: None,
            processing: None,
            expires_ms: now + EXPIRES_AFTER_SECS * 1000,
        },
    );
    ok(json!({"data": {
        "id": id.to_string(),
        "media_key": key,
        "expires_after_secs": EXPIRES_AFTER_SECS,
    }}))
}

/// The `segment_index` and chunk size of an APPEND body (multipart with a
/// `media` file or `media_data` base64 part, or JSON with base64 `media`).
fn segment(call: &Call) -> Result<(String, usize), XError> {
    let content_type = call
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let missing_media = || XError::invalid(None, "The `media` parameter is missing.");
    let decode = |b64: &str| {
        STANDARD
            .decode(b64.trim())
            .map(|bytes| bytes.len())
            .map_err(|_| XError::invalid(None, "The `media` parameter is not valid base64."))
    };
    if call.media_type().as_deref() == Some("multipart/form-data") {
        let parts = multipart::parse_parts(&content_type, &call.body).ok_or_else(|| {
            XError::invalid(None, "The request body is not valid multipart/form-data.")
        })?;
        let index = parts
            .iter()
            .find(|p| p.name == "segment_index")
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
            .unwrap_or_default();
        let size = match parts.iter().find(|p| p.name == "media") {
            Some(part) => part.data.len(),
            None => match parts.iter().find(|p| p.name == "media_data") {
                Some(part) => decode(&String::from_utf8_lossy(&part.data))?,
                None => return Err(missing_media()),
            },
        };
        return Ok((index, size));
    }
    let params = body_params(call)?;
    let index = text_param(&params, "segment_index").unwrap_or_default();
    let b64 = text_param(&params, "media")
        .or_else(|| text_param(&params, "media_data"))
        .ok_or_else(missing_media)?;
    Ok((index, decode(&b64)?))
}

/// `POST /2/media/upload/{id}/append`.
pub(crate) fn append(
    inner: &mut Inner,
    call: &Call,
    auth: Auth,
    id: &str,
) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let (index, size) = segment(call)?;
    let media = inner.media.owned(id, auth.user.id)?;
    if media.finalized_ms.is_some() {
        // Wording chosen.
        return Err(XError::invalid(
            Some(("id", vec![id.to_owned()])),
            "The media upload has already been finalized.",
        ));
    }
    let index: u32 = index.parse().ok().filter(|i| *i <= 999).ok_or_else(|| {
        XError::invalid(
            Some(("segment_index", vec![index.clone()])),
            "The `segment_index` parameter must be an integer between 0 and 999.",
        )
    })?;
    if size == 0 || size > MAX_SEGMENT {
        return Err(XError::invalid(
            Some(("media", vec![size.to_string()])),
            &format!("A segment must be between 1 and {MAX_SEGMENT} bytes."),
        ));
    }
    // Sending a segment index again replaces that segment (a retried APPEND).
    media.segments.insert(index, size as u64);
    ok(json!({"data": {"expires_at": media.expires_ms / 1000}}))
}

fn media_json(media: &Media, now: i64, with_size: bool) -> Value {
    let mut data = json!({"id": media.id.to_string(), "media_key": media.key});
    if with_size {
        data["size"] = json!(media.total);
        data["expires_after_secs"] = json!(media.expires_after_secs(now));
    }
    if media.processing.is_some() {
        data["processing_info"] = media.processing_info(now);
    }
    json!({ "data": data })
}

/// `POST /2/media/upload/{id}/finalize`.
pub(crate) fn finalize(inner: &mut Inner, auth: Auth, id: &str) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let processing = (
        inner.config.media_processing_ms,
        inner.config.media_processing_outcome,
    );
    let now = now_ms();
    let media = inner.media.owned(id, auth.user.id)?;
    if media.finalized_ms.is_none() {
        let contiguous = media
            .segments
            .keys()
            .enumerate()
            .all(|(i, k)| usize::try_from(*k).is_ok_and(|k| k == i));
        let received: u64 = media.segments.values().sum();
        if !contiguous || received != media.total {
            // v1.1's wording for the same check.
            return Err(XError::invalid(
                Some(("total_bytes", vec![media.total.to_string()])),
                "Segments do not add up to provided total file size.",
            ));
        }
        media.finalized_ms = Some(now);
        media.processing = needs_processing(&media.category).then_some(processing);
    }
    // A repeated FINALIZE answers the media's current state (chosen).
    ok(media_json(media, now, true))
}

/// `GET /2/media/upload?command=STATUS&media_id=`.
pub(crate) fn status(inner: &Inner, call: &Call, auth: Auth) -> Result<Response, XError> {
    let command = call.query_value("command").unwrap_or_default();
    if command != "STATUS" {
        return Err(XError::invalid(
            Some(("command", vec![command.to_owned()])),
            "The `command` query parameter must be STATUS.",
        ));
    }
    let id = call.query_value("media_id").unwrap_or_default();
    let media = inner
        .media
        .by_id
        .get(id)
        .filter(|m| m.owner == auth.user.id)
        .ok_or_else(|| bad_media_id(id))?;
    let now = now_ms();
    let mut body = media_json(media, now, false);
    if media.processing.is_none() {
        // Images have no processing step; STATUS still says where they are.
        body["data"]["processing_info"] = match media.stage(now) {
            Stage::NotFinalized => media.processing_info(now),
            _ => json!({"state": "succeeded", "progress_percent": 100}),
        };
    }
    ok(body)
}

/// `POST /2/media/upload`: one-shot image upload (multipart `media`).
pub(crate) fn one_shot(
    inner: &mut Inner,
    ids: &Snowflakes,
    call: &Call,
    auth: Auth,
) -> Result<Response, XError> {
    if !auth.token.level.can_write() {
        return Err(XError::oauth1_permissions());
    }
    let content_type = call
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let parts = multipart::parse_parts(&content_type, &call.body).ok_or_else(|| {
        XError::invalid(None, "The request body is not valid multipart/form-data.")
    })?;
    if parts.iter().any(|p| p.name == "command") {
        // The command= form of the v2 endpoint is being retired; the sandbox
        // implements the initialize/append/finalize routes only.
        return Err(XError::invalid(
            Some(("command", vec![])),
            "The `command` parameter is not supported; use /2/media/upload/initialize, /append and /finalize.",
        ));
    }
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.data).trim().to_owned())
    };
    let media = parts
        .iter()
        .find(|p| p.name == "media")
        .ok_or_else(|| XError::invalid(None, "The `media` parameter is missing."))?;
    let media_type = text("media_type").unwrap_or_else(|| "image/jpeg".to_owned());
    let category = check_category(&media_type, text("media_category").as_deref())?;
    if needs_processing(&category) {
        return Err(XError::invalid(
            Some(("media_category", vec![category])),
            "Videos and GIFs must be uploaded with initialize/append/finalize.",
        ));
    }
    let size = media.data.len() as u64;
    if size == 0 || size > MAX_IMAGE {
        return Err(XError::invalid(
            Some(("media", vec![size.to_string()])),
            &format!("File size exceeds {MAX_IMAGE} bytes."),
        ));
    }
    let id = ids.next();
    let now = now_ms();
    let stored = Media {
        id,
        key: media_key(&category, id),
        owner: auth.user.id,
        category,
        total: size,
        segments: BTreeMap::from([(0, size)]),
        finalized_ms: Some(now),
        processing: None,
        expires_ms: now + EXPIRES_AFTER_SECS * 1000,
    };
    let mut body = media_json(&stored, now, true);
    body["data"]["image"] = json!({"image_type": media_type});
    inner.media.by_id.insert(id.to_string(), stored);
    ok(body)
}
