//! The Meta crawler really downloads media from the sandbox's media host:
//! robots.txt, HTTP errors, content checks, size and time limits, and the
//! loopback-only rule. Each network reports failures its own way.

mod common;

use std::io::ErrorKind;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

const IG: &str = seed::INSTAGRAM_USER_ID;
const TOKEN: &str = seed::INSTAGRAM_TOKEN;

async fn ig_create(
    c: &reqwest::Client,
    sb: &crier_sandbox::SandboxHandle,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    graph_post(c, fb(sb, &format!("{IG}/media")), TOKEN, fields).await
}

fn user_msg(body: &Value) -> String {
    meta_error(body)["error_user_msg"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn robots_txt_is_read_first_and_honoured() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({"robots": "User-agent: *\nDisallow:\n\nUser-agent: facebookexternalhit\nDisallow: /media-host/private/\n"}),
    )
    .await;
    let blocked = media(&sb, "private/secret.jpg");
    let (status, body) = ig_create(&c, &sb, &[("image_url", &blocked)]).await;
    assert_eq!(status, 400, "{body}");
    let error = meta_error(&body);
    assert_eq!(error["code"], 9004);
    assert_eq!(error["error_subcode"], 2207052);
    assert_eq!(
        error["message"],
        "Media download has failed.: The media could not be fetched from the provided URI"
    );
    assert!(
        user_msg(&body).contains("Restricted by robots.txt"),
        "{body}"
    );

    // An allowed path works, and the host saw Meta's crawler read robots.txt first.
    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "public/ok.jpg"))]).await;
    assert_eq!(status, 200, "{body}");
    let host = json_of(
        c.get(format!("{}/_sandbox/media-host", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    let requests = host["requests"].as_array().unwrap();
    let paths: Vec<&str> = requests
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec!["/robots.txt", "/robots.txt", "/media-host/public/ok.jpg"]
    );
    assert!(requests.iter().all(|r| r["userAgent"]
        == "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"));

    // A video behind robots.txt: the container goes ERROR naming 2207052.
    let (status, body) = ig_create(
        &c,
        &sb,
        &[
            ("media_type", "REELS"),
            ("video_url", &media(&sb, "private/clip.mp4")),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, container) = graph_get(
        &c,
        fb(&sb, body["id"].as_str().unwrap()),
        TOKEN,
        &[("fields", "status_code,status")],
    )
    .await;
    assert_eq!(container["status_code"], "ERROR");
    let text = container["status"].as_str().unwrap();
    assert!(
        text.contains("2207052") && text.contains("robots.txt"),
        "{text}"
    );

    // Facebook photos and videos fail in their own words.
    let (status, body) = graph_post(
        &c,
        fb(&sb, &format!("{}/photos", seed::FACEBOOK_PAGE_ID)),
        seed::FACEBOOK_PAGE_TOKEN,
        &[("url", &blocked)],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        meta_error(&body)["message"],
        "(#324) Missing or invalid image file"
    );
    let (status, body) = graph_post(
        &c,
        fb(&sb, &format!("{}/videos", seed::FACEBOOK_PAGE_ID)),
        seed::FACEBOOK_PAGE_TOKEN,
        &[("file_url", &media(&sb, "private/v.mp4"))],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 389);
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn http_errors_and_wrong_content() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({
            "status": {"/media-host/forbidden.jpg": 403},
            "bodies": {"/media-host/fake.jpg": "<html>not an image</html>"}
        }),
    )
    .await;
    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "forbidden.jpg"))]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207052);
    assert!(user_msg(&body).contains("HTTP error code 403"), "{body}");

    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "missing.gif"))]).await;
    assert_eq!(status, 400);
    assert!(user_msg(&body).contains("HTTP error code 404"), "{body}");

    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "fake.jpg"))]).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(100), json!(2207023))
    );

    // A video given as an image is not an image either.
    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "clip.mp4"))]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207023);

    // An image given as a reel's video: the container fails with 2207026.
    let (_, body) = ig_create(
        &c,
        &sb,
        &[
            ("media_type", "REELS"),
            ("video_url", &media(&sb, "still.jpg")),
        ],
    )
    .await;
    let (_, container) = graph_get(
        &c,
        fb(&sb, body["id"].as_str().unwrap()),
        TOKEN,
        &[("fields", "status_code,status")],
    )
    .await;
    assert_eq!(container["status_code"], "ERROR");
    assert!(container["status"].as_str().unwrap().contains("2207026"));

    // Larger than 8 MiB: 36000/2207004.
    let big = format!("{}?bytes=9000000", media(&sb, "big.jpg"));
    let (status, body) = ig_create(&c, &sb, &[("image_url", &big)]).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(36000), json!(2207004))
    );
    sb.shutdown();
}

