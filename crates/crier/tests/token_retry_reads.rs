//! Reads and deletes refresh like posting does: an account linked through OAuth whose access
//! token the network expired (crier still thinks it valid) gets one refresh and one retry for
//! `POST /api/analytics/post`, `GET /api/history/{platform}` and `DELETE /api/post`, instead of
//! failing with 908. A dead grant still gives 908, after exactly one refresh attempt.

mod common;
mod linking_kit;
mod oauth_kit;

use common::*;
use crier::oauth_cfg::OAuthConfig;
use crier_sandbox::seed;
use linking_kit::*;
use oauth_kit::*;
use reqwest::Method;
use serde_json::{Value, json};

/// A profile with Reddit linked through the linking page's OAuth consent; its profile key.
async fn reddit_by_oauth(h: &Harness) -> String {
    let key = empty_profile(h, "Acme").await;
    let url = link_url(h, &key, json!({"allowedSocial": ["reddit"]})).await;
    let html = link_with_consent(h, &mut PageClient::new(), &url, "reddit").await;
    assert!(html.contains("Connected as u/crier_sandbox"), "{html}");
    key
}

async fn publish(h: &Harness, key: &str, title: &str) -> Reply {
    let body = json!({"post": title, "platforms": ["reddit"], "redditOptions": {"title": title, "subreddit": seed::REDDIT_SUBREDDIT}});
    let r = h.call(Method::POST, "/api/post", Some(body), &[("Profile-Key", key)]).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("success")), "{}", r.body);
    r
}

/// Every access token Reddit's authorization server issued expires now (crier's record of the
/// expiry is untouched, so only the network's answer tells).
async fn expire_at_reddit(h: &Harness, refresh_tokens: bool) {
    let v = h.control("oauth/expire", json!({"network": "reddit", "refreshTokens": refresh_tokens})).await;
    assert!(v["expiredAccessTokens"].as_i64().unwrap() >= 1, "{v}");
}

async fn refreshes(h: &Harness) -> i64 {
    oauth_calls(h, "reddit", "refresh_token").await
}

fn id_of(r: &Reply) -> Value {
    r.body["id"].clone()
}

#[tokio::test]
async fn analytics_history_and_delete_refresh_an_expired_token_once_and_succeed() {
    let h = Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await;
    let key = reddit_by_oauth(&h).await;
    let title = text("read after expiry");
    let posted = publish(&h, &key, &title).await;
    assert_eq!(refreshes(&h).await, 0, "the token was fresh when posting");

    expire_at_reddit(&h, false).await;
    let a = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id_of(&posted)})), &[("Profile-Key", &key)]).await;
    assert_eq!((a.status, a.body["status"].as_str()), (200, Some("success")), "{}", a.body);
    assert_eq!(a.body["reddit"]["analytics"]["title"], title.as_str(), "{}", a.body);
    assert_eq!(refreshes(&h).await, 1, "one refresh, then the read again");
    // The refreshed token is stored: the next read needs none.
    let again = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id_of(&posted)})), &[("Profile-Key", &key)]).await;
    assert_eq!(again.body["status"], "success", "{}", again.body);
    assert_eq!(refreshes(&h).await, 1);

    expire_at_reddit(&h, false).await;
    let history = h.call(Method::GET, "/api/history/reddit", None, &[("Profile-Key", &key)]).await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert!(history.body["posts"].as_array().unwrap().iter().any(|p| p["post"] == title.as_str()), "{}", history.body);
    assert_eq!(refreshes(&h).await, 2);

    expire_at_reddit(&h, false).await;
    let d = h.call(Method::DELETE, "/api/post", Some(json!({"id": id_of(&posted)})), &[("Profile-Key", &key)]).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["reddit"]["status"], "success", "{}", d.body);
    assert_eq!(refreshes(&h).await, 3);
    assert!(h.network_ledger("reddit").iter().all(|e| e.deleted), "deleted at Reddit");
}

#[tokio::test]
async fn a_dead_grant_still_gives_the_relink_code_after_one_refresh_attempt() {
    let h = Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await;
    let key = reddit_by_oauth(&h).await;
    let posted = publish(&h, &key, &text("read after revocation")).await;

    expire_at_reddit(&h, true).await;
    let a = h.call(Method::POST, "/api/analytics/post", Some(json!({"id": id_of(&posted)})), &[("Profile-Key", &key)]).await;
    assert_eq!((a.body["status"].as_str(), a.body["reddit"]["code"].as_i64()), (Some("error"), Some(908)), "{}", a.body);
    assert_eq!(refreshes(&h).await, 1);
    // Marked for relinking: the next delete fails at once, without another refresh.
    let d = h.call(Method::DELETE, "/api/post", Some(json!({"id": id_of(&posted)})), &[("Profile-Key", &key)]).await;
    assert_eq!(d.body["reddit"]["code"].as_i64(), Some(908), "{}", d.body);
    assert_eq!(refreshes(&h).await, 1);
    let user = h.call(Method::GET, "/api/user", None, &[("Profile-Key", &key)]).await;
    assert!(user.body.to_string().contains("needsRelink"), "{}", user.body);
}
