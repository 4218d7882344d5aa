//! Snapchat end to end: crier's API → the Snapchat connector (encrypted media upload, then a Story,
//! Saved Story or Spotlight) → the sandbox's Public Profile API. Every row of the connector's error
//! table (crier-networks/src/snapchat/errors.rs) is produced by putting the emulator into the
//! upstream condition. Snapchat has no duplicate rule and crier no daily cap for it; every post
//! needs one image or video. Snap's API gives no link to a post, so postIds carry no postUrl.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::{LedgerEntry, seed};
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start().await.with(&[Platform::Snapchat]).await
}

/// Every Snapchat post in the sandbox's ledger, deleted ones too. A Story carries no text, so
/// entries are not looked up by text; each test has a sandbox of its own.
fn snaps(h: &Harness) -> Vec<LedgerEntry> {
    h.network_ledger("snapchat")
}

/// One of the emulator's control lists (`GET /_sandbox/snapchat/<what>`).
async fn emulator(h: &Harness, what: &str) -> Vec<Value> {
    h.emulator_list(&format!("snapchat/{what}")).await
}

/// Asserts one Snapchat error: catalog code, HTTP status, retryability; returns its details.
#[track_caller]
fn assert_error(r: &Reply, code: i64, status: u16, retryable: bool) -> String {
    assert_network_error(r, "snapchat", code, status, retryable)
}

/// Asserts exactly one published snap in `collection`: the postIds entry names the ledger's post
/// (`<collection>/<id>`) and the media object it was made from. Returns the ledger entry.
fn assert_published(h: &Harness, r: &Reply, collection: &str) -> LedgerEntry {
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger = snaps(h);
    assert_eq!(ledger.len(), 1, "exactly one post: {ledger:?}");
    let entry = r.body["postIds"].as_array().unwrap().iter().find(|p| p["platform"] == "snapchat").unwrap().clone();
    let id = format!("{collection}/{}", ledger[0].native_id);
    assert_eq!((entry["status"].as_str(), entry["id"].as_str()), (Some("success"), Some(id.as_str())), "{entry}");
    assert_eq!(entry["mediaId"].as_str(), ledger[0].media.first().map(String::as_str), "{entry}");
    assert_eq!(entry["snapStatus"], "LIVE", "Snap's own state of the post: {entry}");
    assert!(entry.get("postUrl").is_none(), "Snap gives no post link: {entry}");
    assert_eq!(ledger[0].account, seed::SNAPCHAT_PROFILE_ID);
    ledger.into_iter().next().unwrap()
}

fn story(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("cat.jpg")]})
}

fn spotlight(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("clip.mp4")], "snapChatOptions": {"spotlight": true}})
}

#[tokio::test]
async fn story_with_an_image() {
    let h = harness().await;
    let r = h.post(story(&h, &text("story"))).await;
    let snap = assert_published(&h, &r, "stories");
    assert_eq!(r.body["postIds"][0]["type"], "story");
    assert_eq!(snap.text, "", "a Story carries no text");
    let media = emulator(&h, "media").await;
    assert_eq!(media.len(), 1, "{media:?}");
    assert_eq!((media[0]["type"].as_str(), media[0]["format"].as_str()), (Some("IMAGE"), Some("image/jpeg")), "decrypted as sent");
    assert_eq!(media[0]["id"].as_str(), Some(snap.media[0].as_str()));
    let posts = emulator(&h, "posts").await;
    assert_eq!((posts[0]["kind"].as_str(), posts[0]["id"].as_str()), (Some("story"), Some(snap.native_id.as_str())));
}

#[tokio::test]
async fn saved_story_takes_its_title_from_the_options_or_the_text() {
    let h = harness().await;
    let t = text("saved story");
    let r = h
        .post(json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("b.png")],
            "snapChatOptions": {"savedStory": true, "title": "Cat of the day"}}))
        .await;
    let snap = assert_published(&h, &r, "saved_stories");
    assert_eq!(r.body["postIds"][0]["type"], "saved_story");
    assert_eq!((snap.title.as_deref(), snap.text.as_str()), (Some("Cat of the day"), "Cat of the day"));
    assert_eq!(emulator(&h, "media").await[0]["format"], "image/png");

    let r = h.post(json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("cat.jpg")], "snapChatOptions": {"savedStory": true}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(snaps(&h)[1].title.as_deref(), Some(t.as_str()), "no title: the post text is the title");
}

