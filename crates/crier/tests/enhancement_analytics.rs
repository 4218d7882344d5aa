//! shortenLinks through a Bitly-compatible provider (441), analytics across networks, paged history.

mod common;
use common::*;
use crier::cfg::LinkProvider;
use crier_sandbox::seed;
use reqwest::Method;
use serde_json::json;

fn bitly_config(c: &mut crier::cfg::Config, sandbox: &str) {
    c.links.provider = LinkProvider::Bitly;
    c.links.bitly_url = format!("{sandbox}/bitly");
    c.links.bitly_token = Some(seed::BITLY_TOKEN.to_string());
}

/// crier shortening through the sandbox's Bitly.
async fn bitly_harness() -> Harness {
    Harness::start_with_sandbox(bitly_config).await
}

#[tokio::test]
async fn enhancement_failing_for_one_network_is_441_there_and_the_other_publishes() {
    let h = bitly_harness().await;
    // Bitly fails once: the first network's enhancement (telegram) fails, bluesky's succeeds.
    h.fault(json!({"network": "bitly", "endpoint": "shorten", "status": 500}));
    let t = text("read https://example.com/launch");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "shortenLinks": true})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["status"], "error");
    let e = &r.body["errors"][0];
    assert_eq!((e["code"].as_i64(), e["platform"].as_str(), e["source"].as_str()), (Some(441), Some("telegram"), Some("handlePostAdditions")), "{e}");
    assert!(e["details"].as_str().unwrap().contains("Bitly"), "{e}");
    let ids = r.body["postIds"].as_array().unwrap();
    assert_eq!((ids.len(), ids[0]["platform"].as_str()), (1, Some("bluesky")), "postIds is not empty: do not resubmit everything");
    let ledger = h.sandbox.state.ledger();
    assert_eq!(ledger.len(), 1, "only bluesky published, once");
    assert!(ledger[0].text.contains("https://bit.ly/"), "{}", ledger[0].text);
}

#[tokio::test]
async fn enhancement_failing_everywhere_is_502_and_creates_nothing() {
    let h = bitly_harness().await;
    h.fault(json!({"network": "bitly", "endpoint": "shorten", "status": 403, "times": 0}));
    let r = h.post(json!({"post": "see https://example.com/x", "platforms": ["telegram", "bluesky"], "shortenLinks": true})).await;
    assert_eq!(r.status, 502, "{}", r.body);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e["code"] == 441 && e["source"] == "handlePostAdditions"));
    assert_eq!(r.body["postIds"], json!([]));
    // Kept as a failed post (Ayrshare's envelope has an id); history shows it as such.
    let history = h.get("/api/history").await.body["history"].clone();
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!((history[0]["id"].clone(), history[0]["status"].clone()), (r.body["id"].clone(), json!("error")));
    assert!(h.sandbox.state.ledger().is_empty());
}

#[tokio::test]
async fn analytics_for_a_post_on_two_networks_and_one_failing_does_not_hide_the_other() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("measure me");
    let r = h.post_x(json!({"post": t, "platforms": ["bluesky", "twitter"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let a = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id})), &X_HEADERS).await;
    assert_eq!(a.body["status"], "success", "{}", a.body);
    assert!(a.body["bluesky"]["analytics"]["likeCount"].is_number(), "{}", a.body);
    assert!(a.body["twitter"]["analytics"]["likeCount"].is_number(), "{}", a.body);

    h.fault(json!({"network": "bluesky", "endpoint": "app.bsky.feed.getPosts", "status": 502, "times": 0}));
    let a = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id})), &X_HEADERS).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["status"], "error");
    assert_eq!(a.body["bluesky"]["status"], "error", "{}", a.body);
    assert!(a.body["twitter"]["analytics"].is_object(), "the other network's data is still there: {}", a.body);
    let social = h.call(Method::POST, "/api/analytics/social", Some(json!({"platforms": ["bluesky", "twitter"]})), &X_HEADERS).await;
    assert!(social.body["bluesky"]["analytics"]["followersCount"].is_number(), "{}", social.body);
}

#[tokio::test]
async fn network_history_pages_with_the_networks_cursor() {
    let h = Harness::start().await;
    let mut texts = Vec::new();
    for i in 0..3 {
        let t = text(&format!("page {i}"));
        assert_eq!(h.post(json!({"post": t, "platforms": ["bluesky"]})).await.status, 200);
        texts.push(t);
    }
    let first = h.get("/api/history/bluesky?limit=2").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let posts = first.body["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0]["post"], texts[2].as_str(), "newest first");
    let next = first.body["meta"]["pagination"]["next"].as_str().expect("a next cursor").to_string();
    let second = h.get(&format!("/api/history/bluesky?limit=2&next={next}")).await;
    let posts = second.body["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["post"], texts[0].as_str());
    assert!(second.body["meta"]["pagination"]["next"].is_null());
}
