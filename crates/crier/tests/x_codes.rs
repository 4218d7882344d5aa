//! X with bring-your-own keys: every seed code from the real upstream condition, retries, never twice.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::seed;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn tweet_success_and_byo_header_cases() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("hello X");
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["postIds"][0]["postUrl"].as_str().unwrap().starts_with("https://x.com/crier_sandbox/status/"));
    assert_eq!(h.published(&t).len(), 1);
    // 419: none, key only, secret only.
    let body = json!({"post": text("no keys"), "platforms": ["twitter"]});
    for headers in [vec![], vec![X_HEADERS[0]], vec![X_HEADERS[1]]] {
        let r = h.call(Method::POST, "/api/post", Some(body.clone()), &headers).await;
        assert_eq!((r.status, first_error(&r)["code"].as_i64()), (400, Some(419)), "{headers:?}: {}", r.body);
        let m = first_error(&r)["message"].as_str().unwrap();
        for (name, _) in X_HEADERS {
            assert_eq!(m.contains(name), !headers.iter().any(|(n, _)| *n == name), "{m}");
        }
    }
}

#[tokio::test]
async fn code_272_for_suspended_locked_and_other_apps_keys() {
    let h = Harness::start().await.with_x_youtube().await;
    for (state, needle) in [("suspended", "suspended"), ("locked", "temporarily locked")] {
        h.control("x/users", json!({"userId": seed::X_USER_ID, "state": state})).await;
        let r = h.post_x(json!({"post": text(state), "platforms": ["twitter"]})).await;
        assert_eq!((r.status, first_error(&r)["code"].as_i64()), (400, Some(272)), "{}", r.body);
        assert!(first_error(&r)["details"].as_str().unwrap().contains(needle), "X's raw string in details: {}", r.body);
    }
    h.control("x/users", json!({"userId": seed::X_USER_ID, "state": "ok"})).await;
    let other = [("X-Twitter-OAuth1-Api-Key", seed::X_OTHER_CONSUMER_KEY), ("X-Twitter-OAuth1-Api-Secret", seed::X_OTHER_CONSUMER_SECRET)];
    let t = text("other app");
    let r = h.call(Method::POST, "/api/post", Some(json!({"post": t, "platforms": ["twitter"]})), &other).await;
    assert_eq!(first_error(&r)["code"], 272, "{}", r.body);
    assert!(first_error(&r)["details"].as_str().unwrap().contains("89"), "{}", r.body);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn credits_depleted_is_416_with_http_402() {
    let h = Harness::start().await.with_x_youtube().await;
    h.control("x/apps", json!({"consumerKey": seed::X_CONSUMER_KEY, "credits": 0})).await;
    let r = h.post_x(json!({"post": text("broke"), "platforms": ["twitter"]})).await;
    assert_eq!((r.status, first_error(&r)["code"].as_i64()), (402, Some(416)), "{}", r.body);
    assert!(first_error(&r)["details"].as_str().unwrap().contains("CreditsDepleted"));
}

#[tokio::test]
async fn read_only_token_is_418() {
    let h = Harness::start().await.with_x_youtube().await;
    h.link(Platform::Twitter, json!({"accessToken": seed::X_READONLY_ACCESS_TOKEN, "accessTokenSecret": seed::X_READONLY_ACCESS_TOKEN_SECRET})).await;
    let r = h.post_x(json!({"post": text("read only"), "platforms": ["twitter"]})).await;
    assert_eq!((r.status, first_error(&r)["code"].as_i64()), (403, Some(418)), "{}", r.body);
    assert_eq!(first_error(&r)["details"], "x-access-level: read");
}

#[tokio::test]
async fn duplicate_is_110_and_long_post_is_111() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("twice on X");
    assert_eq!(h.post_x(json!({"post": t, "platforms": ["twitter"]})).await.status, 200);
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"]})).await;
    assert_eq!(first_error(&r)["code"], 110, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
    let long = format!("{} {}", text("long"), "word ".repeat(80));
    let r = h.post_x(json!({"post": long, "platforms": ["twitter"], "twitterOptions": {"longPost": true}})).await;
    assert_eq!(first_error(&r)["code"], 111, "{}", r.body);
}

#[tokio::test]
async fn rate_limit_429_is_waited_out_and_retried_automatically() {
    let h = Harness::start().await.with_x_youtube().await;
    let reset = (chrono::Utc::now().timestamp() + 1).to_string();
    h.fault(json!({"network": "twitter", "endpoint": "tweets", "status": 429,
        "headers": {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}}));
    let t = text("after the window");
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn tweet_accepted_but_answer_lost_is_found_not_resent() {
    let h = Harness::start().await.with_x_youtube().await;
    h.fault(json!({"network": "twitter", "endpoint": "tweets", "reset": "after"}));
    let t = text("lost tweet answer");
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 1, "exactly one tweet");
    assert_eq!(r.body["postIds"][0]["id"], ledger[0].native_id.as_str());
}

#[tokio::test]
async fn tweet_with_image_goes_through_chunked_upload() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("with image");
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"], "mediaUrls": [h.media("cat.png")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t)[0].media.len(), 1);
}

#[tokio::test]
async fn thread_posts_every_paragraph_as_a_reply_chain() {
    let h = Harness::start().await.with_x_youtube().await;
    let tag = text("thread");
    let body = format!("{tag} first\n\nsecond part\n\nthird part");
    let r = h.post_x(json!({"post": body, "platforms": ["twitter"], "twitterOptions": {"thread": true, "threadNumber": true}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ids = r.body["postIds"][0]["threadIds"].as_array().unwrap();
    assert_eq!(ids.len(), 3);
    let texts: Vec<String> = h.sandbox.state.ledger().into_iter().filter(|e| e.network == "twitter").map(|e| e.text).collect();
    assert_eq!(texts, vec![format!("{tag} first 1/3"), "second part 2/3".to_string(), "third part 3/3".to_string()]);
    // Each post of a thread must fit on its own; the whole text may be longer.
    let long = format!("{}\n\n{}", "a".repeat(200), "b".repeat(200));
    let ok = h.post_x(json!({"post": long, "platforms": ["twitter"], "twitterOptions": {"thread": true}})).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let too_long = h.post_x(json!({"post": "c".repeat(300), "platforms": ["twitter"], "twitterOptions": {"thread": true}})).await;
    assert_eq!(too_long.body["errors"][0]["code"], 132);
}
