//! Pinterest emulation: Pins by image URL (really fetched and sniffed),
//! carousel and video Pins, reads, paging, delete, analytics, and
//! Pinterest's error bodies (401 code 2, 404 code 40, 400 code 1, 403 bad
//! image, 429 code 8 with `X-RateLimit-*`), faults.

mod common;

use common::*;
use crier_sandbox::{Fault, SandboxHandle, seed};
use serde_json::{Value, json};

fn url(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/pinterest{}", sb.url, path)
}

fn image(sb: &SandboxHandle, name: &str) -> String {
    format!("{}/media-host/{name}", sb.url)
}

async fn create(c: &reqwest::Client, sb: &SandboxHandle, body: Value) -> (u16, Value) {
    json_of(
        c.post(url(sb, "/v5/pins"))
            .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get(c: &reqwest::Client, sb: &SandboxHandle, path: &str) -> (u16, Value) {
    json_of(
        c.get(url(sb, path))
            .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn image_pin(sb: &SandboxHandle, name: &str) -> Value {
    json!({
        "board_id": seed::PINTEREST_BOARD_ID,
        "title": "Sandbox pin",
        "description": "Hello from crier",
        "link": "https://example.com/post",
        "alt_text": "a grey square",
        "media_source": {"source_type": "image_url", "url": image(sb, name)},
    })
}

#[tokio::test]
async fn image_pin_is_created_read_listed_and_deleted() {
    let sb = sandbox().await;
    let c = client();
    let (status, pin) = create(&c, &sb, image_pin(&sb, "a.jpg")).await;
    assert_eq!(status, 201, "{pin}");
    let id = pin["id"].as_str().unwrap().to_owned();
    assert_eq!(pin["board_id"], seed::PINTEREST_BOARD_ID);
    assert_eq!(pin["media"]["media_type"], "image");
    assert_eq!(pin["title"], "Sandbox pin");

    let (status, read) = get(&c, &sb, &format!("/v5/pins/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(read["description"], "Hello from crier");

    let (status, list) = get(
        &c,
        &sb,
        &format!("/v5/boards/{}/pins", seed::PINTEREST_BOARD_ID),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert!(list["bookmark"].is_null());

    let (_, boards) = get(&c, &sb, "/v5/boards").await;
    assert_eq!(boards["items"][0]["id"], seed::PINTEREST_BOARD_ID);
    assert_eq!(boards["items"][0]["pin_count"], 1);

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].network, "pinterest");
    assert_eq!(ledger[0].native_id, id);
    assert_eq!(ledger[0].text, "Hello from crier");
    assert_eq!(ledger[0].title.as_deref(), Some("Sandbox pin"));

    let resp = c
        .delete(url(&sb, &format!("/v5/pins/{id}")))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    assert!(sb.state.ledger()[0].deleted);
    let (status, body) = get(&c, &sb, &format!("/v5/pins/{id}")).await;
    assert_eq!(status, 404);
    assert!(
        body["code"].is_i64() && body["message"].is_string(),
        "{body}"
    );
    sb.shutdown();
}

#[tokio::test]
async fn board_pins_page_with_bookmarks() {
    let sb = sandbox().await;
    let c = client();
    for _ in 0..3 {
        assert_eq!(create(&c, &sb, image_pin(&sb, "a.png")).await.0, 201);
    }
    let board = format!("/v5/boards/{}/pins", seed::PINTEREST_BOARD_ID);
    let (_, first) = get(&c, &sb, &format!("{board}?page_size=2")).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let bookmark = first["bookmark"].as_str().expect("a bookmark");
    let (_, second) = get(&c, &sb, &format!("{board}?page_size=2&bookmark={bookmark}")).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["bookmark"].is_null());
    let (status, bad) = get(&c, &sb, &format!("{board}?bookmark=nonsense")).await;
    assert_eq!((status, bad["code"].as_i64()), (400, Some(1)));
    sb.shutdown();
}

#[tokio::test]
async fn auth_board_and_field_errors() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(url(&sb, "/v5/pins"))
        .bearer_auth("pina_wrong")
        .json(&image_pin(&sb, "a.jpg"))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"code": 2, "message": "Authentication failed."})
    );

    let mut other_board = image_pin(&sb, "a.jpg");
    other_board["board_id"] = json!("42");
    let (status, body) = create(&c, &sb, other_board).await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({"code": 40, "message": "Board not found."}));

    for (field, len) in [("description", 501), ("title", 101), ("alt_text", 501)] {
        let mut long = image_pin(&sb, "a.jpg");
        long[field] = json!("x".repeat(len));
        let (status, body) = create(&c, &sb, long).await;
        assert_eq!(
            (status, body["code"].as_i64()),
            (400, Some(1)),
            "{field}: {body}"
        );
    }
    let mut long_link = image_pin(&sb, "a.jpg");
    long_link["link"] = json!(format!("https://example.com/{}", "a".repeat(2040)));
    assert_eq!(create(&c, &sb, long_link).await.0, 400);

    control(&c, &sb, "pinterest/token", json!({"state": "expired"})).await;
    let (status, body) = get(&c, &sb, "/v5/boards").await;
    assert_eq!((status, body["code"].as_i64()), (401, Some(2)));
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn heic_and_avif_are_refused_webp_is_taken() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({"status": {"/media-host/missing.jpg": 404}, "bodies": {
            "/media-host/photo.heic": "\u{0}\u{0}\u{0}\u{18}ftypheic\u{0}\u{0}\u{0}\u{0}mif1heic",
            "/media-host/photo.avif": "\u{0}\u{0}\u{0}\u{18}ftypavif\u{0}\u{0}\u{0}\u{0}mif1avif",
            "/media-host/photo.webp": "RIFF\u{10}\u{0}\u{0}\u{0}WEBPVP8 \u{4}\u{0}\u{0}\u{0}",
        }}),
    )
    .await;
    for name in ["photo.heic", "photo.avif"] {
        let (status, body) = create(&c, &sb, image_pin(&sb, name)).await;
        assert_eq!(status, 403, "{name}: {body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("too small, too large or is broken"),
            "{body}"
        );
    }
    let (status, body) = create(&c, &sb, image_pin(&sb, "photo.webp")).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = create(&c, &sb, image_pin(&sb, "missing.jpg")).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1)), "{body}");
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn carousel_needs_two_to_five_images() {
    let sb = sandbox().await;
    let c = client();
    let carousel = |n: usize| {
        json!({
            "board_id": seed::PINTEREST_BOARD_ID,
            "title": "Carousel",
            "media_source": {
                "source_type": "multiple_image_urls",
                "items": (0..n).map(|i| json!({"url": image(&sb, &format!("c{i}.jpg"))})).collect::<Vec<_>>(),
            },
        })
    };
    assert_eq!(create(&c, &sb, carousel(1)).await.0, 400);
    assert_eq!(create(&c, &sb, carousel(6)).await.0, 400);
    let (status, pin) = create(&c, &sb, carousel(3)).await;
    assert_eq!(status, 201, "{pin}");
    assert_eq!(pin["media"]["media_type"], "multiple_images");
    assert_eq!(sb.state.ledger()[0].media.len(), 3);
    sb.shutdown();
}

