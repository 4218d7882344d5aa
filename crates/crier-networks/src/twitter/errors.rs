//! X's answers → catalog codes. X speaks two dialects: v2 problem details
//! (`type`, `title`, `detail`) and v1.1 `{"errors":[{"code","message"}]}`.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

pub fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Twitter).arg("network", "X")
}

/// What X said, in one readable string for `details` (X's raw words): the problem's
/// title and detail, then every message of an `errors` array (v2 extensions or v1.1 codes).
pub fn raw_text(body: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    let title = body.get("title").and_then(Value::as_str).unwrap_or("");
    let detail = body.get("detail").and_then(Value::as_str).unwrap_or("");
    match (title.is_empty(), detail.is_empty()) {
        (true, true) => {}
        (false, true) => parts.push(title.to_string()),
        (true, false) => parts.push(detail.to_string()),
        (false, false) => parts.push(format!("{title}: {detail}")),
    }
    for e in body.get("errors").and_then(Value::as_array).into_iter().flatten() {
        parts.push(match (e.get("code"), e.get("message").and_then(Value::as_str)) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (_, Some(m)) => m.to_string(),
            _ => e.to_string(),
        });
    }
    if parts.is_empty() { body.to_string() } else { parts.join("; ") }
}

fn legacy_codes(body: &Value) -> Vec<i64> {
    body.get("errors").and_then(Value::as_array).into_iter().flatten().filter_map(|e| e.get("code").and_then(Value::as_i64)).collect()
}

fn problem(body: &Value) -> &str {
    body.get("type").and_then(Value::as_str).map(|t| t.rsplit('/').next().unwrap_or(t)).unwrap_or("")
}

/// Seconds until `x-rate-limit-reset` (unix seconds).
pub fn reset_in(headers: &HeaderMap) -> Option<Duration> {
    let reset = headers.get("x-rate-limit-reset")?.to_str().ok()?.parse::<i64>().ok()?;
    Some(Duration::from_secs((reset - chrono::Utc::now().timestamp()).max(1) as u64))
}

/// Maps an error answer of X. `text_len` is the length of the text sent (for 111).
pub fn map_error(status: u16, body: &Value, headers: &HeaderMap, text_len: usize) -> Failure {
    let raw = raw_text(body);
    let legacy = legacy_codes(body);
    let lower = raw.to_ascii_lowercase();
    let rejected = |code: Code| Failure::Rejected(err(code).details(raw.clone()));
    let access_level = headers.get("x-access-level").and_then(|v| v.to_str().ok()).unwrap_or("");
    match status {
        // Keys of another app than the stored tokens, or tokens no longer valid: X cannot verify who this is.
        401 => rejected(Code::TwitterIdentity),
        402 => rejected(Code::TwitterCreditsDepleted),
        403 if problem(body) == "oauth1-permissions" || access_level == "read" => {
            Failure::Rejected(err(Code::TwitterReadOnlyToken).details(if access_level.is_empty() { raw.clone() } else { format!("x-access-level: {access_level}") }))
        }
        403 if lower.contains("duplicate") || legacy.contains(&187) => Failure::Rejected(err(Code::TwitterDuplicate).details(raw.clone())),
        // Suspended (64), locked (326), or "not permitted": the account, not the post.
        403 if legacy.iter().any(|c| matches!(c, 64 | 326)) || lower.contains("suspended") || lower.contains("locked") || lower.contains("not permitted") => {
            rejected(Code::TwitterIdentity)
        }
        400 | 403 if text_len > 280 && (lower.contains("text") || lower.contains("too long") || legacy.contains(&186)) => rejected(Code::TwitterLongPost),
        429 if problem(body) == "usage-capped" => rejected(Code::NetworkRateLimited),
        429 => {
            let wait = reset_in(headers);
            Failure::Transient {
                error: err(Code::NetworkRateLimited).details(wait.map(|w| w.as_secs().to_string()).unwrap_or(raw)),
                retry_after: wait,
            }
        }
        500..=599 => Failure::Transient { error: err(Code::NetworkUnavailable).details(raw), retry_after: None },
        _ => rejected(Code::NetworkRejected),
    }
}
