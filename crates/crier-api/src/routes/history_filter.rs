//! `GET /history`'s query as Ayrshare documents it (ayrshare-api.md §4.5): `limit`, `lastDays`,
//! `startDate`/`endDate` (ISO, inclusive, overriding `lastDays`), `status`, `platforms`, `type`.
//! A bad value is a 900 whose details name the parameter.

use crate::query::QueryParams;
use chrono::{NaiveDate, NaiveDateTime};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_store::{HistoryFilter, PostStatus};

const DEFAULT_LIMIT: i64 = 25;
const MAX_LIMIT: i64 = 1000;
const DEFAULT_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// Which end of a window a date bounds: a bare day covers all of it.
#[derive(Clone, Copy)]
enum End {
    Start,
    End,
}

/// An ISO date as Ayrshare's examples write them: with an offset (`2025-01-01T12:30:00Z`),
/// without one (`2025-03-01T12:30:00`, read as UTC), or a bare day (`2025-03-01`).
fn parse_date(s: &str, end: End) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    Some(match end {
        End::Start => day,
        End::End => day + DAY_MS - 1,
    })
}

pub(crate) fn filter(q: &QueryParams) -> Result<HistoryFilter, ErrorReport> {
    let bad = |d: String| ErrorReport::new(Code::MalformedBody, Action::History).details(d);
    let limit = q.number("limit").map_err(bad)?.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(format!("limit must be between 1 and {MAX_LIMIT}, not {limit}")));
    }
    let days = q.number("lastDays").map_err(bad)?.unwrap_or(DEFAULT_DAYS);
    // Bounded so the window arithmetic cannot overflow (100 years is "all" in practice).
    if !(0..=36_500).contains(&days) {
        return Err(bad(format!("lastDays must be between 0 (all) and 36500, not {days}")));
    }
    let date = |key: &str, end: End| -> Result<Option<i64>, ErrorReport> {
        match q.get(key).map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => parse_date(s, end)
                .map(Some)
                .ok_or_else(|| bad(format!("{key} must be an ISO 8601 date (2025-01-01T12:30:00Z), not {s:?}"))),
        }
    };
    let (start, end) = (date("startDate", End::Start)?, date("endDate", End::End)?);
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(bad("startDate must not be after endDate".to_string()));
    }
    // A date window replaces lastDays altogether.
    let since_ms = if start.is_some() || end.is_some() {
        start
    } else {
        (days > 0).then(|| crier_store::now_ms() - days * DAY_MS)
    };
    let status = match q.get("status") {
        None | Some("") => None,
        Some(s) => Some(PostStatus::parse(s).ok_or_else(|| {
            bad(format!(
                "status must be one of awaiting approval, deleted, error, paused, pending, processing, success; not {s:?}"
            ))
        })?),
    };
    let mut platforms = Vec::new();
    // `platform` is how the Python SDK asks for one network's history.
    for name in q.list("platforms").into_iter().chain(q.list("platform")) {
        platforms.push(Platform::parse(&name).ok_or_else(|| {
            ErrorReport::new(Code::UnknownPlatform, Action::History).details(format!("unknown platforms: {name}"))
        })?);
    }
    let kind = match q.get("type") {
        None | Some("") => None,
        Some("immediate" | "now") => Some("now".to_string()),
        Some("scheduled") => Some("scheduled".to_string()),
        Some(other) => return Err(bad(format!("type must be immediate or scheduled, not {other:?}"))),
    };
    Ok(HistoryFilter { limit, since_ms, until_ms: end, status, platforms, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(q: &str) -> Result<HistoryFilter, ErrorReport> {
        filter(&QueryParams::parse(Some(q)))
    }

    #[test]
    fn dates_in_ayrshares_forms() {
        assert_eq!(parse_date("2025-01-01T12:30:00Z", End::Start), Some(1_735_734_600_000));
        assert_eq!(parse_date("2025-01-01T12:30:00", End::End), Some(1_735_734_600_000));
        assert_eq!(parse_date("2025-01-01T13:30:00+01:00", End::Start), Some(1_735_734_600_000));
        assert_eq!(parse_date("2025-01-01", End::Start), Some(1_735_689_600_000));
        assert_eq!(parse_date("2025-01-01", End::End), Some(1_735_689_600_000 + DAY_MS - 1));
        assert_eq!(parse_date("yesterday", End::Start), None);
    }

    #[test]
    fn window_overrides_last_days_and_bad_values_name_the_field() {
        let w = f("lastDays=2&startDate=2025-01-01&endDate=2025-01-31").unwrap();
        assert_eq!(w.since_ms, Some(1_735_689_600_000));
        assert_eq!(w.until_ms, Some(1_738_367_999_999));
        assert_eq!(f("endDate=2025-01-31").unwrap().since_ms, None);
        for (q, field) in [
            ("startDate=soon", "startDate"),
            ("endDate=2025-13-01", "endDate"),
            ("startDate=2025-02-01&endDate=2025-01-01", "startDate"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("lastDays=-1", "lastDays"),
            ("status=bogus", "status"),
            ("type=later", "type"),
        ] {
            let e = f(q).unwrap_err();
            assert_eq!(e.code, Code::MalformedBody.number(), "{q}");
            assert!(e.details.as_deref().unwrap_or("").contains(field), "{q}: {:?}", e.details);
        }
        assert_eq!(f("status=paused").unwrap().status, Some(PostStatus::Paused));
        assert_eq!(f("status=awaiting%20approval").unwrap().status, Some(PostStatus::AwaitingApproval));
    }
}
