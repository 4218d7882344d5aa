//! Object ids, timestamps, shortcodes and trace ids in Meta's formats.
//!
//! Each kind of object draws from its own numeric range, so an id alone says
//! what it names (the fault middleware classifies requests that way), and
//! ranges never meet the seeded account ids.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::Rng;

use crate::codec;

/// Facebook posts' second half, photos and videos (18 digits, like today's
/// pfbid-less numeric ids).
const FB_BASE: u64 = 122_100_000_000_000_000;
/// Instagram containers ("media builders"): 17 digits starting 179.
const IG_CONTAINER_BASE: u64 = 17_900_000_000_000_000;
/// Instagram media: 17 digits starting 180.
const IG_MEDIA_BASE: u64 = 18_050_000_000_000_000;
/// Threads containers and media.
const TH_CONTAINER_BASE: u64 = 17_889_600_000_000_000;
const TH_MEDIA_BASE: u64 = 18_100_000_000_000_000;

/// Monotonic id counters; they survive `reset` so ids never repeat within a
/// process (as on the real network).
pub(crate) struct IdGen {
    fb: AtomicU64,
    ig_container: AtomicU64,
    ig_media: AtomicU64,
    th_container: AtomicU64,
    th_media: AtomicU64,
}

impl IdGen {
    pub(crate) fn new() -> Self {
        Self {
            fb: AtomicU64::new(FB_BASE + 1),
            ig_container: AtomicU64::new(IG_CONTAINER_BASE + 1),
            ig_media: AtomicU64::new(IG_MEDIA_BASE + 1),
            th_container: AtomicU64::new(TH_CONTAINER_BASE + 1),
            th_media: AtomicU64::new(TH_MEDIA_BASE + 1),
        }
    }

    pub(crate) fn fb_object(&self) -> String {
        self.fb.fetch_add(1, Ordering::Relaxed).to_string()
    }

    pub(crate) fn ig_container(&self) -> String {
        self.ig_container
            .fetch_add(1, Ordering::Relaxed)
            .to_string()
    }

    pub(crate) fn ig_media(&self) -> String {
        self.ig_media.fetch_add(1, Ordering::Relaxed).to_string()
    }

    pub(crate) fn threads_container(&self) -> String {
        self.th_container
            .fetch_add(1, Ordering::Relaxed)
            .to_string()
    }

    pub(crate) fn threads_media(&self) -> String {
        self.th_media.fetch_add(1, Ordering::Relaxed).to_string()
    }
}

/// Graph's timestamp format: `2025-01-01T12:00:00+0000`.
pub(crate) fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string()
}

/// An Instagram/Threads-style shortcode derived from the numeric id.
pub(crate) fn shortcode(id: &str) -> String {
    let n: u64 = id.parse().unwrap_or(0);
    let mut code = codec::base64url(&n.to_be_bytes());
    code.truncate(11);
    // A leading 'A' run is the zero bytes of small numbers; real codes start
    // with a letter like 'C' or 'D'.
    format!("D{}", code.trim_start_matches('A'))
}

/// An opaque pagination cursor for an object id.
pub(crate) fn cursor(id: &str) -> String {
    format!("QVFI{}", codec::base64url(id.as_bytes()))
}

/// The object id a cursor of ours names, if it is one.
pub(crate) fn cursor_id(cursor: &str) -> Option<String> {
    use base64::Engine;
    let encoded = cursor.strip_prefix("QVFI")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// Where an id falls in creation order: ids of a kind are minted from a
/// growing counter, and a post id's counter is after its `_`.
pub(crate) fn age_key(id: &str) -> Option<u128> {
    id.rsplit('_').next()?.parse().ok()
}

/// A fresh `fbtrace_id` (23 characters of base64url, like `A6LJylpZRKw2xKLFsAP-cJh`).
pub(crate) fn fbtrace_id() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = rand::rng();
    let mut id = String::from("A");
    for _ in 0..22 {
        id.push(ALPHABET[rng.random_range(0..64)] as char);
    }
    id
}

/// A deterministic pseudo-random number for `(id, salt)`, for plausible but
/// stable insights values.
pub(crate) fn stable_hash(id: &str, salt: &str) -> u64 {
    let digest = codec::sha256(format!("{id}/{salt}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(timestamp(1_735_732_800_000), "2025-01-01T12:00:00+0000");
        let ids = IdGen::new();
        let (a, b) = (ids.fb_object(), ids.fb_object());
        assert_ne!(a, b);
        assert_eq!(ids.ig_container().len(), 17);
        assert_eq!(ids.ig_media().len(), 17);
        assert_eq!(fbtrace_id().len(), 23);
        assert!(shortcode("18050000000000001").starts_with('D'));
        assert_ne!(cursor("a"), cursor("b"));
        assert_eq!(cursor_id(&cursor("100_122")).as_deref(), Some("100_122"));
        assert_eq!(cursor_id("nope"), None);
        assert_eq!(
            age_key("100000000000001_122100000000000005"),
            Some(122100000000000005)
        );
        assert_eq!(stable_hash("x", "y"), stable_hash("x", "y"));
    }
}
