//! Meta's 429 with a Retry-After longer than the request waits: an immediate post is answered
//! 435 with the seconds at once (nothing was published), a scheduled post still waits it out.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// Production's retry deadline (600 s): a 120 s Retry-After is within it, so only the request's
/// own wait decides whether crier waits.
async fn meta(wait_limit_secs: u64) -> Harness {
    Harness::start_with(|c| {
        c.wait_limit_secs = wait_limit_secs;
        c.engine.retry_deadline_secs = 600;
    })
    .await
    .with_meta()
    .await
}

#[tokio::test]
async fn immediate_post_gets_435_with_the_seconds_at_once() {
    let h = meta(10).await;
    h.control("meta/throttle", json!({"scope": "instagram-publish", "on": true, "retryAfter": 120})).await;
    let t = text("throttled now");
    let started = Instant::now();
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert!(started.elapsed() < Duration::from_secs(10), "answered before the request's wait ran out: {:?}", started.elapsed());
    assert_eq!(assert_network_error(&r, "instagram", 435, 429, false), "120");
    let e = first_error(&r);
    assert!(e["message"].as_str().unwrap().contains("Meta"), "the message names Meta's own limit: {e}");
    assert!(!e["message"].as_str().unwrap().contains("50 posts"), "{e}");
    // Settled, not left pending for two minutes.
    let id = r.body["id"].as_str().unwrap();
    let read = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(read.body["status"], "error", "{}", read.body);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn scheduled_post_waits_out_metas_retry_after() {
    let h = meta(1).await;
    // One 429 asking for 3 s (longer than the 1 s a request would wait), then Meta takes it.
    h.fault(json!({"network": "instagram", "endpoint": "media_publish", "status": 429, "headers": {"Retry-After": "3"}, "times": 1}));
    let t = text("throttled later");
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let r = h
        .post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")], "scheduleDate": at.to_rfc3339()}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let settled = h.settled(&r).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert!(ledger[0].at_ms >= at.timestamp_millis() + 3_000, "published after Meta's Retry-After");
}
