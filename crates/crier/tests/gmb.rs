//! Google Business Profile end to end: crier's API → the GMB connector → the sandbox's My Business
//! v4 API. Every row of the connector's error table (crier-networks/src/gmb/errors.rs) is produced
//! by putting the emulator into the upstream condition. Google has no duplicate rule for posts and
//! crier no daily cap for GMB: the same text twice is two posts.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::{LedgerEntry, seed};
use reqwest::Method;
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start().await.with(&[Platform::Gmb]).await
}

/// Local posts in the sandbox's ledger with this summary (deleted ones too).
fn gmb_posts(h: &Harness, text: &str) -> Vec<LedgerEntry> {
    h.sandbox.state.ledger().into_iter().filter(|e| e.network == "gmb" && e.text == text).collect()
}

/// The emulator's own view of a local post (`GET /_sandbox/gmb/posts`), by resource name.
async fn emulator_post(h: &Harness, name: &str) -> Value {
    let posts = h.emulator_list("gmb/posts").await;
    posts.into_iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no post {name}"))
}

/// Asserts one GMB error: catalog code, HTTP status, retryability; returns its details.
#[track_caller]
fn assert_error(r: &Reply, code: i64, status: u16, retryable: bool) -> String {
    assert_network_error(r, "gmb", code, status, retryable)
}

/// A text-only standard local post.
fn local_post(t: &str) -> Value {
    json!({"post": t, "platforms": ["gmb"]})
}

/// The `postIds` entry of GMB.
fn gmb_entry(r: &Reply) -> Value {
    r.body["postIds"].as_array().unwrap().iter().find(|p| p["platform"] == "gmb").cloned().unwrap_or_else(|| panic!("{}", r.body))
}

/// Google's post link for a local post name, as the emulator forms it.
fn search_url(name: &str) -> String {
    let id = name.rsplit('/').next().unwrap();
    format!("https://local.google.com/place?id={}&use=posts&lpsid={id}", seed::GMB_LOCATION_ID)
}

/// Asserts a published local post: the postIds entry names the ledger's post and its URL.
fn assert_published(r: &Reply, ledger: &[LedgerEntry]) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(ledger.len(), 1, "exactly one local post: {ledger:?}");
    let entry = gmb_entry(r);
    let name = ledger[0].native_id.clone();
    assert!(name.starts_with(&format!("accounts/{}/locations/{}/localPosts/", seed::GMB_ACCOUNT_ID, seed::GMB_LOCATION_ID)), "{name}");
    assert_eq!((entry["status"].as_str(), entry["id"].as_str()), (Some("success"), Some(name.as_str())), "{entry}");
    assert_eq!(entry["postUrl"], search_url(&name), "{entry}");
    assert_eq!(entry["state"], "LIVE", "{entry}");
    assert_eq!(ledger[0].account, seed::GMB_LOCATION_ID);
    name
}

#[tokio::test]
async fn text_only_post_is_a_standard_local_post() {
    let h = harness().await;
    let t = text("gmb text only");
    let r = h.post(local_post(&t)).await;
    let name = assert_published(&r, &gmb_posts(&h, &t));
    let post = emulator_post(&h, &name).await;
    assert_eq!((post["topicType"].as_str(), post["summary"].as_str()), (Some("STANDARD"), Some(t.as_str())), "{post}");
    assert!(post.get("media").is_none() && post.get("callToAction").is_none(), "{post}");
}

#[tokio::test]
async fn standard_post_with_a_photo_and_a_call_to_action() {
    let h = harness().await;
    let t = text("gmb photo");
    let image = h.media("cat.jpg");
    let r = h
        .post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [image],
            "gmbOptions": {"callToAction": {"actionType": "learn_more", "url": "https://example.com/menu"}}}))
        .await;
    let ledger = gmb_posts(&h, &t);
    let name = assert_published(&r, &ledger);
    assert_eq!(ledger[0].media, vec![image.clone()], "Google pulled the photo from its URL");
    let post = emulator_post(&h, &name).await;
    assert_eq!(post["topicType"], "STANDARD");
    assert_eq!(post["callToAction"], json!({"actionType": "LEARN_MORE", "url": "https://example.com/menu"}));
    assert_eq!((post["media"][0]["mediaFormat"].as_str(), post["media"][0]["sourceUrl"].as_str()), (Some("PHOTO"), Some(image.as_str())));
}

