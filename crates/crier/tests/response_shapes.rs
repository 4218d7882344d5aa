//! Answers carry the keys Ayrshare documents (ayrshare-api.md §4.6-4.8, §4.11; the tables of
//! compat/README.md), beside crier's own: `analytics/post` per network, `analytics/social`,
//! `history/:platform`, `GET /user`, short-link analytics. Values come from the sandbox's
//! emulators, which answer as the networks do.

mod common;

use common::*;
use crier_core::Platform;
use crier_sandbox::seed;
use reqwest::Method;
use serde_json::{Value, json};

fn has(v: &Value, keys: &[&str], what: &str) {
    for k in keys {
        assert!(v.get(*k).is_some_and(|x| !x.is_null()), "{what}: no {k} in {v}");
    }
}

#[tokio::test]
async fn post_analytics_have_ayrshares_keys_per_network() {
    let h = Harness::start().await.with_meta().await.with_x_youtube().await;
    let fb = h.post(json!({"post": text("fb shapes"), "platforms": ["facebook", "bluesky"]})).await;
    assert_eq!(fb.status, 200, "{}", fb.body);
    let a = h.post_analytics(&fb).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let f = &a.body["facebook"];
    has(f, &["id", "postUrl"], "facebook");
    has(&f["analytics"], &["likeCount", "commentsCount", "sharesCount", "reactionsByType", "videoViews", "impressionsUnique"], "facebook");
    has(&f["analytics"], &["impressionsCount", "reactions"], "facebook keeps crier's keys");
    assert_eq!(f["analytics"]["likeCount"], f["analytics"]["reactionsByType"]["like"]);
    has(&a.body["bluesky"]["analytics"], &["likeCount", "repostCount", "replyCount", "quoteCount"], "bluesky");

    let ig = h.post(json!({"post": text("ig shapes"), "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg")]})).await;
    assert_eq!(ig.status, 200, "{}", ig.body);
    let a = h.post_analytics(&ig).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let i = &a.body["instagram"]["analytics"];
    has(
        i,
        &["caption", "mediaType", "mediaProductType", "username", "created", "likeCount", "commentsCount", "reachCount", "savedCount", "viewsCount", "engagementCount"],
        "instagram",
    );
    assert!(i["caption"].as_str().unwrap().starts_with("ig shapes"), "{i}");
}

#[tokio::test]
async fn linkedin_page_post_analytics_have_ayrshares_keys() {
    let h = Harness::start().await.with(&[Platform::Linkedin]).await;
    h.link(Platform::Linkedin, json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": seed::LINKEDIN_ORG_URN})).await;
    let r = h.post(json!({"post": text("li shapes"), "platforms": ["linkedin"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = h.post_analytics(&r).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let l = &a.body["linkedin"]["analytics"];
    has(l, &["shareCount", "impressionCount", "likeCount", "commentsCount", "commentCount", "reactions"], "linkedin page");
    assert_eq!(l["commentsCount"], l["commentCount"]);
    assert!(l["shareCount"].is_u64() && l["impressionCount"].as_u64() > Some(0), "{l}");
}

#[tokio::test]
async fn social_analytics_have_ayrshares_keys() {
    let h = Harness::start().await.with_meta().await.with_x_youtube().await;
    let s = h.call(Method::POST, "/api/analytics/social", Some(json!({"platforms": ["facebook", "youtube", "instagram"]})), &[]).await;
    assert_eq!(s.status, 200, "{}", s.body);
    has(&s.body["facebook"]["analytics"], &["followersCount", "fanCount", "name", "link", "id"], "facebook");
    let yt = &s.body["youtube"]["analytics"];
    has(yt, &["id", "channelId", "subscriberCount", "viewCount"], "youtube");
    assert_eq!(yt["id"], yt["channelId"]);
    has(&s.body["instagram"]["analytics"], &["username", "followersCount"], "instagram");
}

#[tokio::test]
async fn network_history_has_update_times_and_per_network_fields() {
    let h = Harness::start().await.with_meta().await;
    let fb = h.post(json!({"post": text("history shapes"), "platforms": ["facebook"]})).await;
    assert_eq!(fb.status, 200, "{}", fb.body);
    let r = h.get("/api/history/facebook").await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, &["lastUpdated", "nextUpdate", "posts"], "history/facebook");
    chrono::DateTime::parse_from_rfc3339(r.body["lastUpdated"].as_str().unwrap()).expect("ISO lastUpdated");
    let p = &r.body["posts"][0];
    has(p, &["id", "post", "postUrl", "created", "likeCount", "commentsCount", "sharesCount", "statusType", "impressionsUnique"], "facebook post");

    let ig = h.post(json!({"post": text("ig history shapes"), "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg")]})).await;
    assert_eq!(ig.status, 200, "{}", ig.body);
    let r = h.get("/api/history/instagram").await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, &["lastUpdated", "nextUpdate"], "history/instagram");
    let p = &r.body["posts"][0];
    has(
        p,
        &["id", "post", "postUrl", "created", "mediaType", "mediaProductType", "mediaUrl", "likeCount", "commentsCount", "username"],
        "instagram post",
    );
}

#[tokio::test]
async fn user_has_email_and_display_name_ids_and_urls() {
    let h = Harness::start().await.with_meta().await;
    let u = h.get("/api/user").await;
    assert_eq!(u.status, 200, "{}", u.body);
    assert!(u.body.get("email").is_some(), "{}", u.body);
    let names = u.body["displayNames"].as_array().unwrap();
    let fb = names.iter().find(|n| n["platform"] == "facebook").unwrap();
    has(fb, &["platform", "id", "displayName", "profileUrl", "created"], "facebook displayName");
    assert_eq!(fb["profileUrl"], json!(format!("https://www.facebook.com/{}", fb["id"].as_str().unwrap())));
    let bsky = names.iter().find(|n| n["platform"] == "bluesky").unwrap();
    has(bsky, &["id", "username", "profileUrl"], "bluesky displayName");
    assert_eq!(bsky["username"], json!(seed::BLUESKY_HANDLE));
    // Ids only: no token ever shows.
    let all = u.body.to_string();
    for secret in [seed::FACEBOOK_PAGE_TOKEN, seed::INSTAGRAM_TOKEN, seed::TELEGRAM_BOT_TOKEN, seed::BLUESKY_APP_PASSWORD] {
        assert!(!all.contains(secret), "a token in /user: {all}");
    }
}

#[tokio::test]
async fn short_link_analytics_have_ayrshares_keys() {
    let h = Harness::start().await;
    let r = h.call(Method::POST, "/api/links", Some(json!({"url": "https://example.com/shapes"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, &["status", "id", "shortUrl", "originalUrl", "created"], "POST /links");
    let a = h.get(&format!("/api/links/{}", r.body["id"].as_str().unwrap())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    has(&a.body["analytics"], &["totalClicks", "refererCounts", "browserCounts", "originalUrl", "shortUrl", "created"], "GET /links/:id");
}
