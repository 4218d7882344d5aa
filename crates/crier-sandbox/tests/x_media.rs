//! X emulator: media upload v2 (initialize / append / finalize / STATUS),
//! processing, and attaching media to posts.

mod common;

use common::x::{self, RO, RW};
use common::*;
use serde_json::json;

#[tokio::test]
async fn image_upload_then_post_with_media() {
    let sb = sandbox().await;
    let c = client();
    let data = x::upload_media(&c, &sb, "image/png", "tweet_image", 2048).await;
    let id = data["id"].as_str().unwrap().to_owned();
    assert_eq!(data["media_key"], format!("3_{id}"));
    assert_eq!(data["size"], 2048);
    assert!(data.get("processing_info").is_none(), "{data}");

    let (status, body) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("/2/media/upload?command=STATUS&media_id={id}"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["processing_info"]["state"], "succeeded");

    let (status, body) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "with a picture", "media": {"media_ids": [id]}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // X appends a t.co link to the media.
    let shown = body["data"]["text"].as_str().unwrap();
    assert!(shown.starts_with("with a picture https://t.co/"), "{shown}");
    let entry = &sb.state.ledger()[0];
    assert_eq!(entry.media, vec![id]);
    assert_eq!(entry.text, "with a picture");
    sb.shutdown();
}

#[tokio::test]
async fn video_processing_follows_the_configured_delay() {
    let sb = sandbox().await;
    let c = client();
    // A long processing time: the video stays pending and cannot be posted.
    control(&c, &sb, "x/config", json!({"mediaProcessingMs": 600000})).await;
    let slow = x::upload_media(&c, &sb, "video/mp4", "tweet_video", 4096).await;
    let slow_id = slow["id"].as_str().unwrap().to_owned();
    assert_eq!(slow["media_key"], format!("7_{slow_id}"));
    assert_eq!(slow["processing_info"]["state"], "pending");
    assert!(
        slow["processing_info"]["check_after_secs"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let (_, status) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("/2/media/upload?command=STATUS&media_id={slow_id}"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status["data"]["processing_info"]["state"], "pending");
    let (code, body) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "too early", "media": {"media_ids": [slow_id]}}),
        )
        .await,
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(body["errors"][0]["message"], "Your media IDs are invalid.");

    // Default (0 ms): processed at once.
    control(&c, &sb, "x/config", json!({"mediaProcessingMs": 0})).await;
    let fast = x::upload_media(&c, &sb, "video/mp4", "amplify_video", 4096).await;
    assert_eq!(fast["processing_info"]["state"], "succeeded");
    assert!(fast["media_key"].as_str().unwrap().starts_with("13_"));
    let (code, _) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "video", "media": {"media_ids": [fast["id"]]}}),
        )
        .await,
    )
    .await;
    assert_eq!(code, 201);

    // Processing can be made to fail.
    control(
        &c,
        &sb,
        "x/config",
        json!({"mediaProcessingOutcome": "failed"}),
    )
    .await;
    let bad = x::upload_media(&c, &sb, "image/gif", "tweet_gif", 100).await;
    assert!(bad["media_key"].as_str().unwrap().starts_with("16_"));
    assert_eq!(bad["processing_info"]["state"], "failed");
    assert_eq!(bad["processing_info"]["error"]["name"], "InvalidMedia");
    sb.shutdown();
}

#[tokio::test]
async fn byte_count_must_match_and_segments_add_up() {
    let sb = sandbox().await;
    let c = client();
    let (status, body) = json_of(
        x::send(&c, &sb, "POST", "/2/media/upload/initialize",
            Some(json!({"media_type": "video/mp4", "total_bytes": 1000, "media_category": "tweet_video"})), RW).await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["expires_after_secs"], 86400);
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    let resp = x::append(&c, &sb, &id, 0, vec![1; 600]).await;
    assert_eq!(resp.headers()["x-rate-limit-limit"], "1875");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200);
    assert!(body["data"]["expires_at"].as_i64().unwrap() > x::now());
    let finalize = format!("/2/media/upload/{id}/finalize");
    let (status, body) = json_of(x::send(&c, &sb, "POST", &finalize, None, RW).await).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["message"],
        "Segments do not add up to provided total file size."
    );
    // The rest arrives; a retried segment replaces itself.
    assert_eq!(
        x::append(&c, &sb, &id, 1, vec![2; 400])
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        x::append(&c, &sb, &id, 1, vec![2; 400])
            .await
            .status()
            .as_u16(),
        200
    );
    let (status, body) = json_of(x::send(&c, &sb, "POST", &finalize, None, RW).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["size"], 1000);
    // Appending after FINALIZE is refused.
    assert_eq!(
        x::append(&c, &sb, &id, 2, vec![3; 10])
            .await
            .status()
            .as_u16(),
        400
    );

    // Media type / category / size checks.
    for bad in [
        json!({"media_type": "application/pdf", "total_bytes": 10}),
        json!({"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_image"}),
        json!({"media_type": "image/jpeg", "total_bytes": 6 * 1024 * 1024}),
        json!({"media_type": "image/jpeg", "total_bytes": 0}),
    ] {
        let (status, body) = json_of(
            x::send(
                &c,
                &sb,
                "POST",
                "/2/media/upload/initialize",
                Some(bad.clone()),
                RW,
            )
            .await,
        )
        .await;
        assert_eq!(status, 400, "{bad} → {body}");
        assert_eq!(body["title"], "Invalid Request");
    }
    // The read-only token cannot upload.
    let resp = x::send(
        &c,
        &sb,
        "POST",
        "/2/media/upload/initialize",
        Some(json!({"media_type": "image/png", "total_bytes": 10})),
        RO,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 403);
    // Unknown media id.
    let (status, _) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            "/2/media/upload?command=STATUS&media_id=42",
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    sb.shutdown();
}

#[tokio::test]
async fn one_shot_image_upload() {
    let sb = sandbox().await;
    let c = client();
    let url = x::url(&sb, "/2/media/upload");
    let form = reqwest::multipart::Form::new()
        .text("media_category", "tweet_image")
        .part(
            "media",
            reqwest::multipart::Part::bytes(vec![9u8; 300]).file_name("a.png"),
        );
    let resp = c
        .post(&url)
        .header(
            "authorization",
            x::authorization("POST", &url, &[], RW, x::now(), &x::nonce()),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-rate-limit-limit"], "500");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["id"].as_str().unwrap();
    let (status, _) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "one shot", "media": {"media_ids": [id]}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    sb.shutdown();
}
