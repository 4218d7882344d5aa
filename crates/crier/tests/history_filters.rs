//! `GET /history` and `GET /profiles` filter and page as Ayrshare documents them
//! (ayrshare-api.md §4.5, §4.9, §4.15): a `startDate`/`endDate` window (inclusive, overriding
//! `lastDays`), every status (held ones included), `type`, `platforms`, `limit`; profiles by
//! `refId`/`title`, `limit` and `cursor` → `hasMore`/`nextCursor`. Bad values are 900s naming
//! the parameter.

mod common;

use common::*;
use crier_core::Platform;
use reqwest::Method;
use serde_json::{Value, json};

fn ids(r: &Reply) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["history"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Posts `text` to Telegram; returns (id, created). Waits until the store's clock has moved
/// past the previous post's millisecond, so each post's `created` is distinct.
async fn post_at(h: &Harness, tag: &str, after_ms: i64) -> (String, String, i64) {
    while crier_store::now_ms() <= after_ms {
        tokio::task::yield_now().await;
    }
    let r = h.post(json!({"post": text(tag), "platforms": ["telegram"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let got = h.get(&format!("/api/history/{id}")).await;
    let created = got.body["created"].as_str().unwrap().to_string();
    let ms = chrono::DateTime::parse_from_rfc3339(&created).unwrap().timestamp_millis();
    (id, created, ms)
}

#[tokio::test]
async fn a_date_window_is_inclusive_and_overrides_last_days() {
    let h = Harness::start().await;
    let (a, _, a_ms) = post_at(&h, "first", 0).await;
    let (b, b_created, b_ms) = post_at(&h, "second", a_ms).await;
    let (c, _, _) = post_at(&h, "third", b_ms).await;
    let b_iso = enc(&b_created);

    // Both ends inclusive: a window of exactly B's millisecond holds B alone.
    assert_eq!(ids(&h.get(&format!("/api/history?startDate={b_iso}&endDate={b_iso}")).await), vec![b.clone()]);
    assert_eq!(ids(&h.get(&format!("/api/history?startDate={b_iso}")).await), vec![c.clone(), b.clone()]);
    assert_eq!(ids(&h.get(&format!("/api/history?endDate={b_iso}")).await), vec![b.clone(), a.clone()]);
    // A day without time covers all of it; the window wins over lastDays (1 day would not
    // reach back to 2020, and the window's day is the posts' own).
    let day = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m-%d").to_string();
    let whole_day = ids(&h.get(&format!("/api/history?startDate={0}&endDate={0}&lastDays=1", day(b_ms))).await);
    assert!(whole_day.contains(&b), "{whole_day:?}");
    let before = ids(&h.get(&format!("/api/history?startDate=2020-01-01&endDate={}&lastDays=1", day(a_ms - 86_400_000))).await);
    assert!(before.is_empty(), "{before:?}");
    // Without a timezone (as Ayrshare's own example writes endDate) the time is UTC.
    let naive = enc(&b_created.trim_end_matches('Z').to_string());
    assert_eq!(ids(&h.get(&format!("/api/history?startDate={naive}&endDate={naive}")).await), vec![b.clone()]);
    // limit keeps the newest.
    assert_eq!(ids(&h.get("/api/history?limit=2").await), vec![c, b]);
}

#[tokio::test]
async fn held_statuses_type_and_platforms_filter() {
    let h = Harness::start().await;
    let approval = h.post(json!({"post": text("approve me"), "platforms": ["telegram"], "requiresApproval": true})).await;
    assert_eq!(approval.status, 200, "{}", approval.body);
    let later = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let paused = h.post(json!({"post": text("pause me"), "platforms": ["bluesky"], "scheduleDate": later})).await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    let pid = paused.body["id"].as_str().unwrap().to_string();
    let r = h.call(Method::PATCH, "/api/post", Some(json!({"id": pid, "scheduledPause": true})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let now = h.post(json!({"post": text("now"), "platforms": ["telegram"]})).await;
    assert_eq!(now.status, 200, "{}", now.body);
    let (aid, nid) = (approval.body["id"].as_str().unwrap().to_string(), now.body["id"].as_str().unwrap().to_string());

    assert_eq!(ids(&h.get("/api/history?status=awaiting%20approval").await), vec![aid.clone()]);
    assert_eq!(ids(&h.get("/api/history?status=awaiting+approval").await), vec![aid.clone()]);
    assert_eq!(ids(&h.get("/api/history?status=paused").await), vec![pid.clone()]);
    assert_eq!(ids(&h.get("/api/history?status=success").await), vec![nid.clone()]);
    assert_eq!(ids(&h.get("/api/history?type=scheduled").await), vec![pid.clone()]);
    assert!(ids(&h.get("/api/history?type=immediate").await).contains(&nid));
    assert_eq!(ids(&h.get("/api/history?platforms=bluesky").await), vec![pid.clone()]);
    assert_eq!(ids(&h.get("/api/history?platforms[]=bluesky&platforms[]=telegram").await).len(), 3);
    let held = h.get("/api/history?status=paused").await;
    assert_eq!(held.body["history"][0]["status"], "paused");
}

#[tokio::test]
async fn bad_history_values_are_900_naming_the_field() {
    let h = Harness::start().await;
    for (q, field) in [
        ("startDate=tomorrow", "startDate"),
        ("endDate=2025-02-30", "endDate"),
        ("startDate=2025-03-01&endDate=2025-01-01", "startDate"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("lastDays=-3", "lastDays"),
        ("status=scheduledd", "status"),
        ("type=soon", "type"),
    ] {
        let r = h.get(&format!("/api/history?{q}")).await;
        assert_eq!((r.status, r.body["code"].clone()), (400, json!(900)), "{q}: {}", r.body);
        assert!(r.body["details"].as_str().unwrap_or("").contains(field), "{q}: {}", r.body);
    }
    assert_eq!(h.get("/api/history?platforms=myspace").await.body["code"], 902);
}

async fn profiles(h: &Harness, q: &str) -> Value {
    let r = h.get(&format!("/api/profiles{q}")).await;
    assert_eq!(r.status, 200, "{q}: {}", r.body);
    r.body
}

fn titles(v: &Value) -> Vec<String> {
    v["profiles"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn profiles_filter_by_ref_id_and_title_and_page_with_a_cursor() {
    let h = Harness::start().await;
    let mut refs = Vec::new();
    for t in ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"] {
        let r = h.call(Method::POST, "/api/profiles", Some(json!({"title": t})), &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        refs.push(r.body["refId"].as_str().unwrap().to_string());
    }
    h.profile_with("Linked", &[Platform::Telegram]).await;

    let all = profiles(&h, "").await;
    assert_eq!(titles(&all), ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Linked"]);
    assert_eq!((all["hasMore"].clone(), all["nextCursor"].clone()), (json!(false), Value::Null));
    assert!(all["profiles"].as_array().unwrap().iter().all(|p| p.get("profileKey").is_none()));

    let by_ref = profiles(&h, &format!("?refId={}", refs[2])).await;
    assert_eq!(titles(&by_ref), ["Gamma"]);
    assert_eq!(by_ref["profiles"][0]["refId"], json!(refs[2]));
    assert_eq!(titles(&profiles(&h, "?title=Delta").await), ["Delta"]);
    assert_eq!(titles(&profiles(&h, "?title=Linked").await), ["Linked"]);
    assert_eq!(profiles(&h, "?title=Linked").await["profiles"][0]["activeSocialAccounts"], json!(["telegram"]));
    assert!(titles(&profiles(&h, "?title=Nobody").await).is_empty());

    // Pages of two, following nextCursor until hasMore is false: every profile once, in order.
    let mut seen = Vec::new();
    let mut q = "?limit=2".to_string();
    for _ in 0..10 {
        let page = profiles(&h, &q).await;
        assert!(titles(&page).len() <= 2);
        seen.extend(titles(&page));
        if page["hasMore"] == json!(false) {
            assert_eq!(page["nextCursor"], Value::Null);
            break;
        }
        let next = page["nextCursor"].as_str().expect("nextCursor while hasMore");
        q = format!("?limit=2&cursor={}", enc(next));
    }
    assert_eq!(seen, ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Linked"]);

    for (q, field) in [("?limit=0", "limit"), ("?limit=5001", "limit"), ("?cursor=not-a-cursor", "cursor")] {
        let r = h.get(&format!("/api/profiles{q}")).await;
        assert_eq!((r.status, r.body["code"].clone()), (400, json!(900)), "{q}: {}", r.body);
        assert!(r.body["details"].as_str().unwrap_or("").contains(field), "{q}: {}", r.body);
    }
}
