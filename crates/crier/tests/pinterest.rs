//! Pinterest end to end: crier's API → the Pinterest connector → the sandbox's Pinterest API v5.
//! Every row of the connector's error table (crier-networks/src/pinterest/errors.rs) is produced by
//! putting the emulator into the upstream condition. Pinterest has no duplicate rule and crier no
//! daily cap for it; a pin always needs an image or a video.

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::{LedgerEntry, seed};
use serde_json::{Value, json};

async fn harness() -> Harness {
    Harness::start().await.with(&[Platform::Pinterest]).await
}

/// Pins in the sandbox's ledger with this description (deleted ones too).
fn pins(h: &Harness, text: &str) -> Vec<LedgerEntry> {
    h.sandbox.state.ledger().into_iter().filter(|e| e.network == "pinterest" && e.text == text).collect()
}

/// The emulator's own view of a pin (`GET /_sandbox/pinterest/pins`).
async fn emulator_pin(h: &Harness, id: &str) -> Value {
    let pins = h.emulator_list("pinterest/pins").await;
    pins.into_iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("no pin {id}"))
}

/// Asserts one Pinterest error: catalog code, HTTP status, retryability; returns its details.
#[track_caller]
fn assert_error(r: &Reply, code: i64, status: u16, retryable: bool) -> String {
    assert_network_error(r, "pinterest", code, status, retryable)
}

/// A one-image pin with this description.
fn pin(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")]})
}

/// Asserts a published pin: the postIds entry names the ledger's pin and its URL.
fn assert_published(r: &Reply, ledger: &[LedgerEntry]) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(ledger.len(), 1, "exactly one pin: {ledger:?}");
    let entry = r.body["postIds"].as_array().unwrap().iter().find(|p| p["platform"] == "pinterest").unwrap().clone();
    let id = ledger[0].native_id.clone();
    assert_eq!((entry["status"].as_str(), entry["id"].as_str()), (Some("success"), Some(id.as_str())), "{entry}");
    assert_eq!(entry["postUrl"], format!("https://www.pinterest.com/pin/{id}/"));
    assert_eq!(ledger[0].account, seed::PINTEREST_BOARD_ID);
    id
}

#[tokio::test]
async fn image_pin_carries_title_link_and_alt_text() {
    let h = harness().await;
    let t = text("pin image");
    let image = h.media("cat.jpg");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [image],
            "pinterestOptions": {"title": "A cat", "link": "https://example.com/cat", "altText": ["a grey cat"]}}))
        .await;
    let ledger = pins(&h, &t);
    let id = assert_published(&r, &ledger);
    assert_eq!((ledger[0].media.clone(), ledger[0].title.as_deref()), (vec![image], Some("A cat")));
    let pin = emulator_pin(&h, &id).await;
    assert_eq!((pin["link"].as_str(), pin["alt_text"].as_str()), (Some("https://example.com/cat"), Some("a grey cat")), "{pin}");
    assert_eq!(pin["media"]["media_type"], "image");
}

#[tokio::test]
async fn carousel_pin_takes_each_image_with_its_options() {
    let h = harness().await;
    let t = text("pin carousel");
    let media = [h.media("a.jpg"), h.media("b.png"), h.media("c.jpg")];
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": media,
            "pinterestOptions": {"carouselOptions": [{"title": "first", "link": "https://example.com/1"}, {"description": "second"}]}}))
        .await;
    let ledger = pins(&h, &t);
    let id = assert_published(&r, &ledger);
    assert_eq!(ledger[0].media, media.to_vec());
    let pin = emulator_pin(&h, &id).await;
    let items = pin["media"]["items"].as_array().unwrap();
    assert_eq!((pin["media"]["media_type"].as_str(), items.len()), (Some("multiple_images"), 3), "{pin}");
    assert_eq!((items[0]["title"].as_str(), items[0]["link"].as_str()), (Some("first"), Some("https://example.com/1")));
    assert_eq!(items[1]["description"], "second");
}

#[tokio::test]
async fn video_pin_is_uploaded_processed_and_pinned_with_its_cover() {
    let h = harness().await;
    h.control("pinterest/config", json!({"mediaProcessingPolls": 2})).await;
    let t = text("pin video");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("clip.mp4")],
            "pinterestOptions": {"thumbNail": h.media("cover.jpg"), "title": "Clip"}}))
        .await;
    let ledger = pins(&h, &t);
    let id = assert_published(&r, &ledger);
    assert!(ledger[0].media[0].starts_with("media:"), "{:?}", ledger[0].media);
    assert_eq!(emulator_pin(&h, &id).await["media"]["media_type"], "video");
}

