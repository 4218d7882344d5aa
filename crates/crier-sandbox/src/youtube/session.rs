//! Resumable upload sessions (`videos.insert` with `uploadType=resumable`).
//!
//! The initiating POST validates the metadata and answers 200 with the
//! session URI in `Location`. PUTs to that URI carry the bytes, whole or in
//! chunks with `Content-Range: bytes a-b/total`; an incomplete upload
//! answers **308** with `Range: bytes=0-<last stored>` (no `Range` while
//! nothing is stored), the final chunk **201** with the video resource. A
//! PUT with `Content-Range: bytes */total` and no body asks where the upload
//! stands. Only byte counts are kept, not the video's contents.
//!
//! Chunk rules, as Google's upload servers apply them: a non-final chunk
//! smaller than 256 KiB is refused (400); a larger one that is not a
//! multiple of 256 KiB is stored only up to the last multiple (the `Range`
//! of the 308 says so, and the client resends the rest). Bytes that were
//! already stored are skipped when a chunk overlaps them; a chunk that
//! starts beyond the stored bytes is refused (400, wording chosen).

use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde_json::{Map, Value};

use super::error::GError;
use super::video::{self, Metadata, Video};
use super::{Call, Inner};
use crate::SandboxState;
use crate::codec::base64url;
use crate::ledger::{LedgerEntry, now_ms};
use crate::seed;

/// Non-final chunks must be multiples of this (256 KiB).
pub(crate) const CHUNK: u64 = 262_144;
/// Google keeps a session URI usable for a week.
const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

pub(crate) struct Session {
    pub id: String,
    pub meta: Metadata,
    pub parts: Vec<String>,
    /// Declared by `X-Upload-Content-Length` or learnt from `Content-Range`.
    pub total: Option<u64>,
    /// Bytes stored so far (always from 0, contiguous).
    pub received: u64,
    pub created_ms: i64,
    pub expired: bool,
    /// The video once the upload completed.
    pub video: Option<String>,
}

impl Session {
    fn alive(&self, now: i64) -> bool {
        !self.expired && now - self.created_ms < SESSION_LIFETIME_MS
    }
}

/// A parsed `Content-Range` request header.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ContentRange {
    /// `bytes */total`: where does the upload stand?
    Probe { total: Option<u64> },
    /// `bytes first-last/total`.
    Bytes {
        first: u64,
        last: u64,
        total: Option<u64>,
    },
}

pub(crate) fn parse_content_range(value: &str) -> Option<ContentRange> {
    let value = value.trim();
    let rest = value
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("bytes"))
        .map(|_| value[5..].trim_start())?;
    let (range, total) = rest.split_once('/')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().ok()?),
    };
    if range.trim() == "*" {
        return Some(ContentRange::Probe { total });
    }
    let (first, last) = range.trim().split_once('-')?;
    let (first, last) = (first.parse::<u64>().ok()?, last.parse::<u64>().ok()?);
    (last >= first).then_some(ContentRange::Bytes { first, last, total })
}

/// Whether a session PUT is a status probe (the fault middleware names
/// those `upload.status`).
pub(crate) fn is_probe(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_content_range)
        .is_some_and(|r| matches!(r, ContentRange::Probe { .. }))
}

fn random_id(prefix: &str, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    format!("{prefix}{}", base64url(&buf))
}

fn header(name: &str, headers: &HeaderMap) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
}

/// `POST /upload/youtube/v3/videos?uploadType=resumable&part=…`.
pub(crate) fn initiate(inner: &mut Inner, call: &Call) -> Result<Response, GError> {
    if call.query_value("uploadType") != Some("resumable") {
        return Err(GError::bad_request(
            "The sandbox implements uploadType=resumable only.",
        ));
    }
    let parts = video::parts(call)?;
    let now = now_ms();
    let config = inner.config.clone();
    inner.quota.charge_insert(&config, now)?;
    let body: Map<String, Value> = if call.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&call.body) {
            Ok(Value::Object(map)) => map,
            _ => return Err(GError::parse_error()),
        }
    };
    let meta = video::validate(&body)?;
    let total = match header("x-upload-content-length", &call.headers) {
        None => None,
        Some(v) => Some(v.parse::<u64>().map_err(|_| {
            GError::bad_request(format!("Invalid X-Upload-Content-Length header: {v}"))
        })?),
    };
    if let Some(kind) = header("x-upload-content-type", &call.headers) {
        let kind = kind.to_ascii_lowercase();
        if !kind.starts_with("video/") && kind != "application/octet-stream" {
            return Err(GError::new(
                400,
                "global",
                "badContent",
                format!(
                    "Media type '{kind}' is not supported. Valid media types: [video/*, application/octet-stream]"
                ),
            ));
        }
    }
    let id = random_id("AEnB2U", 48);
    let host = header(HOST.as_str(), &call.headers).unwrap_or_else(|| "localhost".into());
    let location = format!(
        "http://{host}/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id={id}"
    );
    inner.sessions.push(Session {
        id: id.clone(),
        meta,
        parts,
        total,
        received: 0,
        created_ms: now,
        expired: false,
        video: None,
    });
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&location) {
        headers.insert(axum::http::header::LOCATION, location);
    }
    if let Ok(id) = HeaderValue::from_str(&id) {
        headers.insert("x-guploader-uploadid", id);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    Ok(response)
}

