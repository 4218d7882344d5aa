//! Video uploads: `POST /v5/media {"media_type":"video"}` registers an
//! upload (201 `{media_id, media_type, upload_url, upload_parameters}`); the
//! client POSTs `multipart/form-data` to `upload_url` with every upload
//! parameter as a field and the file last, as S3 presigned POSTs want
//! (answer 204, errors as S3's XML); `GET /v5/media/{id}` then reports
//! `registered` → `processing` → `succeeded`|`failed`
//! (https://developers.pinterest.com/docs/api/v5/media-create/,
//! https://developers.pinterest.com/docs/api-features/creating-boards-and-pins/#creating-video-pins).
//!
//! The `upload_url` points back at the sandbox
//! (`http://<host>/pinterest/media-upload/<media_id>`). How many polls answer
//! `processing` and the outcome are configurable; a file that does not
//! sniff as MP4/MOV always fails.

use axum::http::{HeaderValue, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde_json::{Value, json};

use super::Call;
use super::error::PinError;
use crate::SandboxState;
use crate::media_fetch::MediaFormat;
use crate::multipart::parse_parts;
use crate::params::media_type;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaStatus {
    Registered,
    Processing,
    Succeeded,
    Failed,
}

impl MediaStatus {
    fn as_str(self) -> &'static str {
        match self {
            MediaStatus::Registered => "registered",
            MediaStatus::Processing => "processing",
            MediaStatus::Succeeded => "succeeded",
            MediaStatus::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Media {
    pub id: String,
    pub status: MediaStatus,
    /// The presigned POST's fields, in order.
    pub params: Vec<(String, String)>,
    /// Polls still to answer `processing`.
    pub polls_left: u32,
    /// What processing ends in.
    pub outcome: MediaStatus,
}

fn hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// `POST /v5/media`.
pub(crate) fn register(state: &SandboxState, call: &Call) -> Result<Response, PinError> {
    let body = match serde_json::from_slice::<Value>(&call.body) {
        Ok(Value::Object(map)) => map,
        _ => {
            return Err(PinError::invalid(
                "Invalid request body: not a JSON object.",
            ));
        }
    };
    match body.get("media_type").and_then(Value::as_str) {
        Some("video") => {}
        _ => {
            return Err(PinError::invalid(
                "Invalid request body: 'media_type' must be \"video\".",
            ));
        }
    }
    let ps = &state.inner.pinterest;
    let id = format!("51000{:014}", ps.next_seq());
    let date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let params = vec![
        ("x-amz-date".to_owned(), date.clone()),
        ("x-amz-signature".to_owned(), hex(32)),
        ("x-amz-security-token".to_owned(), hex(48)),
        ("x-amz-algorithm".to_owned(), "AWS4-HMAC-SHA256".to_owned()),
        ("key".to_owned(), format!("uploads/{}/{id}", hex(8))),
        ("policy".to_owned(), hex(64)),
        (
            "x-amz-credential".to_owned(),
            format!("ASIACRIERSANDBOX/{}/us-east-1/s3/aws4_request", &date[..8]),
        ),
        ("Content-Type".to_owned(), "multipart/form-data".to_owned()),
    ];
    let upload_parameters: serde_json::Map<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    ps.lock().media.push(Media {
        id: id.clone(),
        status: MediaStatus::Registered,
        params,
        polls_left: 0,
        outcome: MediaStatus::Succeeded,
    });
    let body = json!({
        "media_id": id,
        "media_type": "video",
        "upload_url": format!("{}/media-upload/{id}", call.base),
        "upload_parameters": upload_parameters,
    });
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `GET /v5/media/{id}`: each poll advances processing by one step.
pub(crate) fn get(state: &SandboxState, id: &str) -> Result<Response, PinError> {
    let mut inner = state.inner.pinterest.lock();
    let media = inner
        .media
        .iter_mut()
        .find(|m| m.id == id)
        .ok_or_else(PinError::media_not_found)?;
    if media.status == MediaStatus::Processing {
        if media.polls_left > 0 {
            media.polls_left -= 1;
        } else {
            media.status = media.outcome;
        }
    }
    Ok(axum::Json(json!({
        "media_id": media.id,
        "media_type": "video",
        "status": media.status.as_str(),
    }))
    .into_response())
}

/// S3's XML error body.
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
        hex(8).to_uppercase(),
        hex(24)
    );
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/xml"));
    response
}

/// The multipart POST to an `upload_url`.
pub(crate) fn upload(state: &SandboxState, call: &Call, id: &str) -> Response {
    let content_type = call
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if media_type(&call.headers).as_deref() != Some("multipart/form-data") {
        return s3_error(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "Bucket POST must be of the enclosure-type multipart/form-data",
        );
    }
    let Some(parts) = parse_parts(&content_type, &call.body) else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "MalformedPOSTRequest",
            "The body of your POST request is not well-formed multipart/form-data.",
        );
    };
    // S3 ignores every field after the file.
    let Some(file_at) = parts.iter().position(|p| p.name == "file") else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "POST requires exactly one file upload per request.",
        );
    };
    let config = state.inner.pinterest.lock().config.clone();
    let mut inner = state.inner.pinterest.lock();
    let Some(media) = inner.media.iter_mut().find(|m| m.id == id) else {
        return s3_error(StatusCode::FORBIDDEN, "AccessDenied", "Access Denied");
    };
    for (name, value) in &media.params {
        let sent = parts[..file_at]
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| String::from_utf8_lossy(&p.data).into_owned());
        if sent.as_deref() != Some(value.as_str()) {
            return s3_error(
                StatusCode::FORBIDDEN,
                "AccessDenied",
                &format!(
                    "Invalid according to Policy: Policy Condition failed: [\"eq\", \"${name}\", \"{value}\"]"
                ),
            );
        }
    }
    if media.status == MediaStatus::Registered {
        let is_video = MediaFormat::sniff(&parts[file_at].data).is_video();
        media.status = MediaStatus::Processing;
        media.polls_left = config.media_processing_polls;
        media.outcome = if is_video && config.media_outcome == "succeeded" {
            MediaStatus::Succeeded
        } else {
            MediaStatus::Failed
        };
    }
    StatusCode::NO_CONTENT.into_response()
}
