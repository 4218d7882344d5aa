//! The conversion matrix end to end: per format × network, an image is converted to JPEG and staged
//! at crier's `/media/{token}` exactly where the catalog says (WebP → JPEG for instagram, linkedin,
//! tiktok, gmb, threads, snapchat; HEIC and AVIF → JPEG everywhere), and passed through untouched
//! otherwise. Checked by decoding what was staged. Then 450, 451 and 452 as the user sees them.

mod common;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use common::*;
use crier_core::Platform;
use serde_json::{Value, json};

/// A 64×48 picture in each format (see crier-media's fixtures README).
const FORMATS: [(&str, &str); 5] =
    [("jpeg", "oriented.jpg"), ("png", "alpha.png"), ("webp", "photo.webp"), ("heic", "photo.heic"), ("avif", "photo.avif")];

/// The catalog's matrix, written out independently of crier-media's.
fn converted_for(format: &str, p: Platform) -> bool {
    use Platform::*;
    match format {
        "heic" | "avif" => true,
        "webp" => matches!(p, Instagram | Linkedin | Tiktok | Gmb | Threads | Snapchat),
        _ => false,
    }
}

/// A loopback image host: `/f/<fixture>` serves a fixture; a few paths fail like real hosts do.
async fn image_host(extra: Vec<(&'static str, Vec<u8>)>) -> String {
    let mut app = Router::new()
        .route("/f/{name}", get(|axum::extract::Path(name): axum::extract::Path<String>| async move { media_fixture(&name) }))
        .route("/missing.heic", get(|| async { (StatusCode::NOT_FOUND, "no such file") }))
        .route("/broken.heic", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "upstream exploded") }))
        .route("/slow.heic", get(|| async { std::future::pending::<&'static str>().await }));
    for (path, bytes) in extra {
        app = app.route(path, get(move || async move { bytes.clone() }));
    }
    serve_loopback(app).await
}

/// The options each network needs to accept a one-image post.
fn body_for(p: Platform, text: &str, url: &str) -> Value {
    let mut b = json!({"post": text, "platforms": [p.as_str()], "mediaUrls": [url]});
    if p == Platform::Reddit {
        b["redditOptions"] = json!({"title": text, "subreddit": crier_sandbox::seed::REDDIT_SUBREDDIT});
    }
    b
}

const IMAGE_NETWORKS: [Platform; 12] = [
    Platform::Telegram,
    Platform::Bluesky,
    Platform::Facebook,
    Platform::Instagram,
    Platform::Threads,
    Platform::Twitter,
    Platform::Linkedin,
    Platform::Tiktok,
    Platform::Pinterest,
    Platform::Reddit,
    Platform::Gmb,
    Platform::Snapchat,
];

#[tokio::test]
async fn every_format_for_every_network_is_converted_or_passed_through_as_the_matrix_says() {
    let h = Harness::start().await.with(&IMAGE_NETWORKS).await;
    let host = image_host(vec![]).await;
    for (format, file) in FORMATS {
        for p in IMAGE_NETWORKS {
            let url = format!("{host}/f/{file}");
            let t = text(&format!("{format} for {p}"));
            let r = h.call(reqwest::Method::POST, "/api/post", Some(body_for(p, &t, &url)), &X_HEADERS).await;
            let id = r.body["id"].as_str().unwrap_or_else(|| panic!("{format}/{p}: {}", r.body)).to_string();
            for e in r.body["errors"].as_array().into_iter().flatten() {
                let code = e["code"].as_u64().unwrap();
                assert!(!(450..=452).contains(&code), "{format}/{p}: conversion failed: {e}");
            }
            let post = h.running.store().post_by_id(&id).await.unwrap().unwrap();
            let d = &post.deliveries[0];
            if converted_for(format, p) {
                let staged = d.media_urls.as_ref().unwrap_or_else(|| panic!("{format}/{p}: not converted"));
                assert_eq!(staged.len(), 1);
                assert!(staged[0].starts_with(&format!("{}/media/", h.base)), "{format}/{p}: {staged:?}");
                let got = reqwest::get(&staged[0]).await.unwrap();
                assert_eq!(got.headers()["content-type"], "image/jpeg", "{format}/{p}");
                let jpeg = got.bytes().await.unwrap();
                let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
                    .unwrap_or_else(|e| panic!("{format}/{p}: staged file is not a JPEG: {e}"));
                assert_eq!((img.width(), img.height()), (64, 48), "{format}/{p}");
                // Top-left quadrant of every fixture is red.
                let px = img.to_rgb8().get_pixel(8, 6).0;
                assert!(px[0] > 200 && px[1] < 60 && px[2] < 60, "{format}/{p}: top-left should be red, is {px:?}");
                // Networks that pull media by URL were given the staged JPEG, not the original.
                for entry in h.published(&t) {
                    assert!(!entry.media.contains(&url), "{format}/{p}: the network got the original {url}");
                }
            } else {
                assert_eq!(d.media_urls, None, "{format}/{p}: passed through untouched");
                for entry in h.published(&t).iter().filter(|e| e.media.iter().any(|m| m.starts_with("http"))) {
                    assert_eq!(entry.media, vec![url.clone()], "{format}/{p}: the network got the original URL");
                }
            }
        }
    }
}

/// A lossless WebP whose header announces 16000×16000 (256 MP) and carries no image data.
fn webp_pixel_bomb() -> Vec<u8> {
    let header: u32 = 15_999 | (15_999 << 14);
    let mut vp8l = vec![0x2F];
    vp8l.extend_from_slice(&header.to_le_bytes());
    vp8l.extend_from_slice(&[0; 11]);
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(4 + 8 + vp8l.len() as u32).to_le_bytes());
    v.extend_from_slice(b"WEBPVP8L");
    v.extend_from_slice(&(vp8l.len() as u32).to_le_bytes());
    v.extend_from_slice(&vp8l);
    v
}

#[tokio::test]
async fn conversion_and_download_failures_are_450_and_451() {
    let h = Harness::start_with(|c| c.media.fetch_timeout_secs = 1).await.with_meta().await;
    let heic = media_fixture("photo.heic");
    let mut corrupt = b"RIFF\x40\x00\x00\x00WEBPVP8 ".to_vec();
    corrupt.extend(std::iter::repeat_n(0xA5, 60));
    let host = image_host(vec![
        ("/truncated.heic", heic[..heic.len() / 2].to_vec()),
        ("/corrupt.webp", corrupt),
        ("/bomb.webp", webp_pixel_bomb()),
    ])
    .await;
    let cases = [
        ("/truncated.heic", 450, "heic"),
        ("/corrupt.webp", 450, "webp"),
        ("/bomb.webp", 450, "16000x16000"),
        ("/missing.heic", 451, "404"),
        ("/broken.heic", 451, "500"),
        ("/slow.heic", 451, "time"),
    ];
    for (path, code, word) in cases {
        let t = text("broken media");
        let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [format!("{host}{path}")]})).await;
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        let details = assert_network_error(&r, "instagram", code, 400, false).to_lowercase();
        assert!(details.contains(word), "{path}: details should mention {word:?}: {details}");
        assert!(h.published(&t).is_empty(), "{path}: nothing reached Instagram");
    }
}

