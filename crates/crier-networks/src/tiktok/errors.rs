//! TikTok's answer envelope and the table mapping its errors to catalog codes.
//!
//! Every v2 answer is `{"data": {...}, "error": {"code", "message", "log_id"}}`; success carries
//! `"code": "ok"` (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling). The posting
//! codes (`spam_risk_*`, `url_ownership_unverified`, `privacy_level_option_mismatch`…) come from
//! the Content Posting API references and /work/shared/spec/upstream-apis.md §4.2.

use crate::Failure;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// TikTok's rate limits are per minute per token: without a header saying otherwise, wait that.
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

pub fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Tiktok).arg("network", "TikTok")
}

/// One answer from open.tiktokapis.com.
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// `error.code`, or `ok` when the body has no error object.
    pub fn code(&self) -> &str {
        self.body.pointer("/error/code").and_then(Value::as_str).unwrap_or(if self.body.is_object() { "ok" } else { "" })
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status) && self.code() == "ok"
    }

    pub fn data(&self) -> &Value {
        self.body.get("data").unwrap_or(&Value::Null)
    }

    pub fn data_str(&self, field: &str) -> Option<&str> {
        self.data().get(field).and_then(Value::as_str).filter(|s| !s.is_empty())
    }

    /// TikTok's own words: `code: message (log_id …)`, or the HTTP status when the body is not TikTok's.
    pub fn details(&self) -> String {
        let message = self.body.pointer("/error/message").and_then(Value::as_str).unwrap_or("");
        let mut d = match (self.code(), message) {
            ("" | "ok", "") => format!("HTTP {}", self.status),
            ("" | "ok", m) => format!("HTTP {}: {m}", self.status),
            (c, "") => c.to_string(),
            (c, m) => format!("{c}: {m}"),
        };
        if let Some(log) = self.body.pointer("/error/log_id").and_then(Value::as_str).filter(|l| !l.is_empty()) {
            d.push_str(&format!(" (log_id {log})"));
        }
        d
    }

    /// `Retry-After` seconds, when TikTok (or a proxy in front of it) sends one.
    fn retry_after(&self) -> Option<Duration> {
        let raw = self.headers.get("retry-after")?.to_str().ok()?;
        raw.trim().parse::<u64>().ok().map(Duration::from_secs)
    }
}

/// Words in an `invalid_params` message that say the problem is the media itself.
const MEDIA_WORDS: [&str; 9] = ["video", "photo", "image", "picture", "media", "duration", "frame", "resolution", "file"];

/// Maps an error answer. `scope` is the scope the called endpoint needs (for `details` of scope
/// errors); `daily_limit` is the per-creator cap shown with 923. One row per case: see
/// tests/tiktok_errors.rs.
pub fn map_error(a: &Answer, scope: &str, daily_limit: u32) -> Failure {
    let details = a.details();
    let rejected = |code: Code| Failure::Rejected(err(code).details(details.clone()));
    let message = a.body.pointer("/error/message").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    match a.code() {
        "access_token_invalid" => rejected(Code::TokenInvalid),
        "scope_not_authorized" | "scope_permission_missed" => {
            Failure::Rejected(err(Code::NetworkRejected).details(format!("{details}; this call needs the {scope} scope: relink TikTok granting it")))
        }
        "rate_limit_exceeded" => throttled(a),
        _ if a.status == 429 => throttled(a),
        "spam_risk_too_many_posts" | "spam_risk_too_many_pending_share" | "reached_active_user_cap" => {
            Failure::Rejected(err(Code::DailyCapReached).details(details).arg("limit", daily_limit))
        }
        "url_ownership_unverified" => Failure::Rejected(err(Code::MediaUrlInvalid).details(format!(
            "{details}; TikTok pulls media only from domains or URL prefixes verified for the app \
             (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide#pull_from_url)"
        ))),
        "invalid_file_upload" => rejected(Code::MediaRules),
        "invalid_params" if message.contains("url") => rejected(Code::MediaUrlInvalid),
        "invalid_params" if MEDIA_WORDS.iter().any(|w| message.contains(w)) => rejected(Code::MediaRules),
        "internal_error" => unavailable(details),
        _ if a.status >= 500 => unavailable(details),
        _ if a.status == 401 => rejected(Code::TokenInvalid),
        // spam_risk_user_banned_from_posting, unaudited_client_can_only_post_to_private_accounts,
        // privacy_level_option_mismatch, invalid_params, spam_risk_text, anything new.
        _ => rejected(Code::NetworkRejected),
    }
}

fn throttled(a: &Answer) -> Failure {
    let after = a.retry_after().unwrap_or(RATE_WINDOW);
    Failure::Transient { error: err(Code::NetworkRateLimited).details(after.as_secs().to_string()), retry_after: Some(after) }
}

pub fn unavailable(details: String) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

/// A post whose status is `FAILED`, by its `fail_reason`
/// (https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status).
/// `internal` is TikTok's own failure: the class is transient (sending again may work).
pub fn map_fail_reason(reason: &str, daily_limit: u32) -> Failure {
    let details = format!("FAILED: {reason}");
    match reason {
        "internal" => unavailable(details),
        "video_pull_failed" | "photo_pull_failed" => Failure::Rejected(err(Code::MediaUrlInvalid).details(details)),
        r if r.starts_with("spam_risk_too_many") => Failure::Rejected(err(Code::DailyCapReached).details(details).arg("limit", daily_limit)),
        r if r.ends_with("_check_failed") => Failure::Rejected(err(Code::MediaRules).details(details)),
        _ => Failure::Rejected(err(Code::NetworkRejected).details(details)),
    }
}
