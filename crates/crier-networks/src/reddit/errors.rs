//! How Reddit answers a refusal, and what crier makes of it.
//!
//! With `api_type=json`, `/api/submit` answers HTTP 200 even when it refuses and lists
//! `[CODE, message, field]` triples in `json.errors` (posts failing a subreddit's post
//! requirements come back the same way with HTTP 400, see r/redditdev "Upcoming API change:
//! POST /api/submit"). Transport-level refusals (401, 403, 429, 5xx) carry a small
//! `{"message", "error"}` body instead.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// Reddit's title limit, used when the TOO_LONG message does not name one.
pub const TITLE_LIMIT: usize = 300;
/// Reddit's self-post body limit, likewise.
pub const TEXT_LIMIT: usize = 40_000;

pub(crate) fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Reddit).arg("network", "Reddit")
}

pub(crate) fn transient(details: impl Into<String>) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

/// What was sent, so that a refusal can name limits and overage.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub title_chars: usize,
    pub text_chars: usize,
    /// The submitted `url` came from `mediaUrls` (a bad URL is then a bad media URL: 136).
    pub url_is_media: bool,
}

/// One `[CODE, message, field]` triple.
#[derive(Clone, Debug, PartialEq)]
pub struct RedditError {
    pub code: String,
    pub message: String,
    pub field: String,
}

/// The triples of `json.errors` (empty when there are none or the body is not Reddit's).
pub fn error_triples(body: &Value) -> Vec<RedditError> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    body.pointer("/json/errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .map(|t| RedditError { code: text(t.first()), message: text(t.get(1)), field: text(t.get(2)) })
        .collect()
}

fn triples_text(triples: &[RedditError]) -> String {
    triples
        .iter()
        .map(|t| if t.field.is_empty() { format!("{}: {}", t.code, t.message) } else { format!("{}: {} ({})", t.code, t.message, t.field) })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Seconds in a RATELIMIT text: "try again in 9 minutes.", "Take a break for 1 minute and 30
/// seconds", "try again in 545 milliseconds". Units are summed; None when no number is found.
pub fn wait_in_text(text: &str) -> Option<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut total_ms: u64 = 0;
    let mut found = false;
    for pair in words.windows(2) {
        let Ok(n) = pair[0].parse::<u64>() else { continue };
        let unit_ms = match pair[1].trim_end_matches('s') {
            "hour" => 3_600_000,
            "minute" => 60_000,
            "second" => 1_000,
            "millisecond" => 1,
            _ => continue,
        };
        total_ms = total_ms.saturating_add(n.saturating_mul(unit_ms));
        found = true;
    }
    found.then(|| total_ms.div_ceil(1000).max(1))
}

/// `X-Ratelimit-Reset` is the number of seconds until the window ends (it may carry decimals).
fn reset_seconds(headers: &HeaderMap) -> Option<u64> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<f64>().ok());
    header("x-ratelimit-reset")
        .or_else(|| header("retry-after"))
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| (s.ceil() as u64).max(1))
}

fn rate_limited(wait: Option<u64>, text: String) -> Failure {
    Failure::Transient {
        error: err(Code::NetworkRateLimited).details(wait.map(|w| w.to_string()).unwrap_or(text)),
        retry_after: wait.map(Duration::from_secs),
    }
}

/// The limit a TOO_LONG message names: "this is too long (max: 300)".
fn named_limit(message: &str) -> Option<usize> {
    let after = message.split("max").nth(1)?;
    let digits: String = after.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn map_triple(t: &RedditError, details: String, sent: &Sent) -> Failure {
    match t.code.as_str() {
        "RATELIMIT" => rate_limited(wait_in_text(&t.message), details),
        "USER_REQUIRED" | "INVALID_TOKEN" => Failure::Rejected(err(Code::TokenInvalid).details(details)),
        "ALREADY_SUB" => Failure::Rejected(err(Code::DuplicateContent).details(details)),
        "TOO_LONG" => {
            let (default_limit, len) = if t.field == "title" { (TITLE_LIMIT, sent.title_chars) } else { (TEXT_LIMIT, sent.text_chars) };
            let limit = named_limit(&t.message).unwrap_or(default_limit);
            Failure::Rejected(err(Code::TextTooLong).details(details).arg("limit", limit).arg("overage", len.saturating_sub(limit)))
        }
        "BAD_URL" | "NO_URL" if sent.url_is_media => Failure::Rejected(err(Code::MediaUrlInvalid).details(details)),
        _ => Failure::Rejected(err(Code::NetworkRejected).details(details)),
    }
}

/// Maps a Reddit refusal (error triples in any status, or an HTTP error) to a failure.
/// One row per case; see tests/reddit_errors.rs.
pub fn map_error(status: u16, headers: &HeaderMap, body: &Value, sent: &Sent) -> Failure {
    let triples = error_triples(body);
    let message = ["message", "reason", "explanation"]
        .iter()
        .filter_map(|k| body.get(*k).and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(": ");
    let http_details = if message.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {message}") };
    match status {
        401 => return Failure::Rejected(err(Code::TokenInvalid).details(http_details)),
        429 => return rate_limited(reset_seconds(headers), http_details),
        500..=599 => return transient(http_details),
        _ => {}
    }
    // RATELIMIT decides first: a later attempt may succeed, whatever else is listed.
    let decisive = triples.iter().find(|t| t.code == "RATELIMIT").or_else(|| triples.first());
    match decisive {
        Some(t) => map_triple(t, triples_text(&triples), sent),
        None => Failure::Rejected(err(Code::NetworkRejected).details(http_details)),
    }
}

/// Maps a failed read (analytics, history) to the report for `action`.
pub(crate) fn read_report(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratelimit_texts() {
        assert_eq!(wait_in_text("you are doing that too much. try again in 9 minutes."), Some(540));
        assert_eq!(wait_in_text("Take a break for 1 minute and 30 seconds before trying again."), Some(90));
        assert_eq!(wait_in_text("try again in 545 milliseconds."), Some(1));
        assert_eq!(wait_in_text("try again in 1 second"), Some(1));
        assert_eq!(wait_in_text("you are doing that too much"), None);
        assert_eq!(wait_in_text("99999999999999999999 minutes"), None, "an unparsable number is not a wait");
    }

    #[test]
    fn too_long_names_its_limit() {
        assert_eq!(named_limit("this is too long (max: 300)"), Some(300));
        assert_eq!(named_limit("this is too long"), None);
    }
}
