//! TikTok emulation: creator info, video init with chunked FILE_UPLOAD and
//! PULL_FROM_URL, photo posts, status polling to PUBLISH_COMPLETE (the
//! ledger entry) or FAILED, the Display API reads, and TikTok's error
//! envelope for tokens, scopes, privacy, rate limits, caps, bans and URL
//! ownership.

mod common;

use common::*;
use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

fn url(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/tiktok{}", sb.url, path)
}

async fn call(c: &reqwest::Client, sb: &SandboxHandle, path: &str, body: Value) -> (u16, Value) {
    json_of(
        c.post(url(sb, path))
            .bearer_auth(seed::TIKTOK_ACCESS_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The envelope's `error.code`, checking `log_id` is there.
fn code(body: &Value) -> &str {
    assert!(
        body["error"]["log_id"]
            .as_str()
            .is_some_and(|l| !l.is_empty()),
        "{body}"
    );
    assert!(body["data"].is_object(), "{body}");
    body["error"]["code"].as_str().expect("error.code")
}

fn post_info(title: &str) -> Value {
    json!({"title": title, "privacy_level": "SELF_ONLY", "disable_duet": false,
        "disable_comment": false, "disable_stitch": false, "video_cover_timestamp_ms": 0})
}

fn mp4(len: usize) -> Vec<u8> {
    let mut bytes = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41".to_vec();
    bytes.resize(len, 0);
    bytes
}

async fn status(c: &reqwest::Client, sb: &SandboxHandle, publish_id: &str) -> Value {
    let (status, body) = call(
        c,
        sb,
        "/v2/post/publish/status/fetch/",
        json!({"publish_id": publish_id}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(code(&body), "ok");
    body["data"].clone()
}

#[tokio::test]
async fn file_upload_video_completes_on_the_second_status_fetch() {
    let sb = sandbox().await;
    let c = client();
    let (status_code, info) =
        call(&c, &sb, "/v2/post/publish/creator_info/query/", json!({})).await;
    assert_eq!(status_code, 200, "{info}");
    assert_eq!(code(&info), "ok");
    assert!(
        info["data"]["privacy_level_options"]
            .as_array()
            .unwrap()
            .contains(&json!("SELF_ONLY"))
    );

    let video = mp4(1000);
    let (status_code, init) = call(
        &c,
        &sb,
        "/v2/post/publish/video/init/",
        json!({"post_info": post_info("my clip #sandbox"), "source_info": {
            "source": "FILE_UPLOAD", "video_size": 1000, "chunk_size": 1000, "total_chunk_count": 1}}),
    )
    .await;
    assert_eq!(status_code, 200, "{init}");
    let publish_id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    let upload_url = init["data"]["upload_url"].as_str().unwrap().to_owned();
    assert!(upload_url.starts_with(&sb.url), "{upload_url}");

    // Before the bytes: uploading, and it does not count as a poll.
    let data = status(&c, &sb, &publish_id).await;
    assert_eq!(data["status"], "PROCESSING_UPLOAD");
    assert_eq!(data["uploaded_bytes"], 0);

    let resp = c
        .put(&upload_url)
        .header("Content-Type", "video/mp4")
        .header("Content-Range", "bytes 0-999/1000")
        .body(video)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    assert_eq!(
        status(&c, &sb, &publish_id).await["status"],
        "PROCESSING_UPLOAD"
    );
    assert!(sb.state.ledger().is_empty());
    let data = status(&c, &sb, &publish_id).await;
    assert_eq!(data["status"], "PUBLISH_COMPLETE", "{data}");
    let post_id = data["publicaly_available_post_id"][0]
        .as_u64()
        .expect("int64 post id")
        .to_string();
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].network, "tiktok");
    assert_eq!(ledger[0].account, seed::TIKTOK_OPEN_ID);
    assert_eq!(ledger[0].native_id, post_id);
    assert_eq!(ledger[0].text, "my clip #sandbox");
    // Polling again answers the same and writes nothing more.
    assert_eq!(
        status(&c, &sb, &publish_id).await["status"],
        "PUBLISH_COMPLETE"
    );
    assert_eq!(sb.state.ledger().len(), 1);

    control(
        &c,
        &sb,
        "tiktok/stats",
        json!({"postId": post_id, "views": 120, "likes": 9}),
    )
    .await;
    let (_, list) = call(
        &c,
        &sb,
        "/v2/video/list/?fields=id,title,view_count",
        json!({"max_count": 20}),
    )
    .await;
    assert_eq!(list["data"]["videos"][0]["id"], post_id);
    assert_eq!(list["data"]["videos"][0]["view_count"], 120);
    assert_eq!(list["data"]["has_more"], false);
    let (_, query) = call(
        &c,
        &sb,
        "/v2/video/query/?fields=id,like_count",
        json!({"filters": {"video_ids": [post_id]}}),
    )
    .await;
    assert_eq!(query["data"]["videos"][0]["like_count"], 9);
}

#[tokio::test]
async fn chunks_go_in_order_with_content_range() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "tiktok/config",
        json!({"minChunkBytes": 8, "statusPolls": 1}),
    )
    .await;
    let (status_code, bad) = call(
        &c,
        &sb,
        "/v2/post/publish/video/init/",
        json!({"post_info": post_info("x"), "source_info": {
            "source": "FILE_UPLOAD", "video_size": 20, "chunk_size": 8, "total_chunk_count": 3}}),
    )
    .await;
    assert_eq!(status_code, 400);
    assert_eq!(code(&bad), "invalid_params");

    let (_, init) = call(
        &c,
        &sb,
        "/v2/post/publish/video/init/",
        json!({"post_info": post_info("chunked"), "source_info": {
            "source": "FILE_UPLOAD", "video_size": 20, "chunk_size": 8, "total_chunk_count": 2}}),
    )
    .await;
    let upload_url = init["data"]["upload_url"].as_str().unwrap().to_owned();
    let video = mp4(20);
    let put = |range: &str, bytes: Vec<u8>| {
        c.put(&upload_url)
            .header("Content-Type", "video/mp4")
            .header("Content-Range", range.to_owned())
            .body(bytes)
            .send()
    };
    let resp = put("bytes 8-19/20", video[8..].to_vec()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 400, "out of order");
    assert_eq!(
        code(&resp.json::<Value>().await.unwrap()),
        "invalid_file_upload"
    );
    assert_eq!(
        put("bytes 0-7/20", video[..8].to_vec())
            .await
            .unwrap()
            .status()
            .as_u16(),
        206
    );
    assert_eq!(
        put("bytes 8-19/20", video[8..].to_vec())
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
    let data = status(&c, &sb, init["data"]["publish_id"].as_str().unwrap()).await;
    assert_eq!(data["status"], "PUBLISH_COMPLETE", "{data}");
    assert_eq!(data["uploaded_bytes"], 20);
}

#[tokio::test]
async fn pull_from_url_needs_the_verified_host_and_really_downloads() {
    let sb = sandbox().await;
    let c = client();
    let video_url = media(&sb, "clips/a.mp4");
    let init_pull = |url: String| {
        call(
            &c,
            &sb,
            "/v2/post/publish/video/init/",
            json!({"post_info": post_info("pulled"), "source_info": {"source": "PULL_FROM_URL", "video_url": url}}),
        )
    };
    let (status_code, err) = init_pull("https://cdn.example.com/a.mp4".into()).await;
    assert_eq!(status_code, 403);
    assert_eq!(code(&err), "url_ownership_unverified");

    let (status_code, init) = init_pull(video_url.clone()).await;
    assert_eq!(status_code, 200, "{init}");
    assert!(init["data"].get("upload_url").is_none());
    let publish_id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    assert_eq!(
        status(&c, &sb, &publish_id).await["status"],
        "PROCESSING_DOWNLOAD"
    );
    assert_eq!(
        status(&c, &sb, &publish_id).await["status"],
        "PUBLISH_COMPLETE"
    );
    assert_eq!(sb.state.ledger()[0].media, vec![video_url]);

    // A URL on the host that does not exist fails the pull.
    let (_, init) = init_pull(media(&sb, "missing.bin")).await;
    let publish_id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    status(&c, &sb, &publish_id).await;
    let data = status(&c, &sb, &publish_id).await;
    assert_eq!(data["status"], "FAILED");
    assert_eq!(data["fail_reason"], "video_pull_failed");
    assert_eq!(sb.state.ledger().len(), 1);
}

async fn photo_init(c: &reqwest::Client, sb: &SandboxHandle, images: Vec<String>) -> (u16, Value) {
    call(
        c,
        sb,
        "/v2/post/publish/content/init/",
        json!({"media_type": "PHOTO", "post_mode": "DIRECT_POST",
            "post_info": {"title": "photos", "description": "a photo post", "privacy_level": "SELF_ONLY"},
            "source_info": {"source": "PULL_FROM_URL", "photo_cover_index": 0, "photo_images": images}}),
    )
    .await
}

#[tokio::test]
async fn photos_take_jpeg_and_webp_only() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({"bodies": {"/media-host/b.webp": "RIFF1234WEBPVP8 data"}}),
    )
    .await;
    let (status_code, init) =
        photo_init(&c, &sb, vec![media(&sb, "a.jpg"), media(&sb, "b.webp")]).await;
    assert_eq!(status_code, 200, "{init}");
    let id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    status(&c, &sb, &id).await;
    assert_eq!(status(&c, &sb, &id).await["status"], "PUBLISH_COMPLETE");
    let ledger = sb.state.ledger();
    assert_eq!(ledger[0].text, "a photo post");
    assert_eq!(ledger[0].media.len(), 2);

    let (_, init) = photo_init(&c, &sb, vec![media(&sb, "c.png")]).await;
    let id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    status(&c, &sb, &id).await;
    let data = status(&c, &sb, &id).await;
    assert_eq!(data["status"], "FAILED");
    assert_eq!(data["fail_reason"], "file_format_check_failed");
    assert_eq!(sb.state.ledger().len(), 1);
}

