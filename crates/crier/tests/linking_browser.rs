//! The linking flow in a real browser: Debian's Chromium, headless, through chromedriver.
//! Skipped (with a printed reason) where /usr/bin/chromium or /usr/bin/chromedriver is missing;
//! `.ci/run` installs both. One browser at a time: two cores are shared.

mod common;
mod linking_kit;

use common::*;
use crier_sandbox::seed;
use linking_kit::webdriver::{Browser, available};
use linking_kit::*;
use reqwest::Method;
use serde_json::json;

/// Chromium is heavy: the tests of this file take turns.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn fill_telegram(b: &Browser, token: &str, chat: &str) {
    b.type_into("#telegram-botToken", token).await;
    b.type_into("#telegram-chatId", chat).await;
    b.click("#telegram-submit").await;
}

#[tokio::test]
async fn link_telegram_and_bluesky_in_the_browser_then_publish_and_unlink() {
    if !available("link_telegram_and_bluesky_in_the_browser_then_publish_and_unlink") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    // With the sandbox's OAuth apps: the picture shows form and OAuth cards.
    let h = Harness::start_with_sandbox(|c, url| c.oauth = crier::oauth_cfg::OAuthConfig::sandbox(url)).await;
    let key = empty_profile(&h, "Acme Coffee").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["telegram", "bluesky", "linkedin", "youtube", "facebook"]})).await;
    let b = Browser::start("en").await;
    b.goto(&url).await;
    assert!(b.title().await.contains("Connect your social accounts"));
    assert_eq!(b.text("#state-telegram").await, "Not connected");
    assert!(b.has("#linkedin-oauth").await && b.has("#youtube-oauth").await && b.has("#facebook-oauth").await);
    // Labels name the fields (what a screen reader announces).
    assert_eq!(b.attribute("label[for=telegram-botToken]", "for").await.as_deref(), Some("telegram-botToken"));

    fill_telegram(&b, seed::TELEGRAM_BOT_TOKEN, seed::TELEGRAM_CHAT_ID).await;
    assert_eq!(b.text("#link-ok").await, "Telegram is connected.");
    assert_eq!(b.text("#state-telegram").await, "Connected as Crier Sandbox");
    // The README's picture of the page: one account linked, one form open. Written to docs/
    // only on request (CRIER_UPDATE_DOCS=1), so test runs leave the tree clean.
    let png = b.screenshot_png().await;
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot");
    if std::env::var("CRIER_UPDATE_DOCS").is_ok_and(|v| v == "1") {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/linking-page.png");
        std::fs::write(&docs, &png).unwrap();
    }
    b.type_into("#bluesky-identifier", seed::BLUESKY_HANDLE).await;
    b.type_into("#bluesky-appPassword", seed::BLUESKY_APP_PASSWORD).await;
    b.click("#bluesky-submit").await;
    assert_eq!(b.text("#link-ok").await, "Bluesky is connected.");
    assert_eq!(b.text("#state-bluesky").await, format!("Connected as {}", seed::BLUESKY_HANDLE));
    let mut now = linked(&h, &key).await;
    now.sort();
    assert_eq!(now, ["bluesky", "telegram"]);

    let text = text("published after linking in a browser");
    let r = post_as(&h, &key, &text, &["telegram", "bluesky"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut networks: Vec<String> = h.published(&text).into_iter().map(|e| e.network).collect();
    networks.sort();
    assert_eq!(networks, ["bluesky", "telegram"]);

    // Disconnect on the page, then the other through the API.
    b.click("#telegram-unlink").await;
    assert_eq!(b.text("#link-ok").await, "Telegram is disconnected.");
    assert_eq!(b.text("#state-telegram").await, "Not connected");
    assert_eq!(linked(&h, &key).await, ["bluesky"]);
    let r = h.call(Method::DELETE, "/api/profiles/social", Some(json!({"platform": "bluesky"})), &[("Profile-Key", &key)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    b.goto(&url).await;
    assert_eq!(b.text("#state-bluesky").await, "Not connected");
    assert!(linked(&h, &key).await.is_empty());

    // Done: back to nothing (no redirect given) and the link is spent.
    b.click("#done").await;
    assert!(b.has("#link-done").await);
    b.goto(&url).await;
    assert_eq!(b.attribute("#link-error", "data-kind").await.as_deref(), Some("used"));
    b.quit().await;
}

#[tokio::test]
async fn a_bad_telegram_token_shows_the_error_and_links_nothing() {
    if !available("a_bad_telegram_token_shows_the_error_and_links_nothing") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let b = Browser::start("en").await;
    b.goto(&url).await;
    fill_telegram(&b, "7000000001:NotTheRightToken", seed::TELEGRAM_CHAT_ID).await;
    assert!(b.text("#telegram-error").await.contains("Telegram did not accept this bot token"));
    assert_eq!(b.attribute("#telegram-botToken", "aria-invalid").await.as_deref(), Some("true"));
    assert_eq!(b.attribute("#telegram-chatId", "value").await.as_deref(), Some(seed::TELEGRAM_CHAT_ID), "the chat is kept");
    assert_eq!(b.attribute("#telegram-botToken", "value").await.as_deref(), Some(""), "the token is not sent back");
    assert_eq!(b.text("#state-telegram").await, "Not connected");
    assert!(linked(&h, &key).await.is_empty());
    b.quit().await;
}

#[tokio::test]
async fn expired_and_reused_links_get_their_pages_in_the_browser() {
    if !available("expired_and_reused_links_get_their_pages_in_the_browser") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let mut database = None;
    let h = Harness::start_with(|c| database = c.database_url.clone()).await;
    let key = empty_profile(&h, "Acme").await;
    let b = Browser::start("en").await;

    let used = link_url(&h, &key, json!({})).await;
    b.goto(&used).await;
    assert!(b.has("#card-telegram").await);
    // Another browser (here: the same one without its cookie) cannot use it any more.
    b.delete_cookies().await;
    b.goto(&used).await;
    assert_eq!(b.attribute("#link-error", "data-kind").await.as_deref(), Some("used"));
    assert!(b.text("h1").await.contains("Link already used"));

    let expired = link_url(&h, &key, json!({})).await;
    age_sessions(database.as_deref(), &h, 6 * 60_000).await;
    b.goto(&expired).await;
    assert_eq!(b.attribute("#link-error", "data-kind").await.as_deref(), Some("expired"));
    assert!(b.text("h1").await.contains("Link expired"));
    assert!(!b.has("form").await, "nothing to submit on an error page");
    assert!(linked(&h, &key).await.is_empty());
    b.quit().await;
}

#[tokio::test]
async fn the_page_is_french_for_a_french_browser() {
    if !available("the_page_is_french_for_a_french_browser") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let b = Browser::start("fr").await;
    b.goto(&url).await;
    assert_eq!(b.attribute("html", "lang").await.as_deref(), Some("fr"));
    assert_eq!(b.text("h1").await, "Connectez vos comptes de réseaux sociaux");
    assert_eq!(b.text("#state-telegram").await, "Non connecté");
    fill_telegram(&b, seed::TELEGRAM_BOT_TOKEN, seed::TELEGRAM_CHAT_ID).await;
    assert_eq!(b.text("#link-ok").await, "Telegram est connecté.");
    b.quit().await;
}
