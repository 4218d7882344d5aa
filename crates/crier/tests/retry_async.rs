//! `PUT /api/post/retry` answers at once (`status: "pending"`, Ayrshare: "processed like a
//! scheduled post"), the outcome is read later; a repeated call while the one retry runs answers
//! the same pending state, never 906; `waitSeconds` keeps the synchronous answer.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

/// A post to Telegram and Bluesky whose Telegram delivery failed retryably (910).
async fn telegram_failed(h: &Harness, tag: &str) -> (Reply, String) {
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 503, "times": 0}));
    let t = text(tag);
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"]})).await;
    assert_network_error(&r, "telegram", 910, 400, true);
    h.sandbox.state.clear_faults();
    (r, t)
}

fn platforms_with(body: &serde_json::Value, status: &str) -> Vec<String> {
    let mut v: Vec<String> = body["postIds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == status)
        .map(|p| p["platform"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn retry_answers_pending_at_once_and_a_repeat_while_it_runs_answers_the_same() {
    let h = Harness::start().await;
    let (r, t) = telegram_failed(&h, "retry async").await;
    let id = r.body["id"].as_str().unwrap().to_string();
    // The network still fails once (retryable), then takes the post but holds its answer back:
    // the retry is in flight until the test releases it.
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 503, "times": 1}));
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "hold": true, "skip": 1}));

    let rr = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id})), &[]).await;
    assert_eq!(rr.status, 200, "{}", rr.body);
    assert_eq!(rr.body["status"], "pending", "{}", rr.body);
    assert_eq!(rr.body["id"], id.as_str());
    assert_eq!(rr.body["post"], t.as_str());
    assert_eq!(rr.body["errors"], json!([]), "{}", rr.body);
    assert_eq!(rr.body["retriedPlatforms"], json!(["telegram"]), "{}", rr.body);
    assert_eq!(platforms_with(&rr.body, "success"), ["bluesky"], "{}", rr.body);
    assert_eq!(platforms_with(&rr.body, "pending"), ["telegram"], "{}", rr.body);
    assert!(rr.body["refId"].is_string(), "{}", rr.body);

    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while h.sandbox.state.held_count() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the retry never reached Telegram again");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // What an HTTP client re-sending the PUT (got on a 503) gets while the retry runs: the same.
    let again = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id})), &[]).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["status"], "pending", "{}", again.body);
    assert_eq!(again.body["id"], id.as_str());
    assert_eq!(platforms_with(&again.body, "pending"), ["telegram"], "{}", again.body);
    let read = h.get(&format!("/api/post/{id}")).await;
    assert_ne!(read.body["status"], "success", "not settled while held: {}", read.body);

    h.sandbox.state.release_held();
    let settled = h.settled(&r).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    assert_eq!(h.published(&t).iter().filter(|e| e.network == "telegram").count(), 1);
    assert_eq!(h.published(&t).iter().filter(|e| e.network == "bluesky").count(), 1, "Bluesky not sent again");
    // The one retry has finished: now a retry is refused.
    let third = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id})), &[]).await;
    assert_eq!((third.status, third.body["code"].as_i64()), (400, Some(906)), "{}", third.body);
    assert_eq!(third.body["action"], "retry");
}

#[tokio::test]
async fn wait_seconds_in_the_body_answers_the_outcome() {
    let h = Harness::start().await;
    let (r, t) = telegram_failed(&h, "retry waits").await;
    let rr = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": r.body["id"], "waitSeconds": 30})), &[]).await;
    assert_eq!(rr.status, 200, "{}", rr.body);
    assert_eq!(rr.body["status"], "success", "{}", rr.body);
    assert_eq!(platforms_with(&rr.body, "success"), ["bluesky", "telegram"], "{}", rr.body);
    assert_eq!(h.published(&t).len(), 2);
}

#[tokio::test]
async fn wait_seconds_of_the_wrong_type_is_900_and_spends_nothing() {
    let h = Harness::start().await;
    let (r, t) = telegram_failed(&h, "retry bad wait").await;
    for bad in [json!(true), json!([1]), json!("soon"), json!(1.5)] {
        let rr = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": r.body["id"], "waitSeconds": bad})), &[]).await;
        assert_eq!((rr.status, rr.body["code"].as_i64()), (400, Some(900)), "{bad}: {}", rr.body);
        assert_eq!(rr.body["action"], "retry");
    }
    let q = h.call(Method::PUT, "/api/post/retry?waitSeconds=x", Some(json!({"id": r.body["id"]})), &[]).await;
    assert_eq!(q.body["code"], 900, "{}", q.body);
    // The one retry was not spent by the refused calls.
    let rr = h.retry(&r).await;
    assert_eq!(rr.body["status"], "success", "{}", rr.body);
    assert_eq!(h.published(&t).len(), 2);
}

#[tokio::test]
async fn two_retries_at_once_both_answer_pending_and_publish_once() {
    let h = Harness::start().await;
    let (r, t) = telegram_failed(&h, "retry race").await;
    let id = r.body["id"].as_str().unwrap().to_string();
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "hold": true}));
    let body = json!({"id": id});
    let (a, b) = tokio::join!(
        h.call(Method::PUT, "/api/post/retry", Some(body.clone()), &[]),
        h.call(Method::PUT, "/api/post/retry", Some(body.clone()), &[])
    );
    for x in [&a, &b] {
        assert_eq!((x.status, x.body["status"].as_str()), (200, Some("pending")), "{}", x.body);
        assert_eq!(x.body["id"], id.as_str());
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while h.sandbox.state.held_count() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the retry never reached Telegram");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.sandbox.state.release_held();
    assert_eq!(h.settled(&r).await.body["status"], "success");
    assert_eq!(h.published(&t).iter().filter(|e| e.network == "telegram").count(), 1, "sent once");
}
