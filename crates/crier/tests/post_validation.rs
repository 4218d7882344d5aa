//! Every check made before anything is stored or sent, each with its catalog code.

mod common;
use common::*;
use crier_core::Platform;
use reqwest::Method;
use serde_json::{Value, json};

fn codes(body: &Value) -> Vec<(i64, String)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_i64().unwrap(), e["platform"].as_str().unwrap_or("").to_string()))
        .collect()
}

async fn validation_harness() -> (Harness, String) {
    let h = Harness::start().await;
    let all = [Platform::Telegram, Platform::Bluesky, Platform::Instagram, Platform::Twitter, Platform::Youtube];
    let key = h.profile_with("validation", &all).await;
    (h, key)
}

async fn post_as(h: &Harness, key: &str, body: Value, extra: &[(&str, &str)]) -> Reply {
    let mut headers = vec![("Profile-Key", key)];
    headers.extend_from_slice(extra);
    h.call(Method::POST, "/api/post", Some(body), &headers).await
}

#[tokio::test]
async fn all_errors_of_one_request_come_together_and_nothing_is_sent() {
    let (h, key) = validation_harness().await;
    let t = format!("{} {}", text("long"), "x".repeat(300));
    let r = post_as(&h, &key, json!({"post": t, "platforms": ["bluesky", "telegram", "facebook"],
        "mediaUrls": ["http://insecure.example/a.png", "https://ok.example/b.png"]}), &[]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        codes(&r.body),
        vec![
            (132, "bluesky".into()),
            (136, "bluesky".into()),
            (136, "telegram".into()),
            (182, "telegram".into()),
            (156, "facebook".into()),
        ]
    );
    // Kept as a failed post for history (Ayrshare's envelope has an id); nothing is queued.
    let stored = h.get(&format!("/api/post/{}", r.body["id"].as_str().unwrap())).await;
    assert_eq!(stored.body["status"], "error", "{}", stored.body);
    let msg = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("300") && msg.contains("Bluesky"), "{msg}");
    assert!(h.sandbox.state.ledger().is_empty());
    // History shows the refused post, failed, once.
    let history = h.call(Method::GET, "/api/history", None, &[("Profile-Key", &key)]).await;
    let listed = history.body["history"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{}", history.body);
    assert_eq!((listed[0]["id"].clone(), listed[0]["status"].clone()), (r.body["id"].clone(), json!("error")));
}

#[tokio::test]
async fn messages_follow_accept_language_and_details_stay_raw() {
    let (h, key) = validation_harness().await;
    let r = post_as(&h, &key, json!({"post": "hi", "platforms": ["instagram"], "mediaUrls": ["https://a.example/v.mp4"],
        "instagramOptions": {"trialParams": {"graduationStrategy": "manual"}}}), &[("Accept-Language", "fr-CH, en;q=0.5")]).await;
    assert_eq!(r.status, 400);
    let e = &r.body["errors"][0];
    assert_eq!(e["code"], 448);
    assert_eq!(e["details"], "manual");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("stratégie"), "French message expected: {msg}");
    let en = post_as(&h, &key, json!({"post": "hi", "platforms": ["instagram"], "mediaUrls": ["https://a.example/v.mp4"],
        "instagramOptions": {"trialParams": {"graduationStrategy": "manual"}}}), &[]).await;
    assert_ne!(en.body["errors"][0]["message"], e["message"]);
    assert_eq!(en.body["errors"][0]["details"], e["details"]);
}

#[tokio::test]
async fn trial_reels_codes() {
    let (h, key) = validation_harness().await;
    let reel = |opts: Value, media: Value| json!({"post": "r", "platforms": ["instagram"], "mediaUrls": media, "instagramOptions": opts});
    let r = post_as(&h, &key, reel(json!({"trialParams": {}}), json!(["https://a.example/v.mp4"])), &[]).await;
    assert_eq!(codes(&r.body), vec![(447, "instagram".into())]);
    let r = post_as(&h, &key, reel(json!({"trialParams": {"graduationStrategy": null}}), json!(["https://a.example/v.mp4"])), &[]).await;
    assert_eq!(codes(&r.body), vec![(447, "instagram".into())]);
    let long = "Z".repeat(100);
    let r = post_as(&h, &key, reel(json!({"trialParams": {"graduationStrategy": long}}), json!(["https://a.example/v.mp4"])), &[]).await;
    assert_eq!(r.body["errors"][0]["code"], 448);
    assert_eq!(r.body["errors"][0]["details"].as_str().unwrap(), "Z".repeat(64));
    let r = post_as(&h, &key, reel(json!({"trialParams": {"graduationStrategy": 7}}), json!(["https://a.example/v.mp4"])), &[]).await;
    assert_eq!(r.body["errors"][0]["code"], 448);
    let ok = json!({"trialParams": {"graduationStrategy": "SS_PERFORMANCE"}});
    let r = post_as(&h, &key, reel(ok.clone(), json!(["https://a.example/v.mp4", "https://a.example/w.mp4"])), &[]).await;
    assert_eq!(r.body["errors"][0]["code"], 449);
    assert!(r.body["errors"][0]["details"].as_str().unwrap().starts_with("carousel"));
    let r = post_as(&h, &key, reel(json!({"stories": true, "trialParams": {"graduationStrategy": "MANUAL"}}), json!(["https://a.example/v.mp4"])), &[]).await;
    assert!(r.body["errors"][0]["details"].as_str().unwrap().starts_with("stories"));
    let r = post_as(&h, &key, reel(ok, json!(["https://a.example/p.jpg"])), &[]).await;
    assert!(r.body["errors"][0]["details"].as_str().unwrap().starts_with("media"));
}

