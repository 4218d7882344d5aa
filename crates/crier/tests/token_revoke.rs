//! Unlinking revokes the grant at the network (oauth-and-webhooks.md, Revoke rows): accounts
//! linked through the linking page's OAuth consent, unlinked through `DELETE /api/profiles/social`
//! or the page's Unlink button; the sandbox's revoke endpoint is called once and the old refresh
//! token is dead afterwards. A revoke that fails still unlinks, and the `unlinked` event says
//! why (without a token). Accounts linked by form (Telegram) revoke nothing.

mod common;
mod linking_kit;
mod oauth_kit;

use common::*;
use crier::oauth_cfg::OAuthConfig;
use crier_core::Platform;
use crier_networks::oauth::{self, TokenError};
use linking_kit::*;
use oauth_kit::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await
}

async fn profile_id(h: &Harness, key: &str) -> String {
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    store.profile_by_key(&account, key).await.unwrap().unwrap().id
}

async fn credentials(h: &Harness, key: &str, platform: Platform) -> Value {
    h.running.store().token_state(&profile_id(h, key).await, platform).await.unwrap().unwrap().0
}

/// The sandbox's count of revoke calls at one network's authorization server.
async fn revokes(h: &Harness, network: &str) -> i64 {
    oauth_calls(h, network, "revoke").await
}

/// The details of the profile's last `unlinked` event for `platform`.
async fn unlinked_details(h: &Harness, key: &str, platform: Platform) -> Value {
    let events = h.running.store().account_events(&profile_id(h, key).await).await.unwrap();
    let e = events.iter().rev().find(|e| e.kind == "unlinked" && e.platform == platform.as_str()).unwrap_or_else(|| panic!("no unlinked event: {events:?}"));
    e.details.clone()
}

async fn unlink(h: &Harness, key: &str, platform: &str) -> Reply {
    h.call(Method::DELETE, "/api/profiles/social", Some(json!({"platform": platform, "profileKey": key})), &[]).await
}

/// A refresh with `credentials`' refresh token, as crier would send it.
async fn refresh_with(h: &Harness, platform: Platform, credentials: &Value) -> Result<oauth::TokenSet, TokenError> {
    let app = OAuthConfig::sandbox(&h.sandbox.url).app(platform, None).unwrap();
    oauth::refresh(&h.http, platform, &app, credentials).await
}

#[tokio::test]
async fn unlinking_youtube_revokes_the_grant_at_google() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["youtube", "telegram"]})).await;
    let mut page = PageClient::new();
    assert!(link_with_consent(&h, &mut page, &url, "youtube").await.contains("YouTube is connected."));
    let old = credentials(&h, &key, Platform::Youtube).await;
    // Control: the refresh token works while linked.
    refresh_with(&h, Platform::Youtube, &old).await.expect("the refresh token is live before the unlink");
    assert_eq!(revokes(&h, "google").await, 0);

    let r = unlink(&h, &key, "youtube").await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Ayrshare's answer, nothing more.
    let mut fields: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(fields, ["platform", "refId", "status"], "{}", r.body);
    assert!(linked(&h, &key).await.is_empty());
    assert_eq!(revokes(&h, "google").await, 1, "one revoke call at Google");
    match refresh_with(&h, Platform::Youtube, &old).await {
        Err(TokenError::Relink(why)) => assert!(why.contains("invalid_grant"), "{why}"),
        other => panic!("the old refresh token still works: {other:?}"),
    }
    assert_eq!(unlinked_details(&h, &key, Platform::Youtube).await, json!({"revoke": "revoked"}));
}

#[tokio::test]
async fn a_failing_revoke_still_unlinks_and_is_recorded_without_the_token() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["youtube"]})).await;
    let mut page = PageClient::new();
    link_with_consent(&h, &mut page, &url, "youtube").await;
    let old = credentials(&h, &key, Platform::Youtube).await;
    h.fault(json!({"network": "google", "endpoint": "revoke", "status": 500}));

    let r = unlink(&h, &key, "youtube").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(linked(&h, &key).await.is_empty(), "unlinked although the revoke failed");
    let details = unlinked_details(&h, &key, Platform::Youtube).await;
    assert_eq!(details["revoke"], "failed", "{details}");
    let why = details["revokeError"].as_str().unwrap();
    assert!(why.contains("500"), "{why}");
    for secret in [&old["accessToken"], &old["refreshToken"]] {
        assert!(!why.contains(secret.as_str().unwrap()), "a token in the event: {why}");
    }
    // The network was never told: the grant is still alive there (best effort, recorded).
    assert!(refresh_with(&h, Platform::Youtube, &old).await.is_ok());
    // Unlinking again: nothing left to unlink.
    assert_eq!(unlink(&h, &key, "youtube").await.status, 400);
}

