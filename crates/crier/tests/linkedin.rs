//! LinkedIn end to end: crier's API → the LinkedIn connector → the sandbox's LinkedIn emulator.
//! Every error row of the connector's mapping is produced by putting the emulator into the real
//! upstream condition (control routes under `/_sandbox/linkedin/...` or faults), never by mocking.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::seed;
use serde_json::{Value, json};

async fn linkedin() -> Harness {
    Harness::start().await.with(&[Platform::Linkedin]).await
}

fn li_post(t: &str) -> Value {
    json!({"post": t, "platforms": ["linkedin"]})
}

fn li_media_post(t: &str, media: &[String]) -> Value {
    json!({"post": t, "platforms": ["linkedin"], "mediaUrls": media})
}

/// Reads the emulator's REST API as a LinkedIn client would (for what crier does not show).
async fn rest_get(h: &Harness, path: &str) -> (u16, Value) {
    let r = h
        .http
        .get(format!("{}/linkedin/rest/{path}", h.sandbox.url))
        .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
        .header("LinkedIn-Version", "202603")
        .header("X-Restli-Protocol-Version", "2.0.0")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn encoded(urn: &str) -> String {
    urn.replace(':', "%3A")
}

/// The one successful postIds entry of a LinkedIn-only post, checked against the ledger.
fn assert_published_once(h: &Harness, r: &Reply, t: &str, kind: &str) -> crier_sandbox::LedgerEntry {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "success", "{}", r.body);
    let entry = &r.body["postIds"][0];
    assert_eq!(entry["platform"], "linkedin");
    let urn = entry["id"].as_str().unwrap();
    assert!(urn.starts_with(&format!("urn:li:{kind}:")), "{entry}");
    assert_eq!(entry["postUrl"], format!("https://www.linkedin.com/feed/update/{urn}"));
    let ledger = h.published(t);
    assert_eq!(ledger.len(), 1, "published exactly once: {ledger:?}");
    assert_eq!(ledger[0].native_id, urn);
    assert_eq!(ledger[0].account, seed::LINKEDIN_PERSON_URN);
    ledger[0].clone()
}

// ---- successes ----

#[tokio::test]
async fn text_post_publishes_once_with_urn_and_url() {
    let h = linkedin().await;
    let t = text("li text");
    let r = h.post(li_post(&t)).await;
    let entry = assert_published_once(&h, &r, &t, "share");
    assert!(entry.media.is_empty());
    // What LinkedIn got: the Posts API body crier built.
    let (status, post) = rest_get(&h, &format!("posts/{}", encoded(&entry.native_id))).await;
    assert_eq!(status, 200, "{post}");
    assert_eq!((post["visibility"].as_str(), post["lifecycleState"].as_str()), (Some("PUBLIC"), Some("PUBLISHED")));
}

#[tokio::test]
async fn image_post_uploads_waits_for_processing_then_posts() {
    let h = linkedin().await;
    // Two status reads answer PROCESSING before the image is AVAILABLE: crier must poll.
    h.control("linkedin/config", json!({"imageProcessingPolls": 2})).await;
    let t = text("li image");
    let mut body = li_media_post(&t, &[h.media("cat.jpg")]);
    body["linkedInOptions"] = json!({"altText": ["a sandbox cat"], "visibility": "connections"});
    let r = h.post(body).await;
    let entry = assert_published_once(&h, &r, &t, "share");
    assert_eq!(entry.media.len(), 1, "{entry:?}");
    assert!(entry.media[0].starts_with("urn:li:image:"), "{entry:?}");
    let (_, image) = rest_get(&h, &format!("images/{}", encoded(&entry.media[0]))).await;
    assert_eq!(image["status"], "AVAILABLE", "{image}");
    let (_, post) = rest_get(&h, &format!("posts/{}", encoded(&entry.native_id))).await;
    assert_eq!(post["content"]["media"], json!({"id": entry.media[0], "altText": "a sandbox cat"}), "{post}");
    assert_eq!(post["visibility"], "CONNECTIONS");
}

