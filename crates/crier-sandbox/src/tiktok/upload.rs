//! `PUT {upload_url}`: one chunk per request, in order, each with
//! `Content-Range: bytes first-last/total`
//! (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide).
//! Every chunk but the last is exactly `chunk_size` bytes; the last carries
//! the rest. Answers `206 Partial Content` until the file is complete, then
//! `201 Created`. The URL is pre-signed (`upload_id` + `upload_token`), so
//! no bearer token is needed. Wrong sizes or ranges answer TikTok's
//! envelope with `invalid_file_upload`; an unknown or used-up URL answers
//! 404 (chosen).

use axum::http::StatusCode;
use axum::http::header::CONTENT_RANGE;
use axum::response::{IntoResponse, Response};

use super::error::TtError;
use super::publish::Source;
use super::{Call, Inner};
use crate::media_fetch::MediaFormat;

/// `bytes first-last/total`.
fn content_range(call: &Call) -> Option<(u64, u64, u64)> {
    let raw = call.headers.get(CONTENT_RANGE)?.to_str().ok()?.trim();
    let rest = raw.strip_prefix("bytes")?.trim();
    let (range, total) = rest.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let (first, last, total) = (
        first.trim().parse().ok()?,
        last.trim().parse().ok()?,
        total.trim().parse().ok()?,
    );
    (first <= last && last < total).then_some((first, last, total))
}

pub(crate) fn put(inner: &mut Inner, call: &Call) -> Result<Response, TtError> {
    let gone = || TtError::new(404, "not_found", "The upload URL is invalid or expired.");
    let upload_id: u64 = call
        .query_value("upload_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(gone)?;
    let token = call.query_value("upload_token").unwrap_or_default();
    let publish = inner
        .publishes
        .iter_mut()
        .find(|p| p.upload_id == upload_id && !p.upload_token.is_empty() && p.upload_token == token)
        .ok_or_else(gone)?;
    let Source::Upload {
        size,
        chunk,
        chunks,
        received,
        head,
    } = &mut publish.source
    else {
        return Err(gone());
    };
    if *received >= *size {
        return Err(gone());
    }
    let (first, last, total) = content_range(call).ok_or_else(|| {
        TtError::invalid_file_upload("Content-Range must be bytes first-last/total.")
    })?;
    if total != *size {
        return Err(TtError::invalid_file_upload(
            "The total in Content-Range differs from video_size.",
        ));
    }
    if first != *received {
        return Err(TtError::invalid_file_upload(format!(
            "Chunks must be uploaded in order: expected the range to start at byte {received}."
        )));
    }
    let index = first / *chunk;
    let expected_last = if index + 1 >= *chunks {
        *size - 1
    } else {
        first + *chunk - 1
    };
    if last != expected_last {
        return Err(TtError::invalid_file_upload(format!(
            "Chunk {index} must cover bytes {first}-{expected_last}."
        )));
    }
    if call.body.len() as u64 != last - first + 1 {
        return Err(TtError::invalid_file_upload(
            "The body length differs from Content-Range.",
        ));
    }
    // The head (for sniffing) may span several small chunks.
    if head.len() < 64 {
        let take = (64 - head.len()).min(call.body.len());
        head.extend_from_slice(&call.body[..take]);
    }
    *received = last + 1;
    if *received < *size {
        return Ok(StatusCode::PARTIAL_CONTENT.into_response());
    }
    if !MediaFormat::sniff(head).is_video() {
        publish.media_failure = Some("file_format_check_failed");
    }
    Ok(StatusCode::CREATED.into_response())
}
