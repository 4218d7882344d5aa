//! Posts their owner holds back never publish early (ayrshare-api.md §8): `requiresApproval`
//! waits for `approved: true`, `scheduledPause` pauses a scheduled post (unpausing after its
//! date sends it at once), `autoSchedule` takes the next free slot of an auto-schedule. A held
//! post has no job: while the worker publishes other posts, it stays untouched.

mod common;

use common::*;
use crier_core::Platform;
use reqwest::Method;
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start().await.with(&[Platform::Telegram, Platform::Bluesky]).await
}

fn in_hours(h: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(h)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn patch(h: &Harness, body: Value) -> Reply {
    h.call(Method::PATCH, "/api/post", Some(body), &[]).await
}

async fn status_of(h: &Harness, id: &str) -> String {
    let r = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["status"].as_str().unwrap().to_string()
}

/// Publishes another post and waits for it: the worker has run since, and a held post it
/// could have taken would have gone out with it.
async fn worker_ran(h: &Harness) {
    let t = text("unrelated");
    let r = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn a_post_awaiting_approval_publishes_only_once_approved() {
    let h = harness().await;
    let t = text("needs approval");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "requiresApproval": true})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "awaiting approval");
    let id = r.body["id"].as_str().unwrap().to_string();
    worker_ran(&h).await;
    assert!(h.published(&t).is_empty(), "held posts never go out");
    assert_eq!(status_of(&h, &id).await, "awaiting approval");
    let listed = h.get("/api/history?status=awaiting%20approval").await;
    assert_eq!(listed.body["history"].as_array().unwrap().iter().filter(|p| p["id"] == id.as_str()).count(), 1, "{}", listed.body);

    // Pausing is for scheduled posts; approving twice is refused the second time.
    let r = patch(&h, json!({"id": id, "approved": true})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let settled = h.get(&format!("/api/post/{id}?waitSeconds=20")).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    assert_eq!(h.published(&t).len(), 2, "once per network");
    let again = patch(&h, json!({"id": id, "approved": true})).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["code"], 921);
}