#[tokio::test]
async fn video_post_uploads_in_parts_finalizes_waits_then_posts() {
    let h = linkedin().await;
    // 200,000 bytes in 64 KiB parts: four PUTs whose ETags finalizeUpload must list in order.
    h.control("linkedin/config", json!({"videoPartBytes": 65_536, "videoProcessingPolls": 2})).await;
    let t = text("li video");
    let mut body = li_media_post(&t, &[format!("{}?bytes=200000", h.media("clip.mp4"))]);
    body["linkedInOptions"] = json!({"title": "Sandbox clip"});
    let r = h.post(body).await;
    let entry = assert_published_once(&h, &r, &t, "ugcPost");
    assert_eq!(entry.media.len(), 1, "{entry:?}");
    assert!(entry.media[0].starts_with("urn:li:video:"), "{entry:?}");
    let (_, post) = rest_get(&h, &format!("posts/{}", encoded(&entry.native_id))).await;
    assert_eq!(post["content"]["media"], json!({"id": entry.media[0], "title": "Sandbox clip"}), "{post}");
}

#[tokio::test]
async fn webp_image_reaches_linkedin_as_jpeg() {
    let h = linkedin().await;
    let url = webp_photo_url("image/webp").await;
    let t = text("li webp");
    let r = h.post(li_media_post(&t, std::slice::from_ref(&url))).await;
    // The emulator fails WebP in processing (LinkedIn takes JPEG, PNG, GIF): success means crier
    // converted it before the connector uploaded it.
    let entry = assert_published_once(&h, &r, &t, "share");
    assert!(entry.media[0].starts_with("urn:li:image:"), "{entry:?}");
    let post = h.running.store().post_by_id(r.body["id"].as_str().unwrap()).await.unwrap().unwrap();
    let staged = post.deliveries[0].media_urls.clone().expect("the WebP was converted and staged");
    assert!(staged[0].starts_with(&format!("{}/media/", h.base)) && staged[0] != url, "{staged:?}");
}

#[tokio::test]
async fn organization_author_posts_as_the_page() {
    let h = linkedin().await;
    h.link(Platform::Linkedin, json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": seed::LINKEDIN_ORG_URN})).await;
    let t = text("li page");
    let r = h.post(li_media_post(&t, &[h.media("logo.png")])).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].account, seed::LINKEDIN_ORG_URN, "authored by the page, not the member");
    assert_eq!(r.body["postIds"][0]["id"], ledger[0].native_id.as_str());
    let (_, image) = rest_get(&h, &format!("images/{}", encoded(&ledger[0].media[0]))).await;
    assert_eq!(image["owner"], seed::LINKEDIN_ORG_URN, "the image is owned by the page too");
}

// ---- the daily cap ----

#[tokio::test]
async fn daily_cap_from_crier_own_ledger_is_923_without_calling_linkedin() {
    let h = Harness::start_with(|c| c.networks.linkedin_daily_limit = 2).await.with(&[Platform::Linkedin]).await;
    for n in 1..=2 {
        let r = h.post(li_post(&text("li quota"))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["postIds"][0]["usedQuota"], n, "{}", r.body);
    }
    let t = text("li one too many");
    used_up_daily_cap_is_923_without_calling_the_network(&h, "linkedin", "posts.create", li_post(&t), || h.published(&t).len()).await;
    assert_eq!(h.network_ledger("linkedin").len(), 2);
}

#[tokio::test]
async fn linkedin_member_day_throttle_is_923() {
    let h = linkedin().await;
    h.control("linkedin/config", json!({"memberDailyPosts": 1})).await;
    assert_eq!(h.post(li_post(&text("li first of the day"))).await.status, 200);
    let t = text("li member day");
    let r = h.post(li_post(&t)).await;
    let details = assert_network_error(&r, "linkedin", 923, 429, false);
    assert!(details.contains("MEMBER DAY") && details.contains("midnight UTC"), "{details}");
    assert!(h.published(&t).is_empty());
    assert_eq!(h.network_ledger("linkedin").len(), 1);
}

// ---- errors ----

