//! Idempotency, scheduling, deletion and history.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn idempotent_replay_and_conflicting_reuse() {
    let h = Harness::start().await;
    let t = text("once");
    let body = json!({"post": t, "platforms": ["telegram", "bluesky"], "idempotencyKey": "order-42"});
    let first = h.post(body.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let again = h.post(body.clone()).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body, first.body, "a replay answers exactly as the first request");
    assert_eq!(h.published(&t).len(), 2, "no second post");

    // Same key, other body: refused, nothing sent.
    let other = h.post(json!({"post": text("different"), "platforms": ["telegram"], "idempotencyKey": "order-42"})).await;
    assert_eq!(other.status, 400);
    assert_eq!(other.body["code"], 907);

    // The header works too, and keys are per profile: another profile may use the same key.
    let t2 = text("header key");
    let hb = json!({"post": t2, "platforms": ["telegram"]});
    let a = h.call(Method::POST, "/api/post", Some(hb.clone()), &[("Idempotency-Key", "k-1")]).await;
    let b = h.call(Method::POST, "/api/post", Some(hb), &[("Idempotency-Key", "k-1")]).await;
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(h.published(&t2).len(), 1);
}

#[tokio::test]
async fn concurrent_duplicates_cannot_both_run() {
    let h = Harness::start().await;
    let t = text("race");
    let body = json!({"post": t, "platforms": ["telegram", "bluesky"], "idempotencyKey": "race-1"});
    let (a, b, c) = tokio::join!(h.post(body.clone()), h.post(body.clone()), h.post(body));
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(a.body["id"], c.body["id"]);
    assert_eq!(h.published(&t).len(), 2, "one copy per network");
}

#[tokio::test]
async fn scheduled_post_runs_at_its_time() {
    let h = Harness::start().await;
    let t = text("later");
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "scheduleDate": at.to_rfc3339()})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "scheduled");
    assert!(r.body["scheduleDate"].is_string());
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(h.published(&t).is_empty(), "nothing is sent before its time");
    let pending = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(pending.body["status"], "pending");
    assert_eq!(pending.body["type"], "scheduled");

    let g = h.get(&format!("/api/post/{id}?waitSeconds=30")).await;
    assert_eq!(g.body["status"], "success", "{}", g.body);
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().all(|e| e.at_ms >= at.timestamp_millis()), "sent no earlier than scheduleDate");
}

#[tokio::test]
async fn deleted_scheduled_post_never_runs() {
    let h = Harness::start().await;
    let doomed = text("doomed");
    let kept = text("kept");
    let soon = chrono::Utc::now() + chrono::Duration::seconds(2);
    let later = soon + chrono::Duration::seconds(1);
    let d = h.post(json!({"post": doomed, "platforms": ["telegram"], "scheduleDate": soon.to_rfc3339()})).await;
    let k = h.post(json!({"post": kept, "platforms": ["telegram"], "scheduleDate": later.to_rfc3339()})).await;
    let del = h.call(Method::DELETE, "/api/delete", Some(json!({"id": d.body["id"]})), &[]).await;
    assert_eq!(del.status, 200, "{}", del.body);
    assert_eq!(del.body["telegram"]["cancelled"], true);
    // The later post runs; the deleted one, due earlier, must not have.
    let g = h.get(&format!("/api/post/{}?waitSeconds=30", k.body["id"].as_str().unwrap())).await;
    assert_eq!(g.body["status"], "success", "{}", g.body);
    assert_eq!(h.published(&kept).len(), 1);
    assert!(h.published(&doomed).is_empty());
    let gd = h.get(&format!("/api/post/{}", d.body["id"].as_str().unwrap())).await;
    assert_eq!(gd.body["status"], "deleted");
}

#[tokio::test]
async fn delete_removes_published_posts_at_the_networks() {
    let h = Harness::start().await;
    let t = text("short-lived");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"]})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let del = h.call(Method::DELETE, "/api/post", Some(json!({"id": id})), &[]).await;
    assert_eq!(del.status, 200, "{}", del.body);
    assert_eq!(del.body["status"], "success");
    assert_eq!(del.body["code"], 200);
    assert_eq!(del.body["telegram"]["status"], "success");
    assert_eq!(del.body["bluesky"]["action"], "delete");
    let ledger: Vec<_> = h.sandbox.state.ledger().into_iter().filter(|e| e.text == t).collect();
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().all(|e| e.deleted), "{ledger:?}");
    let again = h.call(Method::DELETE, "/api/post", Some(json!({"id": id})), &[]).await;
    assert_eq!(again.body["code"], 186);
    let missing = h.call(Method::DELETE, "/api/post", Some(json!({})), &[]).await;
    assert_eq!(missing.body["code"], 901);
}

#[tokio::test]
async fn bulk_delete() {
    let h = Harness::start().await;
    let a = h.post(json!({"post": text("bulk a"), "platforms": ["telegram"]})).await;
    let b = h.post(json!({"post": text("bulk b"), "platforms": ["telegram"]})).await;
    let r = h.call(Method::DELETE, "/api/post", Some(json!({"bulk": [a.body["id"], b.body["id"]]})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["bulk"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn history_filters() {
    let h = Harness::start().await;
    let tg = h.post(json!({"post": text("h1"), "platforms": ["telegram"]})).await;
    let bs = h.post(json!({"post": text("h2"), "platforms": ["bluesky"]})).await;
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 400,
        "body": {"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}}));
    let failed = h.post(json!({"post": text("h3"), "platforms": ["telegram"]})).await;
    let at = chrono::Utc::now() + chrono::Duration::hours(1);
    let sched = h.post(json!({"post": text("h4"), "platforms": ["telegram"], "scheduleDate": at.to_rfc3339()})).await;

    let all = h.get("/api/history").await;
    assert_eq!(all.body["history"].as_array().unwrap().len(), 4);
    assert_eq!(all.body["history"][0]["id"], sched.body["id"], "newest first");
    let ids = |r: &Reply| r.body["history"].as_array().unwrap().iter().map(|p| p["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&h.get("/api/history?platforms[]=bluesky").await), vec![bs.body["id"].clone()]);
    assert_eq!(ids(&h.get("/api/history?status=error").await), vec![failed.body["id"].clone()]);
    assert_eq!(ids(&h.get("/api/history?type=scheduled").await), vec![sched.body["id"].clone()]);
    assert_eq!(h.get("/api/history?limit=2").await.body["history"].as_array().unwrap().len(), 2);
    assert_eq!(h.get("/api/history?platforms=telegram&type=immediate").await.body["history"].as_array().unwrap().len(), 2);
    let one = h.get(&format!("/api/history/{}", tg.body["id"].as_str().unwrap())).await;
    assert_eq!(one.body["status"], "success");
    assert_eq!(h.get("/api/history?limit=abc").await.body["code"], 900);
    assert_eq!(h.get("/api/history?platforms=myspace").await.body["code"], 902);
}