/// Registers a video upload and POSTs `file` to its upload URL; returns the media id.
async fn upload_video(c: &reqwest::Client, sb: &SandboxHandle, file: Vec<u8>) -> String {
    let resp = c
        .post(url(sb, "/v5/media"))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .json(&json!({"media_type": "video"}))
        .send()
        .await
        .unwrap();
    let (status, reg) = json_of(resp).await;
    assert_eq!(status, 201, "{reg}");
    let upload_url = reg["upload_url"].as_str().unwrap();
    assert!(upload_url.starts_with(&sb.url), "{upload_url}");
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in reg["upload_parameters"].as_object().unwrap() {
        form = form.text(k.clone(), v.as_str().unwrap().to_owned());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name("clip.mp4"),
    );
    let resp = c.post(upload_url).multipart(form).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    reg["media_id"].as_str().unwrap().to_owned()
}

const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41\0\0\0\x08mdat";

#[tokio::test]
async fn video_upload_processes_then_pins() {
    let sb = sandbox().await;
    let c = client();
    let media_id = upload_video(&c, &sb, MP4.to_vec()).await;
    let video_pin = json!({
        "board_id": seed::PINTEREST_BOARD_ID,
        "title": "Video",
        "media_source": {"source_type": "video_id", "media_id": media_id, "cover_image_url": image(&sb, "cover.jpg")},
    });
    // Still processing: the Pin is refused, nothing is published.
    let (_, status) = get(&c, &sb, &format!("/v5/media/{media_id}")).await;
    assert_eq!(status["status"], "processing");
    assert_eq!(create(&c, &sb, video_pin.clone()).await.0, 400);
    let (_, status) = get(&c, &sb, &format!("/v5/media/{media_id}")).await;
    assert_eq!(status["status"], "succeeded");
    let (code, pin) = create(&c, &sb, video_pin).await;
    assert_eq!(code, 201, "{pin}");
    assert_eq!(pin["media"]["media_type"], "video");
    assert_eq!(
        sb.state.ledger()[0].media,
        vec![format!("media:{media_id}")]
    );

    // A configured failure, and a file that is not a video, both end in `failed`.
    control(
        &c,
        &sb,
        "pinterest/config",
        json!({"mediaOutcome": "failed", "mediaProcessingPolls": 0}),
    )
    .await;
    let failed = upload_video(&c, &sb, MP4.to_vec()).await;
    let (_, status) = get(&c, &sb, &format!("/v5/media/{failed}")).await;
    assert_eq!(status["status"], "failed");
    control(
        &c,
        &sb,
        "pinterest/config",
        json!({"mediaOutcome": "succeeded"}),
    )
    .await;
    let not_video = upload_video(&c, &sb, b"just text".to_vec()).await;
    let (_, status) = get(&c, &sb, &format!("/v5/media/{not_video}")).await;
    assert_eq!(status["status"], "failed");
    sb.shutdown();
}