#[tokio::test]
async fn event_post_with_bare_dates_spans_whole_days() {
    let h = harness().await;
    let t = text("gmb event");
    let r = h
        .post(json!({"post": t, "platforms": ["gmb"],
            "gmbOptions": {"event": {"title": "Open day", "startDate": "2030-05-01", "endDate": "2030-05-02T18:30:00Z"},
                "callToAction": {"actionType": "call"}}}))
        .await;
    let ledger = gmb_posts(&h, &t);
    let name = assert_published(&r, &ledger);
    assert_eq!(ledger[0].title.as_deref(), Some("Open day"));
    let post = emulator_post(&h, &name).await;
    assert_eq!(post["topicType"], "EVENT");
    assert_eq!(post["callToAction"], json!({"actionType": "CALL"}), "CALL carries no URL");
    // Google's TimeInterval needs all four parts: a bare date starts at midnight.
    let s = &post["event"]["schedule"];
    assert_eq!(s["startDate"], json!({"year": 2030, "month": 5, "day": 1}));
    assert_eq!((s["startTime"]["hours"].as_i64(), s["startTime"]["minutes"].as_i64()), (Some(0), Some(0)), "{s}");
    assert_eq!((s["endTime"]["hours"].as_i64(), s["endTime"]["minutes"].as_i64()), (Some(18), Some(30)), "{s}");
}

#[tokio::test]
async fn offer_post_carries_coupon_link_and_terms() {
    let h = harness().await;
    let t = text("gmb offer");
    let r = h
        .post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [h.media("sale.png")],
            "gmbOptions": {"offer": {"title": "10% off", "startDate": "2030-06-01", "endDate": "2030-06-30",
                "couponCode": "SAVE10", "redeemOnlineUrl": "https://example.com/redeem", "termsConditions": "One per customer"}}}))
        .await;
    let ledger = gmb_posts(&h, &t);
    let name = assert_published(&r, &ledger);
    assert_eq!(gmb_entry(&r)["topicType"], "OFFER");
    let post = emulator_post(&h, &name).await;
    assert_eq!((post["topicType"].as_str(), post["event"]["title"].as_str()), (Some("OFFER"), Some("10% off")), "{post}");
    assert_eq!(
        post["offer"],
        json!({"couponCode": "SAVE10", "redeemOnlineUrl": "https://example.com/redeem", "termsConditions": "One per customer"})
    );
    assert_eq!(post["event"]["schedule"]["endDate"], json!({"year": 2030, "month": 6, "day": 30}));
}

#[tokio::test]
async fn video_post_is_sent_as_video_media() {
    let h = harness().await;
    let t = text("gmb video");
    let clip = h.media("clip.mp4");
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [clip]})).await;
    let ledger = gmb_posts(&h, &t);
    let name = assert_published(&r, &ledger);
    assert_eq!(ledger[0].media, vec![clip.clone()]);
    let post = emulator_post(&h, &name).await;
    assert_eq!((post["media"][0]["mediaFormat"].as_str(), post["media"][0]["sourceUrl"].as_str()), (Some("VIDEO"), Some(clip.as_str())));
}

