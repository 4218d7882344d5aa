//! Snap's Marketing API error answers and what crier makes of them.
//!
//! Marketing API answers carry `request_status` ("SUCCESS" / "ERROR") and `request_id`; an
//! error adds `debug_message`, `display_message` and `error_code` (the Marketing API's
//! convention, also what public clients of the Public Profile API read: they test
//! `request_status` and show `display_message`; Snap's Public Profile pages list no codes, so
//! only the HTTP status and these texts are relied on). Entity answers list
//! `{"sub_request_status", "sub_request_error_reason"?, <entity>}` per item, so a 200 can still
//! carry a refused item. `MEDIA_PROCESSING` / `MEDIA_EXPIRED` are the codes public clients of
//! the Public Profile API check for.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// Spotlight descriptions: 160 characters including hashtags (Ayrshare and Snap's clients).
pub const DESCRIPTION_LIMIT: usize = 160;
/// Saved Story titles: 45 characters (what Snap's clients enforce; Snap's page does not say).
pub const TITLE_LIMIT: usize = 45;
/// How soon to try posting again when Snap is still processing the uploaded media.
pub const PROCESSING_RETRY: Duration = Duration::from_secs(10);

pub(crate) fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Snapchat).arg("network", "Snapchat")
}

pub(crate) fn transient(details: impl Into<String>) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

/// What was sent, so that a refusal can name limits and overage.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub description_chars: usize,
    pub title_chars: usize,
}

/// The first item-level refusal in an entity answer (`sub_request_status` other than SUCCESS).
pub fn item_error(body: &Value) -> Option<String> {
    let items = body.as_object()?.values().filter_map(Value::as_array).flatten();
    for item in items {
        let status = item.get("sub_request_status").and_then(Value::as_str);
        if let Some(status) = status.filter(|s| !s.eq_ignore_ascii_case("SUCCESS")) {
            let reason = item.get("sub_request_error_reason").and_then(Value::as_str).unwrap_or(status);
            return Some(reason.to_string());
        }
    }
    None
}

/// `error_code` of an error answer ("" when absent).
pub fn error_code(body: &Value) -> &str {
    body.get("error_code").and_then(Value::as_str).unwrap_or("")
}

fn details_text(status: u16, body: &Value) -> String {
    let field = |k: &str| body.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut parts: Vec<String> = Vec::new();
    if let Some(code) = field("error_code") {
        parts.push(code.to_string());
    }
    for k in ["display_message", "debug_message"] {
        if let Some(m) = field(k).filter(|m| !parts.iter().any(|p| p == m)) {
            parts.push(m.to_string());
        }
    }
    if let Some(reason) = item_error(body) {
        parts.push(reason);
    }
    if parts.is_empty() { format!("HTTP {status}") } else { parts.join(": ") }
}

fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).map(|s| s.max(1))
}

/// Maps a Snap error answer (HTTP error, `request_status: ERROR`, or a refused item) to a
/// failure. One row per case; see tests/snapchat_errors.rs.
pub fn map_error(status: u16, headers: &HeaderMap, body: &Value, sent: &Sent) -> Failure {
    let text = details_text(status, body);
    let lower = text.to_ascii_lowercase();
    let code = error_code(body);
    match status {
        401 => return Failure::Rejected(err(Code::TokenInvalid).details(text)),
        429 => {
            let wait = retry_after(headers);
            return Failure::Transient {
                error: err(Code::NetworkRateLimited).details(wait.map(|w| w.to_string()).unwrap_or(text)),
                retry_after: wait.map(Duration::from_secs),
            };
        }
        500..=599 => return transient(text),
        _ => {}
    }
    if code == "MEDIA_PROCESSING" {
        return Failure::Transient { error: err(Code::NetworkUnavailable).details(text), retry_after: Some(PROCESSING_RETRY) };
    }
    if code == "MEDIA_EXPIRED" {
        // The upload is gone: preparing again (a fresh upload) can succeed.
        return transient(text);
    }
    if lower.contains("too long") {
        let (limit, len) = if lower.contains("title") { (TITLE_LIMIT, sent.title_chars) } else { (DESCRIPTION_LIMIT, sent.description_chars) };
        return Failure::Rejected(err(Code::TextTooLong).details(text).arg("limit", limit).arg("overage", len.saturating_sub(limit)));
    }
    let media_refused = code == "E1004"
        || (lower.contains("media") && ["unsupported", "invalid", "format", "decrypt", "spotlight"].iter().any(|w| lower.contains(w)));
    if media_refused {
        return Failure::Rejected(err(Code::MediaRules).details(text));
    }
    Failure::Rejected(err(Code::NetworkRejected).details(text))
}

/// A failure as the report for `action` (reads, deletes).
pub(crate) fn with_action(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}
