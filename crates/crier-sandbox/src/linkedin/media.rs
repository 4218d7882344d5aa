//! The Images and Videos APIs: `initializeUpload`, the byte uploads to the
//! handed-out `uploadUrl`s (under `/linkedin/dms-uploads/…` on the sandbox,
//! `https://www.linkedin.com/dms-uploads/…` on LinkedIn), `finalizeUpload`
//! and the status reads.
//!
//! Status: `WAITING_UPLOAD` until the bytes arrive, then `PROCESSING` for the
//! configured number of reads, then `AVAILABLE` or `PROCESSING_FAILED`.
//! LinkedIn documents JPG, GIF and PNG images and MP4 videos only; the
//! upload itself is accepted whatever the bytes are (the upload server does
//! not look at them) and anything else — WebP, HEIC, AVIF, QuickTime —
//! fails *processing*, so the status read says `PROCESSING_FAILED` and a post
//! naming it is refused. (Chosen: LinkedIn's pipeline is not public; this
//! matches its documented format list and its asynchronous processing.)

use axum::http::StatusCode;
use axum::http::header::ETAG;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::config::Outcome;
use super::error::LiError;
use super::{Call, Inner, LinkedinState, may_act_as};
use crate::ledger::now_ms;
use crate::media_fetch::MediaFormat;

/// Where an image or video is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    WaitingUpload,
    Processing { reads_left: u32, outcome: Outcome },
    Available,
    Failed,
}

impl Stage {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Stage::WaitingUpload => "WAITING_UPLOAD",
            Stage::Processing { .. } => "PROCESSING",
            Stage::Available => "AVAILABLE",
            Stage::Failed => "PROCESSING_FAILED",
        }
    }

    /// After the bytes are in: processing, or settled at once.
    fn after_upload(reads: u32, outcome: Outcome) -> Self {
        if reads == 0 {
            Self::settled(outcome)
        } else {
            Stage::Processing {
                reads_left: reads,
                outcome,
            }
        }
    }

    fn settled(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Available => Stage::Available,
            Outcome::ProcessingFailed => Stage::Failed,
        }
    }

    /// A status read: answers the current label and moves processing on.
    fn read(&mut self) -> &'static str {
        let label = self.label();
        if let Stage::Processing {
            reads_left,
            outcome,
        } = *self
        {
            *self = if reads_left <= 1 {
                Self::settled(outcome)
            } else {
                Stage::Processing {
                    reads_left: reads_left - 1,
                    outcome,
                }
            };
        }
        label
    }
}

pub(crate) struct Image {
    pub id: u64,
    pub urn: String,
    pub owner: String,
    pub stage: Stage,
}

pub(crate) struct Video {
    pub id: u64,
    pub urn: String,
    pub owner: String,
    /// (firstByte, lastByte) per part.
    pub parts: Vec<(u64, u64)>,
    /// The ETag of each uploaded part.
    pub etags: Vec<Option<String>>,
    /// The first bytes of part 0, for sniffing.
    pub head: Vec<u8>,
    pub stage: Stage,
}

/// Lookup for posts: the status label of an image or video URN.
pub(crate) fn media_stage(inner: &Inner, urn: &str) -> Option<Stage> {
    if let Some(image) = inner.images.iter().find(|i| i.urn == urn) {
        return Some(image.stage);
    }
    inner.videos.iter().find(|v| v.urn == urn).map(|v| v.stage)
}

fn init_request(call: &Call) -> Result<serde_json::Map<String, Value>, LiError> {
    let mut body = call.json_object()?;
    match body.remove("initializeUploadRequest") {
        Some(Value::Object(request)) => Ok(request),
        _ => Err(LiError::validation(&[(
            "/initializeUploadRequest".into(),
            "field is required but not found and has no default value".into(),
        )])),
    }
}

fn owner_of(
    request: &serde_json::Map<String, Value>,
    call: &Call,
    resource: &str,
) -> Result<String, LiError> {
    let owner = request
        .get("owner")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            LiError::validation(&[(
                "/initializeUploadRequest/owner".into(),
                "field is required but not found and has no default value".into(),
            )])
        })?;
    if !may_act_as(owner) {
        return Err(LiError::access_denied(resource, "ACTION", &call.version));
    }
    Ok(owner.to_owned())
}

