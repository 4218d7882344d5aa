//! X's rate limits and its tunables (`/_sandbox/x/config`).
//!
//! Each endpoint has a fixed 15-minute window per user, announced by
//! `x-rate-limit-limit/-remaining/-reset` (reset in unix seconds) on every
//! answer. Post creation also counts against a 24-hour window per user and
//! per app, announced by the `x-user-limit-24hour-*` and
//! `x-app-limit-24hour-*` families.

use axum::http::HeaderValue;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::control_kit::present;

pub(crate) const WINDOW_15_MIN: i64 = 15 * 60;
pub(crate) const WINDOW_24_H: i64 = 24 * 3600;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct XConfig {
    /// `POST /2/tweets` per user per 15 minutes (X: 100).
    pub tweets_per_15_min: u32,
    /// `POST /2/tweets` per user per 24 hours (chosen: 2,400, X's historic
    /// daily posting limit; the current number is not published).
    pub user_tweets_per_24h: u32,
    /// `POST /2/tweets` per app per 24 hours (X: 10,000).
    pub app_tweets_per_24h: u32,
    /// How long video/GIF processing takes after FINALIZE (0 = at once).
    pub media_processing_ms: u64,
    /// What processing ends in: `"succeeded"` or `"failed"`.
    pub media_processing_outcome: Outcome,
    /// Posts per app per calendar month (UTC); `None` = no cap.
    pub monthly_cap: Option<u64>,
}

impl Default for XConfig {
    fn default() -> Self {
        Self {
            tweets_per_15_min: 100,
            user_tweets_per_24h: 2400,
            app_tweets_per_24h: 10_000,
            media_processing_ms: 0,
            media_processing_outcome: Outcome::Succeeded,
            monthly_cap: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Outcome {
    Succeeded,
    Failed,
}

/// A partial update: absent fields keep their value; `monthlyCap: null`
/// (or 0) removes the cap.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    tweets_per_15_min: Option<u32>,
    user_tweets_per_24h: Option<u32>,
    app_tweets_per_24h: Option<u32>,
    media_processing_ms: Option<u64>,
    media_processing_outcome: Option<Outcome>,
    #[serde(default, deserialize_with = "present")]
    monthly_cap: Option<Option<u64>>,
}

impl ConfigPatch {
    /// Whether a window size changed (the windows then restart).
    pub(crate) fn touches_limits(&self) -> bool {
        self.tweets_per_15_min.is_some()
            || self.user_tweets_per_24h.is_some()
            || self.app_tweets_per_24h.is_some()
    }
}

impl XConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) {
        macro_rules! take {
            ($($field:ident),*) => { $( if let Some(v) = patch.$field { self.$field = v; } )* };
        }
        take!(
            tweets_per_15_min,
            user_tweets_per_24h,
            app_tweets_per_24h,
            media_processing_ms,
            media_processing_outcome
        );
        if let Some(cap) = patch.monthly_cap {
            self.monthly_cap = cap.filter(|c| *c > 0);
        }
    }

    /// Requests per user per 15 minutes for an endpoint (X's published
    /// numbers; only post creation is configurable).
    pub(crate) fn per_15_min(&self, endpoint: &str) -> u32 {
        match endpoint {
            "tweets" => self.tweets_per_15_min,
            "tweets.delete" => 50,
            "tweets.get" => 900,
            "users.me" => 75,
            "users.tweets" => 900,
            "media.initialize" | "media.append" | "media.finalize" => 1875,
            "media.status" => 1000,
            "media.upload" => 500,
            _ => 900,
        }
    }
}

/// What one window says in headers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset: i64,
}

/// A fixed window that starts with its first request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Window {
    start: i64,
    used: u32,
}

impl Window {
    fn roll(&mut self, len: i64, now: i64) {
        if now >= self.start + len {
            self.start = now;
            self.used = 0;
        }
    }

    /// Counts one request; `Err` (remaining 0) when the window is used up.
    pub(crate) fn charge(&mut self, limit: u32, len: i64, now: i64) -> Result<RateInfo, RateInfo> {
        self.roll(len, now);
        let reset = self.start + len;
        if self.used >= limit {
            return Err(RateInfo {
                limit,
                remaining: 0,
                reset,
            });
        }
        self.used += 1;
        Ok(RateInfo {
            limit,
            remaining: limit - self.used,
            reset,
        })
    }

    /// The window's state without counting anything.
    pub(crate) fn peek(&self, limit: u32, len: i64, now: i64) -> RateInfo {
        let mut copy = *self;
        copy.roll(len, now);
        RateInfo {
            limit,
            remaining: limit.saturating_sub(copy.used),
            reset: copy.start + len,
        }
    }
}

/// Sets `<prefix>-limit`, `-remaining` and `-reset` unless already present
/// (a fault's own headers win).
pub(crate) fn apply(response: &mut Response, prefix: &str, info: RateInfo) {
    let headers = response.headers_mut();
    for (suffix, value) in [
        ("limit", info.limit.to_string()),
        ("remaining", info.remaining.to_string()),
        ("reset", info.reset.to_string()),
    ] {
        let name = format!("{prefix}-{suffix}");
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::try_from(name),
            HeaderValue::from_str(&value),
        ) && !headers.contains_key(&name)
        {
            headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_and_rolls() {
        let mut w = Window::default();
        assert_eq!(w.charge(2, 900, 1000).unwrap().remaining, 1);
        assert_eq!(w.charge(2, 900, 1001).unwrap().remaining, 0);
        let refused = w.charge(2, 900, 1002).unwrap_err();
        assert_eq!((refused.remaining, refused.reset), (0, 1900));
        assert_eq!(w.charge(2, 900, 1900).unwrap().remaining, 1);
        assert_eq!(w.peek(2, 900, 1901).remaining, 1);
    }

    #[test]
    fn patch_clears_cap_with_null() {
        let mut config = XConfig::default();
        config.apply(serde_json::from_str(r#"{"monthlyCap": 5}"#).unwrap());
        assert_eq!(config.monthly_cap, Some(5));
        config.apply(serde_json::from_str(r#"{"tweetsPer15Min": 3}"#).unwrap());
        assert_eq!(config.monthly_cap, Some(5));
        config.apply(serde_json::from_str(r#"{"monthlyCap": null}"#).unwrap());
        assert_eq!(config.monthly_cap, None);
    }
}
