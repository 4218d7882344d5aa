//! Every OAuth network of the linking page, end to end against the sandbox's authorization
//! servers: consent, the account picker where the grant covers several accounts, the account
//! stored with its name and picture, and a post that publishes with what was linked. Over HTTP,
//! then in Chromium (skipped without it), where a tampered state gets its page too.

mod common;
mod linking_kit;

use common::*;
use crier::oauth_cfg::OAuthConfig;
use crier_sandbox::seed;
use linking_kit::webdriver::{Browser, available};
use linking_kit::*;
use serde_json::{Value, json};

/// The networks linked through OAuth 2.0, with the account the picker should choose (when the
/// grant covers several) and the name the card then shows.
const NETWORKS: [(&str, Option<&str>); 10] = [
    ("facebook", Some(seed::FACEBOOK_PAGE_ID)),
    ("instagram", Some(seed::INSTAGRAM_USER_ID)),
    ("threads", None),
    ("youtube", Some(seed::YOUTUBE_CHANNEL_ID)),
    ("gmb", None),
    ("linkedin", Some(seed::LINKEDIN_ORG_URN)),
    ("tiktok", None),
    ("pinterest", Some(seed::PINTEREST_BOARD_ID)),
    ("reddit", None),
    ("snapchat", None),
];

async fn harness() -> Harness {
    Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await
}

/// A post each network accepts: a picture (a video for YouTube), Reddit's title and subreddit.
fn body_for(h: &Harness, network: &str, text: &str) -> Value {
    let mut b = json!({"post": text, "platforms": [network], "mediaUrls": [h.media("cat.jpg")]});
    match network {
        "youtube" => {
            b["mediaUrls"] = json!([h.media("clip.mp4")]);
            b["youTubeOptions"] = json!({"title": "Linked clip", "visibility": "unlisted"});
        }
        "reddit" => b["redditOptions"] = json!({"title": text, "subreddit": seed::REDDIT_SUBREDDIT}),
        _ => {}
    }
    b
}

/// Posts to `network` as the profile and checks the network received it.
async fn publishes(h: &Harness, key: &str, network: &str) {
    let before = h.network_ledger(network).len();
    let t = text(&format!("linked {network}"));
    let r = h.call(reqwest::Method::POST, "/api/post", Some(body_for(h, network, &t)), &[("Profile-Key", key)]).await;
    assert_eq!(r.status, 200, "{network}: {}", r.body);
    // TikTok publishes after crier's answer.
    let id = r.body["id"].as_str().unwrap().to_string();
    let r = h.call(reqwest::Method::GET, &format!("/api/post/{id}?waitSeconds=20"), None, &[("Profile-Key", key)]).await;
    assert_eq!(r.status, 200, "{network}: {}", r.body);
    assert!(r.body["errors"].as_array().is_none_or(|e| e.is_empty()), "{network}: {}", r.body);
    assert_eq!(h.network_ledger(network).len(), before + 1, "{network} received the post");
}