/// 308 Resume Incomplete with the stored range.
fn incomplete(session: &Session) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    let headers = response.headers_mut();
    if session.received > 0
        && let Ok(range) = HeaderValue::from_str(&format!("bytes=0-{}", session.received - 1))
    {
        headers.insert(axum::http::header::RANGE, range);
    }
    if let Ok(id) = HeaderValue::from_str(&session.id) {
        headers.insert("x-guploader-uploadid", id);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    response
}

fn completed(inner: &Inner, session: &Session, status: StatusCode) -> Response {
    let video = session
        .video
        .as_ref()
        .and_then(|id| inner.videos.iter().find(|v| &v.id == id));
    match video {
        Some(video) => (status, axum::Json(video::resource(video, &session.parts))).into_response(),
        None => GError::session_not_found().into_response(),
    }
}

fn new_video_id(inner: &Inner) -> String {
    loop {
        let mut buf = [0u8; 8];
        rand::rng().fill_bytes(&mut buf);
        let id: String = base64url(&buf).chars().take(11).collect();
        if !inner.videos.iter().any(|v| v.id == id) {
            return id;
        }
    }
}

/// `PUT <session URI>`: a chunk, the whole file, or a status probe.
pub(crate) fn put(
    state: &SandboxState,
    inner: &mut Inner,
    call: &Call,
    upload_id: &str,
) -> Result<Response, GError> {
    let now = now_ms();
    let idx = inner
        .sessions
        .iter()
        .position(|s| s.id == upload_id && s.alive(now))
        .ok_or_else(GError::session_not_found)?;
    let range = match header(CONTENT_RANGE.as_str(), &call.headers) {
        Some(value) => parse_content_range(&value)
            .ok_or_else(|| GError::bad_request("Failed to parse Content-Range header."))?,
        // No Content-Range: the body is the whole file (or, empty, a probe).
        None if call.body.is_empty() => ContentRange::Probe { total: None },
        None => ContentRange::Bytes {
            first: 0,
            last: call.body.len() as u64 - 1,
            total: Some(call.body.len() as u64),
        },
    };
    if inner.sessions[idx].video.is_some() {
        // Already complete: probes and resent chunks get the video again.
        return Ok(completed(inner, &inner.sessions[idx], StatusCode::OK));
    }
    let session = &mut inner.sessions[idx];
    let (first, last, total) = match range {
        ContentRange::Probe { total } => {
            if let (Some(declared), Some(given)) = (session.total, total)
                && declared != given
            {
                return Err(GError::bad_request(format!(
                    "The upload's total size {given} does not match the declared {declared}."
                )));
            }
            return Ok(incomplete(session));
        }
        ContentRange::Bytes { first, last, total } => (first, last, total),
    };
    // Saturating: a range as wide as u64 must fail the length check, not overflow.
    let len = (last - first).saturating_add(1);
    if call.body.len() as u64 != len {
        return Err(GError::bad_request(format!(
            "Content-Range covers {len} bytes but the request body has {}.",
            call.body.len()
        )));
    }
    let total = match (session.total, total) {
        (Some(declared), Some(given)) if declared != given => {
            return Err(GError::bad_request(format!(
                "The upload's total size {given} does not match the declared {declared}."
            )));
        }
        (declared, given) => declared.or(given),
    };
    session.total = total;
    if total.is_some_and(|t| last >= t) {
        return Err(GError::bad_request(format!(
            "Content-Range ends at byte {last}, beyond the upload's size."
        )));
    }
    if first > session.received {
        return Err(GError::bad_request(format!(
            "Content-Range starts at byte {first} but only {} bytes were received; resume from the Range of a status request.",
            session.received
        )));
    }
    let end = last.saturating_add(1);
    let is_final = total == Some(end);
    if !is_final {
        if len < CHUNK {
            return Err(GError::bad_request(format!(
                "Invalid request. The number of bytes uploaded is required to be equal or greater than {CHUNK}, except for the final request (it's recommended to be the exact multiple of {CHUNK}). The received request contained {len} bytes, which does not meet this requirement."
            )));
        }
        session.received = session.received.max(end / CHUNK * CHUNK);
        return Ok(incomplete(session));
    }
    session.received = end;
    let video = Video {
        id: new_video_id(inner),
        meta: inner.sessions[idx].meta.clone(),
        published_ms: now,
        deleted: false,
        ledger_seq: 0,
    };
    let ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "youtube".into(),
        account: seed::YOUTUBE_CHANNEL_ID.into(),
        native_id: video.id.clone(),
        text: video.meta.description.clone(),
        media: Vec::new(),
        title: Some(video.meta.title.clone()),
        at_ms: now,
        deleted: false,
    });
    inner.quota.record_upload(now);
    inner.sessions[idx].video = Some(video.id.clone());
    inner.videos.push(Video {
        ledger_seq,
        ..video
    });
    Ok(completed(inner, &inner.sessions[idx], StatusCode::CREATED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_ranges() {
        assert_eq!(
            parse_content_range("bytes 0-262143/1000000"),
            Some(ContentRange::Bytes {
                first: 0,
                last: 262_143,
                total: Some(1_000_000)
            })
        );
        assert_eq!(
            parse_content_range("bytes */1000"),
            Some(ContentRange::Probe { total: Some(1000) })
        );
        assert_eq!(
            parse_content_range("bytes */*"),
            Some(ContentRange::Probe { total: None })
        );
        assert_eq!(
            parse_content_range("bytes 5-9/*"),
            Some(ContentRange::Bytes {
                first: 5,
                last: 9,
                total: None
            })
        );
        assert_eq!(parse_content_range("bytes 9-5/10"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range("bytes 0-x/2"), None);
        assert_eq!(parse_content_range("b"), None);
    }
}
