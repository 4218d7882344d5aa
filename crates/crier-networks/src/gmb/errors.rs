//! Google's error envelope for the Business Profile v4 API, and what crier makes of it.
//!
//! `{"error": {"code", "message", "status", "details": [{"@type": "…ValidationError",
//! "errorDetails": [{"code", "field", "message"}]}]}}`; `ErrorDetail.code` families
//! (`developers.google.com/my-business/reference/rest/Shared.Types/ErrorCode`):
//! 1–199 generic, 1000–1099 photos (1000 PHOTO_FETCH_FAILED, 1001 PHOTO_UPLOAD_FAILED),
//! 1100–1199 address, 1200–1299 category, 1300–1399 operation.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// Google's limit on a local post's summary.
pub const SUMMARY_LIMIT: usize = 1500;
/// ErrorCode PHOTO_FETCH_FAILED: Google could not download the media URL.
const PHOTO_FETCH_FAILED: u64 = 1000;

pub(crate) fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Gmb).arg("network", "Google Business Profile")
}

pub(crate) fn transient(details: impl Into<String>) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

/// One `ErrorDetail` of a ValidationError.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDetail {
    pub code: u64,
    pub field: String,
    pub message: String,
}

pub fn error_details(body: &Value) -> Vec<ErrorDetail> {
    let text = |d: &Value, k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    body.pointer("/error/details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("errorDetails").and_then(Value::as_array))
        .flatten()
        .map(|d| ErrorDetail { code: d.get("code").and_then(Value::as_u64).unwrap_or(0), field: text(d, "field"), message: text(d, "message") })
        .collect()
}

fn details_text(status: u16, body: &Value, details: &[ErrorDetail]) -> String {
    let name = body.pointer("/error/status").and_then(Value::as_str).unwrap_or("");
    let message = body.pointer("/error/message").and_then(Value::as_str).unwrap_or("");
    let mut s = match (name.is_empty(), message.is_empty()) {
        (true, true) => format!("HTTP {status}"),
        (false, true) => name.to_string(),
        (true, false) => message.to_string(),
        (false, false) => format!("{name}: {message}"),
    };
    for d in details {
        s.push_str(&format!(" [{} {}: {}]", d.code, d.field, d.message));
    }
    s
}

fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).map(|s| s.max(1))
}

fn is_summary_length(d: &ErrorDetail, summary_chars: usize) -> bool {
    let lower = d.message.to_ascii_lowercase();
    d.field.ends_with("summary") && (summary_chars > SUMMARY_LIMIT || lower.contains("long") || lower.contains("length") || lower.contains("exceed"))
}

fn names_source_url(d: &ErrorDetail) -> bool {
    d.field.contains("sourceUrl") || d.field.contains("source_url")
}

fn is_media(d: &ErrorDetail) -> bool {
    (1000..1100).contains(&d.code) || d.field.starts_with("media") || names_source_url(d)
}

/// Maps a Google error answer to a failure. `summary_chars` is the length of the summary sent.
/// One row per case; see tests/gmb_errors.rs.
pub fn map_error(status: u16, headers: &HeaderMap, body: &Value, summary_chars: usize) -> Failure {
    let name = body.pointer("/error/status").and_then(Value::as_str).unwrap_or("");
    let details = error_details(body);
    let text = details_text(status, body, &details);
    if status == 401 || name == "UNAUTHENTICATED" {
        return Failure::Rejected(err(Code::TokenInvalid).details(text));
    }
    if status == 429 || name == "RESOURCE_EXHAUSTED" {
        let wait = retry_after(headers);
        return Failure::Transient {
            error: err(Code::NetworkRateLimited).details(wait.map(|w| w.to_string()).unwrap_or(text)),
            retry_after: wait.map(Duration::from_secs),
        };
    }
    if (500..=599).contains(&status) || matches!(name, "UNAVAILABLE" | "INTERNAL" | "DEADLINE_EXCEEDED") {
        return transient(text);
    }
    if details.iter().any(|d| is_summary_length(d, summary_chars)) {
        return Failure::Rejected(
            err(Code::TextTooLong).details(text).arg("limit", SUMMARY_LIMIT).arg("overage", summary_chars.saturating_sub(SUMMARY_LIMIT)),
        );
    }
    if let Some(d) = details.iter().find(|d| is_media(d)) {
        // The photo ErrorCode decides: a URL Google could not fetch is a bad URL; any other photo
        // code (PHOTO_UPLOAD_FAILED: format, size) is about the photo, whatever field it names.
        let bad_url = d.code == PHOTO_FETCH_FAILED || (!(1000..1100).contains(&d.code) && names_source_url(d));
        let code = if bad_url { Code::MediaUrlInvalid } else { Code::MediaRules };
        return Failure::Rejected(err(code).details(text));
    }
    Failure::Rejected(err(Code::NetworkRejected).details(text))
}

/// Maps a failed read (analytics, history, delete) to the report for `action`.
pub(crate) fn with_action(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}