#[tokio::test]
async fn photo_for_the_photo_section_is_a_media_item_and_can_be_deleted() {
    let h = harness().await;
    let t = text("gmb patio");
    let image = h.media("patio.jpg");
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [image], "gmbOptions": {"isPhotoVideo": true, "category": "exterior"}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger = gmb_posts(&h, &t);
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    let name = ledger[0].native_id.clone();
    assert!(name.starts_with(&format!("accounts/{}/locations/{}/media/", seed::GMB_ACCOUNT_ID, seed::GMB_LOCATION_ID)), "{name}");
    assert_eq!(ledger[0].media, vec![image.clone()]);
    let media = h.emulator_list("gmb/media").await;
    let item = media.into_iter().find(|m| m["name"] == name.as_str()).unwrap_or_else(|| panic!("no media item {name}"));
    assert_eq!((item["mediaFormat"].as_str(), item["locationAssociation"]["category"].as_str()), (Some("PHOTO"), Some("EXTERIOR")), "{item}");
    assert_eq!(item["description"], t.as_str());
    let entry = gmb_entry(&r);
    assert_eq!((entry["id"].as_str(), entry["postUrl"].as_str()), (Some(name.as_str()), item["googleUrl"].as_str()), "{entry}");
    assert!(h.get("/api/history/gmb").await.body["posts"].as_array().unwrap().is_empty(), "not a local post");

    let d = h.delete(&r).await;
    assert_eq!((d.status, d.body["gmb"]["status"].as_str()), (200, Some("success")), "{}", d.body);
    assert!(gmb_posts(&h, &t)[0].deleted);
}

#[tokio::test]
async fn webp_photo_reaches_google_as_a_jpeg() {
    // Google takes JPG and PNG only (the emulator refuses WebP): success proves the conversion.
    let h = harness().await;
    let webp = webp_photo_url("application/octet-stream").await;
    let t = text("gmb webp");
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [webp]})).await;
    let ledger = gmb_posts(&h, &t);
    let name = assert_published(&r, &ledger);
    let sent = emulator_post(&h, &name).await["media"][0]["sourceUrl"].as_str().unwrap().to_string();
    assert_eq!(ledger[0].media, vec![sent.clone()]);
    assert!(sent.starts_with(&format!("{}/media/", h.base)), "Google was given crier's staged copy: {sent}");
    let staged = reqwest::get(&sent).await.unwrap();
    assert_eq!(staged.headers()["content-type"], "image/jpeg");
    let bytes = staged.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "JPEG magic");
}

#[tokio::test]
async fn processing_post_answers_pending_then_goes_live() {
    let h = harness().await;
    h.control("gmb/config", json!({"initialState": "PROCESSING", "processingReads": 1})).await;
    // The first re-read still says PROCESSING; the second (LIVE) is kept back until released, so
    // the POST answers while Google is still processing.
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.get", "hold": true, "skip": 1}));
    let t = text("gmb processing");
    let r = h.post(local_post(&t)).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("processing")), "{}", r.body);
    assert_eq!(gmb_entry(&r), json!({"status": "pending", "id": "pending", "platform": "gmb"}));

    assert!(h.sandbox.state.wait_for_held(1, WAIT).await, "crier reads the post again");
    h.sandbox.state.release_held();
    let g = h.settled(&r).await;
    assert_eq!(g.body["status"], "success", "{}", g.body);
    let ledger = gmb_posts(&h, &t);
    assert_eq!(ledger.len(), 1, "accepted once, never sent again");
    let entry = &g.body["postIds"][0];
    assert_eq!((entry["id"].as_str(), entry["state"].as_str()), (Some(ledger[0].native_id.as_str()), Some("LIVE")), "{entry}");
    assert_eq!(entry["postUrl"], search_url(&ledger[0].native_id));
}

#[tokio::test]
async fn processing_post_google_rejects_is_915() {
    let h = harness().await;
    h.control("gmb/config", json!({"initialState": "PROCESSING", "finalState": "REJECTED", "processingReads": 0})).await;
    let t = text("gmb rejected");
    let r = h.post(local_post(&t)).await;
    let details = assert_error(&r, 915, 400, false);
    assert!(details.contains("REJECTED"), "{details}");
    let ledger = gmb_posts(&h, &t);
    assert_eq!(ledger.len(), 1, "Google took it once and rejected it; crier did not resend");
    assert_eq!(emulator_post(&h, &ledger[0].native_id).await["state"], "REJECTED");
}

