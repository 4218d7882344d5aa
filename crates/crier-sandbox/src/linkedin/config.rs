//! LinkedIn emulator settings (changed through `POST /_sandbox/linkedin/config`),
//! the token state and the counters behind the daily member limit.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// What media processing ends in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum Outcome {
    #[default]
    Available,
    ProcessingFailed,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LiConfig {
    /// Posts one member may create per UTC day (LinkedIn does not publish
    /// its number; 150 is the commonly quoted member limit).
    pub member_daily_posts: u32,
    /// Oldest active `LinkedIn-Version` (YYYYMM); `None` = 12 months before
    /// the current month (LinkedIn keeps a version for about a year).
    pub oldest_version: Option<String>,
    /// Newest active version; `None` = the current month.
    pub newest_version: Option<String>,
    /// `GET /rest/images/{urn}` reads answering `PROCESSING` after the upload
    /// before the image settles.
    pub image_processing_polls: u32,
    pub image_outcome: Outcome,
    /// Likewise for videos after `finalizeUpload`.
    pub video_processing_polls: u32,
    pub video_outcome: Outcome,
    /// Size of each video upload part (LinkedIn's is 4 MiB).
    pub video_part_bytes: u64,
}

impl Default for LiConfig {
    fn default() -> Self {
        Self {
            member_daily_posts: 150,
            oldest_version: None,
            newest_version: None,
            image_processing_polls: 0,
            image_outcome: Outcome::Available,
            video_processing_polls: 1,
            video_outcome: Outcome::Available,
            video_part_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Body of `POST /_sandbox/linkedin/config`: given fields replace the current ones.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    member_daily_posts: Option<u32>,
    oldest_version: Option<String>,
    newest_version: Option<String>,
    image_processing_polls: Option<u32>,
    image_outcome: Option<Outcome>,
    video_processing_polls: Option<u32>,
    video_outcome: Option<Outcome>,
    video_part_bytes: Option<u64>,
}

impl LiConfig {
    pub(crate) fn apply(&mut self, patch: ConfigPatch) -> Result<(), String> {
        for v in [&patch.oldest_version, &patch.newest_version]
            .into_iter()
            .flatten()
        {
            if parse_version(v).is_none() {
                return Err(format!("version {v:?} is not YYYYMM"));
            }
        }
        if patch.video_part_bytes == Some(0) {
            return Err("videoPartBytes must be positive".into());
        }
        if let Some(n) = patch.member_daily_posts {
            self.member_daily_posts = n;
        }
        if patch.oldest_version.is_some() {
            self.oldest_version = patch.oldest_version;
        }
        if patch.newest_version.is_some() {
            self.newest_version = patch.newest_version;
        }
        if let Some(n) = patch.image_processing_polls {
            self.image_processing_polls = n;
        }
        if let Some(o) = patch.image_outcome {
            self.image_outcome = o;
        }
        if let Some(n) = patch.video_processing_polls {
            self.video_processing_polls = n;
        }
        if let Some(o) = patch.video_outcome {
            self.video_outcome = o;
        }
        if let Some(n) = patch.video_part_bytes {
            self.video_part_bytes = n;
        }
        Ok(())
    }

    /// Whether a `LinkedIn-Version` value names an active version.
    pub(crate) fn version_active(&self, header: &str) -> bool {
        let Some(requested) = parse_version(header) else {
            return false;
        };
        let now = chrono::Utc::now();
        let current = now.year() as u32 * 12 + now.month0();
        let newest = self
            .newest_version
            .as_deref()
            .and_then(parse_version)
            .unwrap_or(current);
        let oldest = self
            .oldest_version
            .as_deref()
            .and_then(parse_version)
            .unwrap_or(current.saturating_sub(12));
        (oldest..=newest).contains(&requested)
    }
}

/// `YYYYMM` or `YYYYMM.RR` → months since year 0; `None` if malformed.
fn parse_version(v: &str) -> Option<u32> {
    let month_part = v.split_once('.').map_or(v, |(m, rev)| {
        if rev.len() == 2 && rev.bytes().all(|b| b.is_ascii_digit()) {
            m
        } else {
            ""
        }
    });
    if month_part.len() != 6 || !month_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u32 = month_part[..4].parse().ok()?;
    let month: u32 = month_part[4..].parse().ok()?;
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("202501"), Some(2025 * 12));
        assert_eq!(parse_version("202512.01"), Some(2025 * 12 + 11));
        assert_eq!(parse_version("202513"), None);
        assert_eq!(parse_version("2025-01"), None);
        let cfg = LiConfig::default();
        let now = chrono::Utc::now();
        let current = format!("{}{:02}", now.year(), now.month());
        assert!(cfg.version_active(&current));
        assert!(!cfg.version_active("202001"));
        assert!(!cfg.version_active("209901"));
    }
}
