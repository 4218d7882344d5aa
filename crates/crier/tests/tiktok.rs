//! TikTok end to end: crier's API → the TikTok connector → the sandbox's Content Posting API.
//! A publish is accepted first (`POST /api/post` answers `pending`) and settles once
//! `status/fetch` says `PUBLISH_COMPLETE` or `FAILED`; `GET /api/post/:id?waitSeconds=N` reads the
//! settled post. Every row of the connector's error table is produced by putting the emulator
//! into the real upstream condition (control routes `/_sandbox/tiktok/…` or faults).

mod common;
use common::*;
use crier_core::Platform;
use crier_sandbox::seed;
use serde_json::{Value, json};

fn video(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["tiktok"], "mediaUrls": [h.media("clip.mp4")]})
}

fn photo(t: &str, url: &str) -> Value {
    json!({"post": t, "platforms": ["tiktok"], "mediaUrls": [url]})
}

async fn tiktok() -> Harness {
    Harness::start().await.with(&[Platform::Tiktok]).await
}

/// The answer while TikTok still processes: Ayrshare's `pending` convention.
#[track_caller]
fn assert_pending(r: &Reply) {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "processing", "{}", r.body);
    assert_eq!(r.body["postIds"], json!([{"status": "pending", "id": "pending", "platform": "tiktok"}]), "{}", r.body);
}

/// An answer given once TikTok accepted the publish: `pending`, unless TikTok already settled it
/// (the next status fetch is one poll interval away, and a busy machine may be slower than that).
#[track_caller]
fn assert_accepted(r: &Reply) {
    assert!(r.body["id"].is_string(), "{}", r.body);
    if r.body["status"] == "processing" {
        assert_pending(r);
    }
}

/// The settled TikTok entry of a post that published, checked against the sandbox's ledger.
async fn published_entry(h: &Harness, posted: &Reply, t: &str, kind: &str) -> Value {
    let r = h.settled(posted).await;
    assert_eq!(r.body["status"], "success", "{}", r.body);
    let entry = r.body["postIds"][0].clone();
    let ledger = h.published(t);
    assert_eq!(ledger.len(), 1, "published exactly once: {ledger:?}");
    assert_eq!((ledger[0].network.as_str(), ledger[0].account.as_str()), ("tiktok", seed::TIKTOK_OPEN_ID));
    assert_eq!((entry["status"].as_str(), entry["platform"].as_str()), (Some("success"), Some("tiktok")), "{entry}");
    assert_eq!(entry["id"], ledger[0].native_id.as_str(), "{entry}");
    let url = format!("https://www.tiktok.com/@{}/{kind}/{}", seed::TIKTOK_USERNAME, ledger[0].native_id);
    assert_eq!(entry["postUrl"], url.as_str(), "{entry}");
    entry
}

#[tokio::test]
async fn video_answers_pending_then_reads_back_published() {
    let h = tiktok().await;
    h.control("tiktok/config", json!({"statusPolls": 3})).await;
    // The 2nd status fetch is processed (still PROCESSING) but answered only when released, so
    // the post cannot settle before crier has answered the POST.
    h.fault(json!({"network": "tiktok", "endpoint": "status.fetch", "hold": true, "skip": 1}));
    let t = text("tiktok video");
    let r = h.post(video(&h, &t)).await;
    assert_pending(&r);
    assert!(h.published(&t).is_empty(), "TikTok has not finished");
    assert!(h.sandbox.state.wait_for_held(1, WAIT).await, "crier keeps asking TikTok");
    h.sandbox.state.release_held();
    let entry = published_entry(&h, &r, &t, "video").await;
    assert!(entry["publishId"].as_str().unwrap().starts_with("v_pub_url~v2-1."), "PULL_FROM_URL: {entry}");
    assert_eq!(entry["status"], "success");
    assert_eq!(h.published(&t)[0].media, vec![h.media("clip.mp4")], "TikTok pulled the URL itself");
}

