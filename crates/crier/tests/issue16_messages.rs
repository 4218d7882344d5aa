//! Issue 16, point 9: a Profile-Key that is not ASCII is 904 (never the primary profile); 435 says
//! which limit it is; 441 does not speak of other networks; 912/920/924 name the route's action.

mod common;
use common::*;
use crier::cfg::LinkProvider;
use crier_sandbox::seed;
use reqwest::Method;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

#[tokio::test]
async fn profile_key_that_is_not_ascii_is_904_and_runs_nothing() {
    let h = Harness::start().await;
    let t = text("wrong profile");
    for raw in [&b"\xc3\xa9t\xc3\xa9"[..], &b"key-\xff"[..]] {
        let value = HeaderValue::from_bytes(raw).unwrap();
        let resp = h
            .http
            .post(format!("{}/api/post", h.base))
            .bearer_auth(&h.key)
            .header("Profile-Key", value)
            .json(&json!({"post": t, "platforms": ["telegram"]}))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap();
        assert_eq!((status, body["code"].as_i64()), (403, Some(904)), "{body}");
    }
    assert!(h.published(&t).is_empty(), "nothing ran as the primary profile");
    // An empty Profile-Key is still "no profile key": the primary profile.
    let r = h.call(Method::GET, "/api/user", None, &[("Profile-Key", "  ")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn route_errors_carry_the_routes_action() {
    let h = Harness::start().await;
    for (method, path, code, action) in [
        (Method::GET, "/api/hashtags/auto", 920, "hashtags"),
        (Method::POST, "/api/feed", 920, "feed"),
        (Method::GET, "/api/analytics/links", 920, "analytics"),
        (Method::DELETE, "/api/comments/abc", 920, "comment"),
        (Method::POST, "/api/messages/instagram", 920, "messages"),
        (Method::GET, "/api/nope", 912, "request"),
        (Method::GET, "/api/history/telegram/extra/path", 912, "history"),
        (Method::GET, "/api/post/retry", 924, "retry"),
    ] {
        let r = h.call(method.clone(), path, None, &[]).await;
        assert_eq!((r.body["code"].as_i64(), r.body["action"].as_str()), (Some(code), Some(action)), "{method} {path}: {}", r.body);
    }
}

#[tokio::test]
async fn instagram_435_names_crier_own_configured_limit() {
    let h = Harness::start_with(|c| c.networks.instagram_daily_limit = 2).await.with_meta().await;
    for _ in 0..2 {
        let r = h.post(json!({"post": text("quota"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = h.post(json!({"post": text("over"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_network_error(&r, "instagram", 435, 429, false);
    let message = first_error(&r)["message"].as_str().unwrap().to_string();
    assert!(message.contains("2 posts per 24 hours"), "{message}");
    let fr = h.call(Method::GET, &format!("/api/post/{}", r.body["id"].as_str().unwrap()), None, &[("Accept-Language", "fr")]).await;
    let fr_message = fr.body["errors"][0]["message"].as_str().unwrap().to_string();
    assert!(fr_message.contains("2 publications"), "{fr_message}");
}

#[tokio::test]
async fn instagram_435_names_the_velocity_block() {
    let h = Harness::start().await.with_meta().await;
    h.control("meta/throttle", json!({"scope": "instagram-spam", "on": true})).await;
    let r = h.post(json!({"post": text("too fast"), "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_network_error(&r, "instagram", 435, 429, false);
    let message = first_error(&r)["message"].as_str().unwrap().to_string();
    assert!(message.contains("too fast") && !message.contains("50 posts"), "{message}");
}

#[tokio::test]
async fn caption_enhancement_441_of_the_only_network_speaks_of_no_other_network() {
    let h = Harness::start_with_sandbox(|c, sandbox| {
        c.links.provider = LinkProvider::Bitly;
        c.links.bitly_url = format!("{sandbox}/bitly");
        c.links.bitly_token = Some(seed::BITLY_TOKEN.to_string());
    })
    .await;
    h.fault(json!({"network": "bitly", "endpoint": "shorten", "status": 403, "times": 0}));
    let r = h.post(json!({"post": text("see https://example.com/only"), "platforms": ["telegram"], "shortenLinks": true})).await;
    let e = first_error(&r);
    assert_eq!(e["code"], 441, "{}", r.body);
    let message = e["message"].as_str().unwrap();
    assert!(!message.contains("other networks"), "{message}");
    assert!(message.contains("Telegram"), "{message}");
}
