//! A post's text measured the way each network measures it, before anything is stored.
//!
//! Networks count differently: X weighs (twitter-text), Bluesky counts graphemes and bytes,
//! Telegram UTF-16 code units; the others count Unicode code points. The numbers come from
//! `Platform::rules().max_text` / `max_caption()`; the unit and any second limit from here.

mod emoji;
pub mod x;
mod x_urls;

use crate::platform::Platform;
use unicode_segmentation::UnicodeSegmentation;

/// Bluesky `app.bsky.feed.post` `text`: `maxGraphemes` 300 and `maxLength` 3000 (UTF-8 bytes)
/// (upstream-apis.md §4.3; atproto lexicons/app/bsky/feed/post.json).
pub const BLUESKY_MAX_BYTES: usize = 3_000;
/// X Premium long posts (`twitterOptions.longPost`, ayrshare-api.md §3.2 and §5), still weighted.
pub const X_LONG_POST: usize = 25_000;

/// What a limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// twitter-text v3 weighted length (X).
    Weighted,
    /// Extended grapheme clusters (UAX #29), what a reader sees as one character.
    Graphemes,
    Utf8Bytes,
    Utf16Units,
    /// Unicode scalar values (`char`s).
    CodePoints,
}

impl Unit {
    /// How the unit reads in an error's details.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Weighted => "weighted characters (twitter-text: URLs 23, emoji and CJK 2)",
            Unit::Graphemes => "graphemes",
            Unit::Utf8Bytes => "UTF-8 bytes",
            Unit::Utf16Units => "UTF-16 code units",
            Unit::CodePoints => "characters",
        }
    }

    pub fn count(self, text: &str) -> usize {
        match self {
            Unit::Weighted => x::weighted_length(text),
            Unit::Graphemes => text.graphemes(true).count(),
            Unit::Utf8Bytes => text.len(),
            Unit::Utf16Units => text.encode_utf16().count(),
            Unit::CodePoints => text.chars().count(),
        }
    }
}

/// A limit the text breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overage {
    pub unit: Unit,
    pub limit: usize,
    pub length: usize,
}

impl Overage {
    pub fn over(&self) -> usize {
        self.length - self.limit
    }
}

/// Every limit the post text must keep on `p`, in that network's units.
pub fn limits(p: Platform, with_media: bool, long_post: bool) -> Vec<(Unit, usize)> {
    let max = if with_media { p.max_caption() } else { p.rules().max_text };
    match p {
        // twitter-text config v3 `maxWeightedTweetLength` 280 (twitter/twitter-text
        // config/v3.json; ayrshare-api.md §5: 280, 25,000 with `longPost`).
        Platform::Twitter => vec![(Unit::Weighted, if long_post { X_LONG_POST } else { max })],
        // Both limits of the lexicon hold at once.
        Platform::Bluesky => vec![(Unit::Graphemes, max), (Unit::Utf8Bytes, BLUESKY_MAX_BYTES)],
        // Bot API (upstream-apis.md §4.4): `text` 1-4096 and `caption` 0-1024 characters
        // "after entities parsing", which Telegram counts in UTF-16 code units
        // (core.telegram.org/api/entities); crier sends the text without parse_mode.
        Platform::Telegram => vec![(Unit::Utf16Units, max)],
        // Code points, as each network documents its limit in characters, none saying it
        // counts otherwise (spec files under shared/spec/):
        // Facebook 63,206 and Reddit 40,000 and Snapchat 160: crier's rules, neither spec
        // file states these limits; Instagram caption 2,200: upstream-apis.md §1.6 and
        // ayrshare-api.md §6.1; Threads 500: upstream-apis.md §1.7, ayrshare-api.md §3.2
        // threadsOptions; LinkedIn commentary 3,000: upstream-apis.md §4.1; Pinterest
        // description 500: ayrshare-api.md §3.2 pinterestOptions; GMB summary 1,500:
        // upstream-apis.md §4.7; TikTok caption 2,200: ayrshare-api.md §3.2 tikTokOptions;
        // YouTube description 5,000: ayrshare-api.md §3.2 youTubeOptions and §6.4.
        _ => vec![(Unit::CodePoints, max)],
    }
}