#[tokio::test]
async fn unverified_location_is_915() {
    let h = harness().await;
    h.control("gmb/location", json!({"verified": false})).await;
    let t = text("gmb unverified");
    let r = h.post(local_post(&t)).await;
    let details = assert_error(&r, 915, 400, false);
    assert!(details.contains("FAILED_PRECONDITION") && details.contains("Precondition check failed."), "{details}");
    assert!(gmb_posts(&h, &t).is_empty());
}

#[tokio::test]
async fn expired_or_revoked_token_is_908() {
    let h = harness().await;
    for state in ["expired", "revoked"] {
        let t = text(state);
        let details = token_in_state_is_908(&h, "gmb", state, local_post(&t), || gmb_posts(&h, &t).len()).await;
        assert!(details.contains("UNAUTHENTICATED"), "Google's words: {details}");
    }
}

#[tokio::test]
async fn quota_exhaustion_that_clears_is_retried_and_published_once() {
    let h = harness().await;
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.create", "status": 429, "times": 2}));
    let t = text("gmb after quota");
    let r = h.post(local_post(&t)).await;
    assert_published(&r, &gmb_posts(&h, &t));
}

#[tokio::test]
async fn quota_exhaustion_that_lasts_is_909() {
    let h = harness().await;
    h.control("gmb/config", json!({"rateLimited": true})).await;
    let t = text("gmb quota");
    let r = h.post(local_post(&t)).await;
    let details = assert_error(&r, 909, 429, false);
    assert!(details.contains("RESOURCE_EXHAUSTED"), "Google sends no Retry-After: its words instead: {details}");
    assert!(gmb_posts(&h, &t).is_empty());
    // With a Retry-After beyond crier's deadline, its seconds are the details.
    h.control("gmb/config", json!({"retryAfterSecs": 600})).await;
    let r = h.post(local_post(&t)).await;
    assert_eq!(assert_error(&r, 909, 429, false), "600");
    assert!(gmb_posts(&h, &t).is_empty());
}

#[tokio::test]
async fn long_summary_is_132_before_google() {
    let h = harness().await;
    let long = format!("{} {}", text("gmb long"), "x".repeat(1500));
    let r = h.post(json!({"post": long, "platforms": ["gmb"]})).await;
    assert_error(&r, 132, 400, false);
    assert!(gmb_posts(&h, &long).is_empty());
}

#[tokio::test]
async fn photo_google_refuses_is_182_and_one_it_cannot_fetch_136() {
    let h = harness().await;
    // Google's documented lower bound for photos is 10 KB; the media host's cat is smaller.
    h.control("gmb/config", json!({"minPhotoBytes": 10240})).await;
    let t = text("gmb tiny photo");
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [h.media("cat.jpg")]})).await;
    let details = assert_error(&r, 182, 400, false);
    assert!(details.contains("1001") && details.contains("smaller than 10240 bytes"), "{details}");
    // Google answers ErrorCode 1000 when it cannot download the photo.
    h.control("gmb/config", json!({"minPhotoBytes": 0})).await;
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.create", "status": 400, "body": {"error": {
        "code": 400, "message": "Request contains an invalid argument.", "status": "INVALID_ARGUMENT",
        "details": [{"@type": "type.googleapis.com/google.mybusiness.v4.ValidationError",
            "errorDetails": [{"code": 1000, "field": "media.source_url", "message": "Fetching image failed."}]}]}}}));
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert!(assert_error(&r, 136, 400, false).contains("Fetching image failed."));
    assert!(gmb_posts(&h, &t).is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_910_retryable() {
    let h = harness().await;
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.create", "status": 503}));
    let t = text("gmb one 503");
    let r = h.post(local_post(&t)).await;
    assert_published(&r, &gmb_posts(&h, &t));

    let t = text("gmb always 500");
    let down = ("gmb", "localPosts.create", 500);
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, down, local_post(&t), || gmb_posts(&h, &t).len()).await;
    assert!(down.details.contains("Internal error encountered."), "{}", down.details);
}

