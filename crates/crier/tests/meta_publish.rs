//! Facebook, Instagram and Threads publishing: formats, partial failure and retry, never twice.

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn carousel_reel_and_story_succeed() {
    let h = Harness::start().await.with_meta().await;
    let carousel = text("carousel");
    let r = h.post(json!({"post": carousel, "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg"), h.media("b.jpg")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&carousel)[0].media.len(), 2);
    let reel = text("reel");
    let r = h.post(json!({"post": reel, "platforms": ["instagram"], "mediaUrls": [h.media("reel.mp4")],
        "instagramOptions": {"trialParams": {"graduationStrategy": "MANUAL"}, "shareReelsFeed": true}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&reel).len(), 1);
    let r = h.post(json!({"post": text("story"), "platforms": ["instagram"], "mediaUrls": [h.media("story.jpg")],
        "instagramOptions": {"stories": true}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["postIds"][0]["platform"], "instagram");
}

#[tokio::test]
async fn facebook_text_photos_and_video() {
    let h = Harness::start().await.with_meta().await;
    for media in [json!([]), json!([h.media("one.jpg")]), json!([h.media("a.jpg"), h.media("b.png")]), json!([h.media("v.mp4")])] {
        let t = text("fb");
        let r = h.post(json!({"post": t, "platforms": ["facebook"], "mediaUrls": media})).await;
        assert_eq!(r.status, 200, "{media}: {}", r.body);
        assert!(r.body["postIds"][0]["postUrl"].as_str().unwrap().starts_with("https://www.facebook.com/"));
        assert_eq!(h.published(&t).len(), 1, "{media}");
    }
}

#[tokio::test]
async fn only_instagram_fails_then_retry_resends_instagram_only() {
    let h = Harness::start().await.with_meta().await;
    let fault = json!({"network": "instagram", "endpoint": "media_publish", "status": 500, "times": 0});
    let scenario = PartialFailure {
        others: &["facebook", "threads"],
        extra: json!({"mediaUrls": [h.media("cat.jpg")]}),
        code: 138,
        ..PartialFailure::five_networks("instagram", fault)
    };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn lost_media_publish_answer_is_settled_by_the_container() {
    let h = Harness::start().await.with_meta().await;
    h.fault(json!({"network": "instagram", "endpoint": "media_publish", "reset": "after"}));
    let t = text("ig lost answer");
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
    assert_eq!(r.body["postIds"][0]["id"], h.published(&t)[0].native_id.as_str());

    h.fault(json!({"network": "threads", "endpoint": "threads_publish", "reset": "after"}));
    let t = text("threads lost answer");
    let r = h.post(json!({"post": t, "platforms": ["threads"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn delete_removes_facebook_and_says_instagram_cannot() {
    let h = Harness::start().await.with_meta().await;
    let t = text("delete me");
    let r = h.post(json!({"post": t, "platforms": ["facebook", "instagram"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = h.delete(&r).await;
    assert_eq!(d.status, 400, "{}", d.body);
    assert_eq!(d.body["facebook"]["status"], "success");
    assert_eq!(d.body["instagram"]["code"], 917);
    let fb = h.published(&t).into_iter().find(|e| e.network == "facebook").unwrap();
    assert!(fb.deleted);
}

#[tokio::test]
async fn threads_text_image_and_carousel() {
    let h = Harness::start().await.with_meta().await;
    for media in [json!([]), json!([h.media("p.jpg")]), json!([h.media("a.jpg"), h.media("b.jpg")])] {
        let t = text("threads");
        let r = h.post(json!({"post": t, "platforms": ["threads"], "mediaUrls": media})).await;
        assert_eq!(r.status, 200, "{media}: {}", r.body);
        assert_eq!(h.published(&t).len(), 1);
    }
}
