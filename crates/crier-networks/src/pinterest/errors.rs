//! Pinterest's error answers (`{"code": <int>, "message": "…"}`) → catalog codes.
//! Statuses per the v5 reference (https://developers.pinterest.com/docs/api/v5/pins-create):
//! 400 invalid parameters, 401 bad token, 403 image too small/large/broken or no access to the
//! board, 404 board or section not found, 429 rate limit. One row per case: tests/pinterest_errors.rs.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// When a 429 carries neither `Retry-After` nor `X-RateLimit-Reset`.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);
/// Pinterest's pin description limit as Ayrshare documents it.
pub const DESCRIPTION_LIMIT: usize = 500;

pub fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Pinterest).arg("network", "Pinterest")
}

pub fn transient(details: impl Into<String>) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

/// Pinterest's own words: its message, with its numeric code when it sends one.
pub fn details(status: u16, body: &Value) -> String {
    let message = body.get("message").and_then(Value::as_str).unwrap_or("");
    match (body.get("code").and_then(Value::as_i64), message.is_empty()) {
        (_, true) => format!("HTTP {status}"),
        (Some(code), false) => format!("{message} (code {code})"),
        (None, false) => message.to_string(),
    }
}

fn header_secs(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.split(',').next()?.trim().parse::<u64>().ok()
}

/// How long to wait: `Retry-After`, else `X-RateLimit-Reset` (seconds to go, or an epoch time).
pub fn rate_limit_wait(headers: &HeaderMap, now_epoch: i64) -> Duration {
    if let Some(s) = header_secs(headers, "retry-after") {
        return Duration::from_secs(s.max(1));
    }
    match header_secs(headers, "x-ratelimit-reset") {
        Some(r) if r > 1_000_000_000 => Duration::from_secs((r as i64 - now_epoch).max(1) as u64),
        Some(r) => Duration::from_secs(r.max(1)),
        None => DEFAULT_RETRY_AFTER,
    }
}

/// Maps an error answer; `text_len` is the description's length (for 132).
pub fn map_error(status: u16, headers: &HeaderMap, body: &Value, text_len: usize) -> Failure {
    let d = details(status, body);
    let lower = body.get("message").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    let rejected = |c: Code| Failure::Rejected(err(c).details(d.clone()));
    let about_media = ["image", "video", "media", "cover"].iter().any(|w| lower.contains(w));
    match status {
        429 => {
            let wait = rate_limit_wait(headers, chrono::Utc::now().timestamp());
            Failure::Transient { error: err(Code::NetworkRateLimited).details(wait.as_secs().to_string()), retry_after: Some(wait) }
        }
        500..=599 => transient(d),
        401 => rejected(Code::TokenInvalid),
        400 if lower.contains("description") && (lower.contains("too long") || lower.contains("characters")) => Failure::Rejected(
            err(Code::TextTooLong).details(d).arg("limit", DESCRIPTION_LIMIT).arg("overage", text_len.saturating_sub(DESCRIPTION_LIMIT)),
        ),
        // Pinterest could not get the URL it was given to pull.
        400 | 403 if about_media && (lower.contains("fetch") || lower.contains("download") || lower.contains("url")) => rejected(Code::MediaUrlInvalid),
        // "The Pin's image is too small, too large or is broken", video/format refusals.
        400 | 403 if about_media => rejected(Code::MediaRules),
        // 404 board or section not found, 403 board not accessible, other 400s.
        _ => rejected(Code::NetworkRejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn reset_header_is_seconds_or_epoch() {
        let mut h = HeaderMap::new();
        assert_eq!(rate_limit_wait(&h, 0), DEFAULT_RETRY_AFTER);
        h.insert("x-ratelimit-reset", HeaderValue::from_static("42"));
        assert_eq!(rate_limit_wait(&h, 0), Duration::from_secs(42));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1700000100"));
        assert_eq!(rate_limit_wait(&h, 1_700_000_000), Duration::from_secs(100));
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(rate_limit_wait(&h, 1_700_000_000), Duration::from_secs(7));
    }
}