fn expires_at() -> i64 {
    now_ms() + 24 * 3600 * 1000
}

/// `POST /rest/images?action=initializeUpload`.
pub(crate) fn init_image(
    ls: &LinkedinState,
    inner: &mut Inner,
    call: &Call,
) -> Result<Response, LiError> {
    let request = init_request(call)?;
    let owner = owner_of(&request, call, "images")?;
    let id = ls.next_seq();
    let urn = format!("urn:li:image:D4E10AQsbx{id:010}");
    inner.images.push(Image {
        id,
        urn: urn.clone(),
        owner,
        stage: Stage::WaitingUpload,
    });
    let value = json!({
        "uploadUrlExpiresAt": expires_at(),
        "uploadUrl": format!("{}/dms-uploads/image/{id}", call.base),
        "image": urn,
    });
    Ok(axum::Json(json!({ "value": value })).into_response())
}

/// `PUT {uploadUrl}` of an image: 201, processing starts.
pub(crate) fn upload_image(inner: &mut Inner, call: &Call, id: u64) -> Result<Response, LiError> {
    let reads = inner.config.image_processing_polls;
    let configured = inner.config.image_outcome;
    let image = inner
        .images
        .iter_mut()
        .find(|i| i.id == id)
        .ok_or_else(|| LiError::not_found("Upload"))?;
    let outcome = match MediaFormat::sniff(&call.body) {
        MediaFormat::Jpeg | MediaFormat::Png | MediaFormat::Gif => configured,
        _ => Outcome::ProcessingFailed,
    };
    image.stage = Stage::after_upload(reads, outcome);
    Ok(StatusCode::CREATED.into_response())
}

/// `GET /rest/images/{urn}`.
pub(crate) fn get_image(inner: &mut Inner, urn: &str) -> Result<Response, LiError> {
    let image = inner
        .images
        .iter_mut()
        .find(|i| i.urn == urn)
        .ok_or_else(|| LiError::not_found(&format!("Image {urn}")))?;
    let status = image.stage.read();
    let mut body = json!({"id": image.urn, "owner": image.owner, "status": status});
    if status == "AVAILABLE" {
        body["downloadUrl"] = json!(format!(
            "https://media.licdn.com/dms/image/sandbox/{}",
            image.id
        ));
        body["downloadUrlExpiresAt"] = json!(expires_at());
    }
    Ok(axum::Json(body).into_response())
}

/// `POST /rest/videos?action=initializeUpload`: one upload instruction per
/// `videoPartBytes`.
pub(crate) fn init_video(
    ls: &LinkedinState,
    inner: &mut Inner,
    call: &Call,
) -> Result<Response, LiError> {
    let request = init_request(call)?;
    let owner = owner_of(&request, call, "videos")?;
    let size = request
        .get("fileSizeBytes")
        .and_then(Value::as_u64)
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            LiError::validation(&[(
                "/initializeUploadRequest/fileSizeBytes".into(),
                "field is required but not found and has no default value".into(),
            )])
        })?;
    let part_bytes = inner.config.video_part_bytes.max(1);
    if size.div_ceil(part_bytes) > 10_000 {
        return Err(LiError::bad_request("fileSizeBytes is too large"));
    }
    let id = ls.next_seq();
    let urn = format!("urn:li:video:C5505AQsbx{id:010}");
    let parts: Vec<(u64, u64)> = (0..size.div_ceil(part_bytes))
        .map(|i| (i * part_bytes, ((i + 1) * part_bytes).min(size) - 1))
        .collect();
    let instructions: Vec<Value> = parts
        .iter()
        .enumerate()
        .map(|(n, (first, last))| {
            json!({
                "uploadUrl": format!("{}/dms-uploads/video/{id}/{n}", call.base),
                "firstByte": first,
                "lastByte": last,
            })
        })
        .collect();
    let mut value = json!({
        "uploadUrlsExpireAt": expires_at(),
        "video": urn,
        "uploadInstructions": instructions,
        "uploadToken": "",
    });
    if request.get("uploadThumbnail").and_then(Value::as_bool) == Some(true) {
        value["thumbnailUploadUrl"] = json!(format!("{}/dms-uploads/thumbnail/{id}", call.base));
    }
    if request.get("uploadCaptions").and_then(Value::as_bool) == Some(true) {
        value["captionsUploadUrl"] = json!(format!("{}/dms-uploads/captions/{id}", call.base));
    }
    inner.videos.push(Video {
        id,
        urn,
        owner,
        etags: vec![None; parts.len()],
        parts,
        head: Vec::new(),
        stage: Stage::WaitingUpload,
    });
    Ok(axum::Json(json!({ "value": value })).into_response())
}