/// HEIC and AVIF share MP4's ISO-BMFF `ftyp` box; only the brand tells them
/// apart, and they are images: never a reel's video.
#[tokio::test]
async fn heic_and_avif_are_images_not_videos() {
    let sb = sandbox().await;
    let c = client();
    let heif = |brand: &str| format!("\u{0}\u{0}\u{0}\u{18}ftyp{brand}\u{0}\u{0}\u{0}\u{0}mif1");
    control(
        &c,
        &sb,
        "media-host",
        json!({"bodies": {
            "/media-host/photo.heic": heif("heic"),
            "/media-host/photo.avif": heif("avif"),
        }}),
    )
    .await;
    for (name, mime) in [("photo.heic", "image/heic"), ("photo.avif", "image/avif")] {
        let (_, body) = ig_create(
            &c,
            &sb,
            &[("media_type", "REELS"), ("video_url", &media(&sb, name))],
        )
        .await;
        let (_, container) = graph_get(
            &c,
            fb(&sb, body["id"].as_str().unwrap()),
            TOKEN,
            &[("fields", "status_code,status")],
        )
        .await;
        assert_eq!(container["status_code"], "ERROR", "{name}: {container}");
        assert!(container["status"].as_str().unwrap().contains("2207026"));

        let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, name))]).await;
        assert_eq!(status, 400);
        let error = meta_error(&body);
        assert_eq!(error["error_subcode"], 2207023);
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(mime), "{message}");
    }
    sb.shutdown();
}

#[tokio::test]
async fn slow_media_hosts_time_out() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "meta/config", json!({"crawlerTimeoutMs": 200})).await;
    control(
        &c,
        &sb,
        "media-host",
        json!({"delayMs": {"/media-host/slow.jpg": 30000}}),
    )
    .await;
    let (status, body) = ig_create(&c, &sb, &[("image_url", &media(&sb, "slow.jpg"))]).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(-2), json!(2207003))
    );
    assert_eq!(error["is_transient"], true);
    sb.shutdown();
}

#[tokio::test]
async fn only_loopback_hosts_are_contacted() {
    let sb = sandbox().await;
    let c = client();
    // A listener on loopback that a wrong crawler would reach through
    // 0.0.0.0 (which Linux routes to the local host).
    let trap = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    trap.set_nonblocking(true).unwrap();
    let port = trap.local_addr().unwrap().port();
    for url in [
        format!("http://0.0.0.0:{port}/a.jpg"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.jpg"),
        "http://media.example.com/a.jpg".to_owned(),
        "http://10.11.12.13/a.jpg".to_owned(),
    ] {
        let (status, body) = ig_create(&c, &sb, &[("image_url", &url)]).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(meta_error(&body)["error_subcode"], 2207052, "{url}");
        assert!(user_msg(&body).contains("Could not connect"), "{body}");
    }
    // The answer came after the crawler gave up, so a connection attempt
    // would be waiting in the backlog by now.
    match trap.accept() {
        Err(err) => assert_eq!(err.kind(), ErrorKind::WouldBlock),
        Ok((_, peer)) => panic!("the crawler connected from {peer}"),
    }
    // `localhost` is loopback and works.
    let local = sb.url.replace("127.0.0.1", "localhost");
    let (status, body) = ig_create(
        &c,
        &sb,
        &[("image_url", &format!("{local}/media-host/ok.jpg"))],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    sb.shutdown();
}

#[tokio::test]
async fn threads_reports_download_failures_without_detail() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({"status": {"/media-host/forbidden.jpg": 403, "/media-host/forbidden.mp4": 403}}),
    )
    .await;
    let threads = th(&sb, &format!("{}/threads", seed::THREADS_USER_ID));
    let (status, body) = graph_post(
        &c,
        threads.clone(),
        seed::THREADS_TOKEN,
        &[
            ("media_type", "IMAGE"),
            ("image_url", &media(&sb, "forbidden.jpg")),
        ],
    )
    .await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["error_subcode"], 2207052);
    assert!(error.get("error_user_msg").is_none(), "{body}");
    assert!(!body.to_string().contains("403"), "no cause leaks: {body}");

    let (status, body) = graph_post(
        &c,
        threads,
        seed::THREADS_TOKEN,
        &[
            ("media_type", "VIDEO"),
            ("video_url", &media(&sb, "forbidden.mp4")),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, container) = graph_get(
        &c,
        th(&sb, body["id"].as_str().unwrap()),
        seed::THREADS_TOKEN,
        &[("fields", "status,error_message")],
    )
    .await;
    assert_eq!(container["status"], "ERROR");
    assert_eq!(container["error_message"], "FAILED_DOWNLOADING_VIDEO");
    sb.shutdown();
}
