//! Bitly's limits and their tunables (`/_sandbox/bitly/config`).
//!
//! Two kinds, as Bitly documents them: platform limits per endpoint per
//! hour and per minute (the per-minute one is a tenth of the hourly one),
//! answered 429 `RATE_LIMIT_EXCEEDED`, and the plan's links per calendar
//! month (reset on the first, UTC here), answered 429
//! `MONTHLY_LIMIT_EXCEEDED`. Bitly announces neither in headers. Both are
//! off by default so tests only meet them when they ask for them.

use serde::{Deserialize, Serialize};

use crate::control_kit::present;

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BitlyConfig {
    /// New links per calendar month; `None` = unlimited (Bitly's free plan
    /// has been 50 at times).
    pub monthly_links: Option<u64>,
    /// `POST /v4/shorten` calls per hour; the per-minute limit is a tenth of
    /// it (at least 1). `None` = unlimited.
    pub shorten_per_hour: Option<u32>,
    /// Custom domains the group may shorten on besides `bit.ly`.
    pub custom_domains: Vec<String>,
}

/// A partial update: absent fields keep their value; `null` (or 0 for the
/// numbers) removes a limit.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    #[serde(default, deserialize_with = "present")]
    monthly_links: Option<Option<u64>>,
    #[serde(default, deserialize_with = "present")]
    shorten_per_hour: Option<Option<u32>>,
    custom_domains: Option<Vec<String>>,
}

impl BitlyConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) {
        if let Some(monthly) = patch.monthly_links {
            self.monthly_links = monthly.filter(|n| *n > 0);
        }
        if let Some(hourly) = patch.shorten_per_hour {
            self.shorten_per_hour = hourly.filter(|n| *n > 0);
        }
        if let Some(domains) = patch.custom_domains {
            self.custom_domains = domains
                .into_iter()
                .map(|d| d.trim().to_ascii_lowercase())
                .filter(|d| !d.is_empty())
                .collect();
        }
    }
}

pub(crate) const HOUR_SECS: i64 = 3600;
pub(crate) const MINUTE_SECS: i64 = 60;

/// Links created per calendar month.
#[derive(Clone, Debug, Default)]
pub(crate) struct MonthCounter {
    month: String,
    created: u64,
}

impl MonthCounter {
    /// Links created in `month` (`YYYY-MM`) so far; a new month starts at 0.
    pub(crate) fn used(&mut self, month: &str) -> u64 {
        if self.month != month {
            self.month = month.to_owned();
            self.created = 0;
        }
        self.created
    }

    pub(crate) fn count(&mut self, month: &str) {
        self.used(month);
        self.created += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_months_and_patches() {
        let mut m = MonthCounter::default();
        m.count("2025-01");
        assert_eq!(m.used("2025-01"), 1);
        assert_eq!(m.used("2025-02"), 0);
        let mut config = BitlyConfig::default();
        config.apply(serde_json::from_str(r#"{"monthlyLinks": 3}"#).unwrap());
        assert_eq!(config.monthly_links, Some(3));
        config.apply(serde_json::from_str(r#"{"shortenPerHour": 10}"#).unwrap());
        assert_eq!(config.monthly_links, Some(3));
        config.apply(serde_json::from_str(r#"{"monthlyLinks": null}"#).unwrap());
        assert_eq!(config.monthly_links, None);
        assert!(serde_json::from_str::<ConfigPatch>(r#"{"monthly": 1}"#).is_err());
    }
}