#[tokio::test]
async fn text_only_and_video_without_cover_are_refused_before_pinterest() {
    let h = harness().await;
    let t = text("no image");
    let r = h.post(json!({"post": t, "platforms": ["pinterest"]})).await;
    assert_error(&r, 182, 400, false);
    let r = h.post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("clip.mp4")]})).await;
    assert_eq!((r.status, first_error(&r)["code"].as_i64()), (400, Some(901)), "{}", r.body);
    assert_eq!(first_error(&r)["details"], "pinterestOptions.thumbNail");
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn the_same_pin_twice_is_two_pins() {
    // Pinterest has no duplicate rule: crier must not invent one.
    let h = harness().await;
    let t = text("pin twice");
    for _ in 0..2 {
        let r = h.post(pin(&h, &t)).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(pins(&h, &t).len(), 2);
}

#[tokio::test]
async fn expired_or_revoked_token_is_908() {
    let h = harness().await;
    for state in ["expired", "revoked"] {
        let t = text(state);
        let details = token_in_state_is_908(&h, "pinterest", state, pin(&h, &t), || pins(&h, &t).len()).await;
        assert!(details.contains("Authentication failed."), "Pinterest's words: {details}");
    }
}

#[tokio::test]
async fn rate_limit_that_clears_within_the_deadline_publishes_exactly_once() {
    let h = harness().await;
    h.control("pinterest/throttle", json!({"requests": 1, "resetSeconds": 1})).await;
    let t = text("after the reset");
    let r = h.post(pin(&h, &t)).await;
    assert_published(&r, &pins(&h, &t));
}

#[tokio::test]
async fn rate_limit_beyond_the_deadline_is_909_with_the_reset() {
    let h = harness().await;
    h.control("pinterest/throttle", json!({"requests": 1, "resetSeconds": 600})).await;
    let t = text("throttled");
    let r = h.post(pin(&h, &t)).await;
    assert_eq!(assert_error(&r, 909, 429, false), "600", "X-RateLimit-Reset seconds in details");
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn unknown_or_forbidden_board_is_915() {
    let h = harness().await;
    let t = text("other board");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")], "pinterestOptions": {"boardId": "999"}}))
        .await;
    assert!(assert_error(&r, 915, 400, false).contains("Board not found."));
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 403,
        "body": {"code": 29, "message": "Not authorized to access board or Pin."}}));
    let r = h.post(pin(&h, &t)).await;
    assert!(assert_error(&r, 915, 400, false).contains("Not authorized to access board"));
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn broken_image_is_182_and_unfetchable_cover_is_136() {
    let h = harness().await;
    h.control("media-host", json!({"bodies": {"/media-host/broken.jpg": "this is no image"}})).await;
    let t = text("broken image");
    let r = h.post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("broken.jpg")]})).await;
    assert!(assert_error(&r, 182, 400, false).contains("too small, too large or is broken"));
    // Pinterest itself downloads a video's cover: a cover it cannot get is a bad media URL.
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("clip.mp4")],
            "pinterestOptions": {"thumbNail": h.media("missing-cover.gif")}}))
        .await;
    assert!(assert_error(&r, 136, 400, false).contains("could not fetch"));
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn video_pinterest_cannot_process_is_182() {
    let h = harness().await;
    h.control("pinterest/config", json!({"mediaOutcome": "failed"})).await;
    let t = text("bad video");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("clip.mp4")],
            "pinterestOptions": {"thumbNail": h.media("cover.jpg")}}))
        .await;
    assert!(assert_error(&r, 182, 400, false).contains("could not process"));
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn field_pinterest_refuses_is_915_and_long_description_132() {
    let h = harness().await;
    // Alt text over Pinterest's 500 is refused by crier before Pinterest is called.
    let t = text("long alt text");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")], "pinterestOptions": {"altText": ["a".repeat(501)]}}))
        .await;
    assert!(assert_error(&r, 132, 400, false).contains("altText"));
    // A field Pinterest itself refuses is 915 with Pinterest's text.
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 400,
        "body": {"code": 1, "message": "Invalid request body: 'alt_text' is not valid."}}));
    let r = h.post(pin(&h, &t)).await;
    assert!(assert_error(&r, 915, 400, false).contains("alt_text"));
    // Over 500: crier refuses it before Pinterest, with limit and overage like Pinterest's own 400 maps to.
    let long = format!("{} {}", text("long"), "x".repeat(520));
    let r = h.post(json!({"post": long, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_error(&r, 132, 400, false);
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 400,
        "body": {"code": 1, "message": "Invalid request body: 'description' must be at most 500 characters."}}));
    let r = h.post(pin(&h, &t)).await;
    assert!(assert_error(&r, 132, 400, false).contains("'description' must be at most 500"));
    assert!(pins(&h, &t).is_empty() && pins(&h, &long).is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_then_910_retryable() {
    let h = harness().await;
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 503}));
    let t = text("one 503");
    let r = h.post(pin(&h, &t)).await;
    assert_published(&r, &pins(&h, &t));

    let t = text("always 500");
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, ("pinterest", "pins.create", 500), pin(&h, &t), || pins(&h, &t).len()).await;
    assert!(down.details.contains("We could not complete that request."), "{}", down.details);
}