#[tokio::test]
async fn expired_and_revoked_tokens_are_908() {
    let h = linkedin().await;
    for (state, code) in [("expired", "EXPIRED_ACCESS_TOKEN"), ("revoked", "REVOKED_ACCESS_TOKEN")] {
        let t = text(&format!("li token {state}"));
        let details = token_in_state_is_908(&h, "linkedin", state, li_post(&t), || h.published(&t).len()).await;
        assert!(details.contains(code), "{state}: {details}");
    }
    // With media the first call (image upload) already says so.
    let r = h.post(li_media_post(&text("li token media"), &[h.media("cat.jpg")])).await;
    assert_network_error(&r, "linkedin", 908, 400, false);
    h.control("linkedin/token", json!({"state": "valid"})).await;
    assert_eq!(h.post(li_post(&text("li relinked"))).await.status, 200);
}

#[tokio::test]
async fn linkedin_duplicate_is_137() {
    let h = linkedin().await;
    let t = text("li twice");
    assert_eq!(h.post(li_post(&t)).await.status, 200);
    let r = h.post(li_post(&t)).await;
    let details = assert_network_error(&r, "linkedin", 137, 400, false);
    assert!(details.contains("DUPLICATE_POST") && details.contains("is a duplicate of urn:li:share:"), "{details}");
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn throttle_that_clears_is_retried_and_publishes_once() {
    let h = linkedin().await;
    // The next two /rest/ calls answer a bare 429 (LinkedIn sends no rate-limit headers).
    h.control("linkedin/throttle", json!({"requests": 2})).await;
    let t = text("li throttled briefly");
    let r = h.post(li_post(&t)).await;
    assert_published_once(&h, &r, &t, "share");
}

#[tokio::test]
async fn throttle_outlasting_the_retries_is_909() {
    let h = linkedin().await;
    h.control("linkedin/throttle", json!({"requests": 100})).await;
    let t = text("li throttled");
    let r = h.post(li_post(&t)).await;
    let details = assert_network_error(&r, "linkedin", 909, 429, false);
    assert!(details.contains("throttle limit"), "LinkedIn's words, as it gave no wait: {details}");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_910_retryable() {
    let h = linkedin().await;
    // Two 500s, then LinkedIn recovers: one post.
    h.fault(json!({"network": "linkedin", "endpoint": "posts.create", "status": 500, "times": 2}));
    let t = text("li recovers");
    let r = h.post(li_post(&t)).await;
    assert_published_once(&h, &r, &t, "share");

    let t = text("li down");
    let down = ("linkedin", "posts.create", 503);
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, down, li_post(&t), || h.published(&t).len()).await;
    assert!(down.details.contains("Service Unavailable"), "{}", down.details);
}

#[tokio::test]
async fn access_denied_author_is_915() {
    let h = linkedin().await;
    // A page the member has no role on: LinkedIn's 403 ACCESS_DENIED, not a dead token.
    h.link(Platform::Linkedin, json!({"accessToken": seed::LINKEDIN_ACCESS_TOKEN, "author": "urn:li:organization:999"})).await;
    let t = text("li not my page");
    let r = h.post(li_post(&t)).await;
    let details = assert_network_error(&r, "linkedin", 915, 400, false);
    assert!(details.contains("ACCESS_DENIED: Not enough permissions"), "{details}");
    assert!(h.network_ledger("linkedin").is_empty());
}

#[tokio::test]
async fn commentary_over_3000_after_escaping_is_132() {
    let h = linkedin().await;
    // 2,973 characters pass crier's own 3,000 check, but every parenthesis is escaped in LinkedIn's
    // little text format and LinkedIn counts the commentary as sent.
    let t = format!("{} {}", text("li long"), "(x) ".repeat(740).trim_end());
    assert!(t.chars().count() <= 3_000);
    let r = h.post(li_post(&t)).await;
    let details = assert_network_error(&r, "linkedin", 132, 400, false);
    assert!(details.contains("ShareCommentary text length"), "{details}");
    assert!(h.network_ledger("linkedin").is_empty());
}

#[tokio::test]
async fn media_failing_linkedin_processing_is_182() {
    let h = linkedin().await;
    h.control("linkedin/config", json!({"imageOutcome": "PROCESSING_FAILED", "imageProcessingPolls": 1})).await;
    let t = text("li bad image");
    let r = h.post(li_media_post(&t, &[h.media("cat.jpg")])).await;
    let details = assert_network_error(&r, "linkedin", 182, 400, false);
    assert!(details.contains("PROCESSING_FAILED") && details.contains("urn:li:image:"), "{details}");
    assert!(h.published(&t).is_empty());
}

// ---- lost answers ----

#[tokio::test]
async fn lost_answer_after_the_post_is_reconciled_without_a_second_post() {
    let h = linkedin().await;
    h.fault(json!({"network": "linkedin", "endpoint": "posts.create", "reset": "after"}));
    let t = text("li lost answer");
    let r = h.post(li_post(&t)).await;
    let entry = assert_published_once(&h, &r, &t, "share");
    assert_eq!(r.body["postIds"][0]["id"], entry.native_id.as_str());
}

#[tokio::test]
async fn connection_reset_before_the_post_is_found_unpublished_and_sent_once() {
    let h = linkedin().await;
    h.fault(json!({"network": "linkedin", "endpoint": "posts.create", "reset": "before"}));
    let t = text("li reset before");
    let r = h.post(li_post(&t)).await;
    assert_published_once(&h, &r, &t, "share");
}

#[tokio::test]
async fn lost_answer_that_cannot_be_checked_is_905_and_never_resent() {
    let h = linkedin().await;
    // Reading the author's posts fails too (e.g. the app lacks r_member_social): outcome unknown.
    let lost = ("posts.create", "posts.list", 403);
    let t = text("li unknown");
    unverifiable_lost_answer_is_905_and_never_resent(&h, "linkedin", lost, li_post(&t), || h.published(&t).len()).await;
}

// ---- several networks, delete ----

#[tokio::test]
async fn five_networks_where_linkedin_fails_then_retry_resends_linkedin_only() {
    let h = Harness::start().await.with_meta().await.with(&[Platform::Linkedin]).await;
    let fault = json!({"network": "linkedin", "endpoint": "posts.create", "status": 502, "times": 0});
    one_network_fails_then_retry_resends_only_it(&h, PartialFailure::five_networks("linkedin", fault)).await;
}

#[tokio::test]
async fn delete_removes_the_post_at_linkedin() {
    let h = linkedin().await;
    let t = text("li delete me");
    let r = h.post(li_media_post(&t, &[h.media("cat.jpg")])).await;
    let entry = assert_published_once(&h, &r, &t, "share");
    let d = h.delete(&r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["linkedin"]["status"], "success", "{}", d.body);
    let ledger = h.network_ledger("linkedin");
    assert!(ledger.iter().any(|e| e.native_id == entry.native_id && e.deleted), "{ledger:?}");
    let (status, _) = rest_get(&h, &format!("posts/{}", encoded(&entry.native_id))).await;
    assert_eq!(status, 404, "gone at LinkedIn");
}

// ---- reads ----

#[tokio::test]
async fn analytics_and_history_read_linkedin() {
    let h = linkedin().await;
    let t = text("li measured");
    let r = h.post(li_post(&t)).await;
    let entry = assert_published_once(&h, &r, &t, "share");
    h.control("linkedin/social-actions", json!({"urn": entry.native_id, "likes": 3, "comments": 2})).await;
    let a = h.post_analytics(&r).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let metrics = &a.body["linkedin"]["analytics"];
    assert_eq!((metrics["likeCount"].as_u64(), metrics["commentCount"].as_u64()), (Some(3), Some(2)), "{}", a.body);

    let history = h.get("/api/history/linkedin").await;
    assert_eq!(history.status, 200, "{}", history.body);
    let posts = history.body["posts"].as_array().unwrap();
    assert!(posts.iter().any(|p| p["id"] == entry.native_id.as_str() && p["post"] == t.as_str()), "{}", history.body);
}
