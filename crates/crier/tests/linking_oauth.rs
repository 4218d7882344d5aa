//! OAuth cards of the linking page against the sandbox's authorization servers: consent links
//! the account (with its refresh token and expiry) and a post publishes; a denied consent, a
//! tampered or replayed state, and another browser link nothing. Over HTTP here, in Chromium
//! in the browser tests below (skipped without Chromium).

mod common;
mod linking_kit;

use common::*;
use crier::oauth_cfg::OAuthConfig;
use linking_kit::webdriver::{Browser, available};
use linking_kit::*;
use serde_json::json;

async fn harness() -> Harness {
    Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await
}

async fn oauth_url(h: &Harness, key: &str) -> String {
    link_url(h, key, json!({"allowedSocial": ["linkedin", "tiktok", "pinterest", "telegram"]})).await
}

/// Goes through the sandbox's consent page without a browser: its form re-posts the query's
/// parameters with the decision. Returns the callback URL the network sends the browser to.
async fn consent(page: &mut PageClient, authorize: &str, decision: &str) -> String {
    let shown = page.get(authorize).await;
    assert_eq!(shown.status, 200, "{}", shown.html);
    let u = url::Url::parse(authorize).unwrap();
    let mut fields: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    fields.push(("decision".into(), decision.into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = page.submit(authorize, u.path(), &fields).await;
    assert_eq!(answer.status, 302, "{}", answer.html);
    answer.location.unwrap()
}

#[tokio::test]
async fn linkedin_through_its_consent_page_then_a_post_publishes() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = oauth_url(&h, &key).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    assert!(html.contains(r#"id="linkedin-oauth""#) && html.contains(r#"id="tiktok-oauth""#) && html.contains(r#"id="pinterest-oauth""#), "{html}");
    let start = page.submit(&url, &format!("{}/oauth/linkedin", path_of(&url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(start.status, 303);
    let authorize = start.location.unwrap();
    assert!(authorize.starts_with(&format!("{}/linkedin/oauth/v2/authorization?", h.sandbox.url)), "{authorize}");
    assert!(authorize.contains("state="), "{authorize}");
    assert!(authorize.contains(&url::form_urlencoded::byte_serialize(format!("{}/link/callback/linkedin", h.base).as_bytes()).collect::<String>()), "{authorize}");

    let callback = consent(&mut page, &authorize, "consent").await;
    assert!(callback.starts_with(&format!("{}/link/callback/linkedin?", h.base)), "{callback}");
    // Another browser (no cookie) cannot complete it (login CSRF). The state was spent by that
    // attempt: the consent has to be started again. Nothing is linked.
    let mut other = PageClient::new();
    let stolen = other.get(&callback).await;
    assert_eq!(stolen.status, 410, "{}", stolen.html);
    assert!(linked(&h, &key).await.is_empty());

    // A fresh consent in the right browser links LinkedIn.
    let html = page.get(&url).await.html;
    let authorize = page.submit(&url, &format!("{}/oauth/linkedin", path_of(&url)), &[("csrf", &csrf(&html))]).await.location.unwrap();
    let callback = consent(&mut page, &authorize, "consent").await;
    // The member and the organisations they administer: the user picks the member.
    let shown = finish_consent(&h, &mut page, &url, &callback, Some(crier_sandbox::seed::LINKEDIN_PERSON_URN)).await;
    assert!(shown.contains("LinkedIn is connected.") && shown.contains("Connected as Crier Sandbox"), "{shown}");
    assert_eq!(linked(&h, &key).await, ["linkedin"]);
    // The refresh token and expiry are kept for the token lifecycle.
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let profile = store.profile_by_key(&account, &key).await.unwrap().unwrap();
    let (creds, meta) = store.token_state(&profile.id, crier_core::Platform::Linkedin).await.unwrap().unwrap();
    assert!(creds["refreshToken"].as_str().is_some_and(|t| !t.is_empty()), "{meta:?}");
    assert_eq!(creds["author"], crier_sandbox::seed::LINKEDIN_PERSON_URN);
    assert!(meta.expires_ms.is_some() && meta.app.as_deref() == Some(crier_sandbox::seed::LINKEDIN_CLIENT_ID), "{meta:?}");

    // Replaying the callback (same state) links nothing more and says so.
    let replay = page.get(&callback).await;
    assert_eq!(replay.status, 400);
    assert!(replay.html.contains(r#"data-kind="form""#));

    let text = text("linked with OAuth");
    let r = post_as(&h, &key, &text, &["linkedin"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&text).len(), 1);
}

#[tokio::test]
async fn denied_consent_and_tampered_state_link_nothing() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = oauth_url(&h, &key).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    let authorize = page.submit(&url, &format!("{}/oauth/tiktok", path_of(&url)), &[("csrf", &csrf(&html))]).await.location.unwrap();
    assert!(authorize.contains("code_challenge=") && authorize.contains("code_challenge_method=S256"), "PKCE where the network takes it: {authorize}");
    let callback = consent(&mut page, &authorize, "deny").await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let back = page.get(&callback).await;
    assert_eq!(back.status, 303);
    let shown = page.get(&format!("{}{}", h.base, back.location.unwrap())).await;
    assert!(shown.html.contains(r#"id="link-alert""#) && shown.html.contains("You did not allow access to TikTok"), "{}", shown.html);
    assert!(linked(&h, &key).await.is_empty());

    for bad in ["/link/callback/tiktok?code=abc&state=tampered", "/link/callback/tiktok?code=abc", "/link/callback/myspace?state=x"] {
        let p = page.get(&format!("{}{bad}", h.base)).await;
        assert_eq!(p.status, 400, "{bad}");
        assert!(p.html.contains(r#"data-kind="form""#), "{bad}");
    }
    // A state started for TikTok cannot complete LinkedIn.
    let html = page.get(&url).await.html;
    let authorize = page.submit(&url, &format!("{}/oauth/tiktok", path_of(&url)), &[("csrf", &csrf(&html))]).await.location.unwrap();
    let callback = consent(&mut page, &authorize, "consent").await;
    let swapped = callback.replace("/link/callback/tiktok", "/link/callback/linkedin");
    assert_eq!(page.get(&swapped).await.status, 400);
    // Starting a consent needs the page's CSRF token and an offered network.
    assert_eq!(page.submit(&url, &format!("{}/oauth/tiktok", path_of(&url)), &[("csrf", "forged")]).await.status, 403);
    let html = page.get(&url).await.html;
    assert_eq!(page.submit(&url, &format!("{}/oauth/telegram", path_of(&url)), &[("csrf", &csrf(&html))]).await.status, 403);
    assert!(linked(&h, &key).await.is_empty());
}

#[tokio::test]
async fn without_an_app_the_cards_say_not_available() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = oauth_url(&h, &key).await;
    let html = PageClient::new().get(&url).await.html;
    assert!(html.contains(r#"id="linkedin-unavailable""#) && !html.contains(r#"id="linkedin-oauth""#));
}

/// Chromium is heavy: these take turns.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn in_a_browser_linkedin_consents_and_tiktok_is_denied() {
    if !available("in_a_browser_linkedin_consents_and_tiktok_is_denied") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = oauth_url(&h, &key).await;
    let b = Browser::start("en").await;
    b.goto(&url).await;
    b.click("#linkedin-oauth").await;
    assert!(b.url().await.starts_with(&format!("{}/linkedin/oauth/v2/authorization", h.sandbox.url)));
    b.click("#consent").await;
    // The account picker lists the member first.
    b.click("#choose-submit").await;
    assert!(b.url().await.starts_with(&url), "back on the page: {}", b.url().await);
    assert_eq!(b.text("#link-ok").await, "LinkedIn is connected.");
    assert_eq!(b.text("#state-linkedin").await, "Connected as Crier Sandbox");

    b.click("#tiktok-oauth").await;
    b.click("#deny").await;
    assert!(b.text("#link-alert").await.contains("You did not allow access to TikTok"));
    assert_eq!(b.text("#state-tiktok").await, "Not connected");
    assert_eq!(linked(&h, &key).await, ["linkedin"]);

    let text = text("linked with OAuth in a browser");
    assert_eq!(post_as(&h, &key, &text, &["linkedin"]).await.status, 200);
    assert_eq!(h.published(&text).len(), 1);
    b.quit().await;
}

/// Starts and grants a consent for `network` on the page; returns the page after the callback.
async fn link_with_consent(h: &Harness, page: &mut PageClient, url: &str, network: &str) -> String {
    let html = page.get(url).await.html;
    let start = page.submit(url, &format!("{}/oauth/{network}", path_of(url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(start.status, 303, "{}", start.html);
    let callback = consent(page, &start.location.unwrap(), "consent").await;
    finish_consent(h, page, url, &callback, None).await
}

#[tokio::test]
async fn youtube_and_reddit_link_their_own_channel_and_user() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["youtube", "reddit"]})).await;
    let mut page = PageClient::new();
    let html = link_with_consent(&h, &mut page, &url, "youtube").await;
    assert!(html.contains("YouTube is connected."), "{html}");
    let html = link_with_consent(&h, &mut page, &url, "reddit").await;
    assert!(html.contains("Connected as u/crier_sandbox"), "{html}");
    assert_eq!(linked(&h, &key).await, ["reddit", "youtube"]);
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let profile = store.profile_by_key(&account, &key).await.unwrap().unwrap();
    let (yt, _) = store.token_state(&profile.id, crier_core::Platform::Youtube).await.unwrap().unwrap();
    assert_eq!(yt["channelId"], crier_sandbox::seed::YOUTUBE_CHANNEL_ID);
    assert!(yt["refreshToken"].as_str().is_some(), "Google's offline access gives a refresh token");

    let text = text("reddit linked with OAuth");
    let options = json!({"title": text, "subreddit": crier_sandbox::seed::REDDIT_SUBREDDIT});
    let r = h
        .call(reqwest::Method::POST, "/api/post", Some(json!({"post": text, "platforms": ["reddit"], "redditOptions": options})), &[("Profile-Key", &key)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.network_ledger("reddit").len(), 1);
}

#[tokio::test]
async fn no_linking_secret_is_stored_in_clear() {
    let mut database = None;
    let h = Harness::start_with_sandbox(|c, url| {
        c.oauth = OAuthConfig::sandbox(url);
        database = c.database_url.clone();
    })
    .await;
    let key = empty_profile(&h, "Acme").await;
    let url = oauth_url(&h, &key).await;
    let token = url.rsplit('/').next().unwrap().to_string();
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    let cookie = page.cookie_secret().unwrap();
    let ok = page
        .submit(&url, &format!("{}/telegram", path_of(&url)), &[("csrf", &csrf(&html)), ("botToken", crier_sandbox::seed::TELEGRAM_BOT_TOKEN), ("chatId", crier_sandbox::seed::TELEGRAM_CHAT_ID)])
        .await;
    assert_eq!(ok.status, 303);
    let html = page.get(&url).await.html;
    let authorize = page.submit(&url, &format!("{}/oauth/linkedin", path_of(&url)), &[("csrf", &csrf(&html))]).await.location.unwrap();
    let state = url::Url::parse(&authorize).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let callback = consent(&mut page, &authorize, "consent").await;
    finish_consent(&h, &mut page, &url, &callback, Some(crier_sandbox::seed::LINKEDIN_PERSON_URN)).await;
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let profile = store.profile_by_key(&account, &key).await.unwrap().unwrap();
    let (li, _) = store.token_state(&profile.id, crier_core::Platform::Linkedin).await.unwrap().unwrap();
    let secrets = [
        ("bot token", crier_sandbox::seed::TELEGRAM_BOT_TOKEN.to_string()),
        ("page URL token", token),
        ("browser cookie", cookie),
        ("OAuth state", state),
        ("LinkedIn access token", li["accessToken"].as_str().unwrap().to_string()),
        ("LinkedIn refresh token", li["refreshToken"].as_str().unwrap().to_string()),
    ];
    let stored = database_text(database.as_deref(), &h).await;
    // The dump does hold what is stored in clear (a control for the checks below).
    assert!(stored.contains(crier_sandbox::seed::LINKEDIN_CLIENT_ID) && stored.contains(&csrf(&html)), "the dump misses plain columns");
    for (what, secret) in secrets {
        assert!(secret.len() > 8 && !stored.contains(&secret), "the {what} is stored in clear");
    }
}
