//! YouTube's limits: the project's `videos.insert` and `search.list`
//! buckets (per day, reset at midnight Pacific time) and the channel's
//! uploads per 24 hours. The numbers change on Google's side, so they are
//! configuration (`/_sandbox/youtube/config`). Other list calls cost one
//! unit of the general 10,000 and are not counted.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::error::GError;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct YtConfig {
    /// `videos.insert` calls per project per day (Google: a bucket of 100).
    pub inserts_per_day: u32,
    /// Completed uploads per channel per rolling 24 hours (Google does not
    /// publish the number; 50 is chosen).
    pub uploads_per_channel_per_day: u32,
    /// `search.list` calls per project per day (Google: a bucket of 100).
    pub searches_per_day: u32,
}

impl Default for YtConfig {
    fn default() -> Self {
        Self {
            inserts_per_day: 100,
            uploads_per_channel_per_day: 50,
            searches_per_day: 100,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    inserts_per_day: Option<u32>,
    uploads_per_channel_per_day: Option<u32>,
    searches_per_day: Option<u32>,
}

impl YtConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) {
        if let Some(n) = patch.inserts_per_day {
            self.inserts_per_day = n;
        }
        if let Some(n) = patch.uploads_per_channel_per_day {
            self.uploads_per_channel_per_day = n;
        }
        if let Some(n) = patch.searches_per_day {
            self.searches_per_day = n;
        }
    }
}

/// The quota day: Google resets at midnight Pacific time (UTC−8 here;
/// daylight saving time is ignored).
fn quota_day(now_secs: i64) -> i64 {
    (now_secs - 8 * 3600).div_euclid(86_400)
}

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Default)]
pub(crate) struct Quota {
    day: i64,
    inserts: u32,
    searches: u32,
    /// When each upload of the channel completed (unix ms), last 24 h.
    uploads: VecDeque<i64>,
}

impl Quota {
    /// Counts one `videos.insert` call (every call costs, even refused ones)
    /// and checks both limits.
    pub(crate) fn charge_insert(&mut self, config: &YtConfig, now_ms: i64) -> Result<(), GError> {
        self.roll(now_ms);
        self.inserts = self.inserts.saturating_add(1);
        if self.inserts > config.inserts_per_day {
            return Err(GError::quota_exceeded());
        }
        self.uploads.retain(|t| now_ms - *t < DAY_MS);
        if self.uploads.len() >= config.uploads_per_channel_per_day as usize {
            return Err(GError::upload_limit_exceeded());
        }
        Ok(())
    }

    /// A new Pacific day restarts the daily buckets.
    fn roll(&mut self, now_ms: i64) {
        let day = quota_day(now_ms.div_euclid(1000));
        if day != self.day {
            self.day = day;
            self.inserts = 0;
            self.searches = 0;
        }
    }

    /// Counts one `search.list` call (refused ones too) against its bucket.
    pub(crate) fn charge_search(&mut self, config: &YtConfig, now_ms: i64) -> Result<(), GError> {
        self.roll(now_ms);
        self.searches = self.searches.saturating_add(1);
        if self.searches > config.searches_per_day {
            return Err(GError::quota_exceeded());
        }
        Ok(())
    }

    pub(crate) fn record_upload(&mut self, now_ms: i64) {
        self.uploads.push_back(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        let config = YtConfig {
            inserts_per_day: 2,
            uploads_per_channel_per_day: 1,
            searches_per_day: 1,
        };
        let mut q = Quota::default();
        let t = 1_700_000_000_000;
        assert!(q.charge_insert(&config, t).is_ok());
        q.record_upload(t);
        assert_eq!(
            q.charge_insert(&config, t).unwrap_err().reason(),
            "uploadLimitExceeded"
        );
        assert_eq!(
            q.charge_insert(&config, t).unwrap_err().reason(),
            "quotaExceeded"
        );
        // A day later: a new insert bucket, and the upload has aged out.
        let next = t + DAY_MS;
        assert!(q.charge_insert(&config, next).is_ok());
        assert!(q.charge_search(&config, next).is_ok());
        assert_eq!(
            q.charge_search(&config, next).unwrap_err().reason(),
            "quotaExceeded"
        );
        assert_eq!(quota_day(8 * 3600), 0);
        assert_eq!(quota_day(8 * 3600 - 1), -1);
    }
}
