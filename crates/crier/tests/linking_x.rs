//! The X card of the linking page: OAuth 1.0a three-legged against the sandbox's X (request
//! token, authorize page, access token, signatures checked for real), with the app keys given to
//! generateJWT or the operator's `oauth.x` app. Consent links the account and a post with the
//! BYO headers publishes; a denied consent, a replayed or tampered request token, and another
//! browser link nothing; without keys the card says so. Over HTTP with a cookie-keeping client.

mod common;
mod linking_kit;

use common::*;
use crier_sandbox::seed;
use linking_kit::*;
use reqwest::Method;
use serde_json::json;

const BYO: [(&str, &str); 2] = [("X-Twitter-OAuth1-Api-Key", seed::X_CONSUMER_KEY), ("X-Twitter-OAuth1-Api-Secret", seed::X_CONSUMER_SECRET)];

/// A linking URL offering X (and Telegram), made with `headers` on generateJWT.
async fn x_url(h: &Harness, key: &str, headers: &[(&str, &str)]) -> String {
    let body = json!({"profileKey": key, "allowedSocial": ["twitter", "telegram"]});
    let r = h.call(Method::POST, "/api/profiles/generateJWT", Some(body), headers).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["url"].as_str().unwrap().to_string()
}

/// Presses the X card's button: X's authorize URL.
async fn start(h: &Harness, page: &mut PageClient, url: &str) -> String {
    let html = page.get(url).await.html;
    assert!(html.contains(r#"id="twitter-oauth""#), "{html}");
    let r = page.submit(url, &format!("{}/oauth/x", path_of(url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let authorize = r.location.unwrap();
    assert!(authorize.starts_with(&format!("{}/x/oauth/authorize?oauth_token=", h.sandbox.url)), "{authorize}");
    assert!(authorize.ends_with("&force_login=true"), "{authorize}");
    authorize
}

/// The sandbox's X consent page: shown, then its form posted with `decision`. The callback URL.
async fn decide(page: &mut PageClient, authorize: &str, decision: &str) -> String {
    let shown = page.get(authorize).await;
    assert_eq!(shown.status, 200, "{}", shown.html);
    assert!(shown.html.contains(r#"id="consent""#), "{}", shown.html);
    let u = url::Url::parse(authorize).unwrap();
    let token = u.query_pairs().find(|(k, _)| k == "oauth_token").unwrap().1.to_string();
    let answer = page.submit(authorize, u.path(), &[("oauth_token", &token), ("decision", decision)]).await;
    assert_eq!(answer.status, 302, "{}", answer.html);
    answer.location.unwrap()
}

async fn profile_id(h: &Harness, key: &str) -> String {
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    store.profile_by_key(&account, key).await.unwrap().unwrap().id
}

#[tokio::test]
async fn byo_keys_link_x_through_its_authorize_page_then_a_post_publishes() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &BYO).await;
    let mut page = PageClient::new();
    let authorize = start(&h, &mut page, &url).await;
    let callback = decide(&mut page, &authorize, "consent").await;
    assert!(callback.starts_with(&format!("{}/link/callback/x?oauth_token=", h.base)) && callback.contains("&oauth_verifier="), "{callback}");

    // Another browser (no cookie) cannot complete it; the request token is spent by that attempt.
    let stolen = PageClient::new().get(&callback).await;
    assert_eq!(stolen.status, 410, "{}", stolen.html);
    assert!(linked(&h, &key).await.is_empty());

    // Again, in the right browser.
    let authorize = start(&h, &mut page, &url).await;
    let callback = decide(&mut page, &authorize, "consent").await;
    let back = page.get(&callback).await;
    assert_eq!(back.status, 303, "{}", back.html);
    let location = back.location.unwrap();
    assert!(location.ends_with("?linked=twitter"), "{location}");
    let shown = page.get(&format!("{}{location}", h.base)).await.html;
    assert!(shown.contains("X is connected."), "{shown}");
    assert!(shown.contains(&format!("Connected as @{}", seed::X_USERNAME)), "{shown}");
    assert!(shown.contains(r#"id="twitter-oauth""#) && shown.contains("Reconnect"), "relink offered: {shown}");
    assert_eq!(linked(&h, &key).await, ["twitter"]);

    // Stored exactly as the X connector reads it; the consumer keys are not stored.
    let store = h.running.store();
    let pid = profile_id(&h, &key).await;
    let (creds, _) = store.token_state(&pid, crier_core::Platform::Twitter).await.unwrap().unwrap();
    assert_eq!(creds["accessToken"], seed::X_ACCESS_TOKEN);
    assert_eq!(creds["accessTokenSecret"], seed::X_ACCESS_TOKEN_SECRET);
    assert_eq!((creds["userId"].as_str(), creds["username"].as_str()), (Some(seed::X_USER_ID), Some(seed::X_USERNAME)));
    assert!(creds.get("consumerKey").is_none() && creds.get("consumerSecret").is_none(), "{creds}");
    assert!(!creds.to_string().contains(seed::X_CONSUMER_SECRET));
    // A `linked` account event, as every link records.
    let events = store.account_events(&pid).await.unwrap();
    assert!(events.iter().any(|e| e.platform == "twitter" && e.kind == "linked"), "{events:?}");

    // Replaying the callback links nothing more and says so.
    let replay = page.get(&callback).await;
    assert_eq!(replay.status, 400);
    assert!(replay.html.contains(r#"data-kind="form""#));

    // Posting takes the consumer keys from the request's headers, as before.
    let t = text("linked X through OAuth 1.0a");
    let r = h.call(Method::POST, "/api/post", Some(json!({"post": t, "platforms": ["twitter"]})), &[BYO[0], BYO[1], ("Profile-Key", &key)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["postIds"][0]["postUrl"].as_str().unwrap().starts_with(&format!("https://x.com/{}/status/", seed::X_USERNAME)), "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
    // Without them: Ayrshare's 419 before X is called.
    let t = text("linked X without keys");
    let r = post_as(&h, &key, &t, &["twitter"]).await;
    assert_eq!((r.status, first_error(&r)["code"].as_i64()), (400, Some(419)), "{}", r.body);
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn denied_replayed_and_tampered_request_tokens_link_nothing() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &BYO).await;
    let mut page = PageClient::new();

    let authorize = start(&h, &mut page, &url).await;
    let callback = decide(&mut page, &authorize, "deny").await;
    assert!(callback.starts_with(&format!("{}/link/callback/x?denied=", h.base)), "{callback}");
    let back = page.get(&callback).await;
    assert_eq!(back.status, 303, "{}", back.html);
    let shown = page.get(&format!("{}{}", h.base, back.location.unwrap())).await.html;
    assert!(shown.contains(r#"id="link-alert""#) && shown.contains("You did not allow access to X"), "{shown}");
    assert!(linked(&h, &key).await.is_empty());
    // The denied request token is spent.
    assert_eq!(page.get(&callback).await.status, 400);

    // A consent whose callback is tampered with: another token, no token, another network's path.
    let authorize = start(&h, &mut page, &url).await;
    let callback = decide(&mut page, &authorize, "consent").await;
    let u = url::Url::parse(&callback).unwrap();
    let verifier = u.query_pairs().find(|(k, _)| k == "oauth_verifier").unwrap().1.to_string();
    for bad in [format!("/link/callback/x?oauth_token=sbxReqTampered&oauth_verifier={verifier}"), format!("/link/callback/x?oauth_verifier={verifier}"), "/link/callback/x".to_string()] {
        let p = page.get(&format!("{}{bad}", h.base)).await;
        assert_eq!(p.status, 400, "{bad}: {}", p.html);
        assert!(p.html.contains(r#"data-kind="form""#), "{bad}");
    }
    // A wrong verifier with the right token: X refuses it, nothing linked, the token is spent.
    let request_token = u.query_pairs().find(|(k, _)| k == "oauth_token").unwrap().1.to_string();
    let wrong = page.get(&format!("{}/link/callback/x?oauth_token={request_token}&oauth_verifier=forged", h.base)).await;
    assert_eq!(wrong.status, 303);
    assert!(wrong.location.unwrap().ends_with("?failed=twitter"));
    assert_eq!(page.get(&callback).await.status, 400, "the real callback after the forged one");
    assert!(linked(&h, &key).await.is_empty());

    // Starting needs the page's CSRF token.
    assert_eq!(page.submit(&url, &format!("{}/oauth/x", path_of(&url)), &[("csrf", "forged")]).await.status, 403);
    assert!(linked(&h, &key).await.is_empty());
}

#[tokio::test]
async fn without_app_keys_the_x_card_asks_for_them() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &[]).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    assert!(html.contains(r#"id="twitter-needs-keys""#) && !html.contains(r#"id="twitter-oauth""#), "{html}");
    assert!(html.contains("API key and secret"), "{html}");
    // The route refuses too.
    let r = page.submit(&url, &format!("{}/oauth/x", path_of(&url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(r.status, 403);
    // Other keys than the app's: X refuses the request token, the page says it failed.
    let other = [("X-Twitter-OAuth1-Api-Key", seed::X_OTHER_CONSUMER_KEY), ("X-Twitter-OAuth1-Api-Secret", "not-the-secret")];
    let url = x_url(&h, &key, &other).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    let r = page.submit(&url, &format!("{}/oauth/x", path_of(&url)), &[("csrf", &csrf(&html))]).await;
    assert_eq!(r.status, 303);
    assert!(r.location.unwrap().ends_with("?failed=twitter"));
    assert!(linked(&h, &key).await.is_empty());
}

#[tokio::test]
async fn an_operator_configured_x_app_links_without_byo_keys() {
    let h = Harness::start_with(|c| {
        c.oauth.x.client_id = Some(seed::X_CONSUMER_KEY.into());
        c.oauth.x.client_secret = Some(seed::X_CONSUMER_SECRET.into());
    })
    .await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &[]).await;
    let mut page = PageClient::new();
    let authorize = start(&h, &mut page, &url).await;
    let callback = decide(&mut page, &authorize, "consent").await;
    let back = page.get(&callback).await;
    assert_eq!(back.status, 303, "{}", back.html);
    assert!(back.location.unwrap().ends_with("?linked=twitter"));
    assert_eq!(linked(&h, &key).await, ["twitter"]);
    // Posting still needs the BYO headers: the configured app's keys are not used for posts.
    let t = text("x via the configured app, no headers");
    let r = post_as(&h, &key, &t, &["twitter"]).await;
    assert_eq!((r.status, first_error(&r)["code"].as_i64()), (400, Some(419)), "{}", r.body);
    let r = h.call(Method::POST, "/api/post", Some(json!({"post": t, "platforms": ["twitter"]})), &[BYO[0], BYO[1], ("Profile-Key", &key)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn in_a_browser_x_consents_then_is_denied_on_relink() {
    if !linking_kit::webdriver::available("in_a_browser_x_consents_then_is_denied_on_relink") {
        return;
    }
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &BYO).await;
    let b = linking_kit::webdriver::Browser::start("en").await;
    b.goto(&url).await;
    b.click("#twitter-oauth").await;
    assert!(b.url().await.starts_with(&format!("{}/x/oauth/authorize", h.sandbox.url)), "{}", b.url().await);
    b.click("#consent").await;
    assert!(b.url().await.starts_with(&url), "back on the page: {}", b.url().await);
    assert_eq!(b.text("#link-ok").await, "X is connected.");
    assert_eq!(b.text("#state-twitter").await, format!("Connected as @{}", seed::X_USERNAME));
    // Reconnect, then cancel at X: the account stays linked, the page says nothing changed.
    b.click("#twitter-oauth").await;
    b.click("#deny").await;
    assert!(b.text("#link-alert").await.contains("You did not allow access to X"));
    assert_eq!(linked(&h, &key).await, ["twitter"]);
    b.quit().await;
}

#[tokio::test]
async fn no_x_secret_is_stored_in_clear() {
    let mut database = None;
    let h = Harness::start_with(|c| database = c.database_url.clone()).await;
    let key = empty_profile(&h, "Acme").await;
    let url = x_url(&h, &key, &BYO).await;
    let mut page = PageClient::new();
    let authorize = start(&h, &mut page, &url).await;
    let request_token = url::Url::parse(&authorize).unwrap().query_pairs().find(|(k, _)| k == "oauth_token").unwrap().1.to_string();
    // While the consent is pending: the request token (the store's key) is kept hashed only.
    let pending = database_text(database.as_deref(), &h).await;
    assert!(!pending.contains(&request_token), "the request token is stored in clear");
    let callback = decide(&mut page, &authorize, "consent").await;
    assert_eq!(page.get(&callback).await.status, 303);
    assert_eq!(linked(&h, &key).await, ["twitter"]);
    let stored = database_text(database.as_deref(), &h).await;
    assert!(stored.contains("@crier_sandbox"), "the dump holds the plain display name (control)");
    for (what, secret) in [
        ("consumer key", seed::X_CONSUMER_KEY),
        ("consumer secret", seed::X_CONSUMER_SECRET),
        ("access token", seed::X_ACCESS_TOKEN),
        ("access token secret", seed::X_ACCESS_TOKEN_SECRET),
        ("request token", request_token.as_str()),
    ] {
        assert!(!stored.contains(secret), "the {what} is stored in clear");
    }
}
