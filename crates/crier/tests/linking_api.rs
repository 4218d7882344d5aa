//! generateJWT, the linking page and its forms over plain HTTP (the browser tests are in
//! linking_browser.rs): validation, single use, expiry, CSRF, deleted profile, unlinking.

mod common;
mod linking_kit;

use common::*;
use crier_sandbox::seed;
use linking_kit::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn generate_jwt_checks_its_fields() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let cases = [
        (json!({}), 901),
        (json!({"profileKey": "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD"}), 914),
        (json!({"profileKey": key, "allowedSocial": ["telegram", "myspace"]}), 902),
        (json!({"profileKey": key, "allowedSocial": "telegram"}), 900),
        (json!({"profileKey": key, "expiresIn": 0}), 900),
        (json!({"profileKey": key, "expiresIn": 2881}), 900),
        (json!({"profileKey": key, "expiresIn": "5"}), 900),
        (json!({"profileKey": key, "redirect": "javascript:alert(1)"}), 900),
        (json!({"profileKey": key, "privateKey": 42}), 900),
        (json!({"profileKey": key, "logout": "yes"}), 900),
    ];
    for (body, code) in cases {
        let r = generate(&h, body.clone()).await;
        assert_eq!(r.body["code"], code, "{body} -> {}", r.body);
        assert!((400..500).contains(&r.status), "{body} -> {}", r.status);
    }
    // Another account's profile key is no better than an unknown one.
    let other = h.running.store().create_account().await.unwrap();
    let (_, other_key) = h.running.store().create_profile(&other, "Theirs").await.unwrap();
    assert_eq!(generate(&h, json!({"profileKey": other_key})).await.body["code"], 914);

    let r = generate(&h, json!({"profileKey": key, "domain": "acme", "privateKey": "-----BEGIN RSA PRIVATE KEY-----", "expiresIn": 30})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "success");
    assert_eq!(r.body["title"], "Acme");
    assert_eq!(r.body["expiresIn"], 30);
    let url = r.body["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/link/", h.base)), "{url}");
    assert!(url.ends_with(r.body["token"].as_str().unwrap()));
    assert_eq!(generate(&h, json!({"profileKey": key})).await.body["expiresIn"], 5, "default lifetime");
}