#[tokio::test]
async fn spotlight_with_a_video_carries_the_text_as_description() {
    let h = harness().await;
    let t = text("spotlight #crier");
    let r = h.post(spotlight(&h, &t)).await;
    let snap = assert_published(&h, &r, "spotlights");
    assert_eq!(r.body["postIds"][0]["type"], "spotlight");
    assert_eq!(snap.text, t);
    let media = emulator(&h, "media").await;
    assert_eq!((media[0]["type"].as_str(), media[0]["format"].as_str()), (Some("VIDEO"), Some("video/mp4")));
}

#[tokio::test]
async fn webp_is_converted_to_jpeg_before_it_reaches_snapchat() {
    // The emulator refuses WebP at finalize (E1004 → 182): success means crier converted it.
    let h = harness().await;
    let url = webp_photo_url("application/octet-stream").await;
    let r = h.post(json!({"post": text("webp story"), "platforms": ["snapchat"], "mediaUrls": [url]})).await;
    assert_published(&h, &r, "stories");
    let media = emulator(&h, "media").await;
    assert_eq!((media.len(), media[0]["format"].as_str()), (1, Some("image/jpeg")), "{media:?}");
    let post = h.running.store().post_by_id(r.body["id"].as_str().unwrap()).await.unwrap().unwrap();
    let staged = post.deliveries[0].media_urls.clone().expect("the converted JPEG is staged");
    assert!(staged[0].starts_with(&format!("{}/media/", h.base)), "{staged:?}");
}

#[tokio::test]
async fn posts_snapchat_cannot_take_are_refused_before_snapchat() {
    let h = harness().await;
    let t = text("text only");
    let r = h.post(json!({"post": t, "platforms": ["snapchat"]})).await;
    assert!(assert_error(&r, 182, 400, false).contains("exactly one image or video"));
    let two = [h.media("cat.jpg"), h.media("b.png")];
    let r = h.post(json!({"post": t, "platforms": ["snapchat"], "mediaUrls": two})).await;
    assert_error(&r, 182, 400, false);
    // Saved Story titles: 45 characters.
    let r = h
        .post(json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("cat.jpg")],
            "snapChatOptions": {"savedStory": true, "title": "x".repeat(46)}}))
        .await;
    assert!(assert_error(&r, 132, 400, false).contains("limit 45"));
    // Spotlight descriptions: 160 characters.
    let r = h.post(spotlight(&h, &format!("{t} {}", "y".repeat(160)))).await;
    assert_error(&r, 132, 400, false);
    // Spotlight takes videos only: refused once crier sees the image, before uploading it.
    let r = h.post(json!({"post": t, "platforms": ["snapchat"], "mediaUrls": [h.media("cat.jpg")], "snapChatOptions": {"spotlight": true}})).await;
    assert!(assert_error(&r, 182, 400, false).contains("videos only"));
    assert!(snaps(&h).is_empty());
    assert!(emulator(&h, "media").await.is_empty(), "nothing was uploaded");
}

#[tokio::test]
async fn expired_or_revoked_token_is_908() {
    let h = harness().await;
    for state in ["expired", "revoked"] {
        let details = token_in_state_is_908(&h, "snapchat", state, story(&h, &text(state)), || snaps(&h).len()).await;
        assert!(details.contains("E3003") && details.contains("not authorized to access this resource"), "Snap's words: {details}");
    }
    assert!(snaps(&h).is_empty());
}

#[tokio::test]
async fn rate_limit_that_clears_publishes_exactly_once() {
    let h = harness().await;
    h.fault(json!({"network": "snapchat", "endpoint": "stories.create", "status": 429, "headers": {"Retry-After": "1"}}));
    let r = h.post(story(&h, &text("after the 429"))).await;
    assert_published(&h, &r, "stories");
    assert_eq!(emulator(&h, "media").await.len(), 1, "the retry posted the uploaded media, not a new upload");
}

#[tokio::test]
async fn rate_limit_beyond_the_deadline_is_909_with_retry_after() {
    let h = harness().await;
    h.control("snapchat/config", json!({"rateLimited": true, "retryAfterSecs": 600})).await;
    let r = h.post(story(&h, &text("throttled"))).await;
    assert_eq!(assert_error(&r, 909, 429, false), "600", "Retry-After seconds in details");
    assert!(snaps(&h).is_empty());
}

