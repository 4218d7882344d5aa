//! URL-valued options (`thumbNail`, `link`, GMB's call-to-action URL, …) are held to the media URL
//! rules when the post is made: the SSRF guard refuses images with 451 like `mediaUrls` and links
//! with 900 (a field with a wrong value); nothing is
//! stored or sent. (Tests allow loopback media, so the literals here are private, link-local or
//! oddly spelled addresses, which no configuration allows.)

mod common;

use common::*;
use crier_core::Platform;
use serde_json::{Value, json};

/// The post with `options` merged in, to `platform` alone: rejected with exactly one error, `code`
/// for `field`, and nothing created or published.
async fn refused(h: &Harness, platform: &str, options: Value, field: &str, code: i64) {
    let t = text(field);
    let mut body = json!({"post": t, "platforms": [platform]});
    body.as_object_mut().unwrap().extend(options.as_object().unwrap().clone());
    let r = h.post(body.clone()).await;
    assert_eq!(r.status, 400, "{body}: {}", r.body);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}: {}", r.body);
    let e = &errors[0];
    assert_eq!((e["code"].as_i64(), e["platform"].as_str()), (Some(code), Some(platform)), "{body}: {e}");
    assert!(e["details"].as_str().unwrap().starts_with(&format!("{field}: ")), "{body}: {e}");
    // Kept as a failed post (Ayrshare's envelope has an id), never queued.
    assert!(r.body["id"].is_string() && r.body["postIds"] == json!([]), "{}", r.body);
    assert_eq!(h.get(&format!("/api/post/{}", r.body["id"].as_str().unwrap())).await.body["status"], "error");
    assert!(h.published(&t).is_empty(), "{field}: something reached the network");
}

#[tokio::test]
async fn thumbnails_and_links_the_guard_refuses_are_refused_when_the_post_is_made() {
    let h = Harness::start()
        .await
        .with(&[Platform::Youtube, Platform::Instagram, Platform::Linkedin, Platform::Pinterest, Platform::Facebook, Platform::Reddit, Platform::Gmb])
        .await;
    let video = h.media("clip.mp4?bytes=1024");
    let image = h.media("cat.jpg");
    let cases = [
        ("youtube", json!({"mediaUrls": [video], "youTubeOptions": {"title": "t", "thumbNail": "file:///etc/passwd"}}), "youTubeOptions.thumbNail", 451),
        // 10.0.0.1 spelled in hex.
        ("instagram", json!({"mediaUrls": [image], "instagramOptions": {"thumbNail": "http://0x0a000001/x.jpg"}}), "instagramOptions.thumbNail", 451),
        ("linkedin", json!({"linkedinOptions": {"thumbNail": "https://user:secret@cdn.example/x.jpg"}}), "linkedInOptions.thumbNail", 451),
        ("pinterest", json!({"mediaUrls": [image], "pinterestOptions": {"thumbNail": "https://[::ffff:192.168.0.1]/x.jpg"}}), "pinterestOptions.thumbNail", 451),
        ("pinterest", json!({"mediaUrls": [image], "pinterestOptions": {"link": "file:///etc/passwd"}}), "pinterestOptions.link", 900),
        ("facebook", json!({"faceBookOptions": {"link": "http://169.254.169.254/latest/meta-data/"}}), "faceBookOptions.link", 900),
        ("reddit", json!({"redditOptions": {"title": "t", "subreddit": "rust", "link": "http://10.1.2.3/"}}), "redditOptions.link", 900),
        ("gmb", json!({"gmbOptions": {"callToAction": {"actionType": "learn_more", "url": "http://192.168.1.1/admin"}}}), "gmbOptions.callToAction.url", 900),
    ];
    for (platform, options, field, code) in cases {
        refused(&h, platform, options, field, code).await;
    }
    // An image option must be https like a media URL (136); a link may be plain http.
    refused(&h, "youtube", json!({"mediaUrls": [video], "youTubeOptions": {"title": "t", "thumbNail": "http://cdn.example/t.jpg"}}), "youTubeOptions.thumbNail", 136).await;
    let t = text("plain http link");
    let r = h.post(json!({"post": t, "platforms": ["facebook"], "faceBookOptions": {"link": "http://example.com/page"}})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("success")), "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}
