//! Where X sees URLs in a text: a hand-written form of twitter-text's `extractUrlsWithIndices`
//! (twitter/twitter-text js/src/extractUrlsWithIndices.js and js/src/regexp/*, Apache-2.0).
//!
//! Kept: the preceding-character rule, `http(s)://` URLs and bare domains ending in a known
//! TLD (`tlds.txt`), ports, paths with balanced parentheses and their ending characters,
//! queries, only the ASCII part of a bare domain, and the IDNA check (every label at most 63
//! characters once punycode-encoded, URL at most 4096), t.co URLs cut after their slug. Left
//! out: the `@user/` path form (its characters are path characters anyway).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

const MAX_URL_LENGTH: usize = 4096;
const MAX_LABEL: usize = 63;
const DEFAULT_PROTOCOL_LEN: usize = "https://".len();

fn tlds() -> &'static (HashSet<String>, usize) {
    static TLDS: OnceLock<(HashSet<String>, usize)> = OnceLock::new();
    TLDS.get_or_init(|| {
        let set: HashSet<String> =
            include_str!("tlds.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_lowercase).collect();
        let longest = set.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        (set, longest)
    })
}

fn is_invalid(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

fn is_directional(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}')
}

fn is_space(c: char) -> bool {
    matches!(c, '\u{09}'..='\u{0D}' | ' ' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{180E}' | '\u{2000}'..='\u{200A}'
        | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// twitter-text's `punct` group (it has no `"` nor backtick).
fn is_punct(c: char) -> bool {
    "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$".contains(c)
}

fn is_domain_char(c: char) -> bool {
    !(is_punct(c) || is_space(c) || is_invalid(c) || is_directional(c))
}

fn is_latin_accent(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}' | '\u{253}' | '\u{254}' | '\u{256}'
        | '\u{257}' | '\u{259}' | '\u{25B}' | '\u{263}' | '\u{268}' | '\u{26F}' | '\u{272}' | '\u{289}' | '\u{28B}'
        | '\u{2BB}' | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}')
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4FF}')
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_cyrillic(c) || is_latin_accent(c) || "!*';:=+,.$/%#[]-\u{2013}_~@|&".contains(c)
}

fn is_path_ending(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_cyrillic(c) || is_latin_accent(c) || "+-=_#/".contains(c)
}

fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!?*'@();:&=+$/%#[]-_.,~|".contains(c)
}

fn is_query_ending(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_&=#/".contains(c)
}

fn is_ascii_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_latin_accent(c)
}

/// What may come before a URL: start of text, a directional mark, or anything but
/// `[A-Za-z0-9@＠$#＃]` and the invalid characters.
fn may_precede(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) if is_directional(c) => true,
        Some(c) => !(c.is_ascii_alphanumeric() || "@＠$#＃".contains(c) || is_invalid(c)),
    }
}

/// Length of the TLD at `t[i..]` followed by a boundary (not `[a-z0-9@+-]`), longest first.
/// `end`: where the text being matched ends (a boundary too).
fn tld_at(t: &[char], i: usize, end: usize) -> Option<usize> {
    let (set, longest) = tlds();
    let boundary = |j: usize| j >= end || !(t[j].is_ascii_alphanumeric() || "@+-".contains(t[j]));
    (1..=(*longest).min(end - i))
        .rev()
        .filter(|&n| boundary(i + n))
        .find(|&n| set.contains(&t[i..i + n].iter().collect::<String>().to_lowercase()))
        .or_else(|| punycode_tld_at(t, i, end))
}

/// `xn--[-0-9a-z]+` (the greedy run).
fn punycode_tld_at(t: &[char], i: usize, end: usize) -> Option<usize> {
    if !starts_with_ci(&t[..end], i, "xn--") {
        return None;
    }
    let run = t[i + 4..end].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '-').count();
    (run > 0).then_some(4 + run)
}

/// The regex's greedy `(subdomain.)* name. tld` from any position of one text, memoised: the
/// labels after a label start are the same whichever earlier start reached them, so each
/// position is looked at once (a text like `a.a.a.…` stays linear).
struct Domains<'a> {
    t: &'a [char],
    /// End of the run of domain characters, `-` and `_` from each position.
    run: Vec<usize>,
    /// End of the longest domain starting at a label start, once known.
    memo: Vec<Option<Option<usize>>>,
}

impl<'a> Domains<'a> {
    fn new(t: &'a [char]) -> Self {
        let mut run = vec![0; t.len()];
        for k in (0..t.len()).rev() {
            let c = t[k];
            run[k] = if is_domain_char(c) || c == '-' || c == '_' { run.get(k + 1).copied().unwrap_or(t.len()) } else { k };
        }
        Domains { t, run, memo: vec![None; t.len()] }
    }

