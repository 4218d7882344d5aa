//! LinkedIn's error answers → catalog codes. One row per condition; see
//! tests/linkedin_errors.rs. Body shape (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling):
//! `{"status", "serviceErrorCode", "code", "message", "errorDetails": {"inputErrors": [{"code", "description"}]}}`.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

// LinkedIn sends no rate-limit headers and publishes no limits
// (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits): a bare 429
// ("infrastructure protection", which "will return to normal automatically") carries no wait, so
// the engine's own backoff decides when to try again, as for other networks' headerless 429s.
/// LinkedIn's documented commentary limit.
pub const COMMENTARY_LIMIT: usize = 3_000;

pub fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Linkedin).arg("network", "LinkedIn")
}

pub fn transient(details: impl Into<String>) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

fn str_field<'a>(body: &'a Value, k: &str) -> &'a str {
    body.get(k).and_then(Value::as_str).unwrap_or("")
}

fn input_errors(body: &Value) -> impl Iterator<Item = &Value> {
    body.pointer("/errorDetails/inputErrors").and_then(Value::as_array).into_iter().flatten()
}

/// LinkedIn's own words: `code: message`, plus input errors the message does not already say.
pub fn details(status: u16, body: &Value) -> String {
    let code = str_field(body, "code");
    let message = str_field(body, "message");
    let mut d = match (code.is_empty(), message.is_empty()) {
        (true, true) => format!("HTTP {status}"),
        (true, false) => message.to_string(),
        (false, true) => code.to_string(),
        (false, false) => format!("{code}: {message}"),
    };
    for e in input_errors(body) {
        let text = [str_field(e, "code"), str_field(e, "description")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(": ");
        if !text.is_empty() && !d.contains(&text) {
            d.push_str("; ");
            d.push_str(&text);
        }
    }
    d
}

fn is_duplicate(body: &Value) -> bool {
    input_errors(body).any(|e| str_field(e, "code") == "DUPLICATE_POST") || str_field(body, "code") == "DUPLICATE_POST"
        || str_field(body, "message").to_ascii_lowercase().contains("is a duplicate of")
}

/// The commentary over LinkedIn's limit. Recorded (https://github.com/n8n-io/n8n/issues/22899):
/// 400 "…ShareCommentary text length (8694 characters) exceeded the maximum allowed (3000 characters)"
/// with input error `FIELD_ARRAY_SIZE_TOO_HIGH`; Rest.li's own validator says "ERROR :: /commentary :: length …".
fn is_too_long(body: &Value) -> bool {
    let m = str_field(body, "message").to_ascii_lowercase();
    m.contains("sharecommentary text length") || (m.contains("/commentary") && m.contains("length"))
}

/// The length LinkedIn counted, from "text length (N characters)" (it counts the commentary as
/// sent, escapes included, so it can exceed the user's text).
fn counted_length(body: &Value) -> Option<usize> {
    let m = str_field(body, "message");
    let after = &m[m.find("text length (")? + "text length (".len()..];
    after.split(' ').next()?.parse().ok()
}

/// LinkedIn's daily counters reset at midnight UTC.
pub fn until_midnight_utc(now: chrono::DateTime<chrono::Utc>) -> Duration {
    let next = (now.date_naive() + chrono::Days::new(1)).and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    Duration::from_secs((next - now).num_seconds().max(1) as u64)
}

fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get("retry-after")?.to_str().ok()?.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(v.max(1)))
}

/// Maps an error answer. `text_len` is the commentary length (for 132); `daily_limit`
/// is the posting cap crier tells the user about when LinkedIn says the member's day is used up.
pub fn map_error(status: u16, headers: &HeaderMap, body: &Value, text_len: usize, daily_limit: u32) -> Failure {
    let d = details(status, body);
    let message = str_field(body, "message");
    let rejected = |c: Code| Failure::Rejected(err(c).details(d.clone()));
    match status {
        // "Resource level throttle MEMBER DAY limit for calls to this resource is reached.": the
        // member's day is used up; nothing helps before midnight UTC.
        429 if message.contains("MEMBER DAY") => {
            let wait = until_midnight_utc(chrono::Utc::now()).as_secs();
            Failure::Rejected(err(Code::DailyCapReached).arg("limit", daily_limit).details(format!("{d} (LinkedIn resets daily limits at midnight UTC, in {wait} s)")))
        }
        429 => {
            // The application's day (all members) ends at midnight UTC; a bare 429 is short-lived.
            let wait = if message.contains("APPLICATION DAY") { Some(until_midnight_utc(chrono::Utc::now())) } else { retry_after_header(headers) };
            // Seconds in details when known (like a Retry-After), LinkedIn's words otherwise.
            let shown = wait.map(|w| w.as_secs().to_string()).unwrap_or(d);
            Failure::Transient { error: err(Code::NetworkRateLimited).details(shown), retry_after: wait }
        }
        500..=599 => transient(d),
        // 65600 invalid, 65601 revoked (also seen for expired), and any other 401.
        401 => rejected(Code::TokenInvalid),
        _ if is_duplicate(body) => rejected(Code::DuplicateContent),
        400 | 422 if is_too_long(body) => {
            let counted = counted_length(body).unwrap_or(text_len);
            Failure::Rejected(err(Code::TextTooLong).details(d).arg("limit", COMMENTARY_LIMIT).arg("overage", counted.saturating_sub(COMMENTARY_LIMIT)))
        }
        // 403 ACCESS_DENIED ("Not enough permissions to access: …") is not a dead token: the app lacks
        // the product, or the member lacks a page role for an organization. Relinking with the same
        // grant cannot help, so it is 915 with LinkedIn's text rather than 908.
        // 426 / NONEXISTENT_VERSION: crier's LinkedIn-Version was sunset — 915 until crier is updated.
        // 404 (unknown author, image or post) and 400/422 validation answers: 915 as well.
        _ => rejected(Code::NetworkRejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn midnight_is_counted_from_now() {
        let now = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 23, 59, 0).unwrap();
        assert_eq!(until_midnight_utc(now), Duration::from_secs(60));
        let now = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(until_midnight_utc(now), Duration::from_secs(86_400));
    }

    #[test]
    fn details_join_code_message_and_input_errors() {
        let body = serde_json::json!({"code": "X", "message": "m", "errorDetails": {"inputErrors": [{"code": "Y", "description": "why"}]}});
        assert_eq!(details(400, &body), "X: m; Y: why");
        assert_eq!(details(502, &Value::Null), "HTTP 502");
    }
}