/// `PUT` of one video part: 200 with the part's `ETag`.
pub(crate) fn upload_video_part(
    inner: &mut Inner,
    call: &Call,
    id: u64,
    part: usize,
) -> Result<Response, LiError> {
    let video = inner
        .videos
        .iter_mut()
        .find(|v| v.id == id)
        .ok_or_else(|| LiError::not_found("Upload"))?;
    let Some((first, last)) = video.parts.get(part).copied() else {
        return Err(LiError::not_found("Upload part"));
    };
    let expected = last - first + 1;
    if call.body.len() as u64 != expected {
        return Err(LiError::bad_request(&format!(
            "Part {part} must be {expected} bytes, got {}",
            call.body.len()
        )));
    }
    if part == 0 {
        video.head = call.body[..call.body.len().min(64)].to_vec();
    }
    let etag = format!("/sbx-video/{id}/part/{part}");
    video.etags[part] = Some(etag.clone());
    Ok((StatusCode::OK, [(ETAG, etag)]).into_response())
}

/// `POST /rest/videos?action=finalizeUpload`.
pub(crate) fn finalize_video(inner: &mut Inner, call: &Call) -> Result<Response, LiError> {
    let mut body = call.json_object()?;
    let Some(Value::Object(request)) = body.remove("finalizeUploadRequest") else {
        return Err(LiError::validation(&[(
            "/finalizeUploadRequest".into(),
            "field is required but not found and has no default value".into(),
        )]));
    };
    let urn = request
        .get("video")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let part_ids: Vec<&str> = request
        .get("uploadedPartIds")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let reads = inner.config.video_processing_polls;
    let configured = inner.config.video_outcome;
    let video = inner
        .videos
        .iter_mut()
        .find(|v| v.urn == urn)
        .ok_or_else(|| LiError::not_found(&format!("Video {urn}")))?;
    if video.stage != Stage::WaitingUpload {
        return Err(LiError::bad_request(&format!(
            "Video {urn} is already finalized"
        )));
    }
    let uploaded: Option<Vec<&str>> = video.etags.iter().map(|e| e.as_deref()).collect();
    match uploaded {
        Some(etags) if etags == part_ids => {}
        Some(_) => {
            return Err(LiError::bad_request(
                "uploadedPartIds do not match the uploaded parts",
            ));
        }
        None => {
            return Err(LiError::bad_request(
                "Not every part of the video was uploaded",
            ));
        }
    }
    let outcome = match MediaFormat::sniff(&video.head) {
        MediaFormat::Mp4 => configured,
        _ => Outcome::ProcessingFailed,
    };
    video.stage = Stage::after_upload(reads, outcome);
    Ok(StatusCode::OK.into_response())
}

/// `GET /rest/videos/{urn}`.
pub(crate) fn get_video(inner: &mut Inner, urn: &str) -> Result<Response, LiError> {
    let video = inner
        .videos
        .iter_mut()
        .find(|v| v.urn == urn)
        .ok_or_else(|| LiError::not_found(&format!("Video {urn}")))?;
    let status = video.stage.read();
    let mut body = json!({"id": video.urn, "owner": video.owner, "status": status});
    if status == "AVAILABLE" {
        body["downloadUrl"] = json!(format!(
            "https://dms.licdn.com/playlist/sandbox/{}",
            video.id
        ));
        body["downloadUrlExpiresAt"] = json!(expires_at());
        body["aspectRatioWidth"] = json!(16.0);
        body["aspectRatioHeight"] = json!(9.0);
    }
    Ok(axum::Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_on_reads() {
        let mut s = Stage::after_upload(2, Outcome::Available);
        assert_eq!(s.read(), "PROCESSING");
        assert_eq!(s.read(), "PROCESSING");
        assert_eq!(s.read(), "AVAILABLE");
        let mut s = Stage::after_upload(0, Outcome::ProcessingFailed);
        assert_eq!(s.read(), "PROCESSING_FAILED");
    }
}
