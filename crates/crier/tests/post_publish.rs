//! A post travels: store → engine → real HTTP → sandbox, and comes back in Ayrshare's envelope.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn success_on_both_networks() {
    let h = Harness::start().await;
    let t = text("hello both");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "source": "python-sdk"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "success");
    assert_eq!(r.body["errors"], json!([]));
    let id = r.body["id"].as_str().unwrap();
    assert_eq!(id.len(), 20);
    assert_eq!(r.body["post"], t.as_str());
    assert!(r.body["refId"].is_string());
    let ids = r.body["postIds"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    for entry in ids {
        assert_eq!(entry["status"], "success");
        assert!(entry["id"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(entry["postUrl"].as_str().unwrap().starts_with("https://"));
    }
    let platforms: Vec<&str> = ids.iter().map(|e| e["platform"].as_str().unwrap()).collect();
    assert!(platforms.contains(&"telegram") && platforms.contains(&"bluesky"));
    let tg = ids.iter().find(|e| e["platform"] == "telegram").unwrap();
    assert!(tg["postUrl"].as_str().unwrap().starts_with("https://t.me/crier_sandbox/"));
    let bs = ids.iter().find(|e| e["platform"] == "bluesky").unwrap();
    assert!(bs["id"].as_str().unwrap().starts_with("at://"));

    // Each network has exactly one copy.
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 2, "{ledger:?}");

    // The post reads back with the same outcome.
    let g = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body["status"], "success");
    assert_eq!(g.body["type"], "now");
    assert_eq!(g.body["postIds"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn partial_failure_is_http_400_with_one_error_and_one_post_id() {
    let h = Harness::start().await;
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 400,
        "body": {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record: something is off"}}));
    let t = text("partial");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["status"], "error");
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["platform"], "bluesky");
    assert_eq!(errors[0]["code"], 915);
    assert_eq!(errors[0]["action"], "post");
    assert_eq!(errors[0]["status"], "error");
    assert!(errors[0]["details"].as_str().unwrap().contains("something is off"));
    assert!(errors[0].get("retryAvailable").is_none());
    let ids = r.body["postIds"].as_array().unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0]["platform"], "telegram");
    assert!(r.body["id"].is_string());
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn total_failure_with_one_status_answers_that_status() {
    let h = Harness::start().await;
    // Both networks rate-limit us for longer than the retry deadline (5 s in tests): 909, HTTP 429.
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 429,
        "body": {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3600", "parameters": {"retry_after": 3600}}}));
    let reset = (chrono::Utc::now().timestamp() + 3600).to_string();
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 429,
        "headers": {"ratelimit-reset": reset}, "body": {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}}));
    let t = text("throttled");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"]})).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e["code"] == 909));
    let tg = errors.iter().find(|e| e["platform"] == "telegram").unwrap();
    assert_eq!(tg["details"], "3600");
    assert_eq!(r.body["postIds"], json!([]));
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn transient_failures_retry_automatically_then_offer_the_retry_endpoint() {
    let h = Harness::start().await;
    // 503 on every attempt: automatic retries run out, 910 with retryAvailable, HTTP 503.
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 503, "times": 0}));
    let t = text("flaky");
    let r = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.body["errors"][0]["code"], 910);
    assert_eq!(r.body["errors"][0]["retryAvailable"], true);
    let id = r.body["id"].as_str().unwrap().to_string();

    // One transient failure is retried automatically and succeeds.
    h.sandbox.state.clear_faults();
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 502}));
    let t2 = text("one hiccup");
    let r2 = h.post(json!({"post": t2, "platforms": ["telegram"]})).await;
    assert_eq!(r2.status, 200, "{}", r2.body);
    assert_eq!(h.published(&t2).len(), 1);

    // The retry endpoint re-sends only what failed retryably, once (waiting for the outcome).
    let rr = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id, "waitSeconds": 30})), &[]).await;
    assert_eq!(rr.status, 200, "{}", rr.body);
    assert_eq!(rr.body["status"], "success", "{}", rr.body);
    assert_eq!(h.published(&t).len(), 1);
    let again = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": id})), &[]).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["code"], 906);
}

#[tokio::test]
async fn rejected_by_the_network_is_not_retried() {
    let h = Harness::start().await;
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 400,
        "body": {"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}}));
    let t = text("nowhere");
    let r = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["errors"][0]["code"], 915);
    assert_eq!(r.body["errors"][0]["details"], "Bad Request: chat not found");
    let rr = h.call(Method::PUT, "/api/post/retry", Some(json!({"id": r.body["id"]})), &[]).await;
    assert_eq!(rr.body["code"], 906);
}
