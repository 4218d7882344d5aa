//! `GET /profiles`'s query as Ayrshare documents it (ayrshare-api.md §4.9, §4.15): `refId`,
//! `title` (exact), `limit` (≤ 5000) and `cursor` (the previous page's `nextCursor`).
//! A bad value is a 900 whose details name the parameter.

use crate::query::QueryParams;
use crier_core::{Action, Code, ErrorReport};
use crier_store::{Profile, ProfileFilter};

const MAX_LIMIT: i64 = 5000;

/// The opaque cursor after `p`: its creation time and id (the page order), hex-free and URL-safe.
pub(crate) fn cursor(p: &Profile) -> String {
    format!("{}_{}", p.created_ms, p.id)
}

fn parse_cursor(c: &str) -> Option<(i64, String)> {
    let (ms, id) = c.split_once('_')?;
    let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| Some((ms.parse().ok()?, id.to_string()))).flatten()
}

pub(crate) fn filter(q: &QueryParams) -> Result<ProfileFilter, ErrorReport> {
    let bad = |d: String| ErrorReport::new(Code::MalformedBody, Action::Profile).details(d);
    let limit = q.number("limit").map_err(bad)?.unwrap_or(MAX_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(format!("limit must be between 1 and {MAX_LIMIT}, not {limit}")));
    }
    let text = |k: &str| q.get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let after = match text("cursor") {
        None => None,
        Some(c) => Some(parse_cursor(&c).ok_or_else(|| bad(format!("cursor is not a nextCursor of crier's: {c:?}")))?),
    };
    Ok(ProfileFilter { ref_id: text("refId"), title: text("title"), limit, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_bad_values_name_the_field() {
        let p = Profile { id: "abc123".into(), account_id: "a".into(), title: "t".into(), ref_id: "r".into(), is_primary: false, created_ms: 42 };
        assert_eq!(parse_cursor(&cursor(&p)), Some((42, "abc123".into())));
        for (q, field) in [("limit=0", "limit"), ("limit=5001", "limit"), ("limit=x", "limit"), ("cursor=zzz", "cursor"), ("cursor=1_a%27b", "cursor")] {
            let e = filter(&QueryParams::parse(Some(q))).unwrap_err();
            assert_eq!(e.code, Code::MalformedBody.number(), "{q}");
            assert!(e.details.as_deref().unwrap_or("").contains(field), "{q}: {:?}", e.details);
        }
        let f = filter(&QueryParams::parse(Some("refId=r1&title=Shop&limit=2"))).unwrap();
        assert_eq!((f.ref_id.as_deref(), f.title.as_deref(), f.limit), (Some("r1"), Some("Shop"), 2));
    }
}