/// Through the sandbox's consent page without a browser (its form re-posts the query with the decision).
async fn consent(page: &mut PageClient, authorize: &str) -> String {
    let u = url::Url::parse(authorize).unwrap();
    let mut fields: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    fields.push(("decision".into(), "consent".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = page.submit(authorize, u.path(), &fields).await;
    assert_eq!(answer.status, 302, "{}", answer.html);
    answer.location.unwrap()
}

#[tokio::test]
async fn every_oauth_network_links_through_consent_and_publishes() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let all: Vec<&str> = NETWORKS.iter().map(|(n, _)| *n).collect();
    let url = link_url(&h, &key, json!({"allowedSocial": all})).await;
    let mut page = PageClient::new();
    for (network, pick) in NETWORKS {
        let html = page.get(&url).await.html;
        assert!(html.contains(&format!(r#"id="{network}-oauth""#)), "{network}: {html}");
        let start = page.submit(&url, &format!("{}/oauth/{network}", path_of(&url)), &[("csrf", &csrf(&html))]).await;
        assert_eq!(start.status, 303, "{network}: {}", start.html);
        let callback = consent(&mut page, &start.location.unwrap()).await;
        let shown = finish_consent(&h, &mut page, &url, &callback, pick).await;
        assert!(shown.contains(r#"id="link-ok""#), "{network}: {shown}");
        assert!(shown.contains(&format!(r#"id="picture-{network}""#)) || matches!(network, "gmb" | "linkedin"), "{network} shows the account's picture: {shown}");
    }
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(linked(&h, &key).await, expected);

    // What the picker chose is what the connector publishes with.
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    let profile = store.profile_by_key(&account, &key).await.unwrap().unwrap();
    let creds = |p| {
        let store = store.clone();
        let id = profile.id.clone();
        async move { store.credentials(&id, p).await.unwrap().unwrap() }
    };
    use crier_core::Platform;
    assert_eq!(creds(Platform::Linkedin).await["author"], seed::LINKEDIN_ORG_URN);
    assert_eq!(creds(Platform::Facebook).await["pageId"], seed::FACEBOOK_PAGE_ID);
    assert_eq!(creds(Platform::Instagram).await["igUserId"], seed::INSTAGRAM_USER_ID);
    assert_eq!(creds(Platform::Pinterest).await["boardId"], seed::PINTEREST_BOARD_ID);
    assert_eq!(creds(Platform::Gmb).await["locationId"], seed::GMB_LOCATION_ID);
    assert_eq!(creds(Platform::Snapchat).await["profileId"], seed::SNAPCHAT_PROFILE_ID);
    assert_eq!(creds(Platform::Threads).await["threadsUserId"], seed::THREADS_USER_ID);

    for (network, _) in NETWORKS {
        publishes(&h, &key, network).await;
    }

    // Unlinking the Page removes crier's app at Meta with the long-lived user token kept for it.
    assert!(creds(Platform::Facebook).await["userToken"].as_str().is_some_and(|t| !t.is_empty()));
    let r = h.call(reqwest::Method::DELETE, "/api/profiles/social", Some(json!({"platform": "facebook", "profileKey": key})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let events = store.account_events(&profile.id).await.unwrap();
    let unlinked = events.iter().rev().find(|e| e.kind == "unlinked" && e.platform == "facebook").expect("an unlinked event");
    assert_eq!(unlinked.details["revoke"], "revoked", "{:?}", unlinked.details);
}

#[tokio::test]
async fn a_choice_is_used_once_in_its_own_session() {
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let url = link_url(&h, &key, json!({"allowedSocial": ["linkedin"]})).await;
    let mut page = PageClient::new();
    let html = page.get(&url).await.html;
    let start = page.submit(&url, &format!("{}/oauth/linkedin", path_of(&url)), &[("csrf", &csrf(&html))]).await;
    let callback = consent(&mut page, &start.location.unwrap()).await;
    let picker = page.get(&callback).await;
    assert_eq!(picker.status, 200);
    let choices = picker_choices(&picker.html);
    let values: Vec<&str> = choices.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(values, [seed::LINKEDIN_PERSON_URN, seed::LINKEDIN_ORG_URN], "the member, then the organisations they administer");
    assert!(!picker.html.contains("accessToken") && !picker.html.contains("ya29") && !picker.html.contains("AQV"), "no token reaches the browser");
    let (csrf_v, choice) = (csrf(&picker.html), input_value(&picker.html, "choice").unwrap());
    let choose = format!("{}/choose", path_of(&url));
    // An account the grant did not list, a forged choice id, a forged CSRF token: nothing linked.
    assert_eq!(page.submit(&url, &choose, &[("csrf", &csrf_v), ("choice", "forged"), ("target", seed::LINKEDIN_ORG_URN)]).await.status, 400);
    assert_eq!(page.submit(&url, &choose, &[("csrf", "forged"), ("choice", &choice), ("target", seed::LINKEDIN_ORG_URN)]).await.status, 403);
    assert!(linked(&h, &key).await.is_empty());
    // Another browser cannot take this session's choice.
    let mut other = PageClient::new();
    assert_ne!(other.submit(&url, &choose, &[("csrf", &csrf_v), ("choice", &choice), ("target", seed::LINKEDIN_ORG_URN)]).await.status, 303);
    let done = page.submit(&url, &choose, &[("csrf", &csrf_v), ("choice", &choice), ("target", "urn:li:organization:999")]).await;
    assert_eq!(done.status, 400, "an account outside the list");
    // The choice was spent by that attempt: choosing again needs a new consent.
    let again = page.submit(&url, &choose, &[("csrf", &csrf_v), ("choice", &choice), ("target", seed::LINKEDIN_ORG_URN)]).await;
    assert_eq!(again.status, 400);
    assert!(linked(&h, &key).await.is_empty());
}

/// Chromium is heavy: one at a time in this file.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn in_a_browser_every_network_links_and_a_tampered_state_gets_its_page() {
    if !available("in_a_browser_every_network_links_and_a_tampered_state_gets_its_page") {
        return;
    }
    let _turn = ONE_BROWSER.lock().await;
    let h = harness().await;
    let key = empty_profile(&h, "Acme").await;
    let mut all: Vec<&str> = NETWORKS.iter().map(|(n, _)| *n).collect();
    all.extend(["telegram", "bluesky"]);
    let url = link_url(&h, &key, json!({"allowedSocial": all})).await;
    let b = Browser::start("en").await;
    b.goto(&url).await;
    for (network, pick) in NETWORKS {
        b.click(&format!("#{network}-oauth")).await;
        assert!(b.url().await.starts_with(&h.sandbox.url), "{network}: at the network's consent page: {}", b.url().await);
        b.click("#consent").await;
        if b.has("#choose-form").await {
            // docs/linking.md's picture of the picker (written only on request, CRIER_UPDATE_DOCS=1).
            if network == "linkedin" && std::env::var("CRIER_UPDATE_DOCS").is_ok_and(|v| v == "1") {
                let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/linking-picker.png");
                std::fs::write(&docs, b.screenshot_png().await).unwrap();
            }
            if let Some(value) = pick {
                let choices = b.attribute(&format!(r#"input[value="{value}"]"#), "id").await.expect("the account to pick is listed");
                b.check(&format!("#{choices}")).await;
            }
            b.click("#choose-submit").await;
        }
        assert!(b.url().await.starts_with(&url), "{network}: back on the page: {}", b.url().await);
        assert!(b.text(&format!("#state-{network}")).await.starts_with("Connected"), "{network}");
    }
    // The credential forms on the same page.
    b.type_into("#telegram-botToken", seed::TELEGRAM_BOT_TOKEN).await;
    b.type_into("#telegram-chatId", seed::TELEGRAM_CHAT_ID).await;
    b.click("#telegram-submit").await;
    b.type_into("#bluesky-identifier", seed::BLUESKY_HANDLE).await;
    b.type_into("#bluesky-appPassword", seed::BLUESKY_APP_PASSWORD).await;
    b.click("#bluesky-submit").await;
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(linked(&h, &key).await, expected);

    // A callback whose state was tampered with: a clear page, nothing more linked.
    b.goto(&format!("{}/link/callback/tiktok?code=abc&state=tampered", h.base)).await;
    assert!(b.has(r#"[data-kind="form"]"#).await, "the form-no-longer-valid page");
    assert_eq!(linked(&h, &key).await, expected);
    b.quit().await;

    for (network, _) in NETWORKS {
        publishes(&h, &key, network).await;
    }
}
