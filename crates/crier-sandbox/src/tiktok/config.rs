//! TikTok emulator settings (`POST /_sandbox/tiktok/config`), the account
//! state (`POST /_sandbox/tiktok/account`) and the counters behind the
//! per-token rate limits and the daily post cap.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::control_kit::present;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TtConfig {
    /// Status fetches (after the media is in) up to and including the one
    /// that answers the final status: 2 = the 2nd fetch completes.
    pub status_polls: u32,
    /// When set, processing ends `FAILED` with this `fail_reason`
    /// (e.g. `"spam_risk_too_many_posts"`, `"internal"`).
    pub fail_reason: Option<String>,
    /// Direct posts per user per UTC day (`spam_risk_too_many_posts`).
    pub daily_posts: u32,
    /// Init calls (video, inbox, photo) per token per minute (TikTok: 6).
    pub init_per_minute: u32,
    /// Status fetches per token per minute (TikTok: 30).
    pub status_per_minute: u32,
    /// Smallest chunk of a multi-chunk FILE_UPLOAD (TikTok: 5 MB); smaller
    /// files go in one chunk.
    pub min_chunk_bytes: u64,
    /// What `creator_info/query` offers; `privacy_level` must be one of them.
    pub privacy_level_options: Vec<String>,
    /// Scopes the token carries.
    pub scopes: Vec<String>,
    /// URL prefixes the developer verified for PULL_FROM_URL, besides the
    /// sandbox's own host (TikTok verifies domains or URL prefixes).
    pub verified_url_prefixes: Vec<String>,
}

impl Default for TtConfig {
    fn default() -> Self {
        Self {
            status_polls: 2,
            fail_reason: None,
            daily_posts: 15,
            init_per_minute: 6,
            status_per_minute: 30,
            min_chunk_bytes: 5 * 1024 * 1024,
            privacy_level_options: [
                "PUBLIC_TO_EVERYONE",
                "MUTUAL_FOLLOW_FRIENDS",
                "FOLLOWER_OF_CREATOR",
                "SELF_ONLY",
            ]
            .map(String::from)
            .to_vec(),
            scopes: [
                "user.info.basic",
                "video.publish",
                "video.upload",
                "video.list",
            ]
            .map(String::from)
            .to_vec(),
            verified_url_prefixes: Vec::new(),
        }
    }
}

/// Body of `POST /_sandbox/tiktok/config`; `failReason: null` clears it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    status_polls: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    fail_reason: Option<Option<String>>,
    daily_posts: Option<u32>,
    init_per_minute: Option<u32>,
    status_per_minute: Option<u32>,
    min_chunk_bytes: Option<u64>,
    privacy_level_options: Option<Vec<String>>,
    scopes: Option<Vec<String>>,
    verified_url_prefixes: Option<Vec<String>>,
}

impl TtConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) -> Result<(), String> {
        if patch.status_polls == Some(0) {
            return Err("statusPolls must be at least 1".into());
        }
        if patch.min_chunk_bytes == Some(0) {
            return Err("minChunkBytes must be positive".into());
        }
        if let Some(n) = patch.status_polls {
            self.status_polls = n;
        }
        if let Some(reason) = patch.fail_reason {
            self.fail_reason = reason;
        }
        if let Some(n) = patch.daily_posts {
            self.daily_posts = n;
        }
        if let Some(n) = patch.init_per_minute {
            self.init_per_minute = n;
        }
        if let Some(n) = patch.status_per_minute {
            self.status_per_minute = n;
        }
        if let Some(n) = patch.min_chunk_bytes {
            self.min_chunk_bytes = n;
        }
        if let Some(options) = patch.privacy_level_options {
            self.privacy_level_options = options;
        }
        if let Some(scopes) = patch.scopes {
            self.scopes = scopes;
        }
        if let Some(prefixes) = patch.verified_url_prefixes {
            self.verified_url_prefixes = prefixes;
        }
        Ok(())
    }

    pub(crate) fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// The seeded user's state.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Account {
    /// `false`: every call answers `access_token_invalid` (expired or revoked).
    pub token_valid: bool,
    /// `spam_risk_user_banned_from_posting` on init.
    pub banned: bool,
}

impl Account {
    pub(crate) fn new() -> Self {
        Self {
            token_valid: true,
            banned: false,
        }
    }
}

/// A sliding one-minute window of call times (unix ms).
#[derive(Debug, Default)]
pub(crate) struct MinuteWindow(VecDeque<i64>);

impl MinuteWindow {
    /// Counts one call if fewer than `limit` were made in the last minute.
    pub(crate) fn take(&mut self, limit: u32, now_ms: i64) -> bool {
        while self.0.front().is_some_and(|t| now_ms - t >= 60_000) {
            self.0.pop_front();
        }
        if self.0.len() >= limit as usize {
            return false;
        }
        self.0.push_back(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_patches() {
        let mut w = MinuteWindow::default();
        assert!(w.take(2, 0) && w.take(2, 10));
        assert!(!w.take(2, 59_999));
        assert!(w.take(2, 60_000));
        let mut cfg = TtConfig::default();
        let patch: ConfigPatch = serde_json::from_str(r#"{"failReason":"internal"}"#).unwrap();
        cfg.apply(patch).unwrap();
        assert_eq!(cfg.fail_reason.as_deref(), Some("internal"));
        let patch: ConfigPatch = serde_json::from_str(r#"{"failReason":null}"#).unwrap();
        cfg.apply(patch).unwrap();
        assert_eq!(cfg.fail_reason, None);
        let patch: ConfigPatch = serde_json::from_str(r#"{"statusPolls":3}"#).unwrap();
        cfg.apply(patch).unwrap();
        assert_eq!((cfg.status_polls, cfg.fail_reason.as_deref()), (3, None));
    }
}