#[tokio::test]
async fn errors_use_tiktoks_envelope_and_statuses() {
    let sb = sandbox().await;
    let c = client();
    let init_body = || {
        json!({"post_info": post_info("t"), "source_info": {
            "source": "FILE_UPLOAD", "video_size": 100, "chunk_size": 100, "total_chunk_count": 1}})
    };

    let (status_code, err) = json_of(
        c.post(url(&sb, "/v2/post/publish/video/init/"))
            .bearer_auth("act.wrong")
            .json(&init_body())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status_code, code(&err)), (401, "access_token_invalid"));

    let mut public = init_body();
    public["post_info"]["privacy_level"] = json!("EVERYONE");
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/video/init/", public).await;
    assert_eq!(
        (status_code, code(&err)),
        (400, "privacy_level_option_mismatch")
    );

    control(&c, &sb, "tiktok/account", json!({"banned": true})).await;
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/video/init/", init_body()).await;
    assert_eq!(
        (status_code, code(&err)),
        (403, "spam_risk_user_banned_from_posting")
    );
    control(&c, &sb, "tiktok/account", json!({"banned": false})).await;

    // Two inits counted so far this minute (the one with a bad token never
    // got that far); a limit of 4 leaves two.
    control(
        &c,
        &sb,
        "tiktok/config",
        json!({"initPerMinute": 4, "dailyPosts": 1}),
    )
    .await;
    let (status_code, _) = call(&c, &sb, "/v2/post/publish/video/init/", init_body()).await;
    assert_eq!(status_code, 200);
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/video/init/", init_body()).await;
    assert_eq!((status_code, code(&err)), (403, "spam_risk_too_many_posts"));
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/video/init/", init_body()).await;
    assert_eq!((status_code, code(&err)), (429, "rate_limit_exceeded"));

    control(&c, &sb, "tiktok/account", json!({"tokenValid": false})).await;
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/creator_info/query/", json!({})).await;
    assert_eq!((status_code, code(&err)), (401, "access_token_invalid"));
    control(&c, &sb, "tiktok/account", json!({"tokenValid": true})).await;

    control(
        &c,
        &sb,
        "tiktok/config",
        json!({"scopes": ["user.info.basic"]}),
    )
    .await;
    let (status_code, err) = call(&c, &sb, "/v2/post/publish/creator_info/query/", json!({})).await;
    assert_eq!((status_code, code(&err)), (401, "scope_not_authorized"));

    control(
        &c,
        &sb,
        "faults",
        json!({"network": "tiktok", "endpoint": "user.info", "status": 500}),
    )
    .await;
    let (status_code, err) = json_of(
        c.get(url(&sb, "/v2/user/info/?fields=open_id"))
            .bearer_auth(seed::TIKTOK_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status_code, code(&err)), (500, "internal_error"));
}

#[tokio::test]
async fn configured_outcome_fails_with_its_reason() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "tiktok/config",
        json!({"statusPolls": 3, "failReason": "spam_risk_too_many_posts"}),
    )
    .await;
    let (_, init) = call(
        &c,
        &sb,
        "/v2/post/publish/video/init/",
        json!({"post_info": post_info("doomed"), "source_info": {"source": "PULL_FROM_URL", "video_url": media(&sb, "v.mp4")}}),
    )
    .await;
    let id = init["data"]["publish_id"].as_str().unwrap().to_owned();
    assert_eq!(status(&c, &sb, &id).await["status"], "PROCESSING_DOWNLOAD");
    assert_eq!(status(&c, &sb, &id).await["status"], "PROCESSING_DOWNLOAD");
    let data = status(&c, &sb, &id).await;
    assert_eq!(data["status"], "FAILED");
    assert_eq!(data["fail_reason"], "spam_risk_too_many_posts");
    assert!(sb.state.ledger().is_empty());
}