#[tokio::test]
async fn a_staging_failure_is_452_and_retryable() {
    let h = Harness::start().await.with_meta().await;
    let host = image_host(vec![]).await;
    // The staging folder becomes a file: every write to it fails from now on.
    let staging = h.dir.path().join("media");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::write(&staging, b"not a folder").unwrap();
    let t = text("unstageable");
    let r = h.post(json!({"post": t, "platforms": ["instagram", "telegram"], "mediaUrls": [format!("{host}/f/photo.webp")]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let details = assert_network_error(&r, "instagram", 452, 400, true);
    // The cause is said without the server's paths (they are in the log only), here and in history.
    assert!(!details.contains('/') && details.contains("could not write"), "{details}");
    let stored = h.get(&format!("/api/post/{}", r.body["id"].as_str().unwrap())).await;
    assert!(!stored.body.to_string().contains(h.dir.path().to_str().unwrap()), "{}", stored.body);
    // Telegram takes WebP as it is: it published, and a retry would only re-run Instagram.
    assert_eq!(r.body["postIds"][0]["platform"], "telegram");
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn a_heic_cover_image_reaches_youtube_as_a_jpeg() {
    let h = Harness::start().await.with_x_youtube().await;
    let host = image_host(vec![]).await;
    let t = text("heic cover");
    let r = h
        .post(json!({"post": t, "platforms": ["youtube"], "mediaUrls": [h.media("clip.mp4")],
            "youTubeOptions": {"title": "Cover", "thumbNail": format!("{host}/f/photo.heic")}}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // YouTube takes JPEG or PNG covers only: without the conversion it would be a warning.
    assert!(r.body["postIds"][0].get("warnings").is_none(), "{}", r.body);
    let post = h.running.store().post_by_id(r.body["id"].as_str().unwrap()).await.unwrap().unwrap();
    let staged = post.deliveries[0].thumbnail_url.clone().expect("the cover was converted and staged");
    assert_eq!(post.deliveries[0].media_urls, None, "the video itself is never converted");
    let jpeg = reqwest::get(&staged).await.unwrap().bytes().await.unwrap();
    let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((img.width(), img.height()), (64, 48));
    let (thumbnail, _) = h.sandbox.state.youtube_video_extras(r.body["postIds"][0]["id"].as_str().unwrap());
    assert_eq!(thumbnail, Some(jpeg.len()), "YouTube received the staged JPEG");
}