#[tokio::test]
async fn gateway_timeout_is_checked_on_the_board_before_sending_again() {
    let h = harness().await;
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 504}));
    let t = text("after a 504");
    let r = h.post(pin(&h, &t)).await;
    assert_published(&r, &pins(&h, &t));
    // A 504 may hide a pin: when the board cannot be read, crier cannot know and does not resend.
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 504}));
    h.fault(json!({"network": "pinterest", "endpoint": "boards.pins", "status": 500, "times": 0}));
    let t = text("504 and no board");
    let r = h.post(pin(&h, &t)).await;
    assert_error(&r, 905, 502, false);
    assert!(pins(&h, &t).is_empty());
}

#[tokio::test]
async fn lost_answer_is_found_on_the_board_not_resent() {
    let h = harness().await;
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "reset": "after"}));
    let t = text("lost pin answer");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")], "pinterestOptions": {"title": "Lost"}}))
        .await;
    assert_published(&r, &pins(&h, &t));
}

#[tokio::test]
async fn reset_before_acceptance_is_sent_once() {
    let h = harness().await;
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "reset": "before"}));
    let t = text("reset before");
    let r = h.post(pin(&h, &t)).await;
    assert_published(&r, &pins(&h, &t));
}

#[tokio::test]
async fn lost_answer_with_an_unreadable_board_is_905_and_never_resent() {
    let h = harness().await;
    let t = text("unknown outcome");
    let lost = ("pins.create", "boards.pins", 500);
    unverifiable_lost_answer_is_905_and_never_resent(&h, "pinterest", lost, pin(&h, &t), || pins(&h, &t).len()).await;
}

#[tokio::test]
async fn five_networks_pinterest_fails_and_retry_resends_only_pinterest() {
    let h = harness().await.with_meta().await;
    let fault = json!({"network": "pinterest", "endpoint": "pins.create", "status": 500, "times": 0});
    let scenario = PartialFailure { extra: json!({"mediaUrls": [h.media("cat.jpg")]}), ..PartialFailure::five_networks("pinterest", fault) };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn delete_removes_the_pin_at_pinterest() {
    let h = harness().await;
    let t = text("delete pin");
    let r = h.post(pin(&h, &t)).await;
    let id = assert_published(&r, &pins(&h, &t));
    let d = h.delete(&r).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["pinterest"]["status"], "success", "{}", d.body);
    assert!(pins(&h, &t)[0].deleted);
    assert_eq!(emulator_pin(&h, &id).await["deleted"], true);
}

#[tokio::test]
async fn history_and_analytics_of_a_published_pin() {
    let h = harness().await;
    let t = text("measured pin");
    let r = h
        .post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")], "pinterestOptions": {"title": "Measured"}}))
        .await;
    let id = assert_published(&r, &pins(&h, &t));
    h.control(&format!("pinterest/pins/{id}/metrics"), json!({"IMPRESSION": 12, "SAVE": 3, "PIN_CLICK": 2, "OUTBOUND_CLICK": 1})).await;

    let history = h.get("/api/history/pinterest").await;
    assert_eq!((history.status, history.body["platform"].as_str()), (200, Some("pinterest")), "{}", history.body);
    let posts = history.body["posts"].as_array().unwrap();
    let pin = posts.iter().find(|p| p["id"] == id.as_str()).unwrap_or_else(|| panic!("{}", history.body));
    assert_eq!((pin["post"].as_str(), pin["title"].as_str()), (Some(t.as_str()), Some("Measured")));
    assert_eq!(pin["postUrl"], format!("https://www.pinterest.com/pin/{id}/"));
    // Pages follow Pinterest's bookmark.
    let second = h.post(json!({"post": text("newer pin"), "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let page = h.get("/api/history/pinterest?limit=1").await;
    let next = page.body["meta"]["pagination"]["next"].as_str().unwrap_or_else(|| panic!("{}", page.body)).to_string();
    assert_eq!(page.body["posts"][0]["id"], second.body["postIds"][0]["id"], "newest first");
    let older = h.get(&format!("/api/history/pinterest?limit=1&next={next}")).await;
    assert_eq!(older.body["posts"][0]["id"], id.as_str(), "{}", older.body);

    let a = h.post_analytics(&r).await;
    assert_eq!((a.status, a.body["status"].as_str()), (200, Some("success")), "{}", a.body);
    assert_eq!(a.body["pinterest"]["id"], id.as_str());
    let m = &a.body["pinterest"]["analytics"];
    assert_eq!([&m["impressionCount"], &m["saveCount"], &m["pinClickCount"], &m["outboundClickCount"]], [&json!(12), &json!(3), &json!(2), &json!(1)], "{m}");

    // A revoked token shows in both reads as 908.
    h.control("pinterest/token", json!({"state": "revoked"})).await;
    let history = h.get("/api/history/pinterest").await;
    assert_eq!((history.status, history.body["code"].as_i64()), (400, Some(908)), "{}", history.body);
    let a = h.post_analytics(&r).await;
    assert_eq!((a.body["status"].as_str(), a.body["pinterest"]["code"].as_i64()), (Some("error"), Some(908)), "{}", a.body);
}
