//! A publish whose answer is lost is settled by asking the network, or reported
//! unknown — it is never sent a second time.

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn telegram_answer_lost_after_acceptance_is_unknown_and_not_resent() {
    let h = Harness::start().await;
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "reset": "after"}));
    let t = text("lost answer");
    let r = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_network_error(&r, "telegram", 905, 502, false);
    assert!(first_error(&r)["message"].as_str().unwrap().contains("Check the account"), "{}", r.body);
    assert_eq!(h.published(&t).len(), 1, "sent exactly once");
    let retry = h.retry(&r).await;
    assert_eq!(retry.body["code"], 906);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn bluesky_answer_lost_after_acceptance_is_reconciled_as_published() {
    let h = Harness::start().await;
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "reset": "after"}));
    let t = text("reconciled");
    let r = h.post(json!({"post": t, "platforms": ["bluesky"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["postIds"][0]["platform"], "bluesky");
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert!(r.body["postIds"][0]["id"].as_str().unwrap().ends_with(&ledger[0].native_id));
}

#[tokio::test]
async fn bluesky_connection_reset_before_acceptance_is_sent_once() {
    let h = Harness::start().await;
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "reset": "before"}));
    let t = text("resent safely");
    let r = h.post(json!({"post": t, "platforms": ["bluesky"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn telegram_connection_reset_before_acceptance_is_unknown() {
    // crier cannot tell a reset before acceptance from one after: it must not guess.
    let h = Harness::start().await;
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "reset": "before"}));
    let t = text("cannot tell");
    let r = h.post(json!({"post": t, "platforms": ["telegram"]})).await;
    assert_eq!(r.body["errors"][0]["code"], 905);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn expired_bluesky_session_is_refreshed() {
    let h = Harness::start().await;
    let first = h.post(json!({"post": text("before expiry"), "platforms": ["bluesky"]})).await;
    assert_eq!(first.status, 200);
    let r = h.http.post(format!("{}/_sandbox/bluesky/expire-sessions", h.sandbox.url)).send().await.unwrap();
    assert!(r.status().is_success());
    let t = text("after expiry");
    let second = h.post(json!({"post": t, "platforms": ["bluesky"]})).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(h.published(&t).len(), 1);
}
