//! An account whose grant died (marked as needing relink) is not listed as active: Ayrshare's
//! `activeSocialAccounts` in `GET /api/user` and `GET /api/profiles` lists usable accounts only,
//! while `/api/user`'s `displayNames` keeps showing it with `needsRelink`. Linking it again makes
//! it active again.

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

async fn active_in_profiles(h: &Harness, title: &str) -> Vec<Value> {
    let r = h.get("/api/profiles").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let profile = r.body["profiles"].as_array().unwrap().iter().find(|p| p["title"] == title).unwrap_or_else(|| panic!("{}", r.body)).clone();
    profile["activeSocialAccounts"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_account_needing_relink_is_not_active_but_still_shown_for_relinking() {
    let h = Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await;
    let key = empty_profile(&h, "Relinkers").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["reddit", "linkedin"]})).await;
    let mut page = PageClient::new();
    link_with_consent(&h, &mut page, &url, "reddit").await;
    link_with_consent(&h, &mut page, &url, "linkedin").await;
    assert_eq!(linked(&h, &key).await, ["linkedin", "reddit"]);
    assert_eq!(active_in_profiles(&h, "Relinkers").await, [json!("linkedin"), json!("reddit")]);

    // Reddit's grant dies (the user removed the app): the next post refreshes, is refused for
    // good, and the account is marked.
    h.control("oauth/expire", json!({"network": "reddit", "refreshTokens": true})).await;
    let title = text("after the grant died");
    let body = json!({"post": title, "platforms": ["reddit"], "redditOptions": {"title": title, "subreddit": seed::REDDIT_SUBREDDIT}});
    let r = h.call(Method::POST, "/api/post", Some(body), &[("Profile-Key", &key)]).await;
    assert_eq!(r.body["errors"][0]["code"].as_i64(), Some(908), "{}", r.body);

    assert_eq!(linked(&h, &key).await, ["linkedin"], "only usable accounts are active");
    assert_eq!(active_in_profiles(&h, "Relinkers").await, [json!("linkedin")]);
    let user = h.call(Method::GET, "/api/user", None, &[("Profile-Key", &key)]).await;
    let names = user.body["displayNames"].as_array().unwrap();
    let reddit = names.iter().find(|n| n["platform"] == "reddit").unwrap_or_else(|| panic!("still shown: {}", user.body));
    assert_eq!(reddit["needsRelink"], true, "{reddit}");
    assert!(reddit["relinkReason"].as_str().is_some_and(|r| !r.is_empty()), "{reddit}");
    assert!(names.iter().any(|n| n["platform"] == "linkedin" && n["needsRelink"] == false), "{}", user.body);

    // Linking again through the page clears the mark.
    link_with_consent(&h, &mut page, &url, "reddit").await;
    assert_eq!(linked(&h, &key).await, ["linkedin", "reddit"]);
    assert_eq!(active_in_profiles(&h, "Relinkers").await, [json!("linkedin"), json!("reddit")]);
}