    /// The domain at `i`, as many labels as the text allows.
    fn at(&mut self, i: usize) -> Option<Range<usize>> {
        let t = self.t;
        let extra = |c: char| c == '-' || c == '_';
        // Labels followed by `.` from `i`, up to the first whose answer is known.
        let mut chain = Vec::new();
        let mut pos = i;
        let mut deeper = None;
        while pos < t.len() && is_domain_char(t[pos]) {
            if let Some(known) = self.memo[pos] {
                deeper = known;
                break;
            }
            let end = self.run[pos];
            if t.get(end) != Some(&'.') || extra(t[end - 1]) {
                self.memo[pos] = Some(None);
                break;
            }
            chain.push((pos, end));
            pos = end + 1;
        }
        // Deepest TLD first; the label just before the TLD is the domain name: no `_` in it.
        for &(pos, end) in chain.iter().rev() {
            let here = deeper.or_else(|| {
                (!t[pos..end].contains(&'_')).then(|| tld_at(t, end + 1, t.len()).map(|n| end + 1 + n)).flatten()
            });
            self.memo[pos] = Some(here);
            deeper = here;
        }
        deeper.map(|end| i..end)
    }
}

/// End of the path after the `/` at `slash`: balanced parentheses (one level nested), and
/// only up to an allowed ending character.
fn path_end(t: &[char], slash: usize) -> usize {
    let mut end = slash + 1;
    let mut depth = 0usize;
    let mut j = slash + 1;
    while j < t.len() {
        let c = t[j];
        if c == '(' && depth < 2 {
            depth += 1;
        } else if c == ')' && depth > 0 {
            depth -= 1;
            if depth == 0 {
                end = j + 1;
            }
        } else if is_path_char(c) {
            if depth == 0 && is_path_ending(c) {
                end = j + 1;
            }
        } else {
            break;
        }
        j += 1;
    }
    end
}

fn query_end(t: &[char], mark: usize) -> Option<usize> {
    let mut end = None;
    let mut j = mark + 1;
    while j < t.len() && is_query_char(t[j]) {
        if is_query_ending(t[j]) {
            end = Some(j + 1);
        }
        j += 1;
    }
    end
}

fn starts_with_ci(t: &[char], i: usize, s: &str) -> bool {
    let n = s.len();
    i + n <= t.len() && t[i..i + n].iter().zip(s.chars()).all(|(a, b)| a.to_ascii_lowercase() == b)
}

/// twitter-text's `idna.toAscii` check plus the URL length limit.
fn is_valid(t: &[char], url: &Range<usize>, protocol: usize, domain: &Range<usize>) -> bool {
    let domain_s: String = t[domain.clone()].iter().collect();
    if domain_s.starts_with("xn--") && !domain_s.chars().all(|c| c.is_ascii() && c != '_') {
        return false;
    }
    let mut ascii_len = 0;
    for (k, label) in domain_s.split('.').enumerate() {
        let encoded = if label.is_ascii() {
            label.chars().count()
        } else {
            match idna::punycode::encode_str(label) {
                Some(p) => 4 + p.len(),
                None => return false,
            }
        };
        if encoded == 0 || encoded > MAX_LABEL {
            return false;
        }
        ascii_len += encoded + usize::from(k > 0);
    }
    let url_len = url.len() + ascii_len - domain.len();
    let protocol_len = if protocol == 0 { DEFAULT_PROTOCOL_LEN } else { protocol };
    protocol_len + url_len <= MAX_URL_LENGTH
}

/// A URL candidate at `i` (the preceding rule already holds): its range, whatever its validity.
struct Candidate {
    url: Range<usize>,
    protocol: usize,
    domain: Range<usize>,
    path: bool,
}

