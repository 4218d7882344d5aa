//! Fixed-window point buckets and the `ratelimit-*` headers the Bluesky PDS
//! sends on every answer.

use axum::http::HeaderValue;
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// Configurable limits (defaults are the documented production numbers).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Limits {
    /// Write points per DID per hour (createRecord costs 3, deleteRecord 1).
    #[serde(default = "default_write_points")]
    pub write_points_per_hour: u32,
    /// Requests per client per 5 minutes (the PDS's global limit).
    #[serde(default = "default_requests")]
    pub requests_per_5_min: u32,
    /// Largest blob accepted by uploadBlob, in bytes.
    #[serde(default = "default_blob_max")]
    pub blob_max_bytes: usize,
}

fn default_write_points() -> u32 {
    5000
}
fn default_requests() -> u32 {
    3000
}
fn default_blob_max() -> usize {
    1_000_000
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            write_points_per_hour: default_write_points(),
            requests_per_5_min: default_requests(),
            blob_max_bytes: default_blob_max(),
        }
    }
}

pub(crate) const WRITE_WINDOW_SECS: i64 = 3600;
pub(crate) const GLOBAL_WINDOW_SECS: i64 = 300;

/// What the `ratelimit-*` headers of one answer say.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset: i64,
    pub window: i64,
}

impl RateInfo {
    /// Sets the headers, keeping any already present (fault overrides).
    pub(crate) fn apply(&self, response: &mut Response, overwrite: bool) {
        let headers = response.headers_mut();
        let values = [
            ("ratelimit-limit", self.limit.to_string()),
            ("ratelimit-remaining", self.remaining.to_string()),
            ("ratelimit-reset", self.reset.to_string()),
            (
                "ratelimit-policy",
                format!("{};w={}", self.limit, self.window),
            ),
        ];
        for (name, value) in values {
            if (overwrite || !headers.contains_key(name))
                && let Ok(value) = HeaderValue::from_str(&value)
            {
                headers.insert(name, value);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Bucket {
    window_start: i64,
    used: u32,
}

impl Bucket {
    fn roll(&mut self, window: i64, now: i64) {
        if now >= self.window_start + window {
            self.window_start = now;
            self.used = 0;
        }
    }

    /// Consumes `points`; `Err` (with remaining 0) when that would exceed `limit`.
    pub(crate) fn charge(
        &mut self,
        points: u32,
        limit: u32,
        window: i64,
        now: i64,
    ) -> Result<RateInfo, RateInfo> {
        self.roll(window, now);
        let reset = self.window_start + window;
        if self.used.saturating_add(points) > limit {
            return Err(RateInfo {
                limit,
                remaining: limit.saturating_sub(self.used),
                reset,
                window,
            });
        }
        self.used += points;
        Ok(RateInfo {
            limit,
            remaining: limit - self.used,
            reset,
            window,
        })
    }

    /// Current state without consuming anything.
    pub(crate) fn peek(&self, limit: u32, window: i64, now: i64) -> RateInfo {
        let mut copy = *self;
        copy.roll(window, now);
        RateInfo {
            limit,
            remaining: limit.saturating_sub(copy.used),
            reset: copy.window_start + window,
            window,
        }
    }
}
