//! Pinterest's limits and the emulator's tunables (`/_sandbox/pinterest/config`,
//! `/_sandbox/pinterest/throttle`).
//!
//! Pinterest documents per-user-per-app request limits (Standard access:
//! per-second and per-minute budgets by endpoint category) and, on Trial
//! access, 1,000 requests a day per app
//! (https://developers.pinterest.com/docs/reference/rate-limits/,
//! https://developers.pinterest.com/docs/key-concepts/access-tiers/). Both
//! are off by default and configurable here; a refused call answers 429
//! code 8 with `X-RateLimit-Limit/Remaining/Reset` (reset in seconds).

use serde::{Deserialize, Serialize};

use super::error::PinError;
use crate::control_kit::present;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PinConfig {
    /// API calls per user per minute; `None` = unlimited.
    pub per_minute: Option<u32>,
    /// API calls per UTC day (Trial access: 1,000); `None` = unlimited.
    pub per_day: Option<u32>,
    /// How a video upload ends: `"succeeded"` or `"failed"`.
    pub media_outcome: String,
    /// How many `GET /v5/media/{id}` polls after the upload answer
    /// `processing` before the outcome.
    pub media_processing_polls: u32,
}

impl Default for PinConfig {
    fn default() -> Self {
        Self {
            per_minute: None,
            per_day: None,
            media_outcome: "succeeded".into(),
            media_processing_polls: 1,
        }
    }
}

/// A partial update: absent fields keep their value; `null` or 0 removes a limit.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    #[serde(default, deserialize_with = "present")]
    per_minute: Option<Option<u32>>,
    #[serde(default, deserialize_with = "present")]
    per_day: Option<Option<u32>>,
    media_outcome: Option<String>,
    media_processing_polls: Option<u32>,
}

impl PinConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) -> Result<(), String> {
        if let Some(outcome) = &patch.media_outcome
            && !matches!(outcome.as_str(), "succeeded" | "failed")
        {
            return Err(format!(
                "mediaOutcome must be \"succeeded\" or \"failed\", not {outcome:?}"
            ));
        }
        if let Some(limit) = patch.per_minute {
            self.per_minute = limit.filter(|n| *n > 0);
        }
        if let Some(limit) = patch.per_day {
            self.per_day = limit.filter(|n| *n > 0);
        }
        if let Some(outcome) = patch.media_outcome {
            self.media_outcome = outcome;
        }
        if let Some(polls) = patch.media_processing_polls {
            self.media_processing_polls = polls;
        }
        Ok(())
    }
}

/// Request counters.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counters {
    minute_start: i64,
    minute_used: u32,
    day: String,
    day_used: u32,
    /// Calls still to refuse (`/_sandbox/pinterest/throttle`), and the reset
    /// they announce.
    pub throttle_left: u32,
    pub throttle_reset_secs: u64,
}

/// The headers every answer carries while a limit is configured.
#[derive(Debug)]
pub(crate) struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

impl Counters {
    /// Counts one API call at `now` (unix seconds); refuses it when a limit
    /// is used up (a refused call counts against nothing).
    pub(crate) fn charge(
        &mut self,
        config: &PinConfig,
        now: i64,
    ) -> Result<Option<RateHeaders>, PinError> {
        if self.throttle_left > 0 {
            self.throttle_left -= 1;
            let limit = config.per_minute.unwrap_or(1000);
            return Err(PinError::rate_limited(limit, self.throttle_reset_secs));
        }
        if now >= self.minute_start + 60 {
            self.minute_start = now;
            self.minute_used = 0;
        }
        let today = chrono::DateTime::from_timestamp(now, 0)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        if self.day != today {
            self.day = today;
            self.day_used = 0;
        }
        let minute_reset = (self.minute_start + 60 - now).max(1) as u64;
        let day_reset = (86_400 - now.rem_euclid(86_400)).max(1) as u64;
        if let Some(limit) = config.per_day
            && self.day_used >= limit
        {
            return Err(PinError::rate_limited(limit, day_reset));
        }
        if let Some(limit) = config.per_minute
            && self.minute_used >= limit
        {
            return Err(PinError::rate_limited(limit, minute_reset));
        }
        self.minute_used += 1;
        self.day_used += 1;
        // The tighter configured window is the one announced.
        let minute = config.per_minute.map(|limit| RateHeaders {
            limit,
            remaining: limit - self.minute_used,
            reset_secs: minute_reset,
        });
        let day = config.per_day.map(|limit| RateHeaders {
            limit,
            remaining: limit - self.day_used,
            reset_secs: day_reset,
        });
        Ok(match (minute, day) {
            (Some(m), Some(d)) => Some(if d.remaining < m.remaining { d } else { m }),
            (m, d) => m.or(d),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_throttle() {
        let config = PinConfig {
            per_minute: Some(2),
            ..PinConfig::default()
        };
        let mut c = Counters::default();
        let first = c.charge(&config, 1000).unwrap().unwrap();
        assert_eq!((first.limit, first.remaining), (2, 1));
        assert!(c.charge(&config, 1001).is_ok());
        let refused = c.charge(&config, 1002).unwrap_err();
        assert_eq!((refused.status, refused.code), (429, 8));
        assert!(c.charge(&config, 1060).is_ok());
        c.throttle_left = 1;
        c.throttle_reset_secs = 7;
        assert_eq!(c.charge(&config, 1061).unwrap_err().rate, Some((2, 0, 7)));
        let mut cfg = PinConfig::default();
        assert!(
            cfg.apply(serde_json::from_str(r#"{"mediaOutcome":"x"}"#).unwrap())
                .is_err()
        );
        cfg.apply(serde_json::from_str(r#"{"perDay":5}"#).unwrap())
            .unwrap();
        assert_eq!(cfg.per_day, Some(5));
    }
}