fn candidate_at(t: &[char], domains: &mut Domains<'_>, i: usize) -> Option<Candidate> {
    for protocol in ["https://", "http://", ""] {
        if !starts_with_ci(t, i, protocol) {
            continue;
        }
        let d0 = i + protocol.len();
        let Some(domain) = domains.at(d0) else { continue };
        let mut end = domain.end;
        if t.get(end) == Some(&':') {
            let digits = t[end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 {
                end += 1 + digits;
            }
        }
        let mut path = false;
        if t.get(end) == Some(&'/') {
            end = path_end(t, end);
            path = true;
        }
        if let Some(q) = (t.get(end) == Some(&'?')).then(|| query_end(t, end)).flatten() {
            end = q;
        }
        return Some(Candidate { url: i..end, protocol: protocol.len(), domain, path });
    }
    None
}

/// twitter-text's `validAsciiDomain` run globally over the domain `d`: every
/// `([-a-z0-9À-ɏ…]+\.)+tld` in it, leftmost first (so `twitter.jp日本語it.so` gives two).
fn ascii_domains(t: &[char], d: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut j = d.start;
    while j < d.end {
        let mut starts = Vec::new();
        let mut pos = j;
        loop {
            let k = pos + t[pos..d.end].iter().take_while(|c| is_ascii_domain_char(**c)).count();
            if k == pos || t.get(k) != Some(&'.') || k >= d.end {
                break;
            }
            starts.push(k + 1);
            pos = k + 1;
        }
        match starts.iter().rev().find_map(|&s| tld_at(t, s, d.end).map(|n| s + n)) {
            Some(e) => {
                out.push(j..e);
                j = e;
            }
            // A later start in the same labels sees a subset of these TLD candidates.
            None => j = pos.max(j) + 1,
        }
    }
    out
}

/// Longest t.co slug X accepts.
const MAX_TCO_SLUG: usize = 40;

/// A `https://t.co/slug` URL ends after its slug (and query): `Some(None)` when the slug is too
/// long (no URL at all), `None` when the URL is not a t.co one.
fn tco_end(t: &[char], url: &Range<usize>, protocol: usize) -> Option<Option<usize>> {
    let host = url.start + protocol;
    if !starts_with_ci(&t[..url.end], host, "t.co/") {
        return None;
    }
    let slug = host + 5;
    let n = t[slug..url.end].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if n == 0 {
        return None;
    }
    if n > MAX_TCO_SLUG {
        return Some(None);
    }
    let mut end = slug + n;
    if let Some(q) = (t.get(end) == Some(&'?')).then(|| query_end(&t[..url.end], end)).flatten() {
        end = q;
    }
    Some(Some(end))
}

/// The URLs X counts in `t` (code point ranges, in order, not overlapping).
pub(crate) fn urls(t: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !t.contains(&'.') {
        return out;
    }
    let mut domains = Domains::new(t);
    let mut i = 0;
    while i < t.len() {
        let prev = i.checked_sub(1).map(|p| t[p]);
        let Some(c) = may_precede(prev).then(|| candidate_at(t, &mut domains, i)).flatten() else {
            i += 1;
            continue;
        };
        // A match that fails a later check is skipped whole, as the regex scan moves past it;
        // the next match needs a preceding character of its own.
        i = c.url.end + 1;
        if !is_valid(t, &c.url, c.protocol, &c.domain) {
            continue;
        }
        if c.protocol > 0 {
            match tco_end(t, &c.url, c.protocol) {
                Some(Some(end)) => out.push(c.url.start..end),
                Some(None) => {}
                None => out.push(c.url),
            }
            continue;
        }
        if prev.is_some_and(|p| "-_./".contains(p)) {
            continue;
        }
        // Without a protocol only the ASCII parts of the domain count (the TLD may be any);
        // the last one takes the path, if there is one.
        let mut found = ascii_domains(t, c.domain.clone());
        if let Some(last) = found.last_mut().filter(|_| c.path) {
            last.end = c.url.end;
        }
        out.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    fn found(s: &str) -> Vec<String> {
        let t: Vec<char> = s.chars().collect();
        super::urls(&t).into_iter().map(|r| t[r].iter().collect()).collect()
    }

    #[test]
    fn protocols_bare_domains_paths_and_queries() {
        assert_eq!(found("see https://example.com/a/b. ok"), vec!["https://example.com/a/b"]);
        assert_eq!(found("HTTP://Example.COM"), vec!["HTTP://Example.COM"]);
        assert_eq!(found("go to example.com, now"), vec!["example.com"]);
        assert_eq!(found("www.example.co.uk/x?y=1&z=2."), vec!["www.example.co.uk/x?y=1&z=2"]);
        assert_eq!(found("https://en.wikipedia.org/wiki/Rust_(language) yes"), vec!["https://en.wikipedia.org/wiki/Rust_(language)"]);
        assert_eq!(found("http://localhost:8080/"), Vec::<String>::new());
        assert_eq!(found("a.notatld b"), Vec::<String>::new());
        assert_eq!(found("mail me@example.com"), Vec::<String>::new());
        assert_eq!(found("file.txt"), Vec::<String>::new());
        assert_eq!(found("https://example.com:8443/p"), vec!["https://example.com:8443/p"]);
    }
}