#[tokio::test]
async fn a_profile_the_token_may_not_manage_is_915() {
    let h = harness().await;
    h.link(Platform::Snapchat, json!({"accessToken": seed::SNAPCHAT_ACCESS_TOKEN, "profileId": "0b7e3c1a-5d2f-4c8e-9a61-3f0d2b4c6e8a"})).await;
    let r = h.post(story(&h, &text("other profile"))).await;
    let details = assert_error(&r, 915, 400, false);
    assert!(details.contains("E3002") && details.contains("not authorized to manage this Public Profile"), "{details}");
    assert!(snaps(&h).is_empty());
}

#[tokio::test]
async fn media_that_expired_before_posting_is_uploaded_again_once() {
    let h = harness().await;
    // Hold the first finalize answer, let the media object pass its 24 h, then answer.
    h.fault(json!({"network": "snapchat", "endpoint": "media.finalize", "hold": true}));
    let post = h.post(spotlight(&h, &text("late spotlight")));
    let expire = async {
        assert!(h.sandbox.state.wait_for_held(1, WAIT).await, "the finalize answer is held");
        h.control("snapchat/expire-media", json!({})).await;
        h.control("release", json!({})).await;
    };
    let (r, ()) = tokio::join!(post, expire);
    let snap = assert_published(&h, &r, "spotlights");
    let media = emulator(&h, "media").await;
    assert_eq!(media.len(), 2, "uploaded again exactly once: {media:?}");
    assert_eq!((media[0]["expired"].as_bool(), media[1]["expired"].as_bool()), (Some(true), Some(false)));
    assert_eq!(media[1]["id"].as_str(), Some(snap.media[0].as_str()), "posted from the fresh upload");
}

#[tokio::test]
async fn server_errors_are_retried_then_910_retryable() {
    let h = harness().await;
    h.fault(json!({"network": "snapchat", "endpoint": "stories.create", "status": 503}));
    let r = h.post(story(&h, &text("one 503"))).await;
    assert_published(&h, &r, "stories");

    // Copies of the second post: every snap beyond the first post.
    let copies = || snaps(&h).len() - 1;
    let down = ("snapchat", "spotlights.create", 500);
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, down, spotlight(&h, &text("always 500")), copies).await;
    assert!(down.details.contains("Internal server error"), "{}", down.details);
}

#[tokio::test]
async fn lost_answer_is_found_in_the_collection_not_resent() {
    let h = harness().await;
    h.fault(json!({"network": "snapchat", "endpoint": "saved_stories.create", "reset": "after"}));
    let r = h
        .post(json!({"post": text("lost answer"), "platforms": ["snapchat"], "mediaUrls": [h.media("cat.jpg")],
            "snapChatOptions": {"savedStory": true, "title": "Lost"}}))
        .await;
    let snap = assert_published(&h, &r, "saved_stories");
    assert_eq!(snap.title.as_deref(), Some("Lost"));
}

#[tokio::test]
async fn lost_answer_with_an_unreadable_collection_is_905_and_never_resent() {
    let h = harness().await;
    let lost = ("stories.create", "stories.list", 500);
    let story = story(&h, &text("unknown outcome"));
    unverifiable_lost_answer_is_905_and_never_resent(&h, "snapchat", lost, story, || snaps(&h).len()).await;
}

#[tokio::test]
async fn five_networks_snapchat_fails_and_retry_resends_only_snapchat() {
    let h = harness().await.with_meta().await;
    let fault = json!({"network": "snapchat", "endpoint": "stories.create", "status": 500, "times": 0});
    // A Story carries no text: Snapchat's copies are counted by network, the others' by text.
    let scenario = PartialFailure {
        extra: json!({"mediaUrls": [h.media("cat.jpg")]}),
        failing_keeps_no_text: true,
        ..PartialFailure::five_networks("snapchat", fault)
    };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn delete_removes_the_spotlight_at_snapchat() {
    let h = harness().await;
    let r = h.post(spotlight(&h, &text("delete me"))).await;
    let snap = assert_published(&h, &r, "spotlights");
    let d = h.delete(&r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["snapchat"]["status"], "success", "{}", d.body);
    assert!(snaps(&h)[0].deleted);
    let posts = emulator(&h, "posts").await;
    let post = posts.iter().find(|p| p["id"] == snap.native_id.as_str()).unwrap();
    assert_eq!((post["kind"].as_str(), post["deleted"].as_bool()), (Some("spotlight"), Some(true)), "{post}");
}
