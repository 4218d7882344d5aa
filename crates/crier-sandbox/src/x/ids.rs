//! Ids in X's formats: Snowflake post and media ids (time-ordered, so
//! "newest first" is "largest id first" as on X), media keys, t.co links and
//! transaction ids.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::codec::sha256;

/// Twitter's Snowflake epoch (2010-11-04T01:42:54.657Z) in unix milliseconds.
const EPOCH_MS: u64 = 1_288_834_974_657;

/// Monotonic Snowflake generator (never repeats within the process, even
/// across `reset`, like the real ids).
pub(crate) struct Snowflakes {
    last: AtomicU64,
}

impl Snowflakes {
    pub(crate) fn new() -> Self {
        Self {
            last: AtomicU64::new(0),
        }
    }

    pub(crate) fn next(&self) -> u64 {
        let ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(EPOCH_MS);
        // Datacenter/worker bits fixed to a made-up machine; the sequence
        // bits are bumped when two ids fall in the same millisecond.
        let candidate = (ms.saturating_sub(EPOCH_MS) << 22) | (0b10101 << 17);
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let next = if candidate > prev {
                candidate
            } else {
                prev + 1
            };
            match self
                .last
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => prev = actual,
            }
        }
    }
}

/// When a Snowflake id was minted (unix milliseconds).
pub(crate) fn snowflake_ms(id: u64) -> i64 {
    i64::try_from((id >> 22) + EPOCH_MS).unwrap_or(0)
}

/// `created_at` as X prints it: `2025-01-01T12:00:00.000Z`.
pub(crate) fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn alnum_of(seed: &[u8], len: usize) -> String {
    sha256(seed)
        .iter()
        .take(len)
        .map(|b| ALNUM[usize::from(*b) % ALNUM.len()] as char)
        .collect()
}

/// The t.co link X substitutes for a URL (stable per URL).
pub(crate) fn tco(url: &str) -> String {
    format!("https://t.co/{}", alnum_of(url.as_bytes(), 10))
}

/// `x-transaction-id`: 16 hex digits, fresh per answer.
pub(crate) fn transaction_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Media key prefix for a media category, as X mints them (`3_` images,
/// `7_` tweet videos, `13_` amplify videos, `16_` GIFs).
pub(crate) fn media_key(category: &str, id: u64) -> String {
    let prefix = match category {
        "tweet_gif" => 16,
        "tweet_video" => 7,
        "amplify_video" => 13,
        _ => 3,
    };
    format!("{prefix}_{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_grow_and_carry_time() {
        let flakes = Snowflakes::new();
        let a = flakes.next();
        let b = flakes.next();
        assert!(b > a);
        let now = chrono::Utc::now().timestamp_millis();
        assert!((now - snowflake_ms(b)).abs() < 5_000);
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(tco("https://a.example"), tco("https://a.example"));
        assert_eq!(tco("https://a.example").len(), "https://t.co/".len() + 10);
        assert_eq!(media_key("tweet_video", 5), "7_5");
    }
}