#[tokio::test]
async fn lost_answer_is_found_among_the_local_posts_not_resent() {
    let h = harness().await;
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.create", "reset": "after"}));
    let t = text("gmb lost answer");
    let r = h.post(local_post(&t)).await;
    assert_published(&r, &gmb_posts(&h, &t));
}

#[tokio::test]
async fn reset_before_acceptance_is_sent_once() {
    let h = harness().await;
    h.fault(json!({"network": "gmb", "endpoint": "localPosts.create", "reset": "before"}));
    let t = text("gmb reset before");
    let r = h.post(local_post(&t)).await;
    assert_published(&r, &gmb_posts(&h, &t));
}

#[tokio::test]
async fn lost_answer_with_an_unreadable_list_is_905_and_never_resent() {
    let h = harness().await;
    let t = text("gmb unknown outcome");
    let lost = ("localPosts.create", "localPosts.list", 500);
    unverifiable_lost_answer_is_905_and_never_resent(&h, "gmb", lost, local_post(&t), || gmb_posts(&h, &t).len()).await;
}

#[tokio::test]
async fn five_networks_gmb_fails_and_retry_resends_only_gmb() {
    let h = harness().await.with_meta().await;
    let fault = json!({"network": "gmb", "endpoint": "localPosts.create", "status": 500, "times": 0});
    one_network_fails_then_retry_resends_only_it(&h, PartialFailure::five_networks("gmb", fault)).await;
}

#[tokio::test]
async fn delete_removes_the_local_post_at_google() {
    let h = harness().await;
    let t = text("gmb delete");
    let r = h.post(json!({"post": t, "platforms": ["gmb"], "mediaUrls": [h.media("cat.jpg")]})).await;
    let name = assert_published(&r, &gmb_posts(&h, &t));
    let d = h.delete(&r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["gmb"]["status"], "success", "{}", d.body);
    assert!(gmb_posts(&h, &t)[0].deleted);
    assert_eq!(emulator_post(&h, &name).await["deleted"], true);
}

#[tokio::test]
async fn history_and_location_metrics() {
    let h = harness().await;
    let t = text("gmb measured");
    let r = h.post(local_post(&t)).await;
    let name = assert_published(&r, &gmb_posts(&h, &t));

    let history = h.get("/api/history/gmb").await;
    assert_eq!(history.status, 200, "{}", history.body);
    let posts = history.body["posts"].as_array().unwrap();
    let post = posts.iter().find(|p| p["id"] == name.as_str()).unwrap_or_else(|| panic!("{}", history.body));
    assert_eq!((post["post"].as_str(), post["status"].as_str()), (Some(t.as_str()), Some("LIVE")));

    // Google has no per-post metrics any more (localPosts.reportInsights was removed).
    let a = h.post_analytics(&r).await;
    assert_eq!(a.body["gmb"]["code"], 920, "{}", a.body);
    // The location's daily metrics come from the Performance API. The emulator's values: live
    // posts by each day × (1 + the metric's position in DailyMetric), so one post today gives
    // CALL_CLICKS (7th) 7 and BUSINESS_IMPRESSIONS_DESKTOP_MAPS (1st) 1.
    let s = h.call(Method::POST, "/api/analytics/social", Some(json!({"platforms": ["gmb"]})), &[]).await;
    assert_eq!(s.status, 200, "{}", s.body);
    let m = &s.body["gmb"]["analytics"];
    assert_eq!((m["callClicks"].as_i64(), m["businessImpressionsDesktopMaps"].as_i64()), (Some(7), Some(1)), "{m}");

    h.control("gmb/token", json!({"state": "revoked"})).await;
    let history = h.get("/api/history/gmb").await;
    assert_eq!((history.status, history.body["code"].as_i64()), (400, Some(908)), "{}", history.body);
    let s = h.call(Method::POST, "/api/analytics/social", Some(json!({"platforms": ["gmb"]})), &[]).await;
    assert_eq!(s.body["gmb"]["code"], 908, "{}", s.body);
}