#[tokio::test]
async fn upload_with_a_wrong_parameter_is_refused_like_s3() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(url(&sb, "/v5/media"))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .json(&json!({"media_type": "video"}))
        .send()
        .await
        .unwrap();
    let (_, reg) = json_of(resp).await;
    let form = reqwest::multipart::Form::new()
        .text("key", "somewhere/else")
        .part("file", reqwest::multipart::Part::bytes(MP4.to_vec()));
    let resp = c
        .post(reg["upload_url"].as_str().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("<Code>AccessDenied</Code>")
    );
    sb.shutdown();
}

#[tokio::test]
async fn rate_limits_answer_429_with_headers() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "pinterest/config", json!({"perMinute": 2})).await;
    let resp = c
        .get(url(&sb, "/v5/boards"))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-ratelimit-limit"], "2");
    assert_eq!(resp.headers()["x-ratelimit-remaining"], "1");
    assert_eq!(get(&c, &sb, "/v5/boards").await.0, 200);
    let resp = c
        .get(url(&sb, "/v5/boards"))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["x-ratelimit-remaining"], "0");
    assert!(resp.headers().contains_key("x-ratelimit-reset"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 8);

    control(&c, &sb, "pinterest/config", json!({"perMinute": null})).await;
    control(
        &c,
        &sb,
        "pinterest/throttle",
        json!({"requests": 1, "resetSeconds": 30}),
    )
    .await;
    let resp = c
        .post(url(&sb, "/v5/pins"))
        .bearer_auth(seed::PINTEREST_ACCESS_TOKEN)
        .json(&image_pin(&sb, "a.jpg"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["x-ratelimit-reset"], "30");
    assert_eq!(create(&c, &sb, image_pin(&sb, "a.jpg")).await.0, 201);
    sb.shutdown();
}

#[tokio::test]
async fn analytics_report_configured_metrics() {
    let sb = sandbox().await;
    let c = client();
    let (_, pin) = create(&c, &sb, image_pin(&sb, "a.jpg")).await;
    let id = pin["id"].as_str().unwrap();
    control(
        &c,
        &sb,
        &format!("pinterest/pins/{id}/metrics"),
        json!({"IMPRESSION": 12, "SAVE": 3}),
    )
    .await;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let (status, body) = get(
        &c,
        &sb,
        &format!("/v5/pins/{id}/analytics?start_date={today}&end_date={today}&metric_types=IMPRESSION,SAVE"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["all"]["lifetime_metrics"]["IMPRESSION"], 12);
    assert_eq!(body["all"]["summary_metrics"]["SAVE"], 3);
    assert_eq!(body["all"]["daily_metrics"][0]["data_status"], "READY");
    let (status, _) = get(
        &c,
        &sb,
        &format!("/v5/pins/{id}/analytics?start_date={today}&end_date={today}&metric_types=LIKES"),
    )
    .await;
    assert_eq!(status, 400);
    sb.shutdown();
}

#[tokio::test]
async fn a_status_fault_answers_pinterests_body() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        network: "pinterest".into(),
        endpoint: Some("pins.create".into()),
        status: Some(503),
        ..Fault::default()
    });
    let (status, body) = create(&c, &sb, image_pin(&sb, "a.jpg")).await;
    assert_eq!(status, 503);
    assert!(
        body["code"].is_i64() && body["message"].is_string(),
        "{body}"
    );
    assert!(sb.state.ledger().is_empty());
    assert_eq!(create(&c, &sb, image_pin(&sb, "a.jpg")).await.0, 201);
    sb.shutdown();
}