#[tokio::test]
async fn jpeg_photo_publishes_as_a_photo_post() {
    let h = tiktok().await;
    let t = text("tiktok photo");
    let mut body = photo(&t, &h.media("cat.jpg"));
    body["tikTokOptions"] = json!({"title": "Cat", "visibility": "friends"});
    let r = h.post(body).await;
    assert_accepted(&r);
    let entry = published_entry(&h, &r, &t, "photo").await;
    assert!(entry["publishId"].as_str().unwrap().starts_with("p_pub_url~v2."), "{entry}");
    let ledger = &h.published(&t)[0];
    assert_eq!((ledger.title.as_deref(), ledger.media.clone()), (Some("Cat"), vec![h.media("cat.jpg")]));
}

#[tokio::test]
async fn webp_photo_reaches_tiktok_as_the_staged_jpeg_when_crier_host_is_verified() {
    let h = tiktok().await;
    // As an operator does in TikTok's developer portal: crier's staging prefix is verified.
    h.control("tiktok/config", json!({"verifiedUrlPrefixes": [format!("{}/media/", h.base)]})).await;
    // A loopback host is not TikTok-verified: TikTok can only pull crier's staged copy.
    let url = webp_photo_url("image/webp").await;
    let t = text("tiktok webp");
    let r = h.post(photo(&t, &url)).await;
    assert_accepted(&r);
    published_entry(&h, &r, &t, "photo").await;
    let pulled = &h.published(&t)[0].media;
    assert_eq!(pulled.len(), 1);
    assert!(pulled[0].starts_with(&format!("{}/media/", h.base)), "TikTok pulled crier's staged copy: {pulled:?}");
    let staged = reqwest::get(&pulled[0]).await.unwrap().bytes().await.unwrap();
    let img = image::load_from_memory_with_format(&staged, image::ImageFormat::Jpeg).expect("the staged copy is a JPEG");
    assert_eq!((img.width(), img.height()), (64, 48));
}

