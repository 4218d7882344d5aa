//! YouTube resumable uploads: 453/454 with retryAvailable, resume from the right offset, never twice.

mod common;
use common::*;
use serde_json::{Value, json};

/// 1 MiB video on the sandbox media host: four 256 KiB chunks.
fn video(h: &Harness) -> String {
    format!("{}?bytes=1048576", h.media("clip.mp4"))
}

fn yt(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["youtube"], "mediaUrls": [video(h)], "youTubeOptions": {"title": "Sandbox clip", "visibility": "unlisted"}})
}

#[tokio::test]
async fn upload_publishes_once() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("video");
    let r = h.post(yt(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["postIds"][0]["postUrl"].as_str().unwrap().starts_with("https://www.youtube.com/watch?v="));
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn ingest_timeout_is_453_retryable() {
    let h = Harness::start().await.with_x_youtube().await;
    h.fault(json!({"network": "youtube", "endpoint": "upload", "status": 504, "times": 0}));
    let r = h.post(yt(&h, &text("504"))).await;
    assert_network_error(&r, "youtube", 453, 504, true);
}

#[tokio::test]
async fn upload_5xx_reset_and_timeout_are_454_retryable() {
    let h = Harness::start_with(|c| c.networks.http_timeout_secs = 1).await.with_x_youtube().await;
    for fault in [
        json!({"network": "youtube", "endpoint": "upload", "status": 503, "times": 0}),
        json!({"network": "youtube", "endpoint": "upload", "reset": "before", "times": 0}),
        json!({"network": "youtube", "endpoint": "upload", "delayMs": 5000, "times": 0}),
    ] {
        h.sandbox.state.clear_faults();
        h.fault(fault.clone());
        let t = text("454");
        let r = h.post(yt(&h, &t)).await;
        assert_eq!(r.status, 503, "{fault}: {}", r.body);
        assert_network_error(&r, "youtube", 454, 503, true);
        assert!(h.published(&t).is_empty());
    }
}

#[tokio::test]
async fn interrupted_upload_resumes_from_the_reported_offset() {
    let h = Harness::start().await.with_x_youtube().await;
    // The 2nd chunk is stored but its answer is lost.
    h.fault(json!({"network": "youtube", "endpoint": "upload", "reset": "after", "skip": 1, "times": 1}));
    // Exactly two more chunk uploads may pass; a third (a resend from a wrong offset) fails for good.
    h.fault(json!({"network": "youtube", "endpoint": "upload", "status": 500, "skip": 4, "times": 0}));
    let t = text("resumed");
    let r = h.post(yt(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn lost_answer_to_the_final_chunk_is_settled_by_the_probe() {
    let h = Harness::start().await.with_x_youtube().await;
    h.fault(json!({"network": "youtube", "endpoint": "upload", "reset": "after", "skip": 3, "times": 1}));
    let t = text("final chunk");
    let r = h.post(yt(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn x_and_youtube_where_youtube_fails_then_retry_sends_youtube_only() {
    let h = Harness::start().await.with_x_youtube().await;
    let fault = json!({"network": "youtube", "endpoint": "upload", "status": 503, "times": 0});
    let scenario = PartialFailure {
        others: &["twitter"],
        extra: yt(&h, "the scenario's own text"),
        code: 454,
        headers: &X_HEADERS,
        ..PartialFailure::five_networks("youtube", fault)
    };
    one_network_fails_then_retry_resends_only_it(&h, scenario).await;
}

#[tokio::test]
async fn quota_exceeded_is_a_rate_limit_not_a_retry() {
    let h = Harness::start().await.with_x_youtube().await;
    h.control("youtube/config", json!({"insertsPerDay": 0})).await;
    let r = h.post(yt(&h, &text("no quota"))).await;
    let details = assert_network_error(&r, "youtube", 909, 429, false);
    assert!(details.contains("quotaExceeded"), "{details}");
}

#[tokio::test]
async fn thumbnail_and_playlist_are_set_after_the_upload() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("with cover");
    let mut body = yt(&h, &t);
    body["youTubeOptions"] = json!({"title": "Cover", "thumbNail": h.media("cover.jpg"), "playListId": crier_sandbox::seed::YOUTUBE_PLAYLIST_ID});
    let r = h.post(body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["postIds"][0].get("warnings").is_none(), "{}", r.body);
    let video = r.body["postIds"][0]["id"].as_str().unwrap();
    let (thumbnail, playlists) = h.sandbox.state.youtube_video_extras(video);
    assert!(thumbnail.is_some_and(|b| b > 0));
    assert_eq!(playlists, vec![crier_sandbox::seed::YOUTUBE_PLAYLIST_ID.to_string()]);
    // A playlist that does not exist does not unpublish the video: it is a warning.
    let mut body = yt(&h, &text("bad playlist"));
    body["youTubeOptions"]["playListId"] = json!("PLnope");
    let r = h.post(body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["postIds"][0]["warnings"][0].as_str().unwrap().contains("PLnope"), "{}", r.body);
}
