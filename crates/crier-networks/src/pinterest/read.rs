//! Reads: a board's pins (`GET /v5/boards/{id}/pins?page_size&bookmark`,
//! https://developers.pinterest.com/docs/api/v5/boards-list_pins) and a pin's analytics
//! (`GET /v5/pins/{id}/analytics`, https://developers.pinterest.com/docs/api/v5/pins-analytics,
//! at most 90 days back).

use super::api::{Api, checked, segment};
use super::errors::err;
use crate::{Call, Failure, HistoryPage, Published};
use crier_core::{Action, Code, ErrorReport};
use serde_json::{Map, Value, json};

pub fn pin_url(id: &str) -> String {
    format!("https://www.pinterest.com/pin/{id}/")
}

pub fn published(id: &str) -> Published {
    Published { id: id.to_string(), url: Some(pin_url(id)), extras: Map::new() }
}

pub fn report(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}

/// One page of the board's pins and the bookmark of the next.
pub async fn board_pins(api: &Api, call: &Call<'_>, token: &str, board: &str, page_size: usize, bookmark: Option<&str>) -> Result<(Vec<Value>, Option<String>), Failure> {
    let mut q = vec![("page_size", page_size.clamp(1, 250).to_string())];
    if let Some(b) = bookmark {
        q.push(("bookmark", b.to_string()));
    }
    let a = checked(api.get(call, token, &format!("boards/{}/pins", segment(board)), &q).await)?;
    let items = a.body.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    let next = a.body.get("bookmark").and_then(Value::as_str).filter(|b| !b.is_empty()).map(str::to_string);
    Ok((items, next))
}

/// Pinterest's `created_at` ("2020-01-01T20:10:40", UTC) in epoch milliseconds.
pub fn created_ms(pin: &Value) -> Option<i64> {
    let t = pin.get("created_at")?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp_millis())
        .ok()
        .or_else(|| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc().timestamp_millis()))
}

/// How much earlier than the attempt's start (crier's clock) a pin may be dated by Pinterest
/// (whole seconds, its own clock) and still be taken for it; a lookup reads back to this window's start.
pub const SKEW_MS: i64 = 120_000;

/// Whether a page of newest-first pins reaches back before `since_ms` minus the skew: its oldest
/// dated pin (the last one, so a pin out of order at the top cannot end the search) is older.
pub fn reaches_before(pins: &[Value], since_ms: i64) -> bool {
    pins.iter().rev().find_map(created_ms).is_some_and(|c| c < since_ms - SKEW_MS)
}

/// The pin with this description (and title, when one was set) created after `since_ms`.
pub fn find_match<'a>(pins: &'a [Value], description: &str, title: Option<&str>, since_ms: i64) -> Option<&'a Value> {
    pins.iter().find(|p| {
        let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
        text("description") == description.trim()
            && title.is_none_or(|t| text("title") == t.trim())
            && created_ms(p).is_none_or(|c| c >= since_ms - SKEW_MS)
    })
}

pub fn history_post(p: &Value) -> Option<Value> {
    let id = p.get("id").and_then(Value::as_str)?;
    Some(json!({
        "id": id,
        "post": p.get("description"),
        "title": p.get("title"),
        "link": p.get("link"),
        "boardId": p.get("board_id"),
        "postUrl": pin_url(id),
        "created": p.get("created_at"),
    }))
}

pub fn history_page(items: &[Value], next: Option<String>) -> HistoryPage {
    HistoryPage { posts: items.iter().filter_map(history_post).collect(), next }
}

/// The metrics crier asks for: present for every pin type.
pub const METRICS: &str = "IMPRESSION,OUTBOUND_CLICK,PIN_CLICK,SAVE";

/// The analytics query for the last 90 days (Pinterest's window).
pub fn analytics_query(today: chrono::NaiveDate) -> Vec<(&'static str, String)> {
    let start = today - chrono::Days::new(89);
    vec![("start_date", start.to_string()), ("end_date", today.to_string()), ("metric_types", METRICS.to_string())]
}

/// `{"all": {"summary_metrics": {...}}}` → crier's counts.
pub fn metrics(body: &Value) -> Value {
    let summary = body.pointer("/all/summary_metrics").or_else(|| body.pointer("/all/lifetime_metrics")).cloned().unwrap_or(json!({}));
    let n = |k: &str| summary.get(k).cloned().unwrap_or(json!(0));
    json!({
        "impressionCount": n("IMPRESSION"),
        "outboundClickCount": n("OUTBOUND_CLICK"),
        "pinClickCount": n("PIN_CLICK"),
        "saveCount": n("SAVE"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_description_title_and_time() {
        let pins = vec![
            json!({"id": "2", "description": "hello", "title": "T", "created_at": "2026-01-01T10:00:00"}),
            json!({"id": "1", "description": "hello", "title": "T", "created_at": "2025-01-01T10:00:00"}),
        ];
        let since = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(10, 0, 0).unwrap().and_utc().timestamp_millis();
        assert_eq!(find_match(&pins, "hello", Some("T"), since).unwrap()["id"], "2");
        assert!(find_match(&pins, "hello", Some("other"), since).is_none());
        assert!(find_match(&pins, "hello", None, since + 86_400_000).is_none(), "older pins do not count");
    }

    #[test]
    fn a_page_reaching_before_the_attempt_ends_the_search() {
        let since = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(10, 0, 0).unwrap().and_utc().timestamp_millis();
        let pin = |t: &str| json!({"id": "1", "description": "d", "created_at": t});
        assert!(!reaches_before(&[pin("2026-01-01T10:00:05"), pin("2026-01-01T09:58:00")], since), "inside the skew");
        assert!(reaches_before(&[pin("2026-01-01T10:00:05"), pin("2026-01-01T09:57:59")], since));
        assert!(!reaches_before(&[pin("2025-01-01T00:00:00"), pin("2026-01-01T10:00:05")], since), "the page's last pin decides");
        assert!(!reaches_before(&[json!({"id": "1"})], since));
    }

    #[test]
    fn analytics_covers_ninety_days() {
        let q = analytics_query(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert_eq!(q[0], ("start_date", "2026-01-01".to_string()));
        assert_eq!(q[1], ("end_date", "2026-03-31".to_string()));
        let m = metrics(&json!({"all": {"summary_metrics": {"IMPRESSION": 5, "SAVE": 2}}}));
        assert_eq!((m["impressionCount"].clone(), m["saveCount"].clone(), m["pinClickCount"].clone()), (json!(5), json!(2), json!(0)));
    }

    #[test]
    fn history_links_pins() {
        let p = history_page(&[json!({"id": "9", "description": "d", "created_at": "2026-01-01T00:00:00"}), json!({"no": "id"})], Some("bm".into()));
        assert_eq!(p.posts.len(), 1);
        assert_eq!(p.posts[0]["postUrl"], "https://www.pinterest.com/pin/9/");
        assert_eq!(p.next.as_deref(), Some("bm"));
    }
}