#[tokio::test]
async fn an_approved_scheduled_post_keeps_its_date() {
    let h = harness().await;
    let t = text("approve for later");
    let r = h.post(json!({"post": t, "platforms": ["telegram"], "requiresApproval": true, "scheduleDate": in_hours(2)})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["status"], "awaiting approval");
    let before = h.running.store().job_counts().await.unwrap();
    assert_eq!(patch(&h, json!({"id": id, "approved": true})).await.status, 200);
    assert_eq!(status_of(&h, &id).await, "pending");
    let after = h.running.store().job_counts().await.unwrap();
    assert_eq!(after.pending, before.pending + 1, "its job waits for the date");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn pause_then_unpause_after_the_date_publishes_at_once() {
    let h = harness().await;
    let t = text("paused");
    let r = h.post(json!({"post": t, "platforms": ["telegram"], "scheduleDate": in_hours(1)})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let r = patch(&h, json!({"id": id, "scheduledPause": true})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["postStatus"], "paused");
    assert_eq!(h.running.store().job_counts().await.unwrap().pending, 0, "a paused post has no job");
    // Pausing twice is fine; its date can still change while paused (here: to the past).
    assert_eq!(patch(&h, json!({"id": id, "scheduledPause": true})).await.status, 200);
    let past = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    assert_eq!(patch(&h, json!({"id": id, "scheduleDate": past})).await.status, 200);
    worker_ran(&h).await;
    assert!(h.published(&t).is_empty(), "a paused post whose date passed waits");
    let listed = h.get("/api/history?status=paused").await;
    assert!(listed.body["history"].as_array().unwrap().iter().any(|p| p["id"] == id.as_str()), "{}", listed.body);

    assert_eq!(patch(&h, json!({"id": id, "scheduledPause": false})).await.status, 200);
    let settled = h.get(&format!("/api/post/{id}?waitSeconds=20")).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    assert_eq!(h.published(&t).len(), 1);
    // Sent: no pause any more.
    let late = patch(&h, json!({"id": id, "scheduledPause": true})).await;
    assert_eq!((late.status, late.body["code"].clone()), (400, json!(921)), "{}", late.body);
}

#[tokio::test]
async fn a_held_post_deleted_is_never_sent() {
    let h = harness().await;
    let t = text("rejected");
    let r = h.post(json!({"post": t, "platforms": ["telegram"], "requiresApproval": true})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let d = h.call(Method::DELETE, "/api/post", Some(json!({"id": id})), &[]).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(status_of(&h, &id).await, "deleted");
    assert_eq!(patch(&h, json!({"id": id, "approved": true})).await.status, 400, "a deleted post cannot be approved");
    worker_ran(&h).await;
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn wrong_types_on_update_are_900() {
    let h = harness().await;
    let r = h.post(json!({"post": text("typed"), "platforms": ["telegram"], "scheduleDate": in_hours(1)})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    for body in [
        json!({"id": id, "scheduleDate": 5}),
        json!({"id": id, "notes": 5}),
        json!({"id": id, "approved": "yes"}),
        json!({"id": id, "scheduledPause": "true"}),
        json!({"id": 5}),
    ] {
        let r = patch(&h, body.clone()).await;
        assert_eq!((r.status, r.body["code"].clone()), (400, json!(900)), "{body}: {}", r.body);
    }
    assert_eq!(status_of(&h, &id).await, "pending", "nothing was changed");
}

#[tokio::test]
async fn auto_schedule_places_posts_in_free_slots() {
    let h = harness().await;
    let set = h.call(Method::POST, "/api/auto-schedule/set", Some(json!({"title": "daily", "schedule": ["09:00Z", "17:30Z"]})), &[]).await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["schedule"], json!(["09:00Z", "17:30Z"]));
    let listed = h.call(Method::GET, "/api/auto-schedule/list", None, &[]).await;
    assert_eq!(listed.body["schedules"]["daily"]["schedule"], json!(["09:00Z", "17:30Z"]), "{}", listed.body);

    let mut dates = Vec::new();
    for n in 0..3 {
        let t = text(&format!("auto {n}"));
        let r = h.post(json!({"post": t, "platforms": ["telegram"], "autoSchedule": {"schedule": true, "title": "daily"}})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["status"], "scheduled", "{}", r.body);
        let at = chrono::DateTime::parse_from_rfc3339(r.body["scheduleDate"].as_str().unwrap()).unwrap();
        assert!(at > chrono::Utc::now());
        assert!(["09:00", "17:30"].contains(&at.format("%H:%M").to_string().as_str()), "{at}");
        dates.push(at);
    }
    let mut sorted = dates.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, dates, "each post takes the next free slot, in order: {dates:?}");
    assert!(dates[2] - dates[0] <= chrono::Duration::hours(24), "three consecutive slots: {dates:?}");

    // Not combinable with a date; an unknown title refuses the post (with an id, nothing sent).
    let r = h.post(json!({"post": text("both"), "platforms": ["telegram"], "scheduleDate": in_hours(1), "autoSchedule": {"schedule": true}})).await;
    assert_eq!((r.status, r.body["errors"][0]["code"].clone()), (400, json!(900)), "{}", r.body);
    let r = h.post(json!({"post": text("nowhere"), "platforms": ["telegram"], "autoSchedule": {"schedule": true, "title": "weekly"}})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body["id"].is_string() && r.body["errors"][0]["details"].as_str().unwrap().contains("weekly"), "{}", r.body);

    let gone = h.call(Method::DELETE, "/api/auto-schedule/delete", Some(json!({"title": "daily"})), &[]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(h.call(Method::GET, "/api/auto-schedule/list", None, &[]).await.body["schedules"], json!({}));
    let bad = h.call(Method::POST, "/api/auto-schedule/set", Some(json!({"schedule": ["25:61Z"]})), &[]).await;
    assert_eq!((bad.status, bad.body["code"].clone()), (400, json!(900)), "{}", bad.body);
}

#[tokio::test]
async fn a_refused_post_has_an_id_and_shows_in_history() {
    let h = harness().await;
    let t = text("refused");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "myspace"]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let id = r.body["id"].as_str().expect("Ayrshare's envelope always has an id").to_string();
    let got = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(got.body["status"], "error", "{}", got.body);
    assert_eq!(got.body["errors"][0]["code"], r.body["errors"][0]["code"], "{}", got.body);
    let history = h.get("/api/history").await;
    assert!(history.body["history"].as_array().unwrap().iter().any(|p| p["id"] == id.as_str()), "{}", history.body);
    // Nothing was sent, and a retry has nothing to re-send.
    assert!(h.published(&t).is_empty());
    let retry = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id})), &[]).await;
    assert_eq!(retry.status, 400, "{}", retry.body);
    // A network refusal (text too long for Bluesky) is stored on that network.
    let long = "x".repeat(400);
    let r = h.post(json!({"post": long, "platforms": ["bluesky"]})).await;
    let got = h.get(&format!("/api/post/{}", r.body["id"].as_str().unwrap())).await;
    assert_eq!(got.body["errors"][0]["platform"], "bluesky", "{}", got.body);
}