#[tokio::test]
async fn twitter_byo_headers() {
    let (h, key) = validation_harness().await;
    let body = json!({"post": "hi", "platforms": ["twitter"]});
    let both = post_as(&h, &key, body.clone(), &[]).await;
    assert_eq!(codes(&both.body), vec![(419, "twitter".into())]);
    let m = both.body["errors"][0]["message"].as_str().unwrap();
    assert!(m.contains("X-Twitter-OAuth1-Api-Key") && m.contains("X-Twitter-OAuth1-Api-Secret"), "{m}");
    let one = post_as(&h, &key, body, &[("X-Twitter-OAuth1-Api-Key", "k")]).await;
    let m = one.body["errors"][0]["message"].as_str().unwrap();
    assert_eq!(one.body["errors"][0]["code"], 419);
    assert!(m.contains("X-Twitter-OAuth1-Api-Secret") && !m.contains("X-Twitter-OAuth1-Api-Key"), "{m}");
}

#[tokio::test]
async fn youtube_title_platforms_and_body_shape() {
    let (h, key) = validation_harness().await;
    let r = post_as(&h, &key, json!({"post": "v", "platforms": ["youtube"], "mediaUrls": ["https://a.example/v.mp4"]}), &[]).await;
    assert_eq!(codes(&r.body), vec![(901, "youtube".into())]);
    assert_eq!(r.body["errors"][0]["details"], "youTubeOptions.title");
    let r = post_as(&h, &key, json!({"post": "v", "platforms": ["x", "myspace"]}), &[]).await;
    assert_eq!(r.body["errors"][0]["code"], 902);
    assert!(r.body["errors"][0]["details"].as_str().unwrap().contains("myspace"));
    let r = post_as(&h, &key, json!({"post": "v", "platforms": []}), &[]).await;
    assert_eq!(r.body["errors"][0]["code"], 902);
    let r = post_as(&h, &key, json!({"post": 5, "platforms": "telegram", "mediaUrls": {"a": 1}}), &[]).await;
    assert_eq!(r.status, 400);
    assert!(r.body["errors"].as_array().unwrap().iter().all(|e| e["code"] == 900));
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
    // Not JSON at all: one flat error.
    let raw = h.http.post(format!("{}/api/post", h.base)).bearer_auth(&h.key).body("{nope").send().await.unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let flat: Value = raw.json().await.unwrap();
    assert_eq!(flat["code"], 900);
    assert_eq!(flat["status"], "error");
}

#[tokio::test]
async fn all_means_every_linked_network() {
    let h = Harness::start().await;
    let t = text("to all");
    let r = h.post(json!({"post": t, "platforms": ["all"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["postIds"].as_array().unwrap().len(), 2);
    assert_eq!(h.published(&t).len(), 2);
}

/// Text is counted as each network counts it (issue 16, point 8), before anything is sent:
/// X weighs an emoji 2 (twitter-text), so 141 of them are 282 of 280; Bluesky counts graphemes,
/// so 60 family emoji are 60 of its 300 (420 code points, which crier used to count).
#[tokio::test]
async fn text_is_counted_as_each_network_counts_it() {
    let (h, key) = validation_harness().await;
    let byo = [("X-Twitter-OAuth1-Api-Key", "k"), ("X-Twitter-OAuth1-Api-Secret", "s")];
    let r = post_as(&h, &key, json!({"post": "😀".repeat(141), "platforms": ["twitter"]}), &byo).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(codes(&r.body), vec![(132, "twitter".into())]);
    let e = &r.body["errors"][0];
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("280") && msg.contains(" 2 "), "limit and overage in X's weighted unit: {msg}");
    assert!(e["details"].as_str().unwrap().starts_with("282 weighted characters"), "{e}");
    assert!(h.network_ledger("twitter").is_empty(), "nothing reached X");

    // Bluesky: 60 family emoji + 231 letters + a unique 9-character tag = exactly 300 graphemes
    // (660 code points, 1,740 bytes): accepted and published.
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(60);
    let tag = text("");
    let t = format!("{family}{}{tag}", "a".repeat(231));
    assert_eq!(t.chars().count(), 660);
    let r = post_as(&h, &key, json!({"post": t, "platforms": ["bluesky"]}), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap();
    let settled = h.call(Method::GET, &format!("/api/post/{id}?waitSeconds=20"), None, &[("Profile-Key", &key)]).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    assert_eq!(h.published(&t).len(), 1, "published on the sandbox's Bluesky");
    // One grapheme more is one over, counted in graphemes.
    let over = format!("{family}{}{tag}", "a".repeat(232));
    let r = post_as(&h, &key, json!({"post": over, "platforms": ["bluesky"]}), &[]).await;
    assert_eq!(codes(&r.body), vec![(132, "bluesky".into())]);
    assert!(r.body["errors"][0]["details"].as_str().unwrap().starts_with("301 graphemes, limit 300"), "{}", r.body);
}