/// Product gap, kept visible: a converted photo lives on crier's host, which TikTok pulls from only
/// when the operator verified it, and TikTok has no file upload for photos.
#[tokio::test]
async fn webp_photo_staged_on_an_unverified_crier_host_is_136() {
    let h = tiktok().await;
    let t = text("tiktok webp unverified");
    let r = h.post(photo(&t, &webp_photo_url("image/webp").await)).await;
    let details = assert_network_error(&r, "tiktok", 136, 400, false);
    assert!(details.starts_with("url_ownership_unverified"), "{details}");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn png_photo_is_182_before_tiktok_is_called() {
    let h = tiktok().await;
    // TikTok takes JPEG and WebP photos only and would fail a PNG after accepting it:
    // crier sniffs the bytes and refuses it first.
    h.fault(json!({"network": "tiktok", "status": 500, "times": 0}));
    let t = text("tiktok png");
    let r = h.post(photo(&t, &h.media("cat.png"))).await;
    let details = assert_network_error(&r, "tiktok", 182, 400, false);
    assert!(details.contains("JPEG or WebP"), "{details}");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn tiktoks_own_format_check_failure_is_182() {
    let h = tiktok().await;
    h.control("tiktok/config", json!({"failReason": "file_format_check_failed"})).await;
    let t = text("tiktok format check");
    let r = h.post(photo(&t, &h.media("cat.jpg"))).await;
    assert_accepted(&r);
    let s = h.settled(&r).await;
    let e = first_error(&s);
    assert_eq!((e["code"].as_i64(), e["platform"].as_str()), (Some(182), Some("tiktok")), "{e}");
    assert_eq!(e["details"], "FAILED: file_format_check_failed");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn text_only_is_182_before_tiktok_is_called() {
    let h = tiktok().await;
    h.fault(json!({"network": "tiktok", "status": 500, "times": 0}));
    let r = h.post(json!({"post": text("no media"), "platforms": ["tiktok"]})).await;
    assert_network_error(&r, "tiktok", 182, 400, false);
}

#[tokio::test]
async fn video_on_an_unverified_host_is_sent_as_a_chunked_file_upload() {
    let h = tiktok().await;
    // 21 MiB: TikTok wants two chunks (10 MiB, then 11 MiB with the trailing bytes).
    let size = 21 << 20;
    let bytes = reqwest::get(format!("{}?bytes={size}", h.media("clip.mp4"))).await.unwrap().bytes().await.unwrap().to_vec();
    assert_eq!(bytes.len(), size);
    let host = file_host(vec![("/v/clip.mp4", "video/mp4", bytes)]).await;
    let t = text("tiktok file upload");
    let r = h.post(json!({"post": t, "platforms": ["tiktok"], "mediaUrls": [format!("{host}/v/clip.mp4")]})).await;
    assert_accepted(&r);
    let entry = published_entry(&h, &r, &t, "video").await;
    assert!(entry["publishId"].as_str().unwrap().starts_with("v_pub_file~v2-1."), "{entry}");
    assert_eq!(h.published(&t)[0].media, vec![format!("upload:{size}")]);
}

#[tokio::test]
async fn draft_goes_to_the_inbox_and_publishes_nothing() {
    let h = tiktok().await;
    let t = text("tiktok draft");
    let mut body = video(&h, &t);
    body["tikTokOptions"] = json!({"draft": true});
    let r = h.post(body).await;
    assert_accepted(&r);
    let s = h.settled(&r).await;
    assert_eq!(s.body["status"], "success", "{}", s.body);
    let entry = &s.body["postIds"][0];
    assert!(entry["id"].as_str().unwrap().starts_with("v_inbox_url~v2."), "the publish id: {entry}");
    assert_eq!((entry["draft"].as_bool(), entry["status"].as_str()), (Some(true), Some("success")), "{entry}");
    assert!(entry.get("postUrl").is_none(), "{entry}");
    assert!(h.published(&t).is_empty(), "a draft waits in the creator's inbox");
}

#[tokio::test]
async fn crier_daily_cap_is_923_without_calling_tiktok() {
    let h = Harness::start_with(|c| c.networks.tiktok_daily_limit = 2).await.with(&[Platform::Tiktok]).await;
    for n in 1..=2 {
        let t = text("tiktok quota");
        let r = h.post(photo(&t, &h.media("cat.jpg"))).await;
        assert_accepted(&r);
        assert_eq!(published_entry(&h, &r, &t, "photo").await["usedQuota"], n);
    }
    let t = text("tiktok one too many");
    used_up_daily_cap_is_923_without_calling_the_network(&h, "tiktok", "content.init", photo(&t, &h.media("cat.jpg")), || h.published(&t).len())
        .await;
    assert_eq!(h.network_ledger("tiktok").len(), 2);
}

#[tokio::test]
async fn tiktoks_own_daily_cap_is_923_at_init_and_after_acceptance() {
    let h = tiktok().await;
    h.control("tiktok/config", json!({"dailyPosts": 0})).await;
    let t = text("tiktok capped");
    let r = h.post(video(&h, &t)).await;
    let details = assert_network_error(&r, "tiktok", 923, 429, false);
    assert!(details.starts_with("spam_risk_too_many_posts"), "{details}");
    assert!(h.published(&t).is_empty());

    h.control("tiktok/config", json!({"dailyPosts": 15, "failReason": "spam_risk_too_many_posts"})).await;
    let t = text("tiktok capped later");
    let r = h.post(video(&h, &t)).await;
    assert_accepted(&r);
    let s = h.settled(&r).await;
    assert_eq!((first_error(&s)["code"].as_i64(), first_error(&s)["details"].as_str()), (Some(923), Some("FAILED: spam_risk_too_many_posts")), "{}", s.body);
    assert!(h.published(&t).is_empty());
}

/// TikTok documents no Retry-After: when one comes (a proxy in front of TikTok), crier waits that
/// long and sends again, within its retry deadline.
#[tokio::test]
async fn throttled_init_is_retried_and_publishes_once() {
    let h = tiktok().await;
    h.fault(json!({"network": "tiktok", "endpoint": "video.init", "status": 429, "headers": {"retry-after": "1"}}));
    let t = text("tiktok throttled once");
    let r = h.post(video(&h, &t)).await;
    assert_accepted(&r);
    published_entry(&h, &r, &t, "video").await;
}

/// Without a Retry-After crier waits out TikTok's one-minute sliding window, which is beyond the
/// test's retry deadline: 909 with the seconds, and nothing published.
#[tokio::test]
async fn init_rate_limit_beyond_the_deadline_is_909() {
    let h = tiktok().await;
    h.control("tiktok/config", json!({"initPerMinute": 1})).await;
    let first = text("tiktok first");
    assert_accepted(&h.post(video(&h, &first)).await);
    let t = text("tiktok second in the minute");
    let r = h.post(video(&h, &t)).await;
    assert_eq!(assert_network_error(&r, "tiktok", 909, 429, false), "60");
    assert!(h.published(&t).is_empty());
}

#[tokio::test]
async fn invalid_token_is_908_and_missing_scope_is_915() {
    let h = tiktok().await;
    h.control("tiktok/account", json!({"tokenValid": false})).await;
    let t = text("tiktok revoked");
    let r = h.post(video(&h, &t)).await;
    let details = assert_network_error(&r, "tiktok", 908, 400, false);
    assert!(details.starts_with("access_token_invalid"), "{details}");

    h.control("tiktok/account", json!({"tokenValid": true})).await;
    h.control("tiktok/config", json!({"scopes": ["user.info.basic", "video.upload"]})).await;
    let r = h.post(video(&h, &text("tiktok no publish scope"))).await;
    let details = assert_network_error(&r, "tiktok", 915, 400, false);
    assert!(details.starts_with("scope_not_authorized") && details.contains("video.publish"), "{details}");
    assert!(h.sandbox.state.ledger().is_empty());
}

#[tokio::test]
async fn privacy_level_not_offered_and_banned_creator_are_915() {
    let h = tiktok().await;
    h.control("tiktok/config", json!({"privacyLevelOptions": ["FOLLOWER_OF_CREATOR", "SELF_ONLY"]})).await;
    // Were the init called, this would answer 910.
    h.fault(json!({"network": "tiktok", "endpoint": "video.init", "status": 500, "times": 0}));
    let mut body = video(&h, &text("tiktok public"));
    body["tikTokOptions"] = json!({"visibility": "public"});
    let r = h.post(body).await;
    let details = assert_network_error(&r, "tiktok", 915, 400, false);
    assert!(details.contains("[FOLLOWER_OF_CREATOR, SELF_ONLY]"), "{details}");

    h.sandbox.state.clear_faults();
    h.control("tiktok/account", json!({"banned": true})).await;
    let t = text("tiktok banned");
    let r = h.post(video(&h, &t)).await;
    let details = assert_network_error(&r, "tiktok", 915, 400, false);
    assert!(details.starts_with("spam_risk_user_banned_from_posting"), "{details}");
    assert!(h.sandbox.state.ledger().is_empty());
}

#[tokio::test]
async fn failed_after_acceptance_shows_the_error_and_publishes_nothing() {
    let h = tiktok().await;
    for (reason, code) in [("video_pull_failed", 136), ("duration_check_failed", 182), ("spam_risk_text", 915)] {
        h.control("tiktok/config", json!({"failReason": reason})).await;
        let t = text(reason);
        let r = h.post(video(&h, &t)).await;
        assert_accepted(&r);
        let s = h.settled(&r).await;
        assert_eq!(s.body["status"], "error", "{reason}: {}", s.body);
        let e = first_error(&s);
        assert_eq!((e["code"].as_i64(), e["details"].as_str()), (Some(code), Some(format!("FAILED: {reason}").as_str())), "{e}");
        assert!(e.get("retryAvailable").is_none(), "{reason}: {e}");
        assert!(h.published(&t).is_empty(), "{reason}");
    }
    // TikTok's own failure: 910, and a retry sends it again.
    h.control("tiktok/config", json!({"failReason": "internal"})).await;
    let t = text("tiktok internal");
    let r = h.post(video(&h, &t)).await;
    assert_accepted(&r);
    let s = h.settled(&r).await;
    let e = first_error(&s);
    assert_eq!((e["code"].as_i64(), e["retryAvailable"].as_bool()), (Some(910), Some(true)), "{e}");
    assert!(h.published(&t).is_empty());
    h.control("tiktok/config", json!({"failReason": null})).await;
    let rr = h.retry(&r).await;
    assert_accepted(&rr);
    published_entry(&h, &r, &t, "video").await;
}

#[tokio::test]
async fn server_errors_are_retried_then_910_and_a_retry_publishes_once() {
    let h = tiktok().await;
    // A dropped connection at creator_info (which publishes nothing), a 503 at the init and two
    // 500s at status fetches: all retried. (A dropped init is ambiguous: see the 905 test.)
    h.fault(json!({"network": "tiktok", "endpoint": "creator_info.query", "reset": "before"}));
    h.fault(json!({"network": "tiktok", "endpoint": "video.init", "status": 503}));
    h.fault(json!({"network": "tiktok", "endpoint": "status.fetch", "status": 500, "times": 2}));
    let t = text("tiktok flaky");
    let r = h.post(video(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    published_entry(&h, &r, &t, "video").await;

    let t = text("tiktok down");
    let down = ("tiktok", "video.init", 500);
    let down = lasting_server_error_is_910_then_a_retry_publishes_once(&h, down, video(&h, &t), || h.published(&t).len()).await;
    assert!(down.details.starts_with("internal_error"), "{}", down.details);
    assert_accepted(&down.retried);
    published_entry(&h, &down.posted, &t, "video").await;
}

/// TikTok has no lookup of an init by content: a lost init answer is never sent again.
#[tokio::test]
async fn lost_init_answer_is_905_and_not_sent_again() {
    let h = tiktok().await;
    h.fault(json!({"network": "tiktok", "endpoint": "video.init", "reset": "after"}));
    let t = text("tiktok lost answer");
    let r = h.post(video(&h, &t)).await;
    // A second init would have been answered and would publish: 905 says it was not sent.
    assert_network_error(&r, "tiktok", 905, 502, false);
    let s = h.settled(&r).await;
    assert_eq!(first_error(&s)["code"], 905, "{}", s.body);
}

#[tokio::test]
async fn five_networks_where_tiktok_fails_then_retry_sends_tiktok_only() {
    let h = Harness::start().await.with_meta().await.with(&[Platform::Tiktok]).await;
    let fault = json!({"network": "tiktok", "endpoint": "content.init", "status": 500, "times": 0});
    let scenario = PartialFailure {
        extra: json!({"mediaUrls": [h.media("cat.jpg")]}),
        settles_later: true,
        ..PartialFailure::five_networks("tiktok", fault)
    };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn delete_is_917_and_the_post_stays_on_tiktok() {
    let h = tiktok().await;
    let t = text("tiktok stays");
    let r = h.post(video(&h, &t)).await;
    assert_accepted(&r);
    published_entry(&h, &r, &t, "video").await;
    let d = h.delete(&r).await;
    assert_eq!(d.status, 400, "{}", d.body);
    assert_eq!(d.body["tiktok"]["code"], 917, "{}", d.body);
    let ledger = h.published(&t);
    assert_eq!(ledger.len(), 1);
    assert!(!ledger[0].deleted);
}
