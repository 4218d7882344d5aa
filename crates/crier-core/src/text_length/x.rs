//! X's weighted length: twitter-text's `parseTweet` with config v3
//! (twitter/twitter-text js/src/parseTweet.js and config/v3.json, Apache-2.0).
//!
//! The text is NFC-normalised; then, left to right, a URL weighs 23 (its t.co form), an emoji
//! (a whole sequence: ZWJ family, flag, keycap, skin tone) 2, a code point in the v3 ranges 1
//! and any other 2 (CJK, astral characters).

use unicode_normalization::UnicodeNormalization;

/// `maxWeightedTweetLength`.
pub const MAX_WEIGHTED: usize = 280;
/// `transformedURLLength`: what any URL weighs.
pub const URL_WEIGHT: usize = 23;
/// Code points that weigh 1 (config v3 `ranges`); every other weighs 2 (`defaultWeight`).
const LIGHT_RANGES: [(u32, u32); 4] = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)];

/// What `parseTweet` answers, less the UTF-16 ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub weighted_length: usize,
    /// Within 280, not empty, and no U+FFFE/U+FEFF/U+FFFF.
    pub valid: bool,
    /// Thousandths of the 280 limit, rounded down.
    pub permillage: usize,
}

fn weight(c: char) -> usize {
    let cp = u32::from(c);
    if LIGHT_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&cp)) { 1 } else { 2 }
}

/// The weighted length X checks against its limit.
pub fn weighted_length(text: &str) -> usize {
    parse(text).weighted_length
}

/// The URLs X finds in `text` (each weighs 23), as written.
pub fn urls(text: &str) -> Vec<String> {
    let t: Vec<char> = text.chars().collect();
    super::x_urls::urls(&t).into_iter().map(|r| t[r].iter().collect()).collect()
}

pub fn parse(text: &str) -> Parsed {
    let t: Vec<char> = text.nfc().collect();
    let urls = super::x_urls::urls(&t);
    let mut next_url = urls.iter().peekable();
    let mut total = 0;
    let mut i = 0;
    while i < t.len() {
        if let Some(u) = next_url.next_if(|u| u.start == i) {
            total += URL_WEIGHT;
            i = u.end;
        } else if let Some(n) = super::emoji::match_at(&t, i) {
            total += 2;
            i += n;
        } else {
            total += weight(t[i]);
            i += 1;
        }
        // A URL that starts inside an emoji cannot be reached any more.
        while next_url.next_if(|u| u.start < i).is_some() {}
    }
    let clean = !t.iter().any(|c| matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}'));
    Parsed { weighted_length: total, valid: clean && total > 0 && total <= MAX_WEIGHTED, permillage: total * 1000 / MAX_WEIGHTED }
}

#[cfg(test)]
mod tests {
    use super::weighted_length as w;

    #[test]
    fn weights() {
        assert_eq!(w("hello"), 5);
        assert_eq!(w("故人"), 4);
        assert_eq!(w("😀"), 2);
        assert_eq!(w("👨‍👩‍👧‍👦"), 2);
        assert_eq!(w("🇫🇷"), 2);
        assert_eq!(w("https://example.com/a-very-long-path-that-is-long"), 23);
        assert_eq!(w("see example.com"), 27);
        // U+0041 U+0301 composes to U+00C1.
        assert_eq!(w("A\u{301}"), 1);
    }
}
