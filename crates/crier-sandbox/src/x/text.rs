//! How X measures and rewrites post text.
//!
//! Length follows the twitter-text v3 weighting (github twitter/twitter-text
//! config/v3.json and js/src/parseTweet.js): the text is NFC-normalised; each
//! `http(s)://` URL weighs 23 whatever its length, an emoji sequence (ZWJ
//! family, flag, keycap, skin tone: one grapheme cluster starting with a
//! pictograph) 2, code points in the Latin/Greek/Cyrillic/… ranges and some
//! punctuation 1, every other code point (CJK, astral) 2. An approximation of
//! twitter-text's extractors: bare domains (`example.com`) are not URLs here,
//! and emoji are recognised by shape, not from twemoji's list. The limit is
//! 280 weighted characters, 25,000 for accounts with long-post rights.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Weighted length limit for ordinary accounts.
pub(crate) const MAX_WEIGHTED: usize = 280;
/// Weighted length limit for accounts allowed long posts (X Premium).
pub(crate) const MAX_WEIGHTED_LONG: usize = 25_000;
/// Every URL counts as this many characters (its t.co form).
const URL_WEIGHT: usize = 23;

/// twitter-text v3 ranges of weight 1 (everything else weighs 2).
const LIGHT_RANGES: [(u32, u32); 4] = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)];

fn is_url(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// Whether the text links anywhere (X bills such posts at the URL rate).
pub(crate) fn has_url(text: &str) -> bool {
    text.split_whitespace().any(is_url)
}

/// The weighted length X checks against its limit.
pub(crate) fn weighted_len(text: &str) -> usize {
    let text: &str = &text.nfc().collect::<String>();
    let mut total = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.len() - rest.trim_start().len();
        total += weigh(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        total += if is_url(token) {
            URL_WEIGHT
        } else {
            weigh(token)
        };
        rest = &rest[end..];
    }
    total
}

fn weigh(s: &str) -> usize {
    s.graphemes(true)
        .map(|g| {
            if is_emoji_sequence(g) {
                2
            } else {
                g.chars().map(weigh_char).sum()
            }
        })
        .sum()
}

fn weigh_char(c: char) -> usize {
    let cp = u32::from(c);
    if LIGHT_RANGES
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&cp))
    {
        1
    } else {
        2
    }
}

/// A cluster of several code points that twitter-text counts as one emoji:
/// a pictograph with its modifiers/ZWJ parts, a flag, or a keycap.
fn is_emoji_sequence(g: &str) -> bool {
    let mut chars = g.chars();
    let (Some(first), Some(_)) = (chars.next(), chars.next()) else {
        return false;
    };
    let cp = u32::from(first);
    let pictograph = cp >= 0x1F000
        || matches!(cp, 0xA9 | 0xAE | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x2194..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299);
    let keycap = matches!(first, '#' | '*' | '0'..='9') && g.ends_with('\u{20E3}');
    pictograph || keycap
}

/// The text as X returns it: every URL replaced by its t.co link, and a t.co
/// link to the attached media appended when there is media.
pub(crate) fn display(text: &str, media_link: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() + 24);
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        if is_url(token) {
            out.push_str(&super::ids::tco(token));
        } else {
            out.push_str(token);
        }
        rest = &rest[end..];
    }
    if let Some(link) = media_link {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(link);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighs_like_twitter_text() {
        assert_eq!(weighted_len("hello"), 5);
        assert_eq!(weighted_len("日本"), 4);
        assert_eq!(
            weighted_len("see https://example.com/a/very/long/path ok"),
            4 + 23 + 3
        );
        assert_eq!(weighted_len(&"a".repeat(280)), 280);
        // Emoji sequences weigh 2 whatever their length; NFC first.
        assert_eq!(weighted_len("👨\u{200D}👩\u{200D}👧\u{200D}👦"), 2);
        assert_eq!(weighted_len(&"👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(140)), 280);
        assert_eq!(weighted_len(&"😀".repeat(141)), 282);
        assert_eq!(weighted_len("🙋🏽🇫🇷1\u{20E3}"), 6);
        assert_eq!(weighted_len("A\u{301}"), 1);
        assert_eq!(weighted_len("e\u{301}x"), 2);
        assert!(has_url("go to HTTPS://x.example now"));
        assert!(!has_url("https:// alone"));
    }

    #[test]
    fn rewrites_links() {
        let shown = display(
            "read https://example.com  now",
            Some("https://t.co/media12345"),
        );
        assert!(shown.starts_with("read https://t.co/"));
        assert!(shown.ends_with("  now https://t.co/media12345"));
        assert_eq!(display("", Some("https://t.co/m")), "https://t.co/m");
    }
}