/// The first limit `text` breaks on `p`, if any.
pub fn check(p: Platform, text: &str, with_media: bool, long_post: bool) -> Option<Overage> {
    limits(p, with_media, long_post).into_iter().find_map(|(unit, limit)| {
        let length = unit.count(text);
        (length > limit).then_some(Overage { unit, limit, length })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(p: Platform, text: &str, media: bool) -> Option<(Unit, usize, usize)> {
        check(p, text, media, false).map(|o| (o.unit, o.limit, o.over()))
    }

    const FAMILY: &str = "👨\u{200D}👩\u{200D}👧\u{200D}👦";

    #[test]
    fn x_boundaries() {
        let x = Platform::Twitter;
        assert_eq!(over(x, &"a".repeat(280), false), None);
        assert_eq!(over(x, &"a".repeat(281), false), Some((Unit::Weighted, 280, 1)));
        assert_eq!(over(x, &"字".repeat(140), false), None);
        assert_eq!(over(x, &"字".repeat(141), false), Some((Unit::Weighted, 280, 2)));
        assert_eq!(over(x, &"😀".repeat(140), false), None);
        assert_eq!(over(x, &"😀".repeat(141), false), Some((Unit::Weighted, 280, 2)));
        assert_eq!(over(x, &FAMILY.repeat(140), false), None);
        assert_eq!(over(x, &FAMILY.repeat(141), false), Some((Unit::Weighted, 280, 2)));
        // A URL weighs 23 however long: 256 + 1 (space) + 23 = 280.
        let url = format!("https://example.com/{}", "p".repeat(300));
        assert_eq!(over(x, &format!("{} {url}", "a".repeat(256)), false), None);
        assert_eq!(over(x, &format!("{} {url}", "a".repeat(257)), false), Some((Unit::Weighted, 280, 1)));
        assert_eq!(check(x, &"a".repeat(25_000), false, true), None);
        assert_eq!(check(x, &"a".repeat(25_001), false, true).map(|o| o.over()), Some(1));
    }

    #[test]
    fn bluesky_graphemes_and_bytes() {
        let b = Platform::Bluesky;
        // 60 family emoji: 60 graphemes, 1,500 bytes, 420 code points: accepted.
        assert_eq!(FAMILY.repeat(60).chars().count(), 420);
        assert_eq!(over(b, &FAMILY.repeat(60), false), None);
        assert_eq!(over(b, &FAMILY.repeat(120), false), None);
        assert_eq!(over(b, &"é".repeat(300), false), None);
        assert_eq!(over(b, &"e\u{301}".repeat(301), false), Some((Unit::Graphemes, 300, 1)));
        // 120 families are 3,000 bytes; one more grapheme of 4 bytes breaks the byte limit only.
        assert_eq!(FAMILY.repeat(120).len(), 3_000);
        assert_eq!(over(b, &format!("{}😀", FAMILY.repeat(120)), false), Some((Unit::Utf8Bytes, 3_000, 4)));
    }

    #[test]
    fn telegram_utf16() {
        let t = Platform::Telegram;
        assert_eq!(over(t, &"😀".repeat(2048), false), None);
        assert_eq!(over(t, &format!("{}a", "😀".repeat(2048)), false), Some((Unit::Utf16Units, 4096, 1)));
        assert_eq!(over(t, &"😀".repeat(512), true), None);
        assert_eq!(over(t, &"😀".repeat(513), true), Some((Unit::Utf16Units, 1024, 2)));
        assert_eq!(over(t, &"字".repeat(4096), false), None);
    }

    #[test]
    fn others_count_code_points() {
        let th = Platform::Threads;
        assert_eq!(over(th, &"😀".repeat(500), false), None);
        assert_eq!(over(th, &"😀".repeat(501), false), Some((Unit::CodePoints, 500, 1)));
        assert_eq!(over(Platform::Instagram, &"a".repeat(2_201), true), Some((Unit::CodePoints, 2_200, 1)));
    }
}