#[tokio::test]
async fn the_pages_unlink_button_revokes_at_linkedin_and_forms_revoke_nothing() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["linkedin", "reddit", "telegram"]})).await;
    let mut page = PageClient::new();
    assert!(link_with_consent(&h, &mut page, &url, "linkedin").await.contains("LinkedIn is connected."));
    assert!(link_with_consent(&h, &mut page, &url, "reddit").await.contains("Connected as u/crier_sandbox"));
    let html = page.get(&url).await.html;
    let ok = page
        .submit(&url, &format!("{}/telegram", path_of(&url)), &[("csrf", &csrf(&html)), ("botToken", crier_sandbox::seed::TELEGRAM_BOT_TOKEN), ("chatId", crier_sandbox::seed::TELEGRAM_CHAT_ID)])
        .await;
    assert_eq!(ok.status, 303, "{}", ok.html);
    assert_eq!(linked(&h, &key).await, ["linkedin", "reddit", "telegram"]);
    let linkedin = credentials(&h, &key, Platform::Linkedin).await;
    let reddit = credentials(&h, &key, Platform::Reddit).await;

    for network in ["linkedin", "telegram"] {
        let html = page.get(&url).await.html;
        let gone = page.submit(&url, &format!("{}/unlink", path_of(&url)), &[("csrf", &csrf(&html)), ("platform", network)]).await;
        assert_eq!(gone.status, 303, "{network}: {}", gone.html);
    }
    assert_eq!(linked(&h, &key).await, ["reddit"]);
    assert_eq!(revokes(&h, "linkedin").await, 1);
    assert!(matches!(refresh_with(&h, Platform::Linkedin, &linkedin).await, Err(TokenError::Relink(_))), "LinkedIn's grant is revoked");
    assert_eq!(unlinked_details(&h, &key, Platform::Linkedin).await, json!({"revoke": "revoked"}));
    assert_eq!(unlinked_details(&h, &key, Platform::Telegram).await, json!({"revoke": "none"}));

    // Reddit (HTTP Basic, token_type_hint=refresh_token) through the API.
    assert_eq!(unlink(&h, &key, "reddit").await.status, 200);
    assert_eq!(revokes(&h, "reddit").await, 1);
    assert!(matches!(refresh_with(&h, Platform::Reddit, &reddit).await, Err(TokenError::Relink(_))), "Reddit's grant is revoked");
    assert!(linked(&h, &key).await.is_empty());
}

#[tokio::test]
async fn tokens_pasted_by_an_operator_are_not_revoked() {
    let h = harness().await.with(&[Platform::Youtube]).await;
    let r = h.call(Method::DELETE, "/api/profiles/social", Some(json!({"platform": "youtube"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(revokes(&h, "google").await, 0, "a token given to `crier account link` may serve elsewhere");
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let events = store.account_events(&store.primary_profile(&account).await.unwrap().id).await.unwrap();
    assert!(events.iter().any(|e| e.kind == "unlinked" && e.details == json!({"revoke": "none"})), "{events:?}");
}

#[tokio::test]
async fn a_revoke_that_hangs_is_given_up_after_its_timeout() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["youtube"]})).await;
    link_with_consent(&h, &mut PageClient::new(), &url, "youtube").await;
    h.fault(json!({"network": "google", "endpoint": "revoke", "delayMs": 30_000}));
    let started = std::time::Instant::now();
    let r = unlink(&h, &key, "youtube").await;
    let took = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(took < oauth::revoke::TIMEOUT + std::time::Duration::from_secs(5), "unlinking waited {took:?}");
    assert!(linked(&h, &key).await.is_empty());
    assert_eq!(unlinked_details(&h, &key, Platform::Youtube).await["revoke"], "failed");
}