#[tokio::test]
async fn telegram_form_links_after_checking_and_a_bad_token_links_nothing() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let mut page = PageClient::new();
    let p = page.get(&url).await;
    assert_eq!(p.status, 200);
    assert!(p.html.contains(r#"<html lang="en" dir="ltr">"#) && p.html.contains("Acme"));
    assert!(p.html.contains(r#"id="card-telegram""#) && p.html.contains(r#"id="card-bluesky""#));
    assert!(!p.html.contains(r#"id="card-facebook""#), "only the allowed networks");
    let csrf = csrf(&p.html);
    let action = format!("{}/telegram", path_of(&url));

    let bad = page.submit(&url, &action, &[("csrf", &csrf), ("botToken", "7000000001:WrongToken"), ("chatId", seed::TELEGRAM_CHAT_ID)]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains(r#"id="telegram-error""#) && bad.html.contains("did not accept this bot token"), "{}", bad.html);
    assert!(!bad.html.contains("WrongToken"), "the token is never sent back");
    let bad_chat = page.submit(&url, &action, &[("csrf", &csrf), ("botToken", seed::TELEGRAM_BOT_TOKEN), ("chatId", "@nobody_here")]).await;
    assert_eq!(bad_chat.status, 422);
    assert!(bad_chat.html.contains("did not find this channel"), "{}", bad_chat.html);
    assert!(bad_chat.html.contains(r#"value="@nobody_here""#), "the chat is shown again");
    let forged = page.submit(&url, &action, &[("csrf", "forged"), ("botToken", seed::TELEGRAM_BOT_TOKEN), ("chatId", seed::TELEGRAM_CHAT_ID)]).await;
    assert_eq!(forged.status, 403);
    assert!(linked(&h, &key).await.is_empty(), "nothing linked yet");

    let ok = page.submit(&url, &action, &[("csrf", &csrf), ("botToken", seed::TELEGRAM_BOT_TOKEN), ("chatId", seed::TELEGRAM_CHAT_ID)]).await;
    assert_eq!(ok.status, 303, "{}", ok.html);
    let back = page.get(&format!("{}{}", h.base, ok.location.unwrap())).await;
    assert!(back.html.contains("Telegram is connected.") && back.html.contains("Connected as Crier Sandbox"), "{}", back.html);
    assert_eq!(linked(&h, &key).await, ["telegram"]);

    let text = text("linked through the page");
    let r = post_as(&h, &key, &text, &["telegram"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let published = h.published(&text);
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].network, "telegram");
}

#[tokio::test]
async fn bluesky_form_checks_the_app_password() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let mut page = PageClient::new();
    let csrf = csrf(&page.get(&url).await.html);
    let action = format!("{}/bluesky", path_of(&url));
    let bad = page.submit(&url, &action, &[("csrf", &csrf), ("identifier", seed::BLUESKY_HANDLE), ("appPassword", "wrong-pass-word-xxxx")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("Bluesky did not accept"), "{}", bad.html);
    assert!(!bad.html.contains("wrong-pass-word-xxxx"));
    let empty = page.submit(&url, &action, &[("csrf", &csrf), ("identifier", seed::BLUESKY_HANDLE), ("appPassword", "")]).await;
    assert_eq!(empty.status, 400);
    assert!(linked(&h, &key).await.is_empty());
    let ok = page.submit(&url, &action, &[("csrf", &csrf), ("identifier", seed::BLUESKY_HANDLE), ("appPassword", seed::BLUESKY_APP_PASSWORD)]).await;
    assert_eq!(ok.status, 303, "{}", ok.html);
    assert_eq!(linked(&h, &key).await, ["bluesky"]);
    let text = text("bluesky through the page");
    assert_eq!(post_as(&h, &key, &text, &["bluesky"]).await.status, 200);
    assert_eq!(h.published(&text).len(), 1);
}

#[tokio::test]
async fn a_link_works_once_in_one_browser_and_not_after_it_expired_or_ended() {
    let mut database = None;
    let h = Harness::start_with(|c| database = c.database_url.clone()).await;
    let key = empty_profile(&h, "Acme").await;

    let unknown = PageClient::new().get(&format!("{}/link/NoSuchTokenAtAll", h.base)).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.html.contains(r#"data-kind="unknown""#));
    let junk = PageClient::new().get(&format!("{}/link/%3Cscript%3E", h.base)).await;
    assert_eq!(junk.status, 404);
    assert!(!junk.html.contains("<script>"));

    let url = link_url(&h, &key, json!({"redirect": "https://app.example.com/done?x=1"})).await;
    let mut first = PageClient::new();
    assert_eq!(first.get(&url).await.status, 200);
    assert_eq!(first.get(&url).await.status, 200, "the same browser may reload");
    let mut second = PageClient::new();
    let reused = second.get(&url).await;
    assert_eq!(reused.status, 410);
    assert!(reused.html.contains(r#"data-kind="used""#) && reused.html.contains("already used"), "{}", reused.html);

    // Done ends the session and goes back to the caller's redirect.
    let csrf = csrf(&first.get(&url).await.html);
    let done = first.submit(&url, &format!("{}/done", path_of(&url)), &[("csrf", &csrf)]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location.as_deref(), Some("https://app.example.com/done?x=1"));
    assert_eq!(first.get(&url).await.status, 410);

    // Not opened within its lifetime: expired.
    let url = link_url(&h, &key, json!({})).await;
    age_sessions(database.as_deref(), &h, 6 * 60_000).await;
    let expired = PageClient::new().get(&url).await;
    assert_eq!(expired.status, 410);
    assert!(expired.html.contains(r#"data-kind="expired""#), "{}", expired.html);

    // logout: true ends the profile's earlier pages.
    let old = link_url(&h, &key, json!({})).await;
    let mut b = PageClient::new();
    assert_eq!(b.get(&old).await.status, 200);
    link_url(&h, &key, json!({"logout": true})).await;
    assert_eq!(b.get(&old).await.status, 410);

    // Sessions over a day past their end are forgotten when new ones are made.
    let ancient = link_url(&h, &key, json!({})).await;
    age_sessions(database.as_deref(), &h, 2 * 86_400_000).await;
    link_url(&h, &key, json!({})).await;
    assert_eq!(PageClient::new().get(&ancient).await.status, 404);
}

#[tokio::test]
async fn a_profile_deleted_meanwhile_gets_its_page_and_nothing_is_linked() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Doomed").await;
    let url = link_url(&h, &key, json!({})).await;
    let mut page = PageClient::new();
    let csrf = csrf(&page.get(&url).await.html);
    let r = h.call(Method::DELETE, "/api/profiles", Some(json!({"profileKey": key})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = page.submit(&url, &format!("{}/telegram", path_of(&url)), &[("csrf", &csrf), ("botToken", seed::TELEGRAM_BOT_TOKEN), ("chatId", seed::TELEGRAM_CHAT_ID)]).await;
    assert_eq!(p.status, 410);
    assert!(p.html.contains(r#"data-kind="profile""#), "{}", p.html);
    assert_eq!(page.get(&url).await.status, 410);
}

#[tokio::test]
async fn unlink_through_the_api_and_the_page() {
    let h = Harness::start().await;
    let key = h.profile_with("Linked", &[crier_core::Platform::Telegram, crier_core::Platform::Bluesky]).await;
    let del = |body: serde_json::Value| {
        let h = &h;
        let key = key.clone();
        async move { h.call(Method::DELETE, "/api/profiles/social", Some(body), &[("Profile-Key", &key)]).await }
    };
    assert_eq!(del(json!({})).await.body["code"], 901);
    assert_eq!(del(json!({"platform": "myspace"})).await.body["code"], 902);
    let r = del(json!({"platform": "telegram"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "success");
    assert_eq!(del(json!({"platform": "telegram"})).await.body["code"], 156);
    assert_eq!(linked(&h, &key).await, ["bluesky"]);
    // The SDKs send the profile key in the body: an unknown one unlinks nothing.
    let r = h.call(Method::DELETE, "/api/profiles/social", Some(json!({"platform": "bluesky", "profileKey": "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD"})), &[]).await;
    assert_eq!(r.body["code"], 914, "{}", r.body);
    assert_eq!(linked(&h, &key).await, ["bluesky"]);
    let text = text("after unlink");
    let r = post_as(&h, &key, &text, &["telegram"]).await;
    assert_eq!(r.body["errors"][0]["code"], 156, "{}", r.body);

    let url = link_url(&h, &key, json!({})).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    assert!(html.contains(r#"id="bluesky-unlink""#) && !html.contains(r#"id="telegram-unlink""#));
    let gone = page.submit(&url, &format!("{}/unlink", path_of(&url)), &[("csrf", &csrf(&html)), ("platform", "bluesky")]).await;
    assert_eq!(gone.status, 303);
    assert!(linked(&h, &key).await.is_empty());
    let back = page.get(&format!("{}{}", h.base, gone.location.unwrap())).await;
    assert!(back.html.contains("Bluesky is disconnected."), "{}", back.html);
}

#[tokio::test]
async fn the_page_speaks_the_browsers_language_and_arabic_right_to_left() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let mut fr = PageClient::new();
    fr.lang = "fr-CA,fr;q=0.9,en;q=0.5";
    let p = fr.get(&url).await;
    assert!(p.html.contains(r#"<html lang="fr" dir="ltr">"#) && p.html.contains("Connectez vos comptes"), "{}", p.html);
    let mut ar = PageClient::new();
    ar.lang = "ar";
    let p = ar.get(&format!("{}/link/unknownToken", h.base)).await;
    assert!(p.html.contains(r#"<html lang="ar" dir="rtl">"#), "{}", p.html);
}

#[tokio::test]
async fn a_bot_that_may_not_post_or_an_unreachable_network_links_nothing() {
    let h = Harness::start().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({})).await;
    let mut page = PageClient::new();
    let csrf = csrf(&page.get(&url).await.html);
    let action = format!("{}/telegram", path_of(&url));
    let good = [("csrf", csrf.as_str()), ("botToken", seed::TELEGRAM_BOT_TOKEN), ("chatId", seed::TELEGRAM_CHAT_ID)];
    // The bot is in the channel but not an administrator that may post.
    h.fault(json!({"network": "telegram", "endpoint": "getChatMember", "status": 200, "times": 1,
        "body": {"ok": true, "result": {"status": "member", "user": {"id": 7000000001i64, "is_bot": true, "first_name": "bot"}}}}));
    let p = page.submit(&url, &action, &good).await;
    assert_eq!(p.status, 422, "{}", p.html);
    assert!(p.html.contains("add the bot as an administrator"), "{}", p.html);
    h.fault(json!({"network": "telegram", "endpoint": "getMe", "status": 502, "times": 1}));
    let p = page.submit(&url, &action, &good).await;
    assert_eq!(p.status, 502, "{}", p.html);
    assert!(p.html.contains("Telegram could not be reached"), "{}", p.html);
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.server.createSession", "status": 400, "times": 1,
        "body": {"error": "AuthFactorTokenRequired", "message": "A sign in code has been sent to your email address"}}));
    let p = page
        .submit(&url, &format!("{}/bluesky", path_of(&url)), &[("csrf", &csrf), ("identifier", seed::BLUESKY_HANDLE), ("appPassword", "main-password")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.html.contains("use an app password"), "{}", p.html);
    assert!(linked(&h, &key).await.is_empty());
    // And once the network answers normally, the same form links.
    assert_eq!(page.submit(&url, &action, &good).await.status, 303);
}
