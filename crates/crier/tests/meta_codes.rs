//! Every Meta code of the seed, produced by putting the sandbox into the real upstream condition.

mod common;
use common::*;
use crier_sandbox::seed;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn facebook_duplicate_is_107() {
    let h = Harness::start().await.with_meta().await;
    let t = text("same twice");
    assert_eq!(h.post(json!({"post": t, "platforms": ["facebook"]})).await.status, 200);
    let r = h.post(json!({"post": t, "platforms": ["facebook"]})).await;
    let details = assert_network_error(&r, "facebook", 107, 400, false);
    assert!(details.contains("Duplicate status message"), "{details}");
}

#[tokio::test]
async fn facebook_password_change_is_161() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/tokens", json!({"token": seed::FACEBOOK_PAGE_TOKEN, "state": "password_changed"})).await;
    let r = h.post(json!({"post": text("after password change"), "platforms": ["facebook"]})).await;
    let details = assert_network_error(&r, "facebook", 161, 400, false);
    assert!(details.contains("password"), "{details}");
}

#[tokio::test]
async fn instagram_generic_failure_is_138_with_metas_text() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/config", json!({"containerOutcome": "error", "containerErrorSubcode": 2207026})).await;
    let r = h.post(json!({"post": text("bad video"), "platforms": ["instagram"], "mediaUrls": [h.media("clip.mp4")]})).await;
    let details = assert_network_error(&r, "instagram", 138, 400, false);
    assert!(details.contains("2207026"), "{details}");
}

#[tokio::test]
async fn instagram_435_from_crier_own_rolling_ledger() {
    let h = Harness::start_with(|c| c.networks.instagram_daily_limit = 2).await.with_meta().await;
    for n in 1..=2 {
        let r = h.post(json!({"post": text("quota"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["postIds"][0]["usedQuota"], n);
    }
    let r = h.post(json!({"post": text("one too many"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    let wait: i64 = assert_network_error(&r, "instagram", 435, 429, false).parse().unwrap();
    assert!((86_000..=86_400).contains(&wait), "seconds until a slot frees: {wait}");
    let published = h.sandbox.state.ledger().into_iter().filter(|e| e.network == "instagram").count();
    assert_eq!(published, 2, "Meta was not called for the third post");
    let user = h.get("/api/user?instagramQuota=true").await;
    let ig = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "instagram").unwrap().clone();
    assert_eq!(ig["usedQuota"], 2);
}

#[tokio::test]
async fn instagram_435_from_meta_http_429_carries_retry_after() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/throttle", json!({"scope": "instagram-publish", "on": true, "retryAfter": 120})).await;
    let t = text("throttled");
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_eq!(assert_network_error(&r, "instagram", 435, 429, false), "120");
    assert!(h.published(&t).is_empty());
    // The slot crier reserved was given back: nothing was published.
    let user = h.get("/api/user?instagramQuota=true").await;
    let ig = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "instagram").unwrap().clone();
    assert_eq!(ig["usedQuota"], 0);
}

#[tokio::test]
async fn instagram_435_from_subcode_1390008() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/throttle", json!({"scope": "instagram-spam", "on": true})).await;
    let r = h.post(json!({"post": text("too fast"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    let details = assert_network_error(&r, "instagram", 435, 429, false);
    assert!(details.contains("too fast"), "{details}");
}

#[tokio::test]
async fn instagram_container_stuck_processing_is_436_retryable() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/config", json!({"containerDelayMs": 600_000})).await;
    let t = text("slow reel");
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("reel.mp4")]})).await;
    assert_network_error(&r, "instagram", 436, 400, true);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn instagram_crawler_blocked_by_robots_txt_is_440() {
    let h = Harness::start().await.with_meta().await;
    h.control("media-host", json!({"robots": "User-agent: facebookexternalhit\nDisallow: /media-host/private/"})).await;
    let r = h.post(json!({"post": text("blocked"), "platforms": ["instagram"], "mediaUrls": [h.media("private/cat.jpg")]})).await;
    let details = assert_network_error(&r, "instagram", 440, 400, false);
    assert!(details.contains("robots.txt"), "{details}");
}

#[tokio::test]
async fn threads_media_download_failure_is_440() {
    let h = Harness::start().await.with_meta().await;
    h.control("media-host", json!({"status": {"/media-host/gone.mp4": 403}})).await;
    let r = h.post(json!({"post": text("video gone"), "platforms": ["threads"], "mediaUrls": [h.media("gone.mp4")]})).await;
    assert_network_error(&r, "threads", 440, 400, false);
}

#[tokio::test]
async fn threads_generic_failure_is_379() {
    let h = Harness::start().await.with_meta().await;
    h.fault(json!({"network": "threads", "endpoint": "threads", "status": 400,
        "body": {"error": {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100, "fbtrace_id": "x"}}}));
    let r = h.post(json!({"post": text("threads says no"), "platforms": ["threads"]})).await;
    assert_network_error(&r, "threads", 379, 400, false);
}

#[tokio::test]
async fn facebook_analytics_throttle_is_444_and_publishing_continues() {
    let h = Harness::start().await.with_meta().await;
    let r = h.post(json!({"post": text("measured"), "platforms": ["facebook"]})).await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let ok = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id})), &[]).await;
    assert_eq!(ok.body["status"], "success", "{}", ok.body);
    assert!(ok.body["facebook"]["analytics"].is_object());

    h.control("meta/throttle", json!({"scope": "page-insights", "on": true, "pageId": seed::FACEBOOK_PAGE_ID})).await;
    let per_post = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id, "platforms": ["facebook"]})), &[]).await;
    assert_eq!((per_post.body["facebook"]["code"].as_i64(), per_post.body["facebook"]["errCode"].as_i64()), (Some(444), Some(80001)), "{}", per_post.body);
    let history = h.get("/api/history/facebook").await;
    assert_eq!(history.status, 200, "{}", history.body);
    let posts = history.body["posts"].as_array().unwrap();
    assert!(!posts.is_empty());
    assert!(posts.iter().all(|p| p["code"] == 444 && p["errCode"] == 80001), "{}", history.body);
    let page = h.call(Method::POST, "/api/analytics/social", Some(json!({"platforms": ["facebook"]})), &[]).await;
    assert_eq!(page.status, 429, "{}", page.body);
    assert_eq!(page.body["errors"][0]["code"], 444);

    let still = h.post(json!({"post": text("still publishing"), "platforms": ["facebook"]})).await;
    assert_eq!(still.status, 200, "{}", still.body);
}
