//! The emoji X counts as one unit each (twemoji-parser's set, see `twemoji.txt`).

use std::collections::HashSet;
use std::sync::OnceLock;

const TEXT_PRESENTATION: char = '\u{FE0E}';
/// Longest sequence in the set, in code points.
const MAX_LEN: usize = 10;

struct Table {
    /// Single emoji: (first, last, refused before U+FE0E).
    singles: Vec<(u32, u32, bool)>,
    sequences: HashSet<Box<[char]>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table { singles: Vec::new(), sequences: HashSet::new() };
        let hex = |s: &str| u32::from_str_radix(s, 16).expect("twemoji.txt: hex code point");
        for line in include_str!("twemoji.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let (body, text_blocked) = match line.strip_suffix(" ~") {
                Some(b) => (b, true),
                None => (line, false),
            };
            if let Some((a, b)) = body.split_once("..") {
                t.singles.push((hex(a), hex(b), text_blocked));
            } else if !body.contains(' ') {
                let c = hex(body);
                t.singles.push((c, c, text_blocked));
            } else {
                let seq: Box<[char]> = body.split(' ').map(|h| char::from_u32(hex(h)).expect("twemoji.txt: scalar")).collect();
                t.sequences.insert(seq);
            }
        }
        t.singles.sort_unstable();
        t
    })
}

/// Length in code points of the emoji starting at `text[i]`, if one does (longest match).
pub(crate) fn match_at(text: &[char], i: usize) -> Option<usize> {
    let t = table();
    let longest = MAX_LEN.min(text.len() - i);
    if let Some(n) = (2..=longest).rev().find(|&n| t.sequences.contains(&text[i..i + n])) {
        return Some(n);
    }
    let c = u32::from(text[i]);
    let k = t.singles.partition_point(|&(_, last, _)| last < c);
    match t.singles.get(k) {
        Some(&(first, _, blocked)) if first <= c => {
            (!(blocked && text.get(i + 1) == Some(&TEXT_PRESENTATION))).then_some(1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::match_at;

    fn m(s: &str) -> Option<usize> {
        let v: Vec<char> = s.chars().collect();
        match_at(&v, 0)
    }

    #[test]
    fn sequences_singles_and_text_presentation() {
        assert_eq!(m("👨‍👩‍👧‍👦x"), Some(7));
        assert_eq!(m("🙋🏽"), Some(2));
        assert_eq!(m("🇫🇷🇩🇪"), Some(2));
        assert_eq!(m("1\u{20E3}"), Some(2));
        assert_eq!(m("🏴󠁧󠁢󠁥󠁮󠁧󠁿"), Some(7));
        assert_eq!(m("☺"), Some(1));
        assert_eq!(m("☺\u{FE0E}"), None);
        assert_eq!(m("©"), None);
        assert_eq!(m("©\u{FE0F}"), Some(2));
        assert_eq!(m("a"), None);
        assert_eq!(m("1"), None);
    }
}
