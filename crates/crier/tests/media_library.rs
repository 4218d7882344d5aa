//! Uploaded media: stored, listed, served at /media/{token}, swept when expired; 452 when storing fails.

mod common;
use base64::Engine as _;
use common::*;
use reqwest::Method;
use serde_json::json;

fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    v.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
    v
}

fn data_uri(bytes: &[u8]) -> String {
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[tokio::test]
async fn upload_list_and_serve() {
    let h = Harness::start().await;
    let r = h.call(Method::POST, "/api/media/upload", Some(json!({"file": data_uri(&png()), "fileName": "dot.png", "description": "a dot"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let url = r.body["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/media/", h.base)), "{url}");
    assert_eq!(r.body["contentType"], "image/png");
    let served = h.http.get(&url).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png());
    let alias = h.call(Method::POST, "/api/upload", Some(json!({"file": data_uri(&png())})), &[]).await;
    assert_eq!(alias.status, 200);
    let list = h.get("/api/media").await;
    let ids: Vec<&str> = list.body["media"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&r.body["id"].as_str().unwrap()));
    // An uploaded file can be posted by URL like any other media.
    let t = text("with uploaded media");
    let p = h.post(json!({"post": t, "platforms": ["bluesky"], "mediaUrls": [url]})).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(h.published(&t)[0].media.len(), 1);
}

#[tokio::test]
async fn bad_uploads_get_clear_errors() {
    let h = Harness::start().await;
    for (body, code) in [
        (json!({}), 901),
        (json!({"file": "not a data uri"}), 900),
        (json!({"file": "data:image/png;base64,@@@"}), 900),
        (json!({"file": data_uri(b"plain text, not an image")}), 900),
    ] {
        let r = h.call(Method::POST, "/api/media/upload", Some(body.clone()), &[]).await;
        assert_eq!((r.status, r.body["code"].as_i64()), (400, Some(code)), "{body}: {}", r.body);
    }
    let missing = h.http.get(format!("{}/media/doesnotexist", h.base)).send().await.unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["code"], 922);
}

#[tokio::test]
async fn a_failing_store_is_452_retryable() {
    let h = Harness::start().await;
    // The staging folder disappears and a file takes its place: every write fails.
    let dir = h.dir.path().join("media");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a folder").unwrap();
    let r = h.call(Method::POST, "/api/media/upload", Some(json!({"file": data_uri(&png())})), &[]).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!((r.body["code"].as_i64(), r.body["retryAvailable"].as_bool()), (Some(452), Some(true)), "{}", r.body);
    // The cause is said without the server's paths (they are in the log only).
    let details = r.body["details"].as_str().unwrap();
    assert!(!details.contains('/') && !details.contains(h.dir.path().to_str().unwrap()), "{details}");
    assert!(details.contains("could not write"), "{details}");
}

#[tokio::test]
async fn expired_media_is_swept() {
    let h = Harness::start().await;
    let r = h.call(Method::POST, "/api/media/upload", Some(json!({"file": data_uri(&png())})), &[]).await;
    let token = r.body["id"].as_str().unwrap().to_string();
    let store = h.running.store();
    let staging = crier_media::Staging::new(&crier_media::StagingConfig::Local { dir: h.dir.path().join("media") }).unwrap();
    // An object whose time is up (written directly: the API only makes live ones).
    let old = crier_store::MediaObject {
        token: "expiredtoken000000000000".into(),
        profile_id: "p".into(),
        object_key: "uploads/expiredtoken000000000000".into(),
        mime: "image/png".into(),
        size_bytes: 3,
        file_name: None,
        description: None,
        created_ms: 0,
        expires_ms: 1,
    };
    staging.put(&old.object_key, b"old".to_vec()).await.unwrap();
    store.add_media_object(&old).await.unwrap();
    assert_eq!(crier_api::sweep_expired_media(store, &staging).await.unwrap(), 1);
    assert!(matches!(staging.get(&old.object_key).await, Err(crier_media::StagingError::NotFound)));
    assert!(store.media_object(&old.token).await.unwrap().is_none());
    // Live media is untouched.
    assert_eq!(h.http.get(format!("{}/media/{token}", h.base)).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn multipart_upload_takes_a_file_part() {
    let h = Harness::start().await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(png()).file_name("dot.png").mime_str("image/png").unwrap())
        .text("description", "a dot from a form")
        .text("source", "pypi");
    let r = h.http.post(format!("{}/api/media/upload", h.base)).bearer_auth(&h.key).multipart(form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["fileName"].as_str(), body["description"].as_str()), (Some("dot.png"), Some("a dot from a form")), "{body}");
    let served = h.http.get(body["url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(served.to_vec(), png());
    // A form without a file part is a clear 400.
    let empty = reqwest::multipart::Form::new().text("fileName", "nothing.png");
    let r = h.http.post(format!("{}/api/media/upload", h.base)).bearer_auth(&h.key).multipart(empty).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], 900);
    assert!(body["details"].as_str().unwrap().contains("file"), "{body}");
}

#[tokio::test]
async fn multipart_upload_takes_files_over_two_megabytes() {
    // The route's own limit (30 MB) applies, not axum's 2 MB default for extractors.
    let h = Harness::start().await;
    let mut big = png();
    big.extend(std::iter::repeat_n(0u8, 5 << 20));
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(big.clone()).file_name("big.png").mime_str("image/png").unwrap());
    let r = h.http.post(format!("{}/api/media/upload", h.base)).bearer_auth(&h.key).multipart(form).send().await.unwrap();
    let status = r.status().as_u16();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["size"].as_u64(), Some(big.len() as u64), "{body}");
}

#[tokio::test]
async fn url_exists_probes_through_the_ssrf_guard() {
    let h = Harness::start().await;
    let ok = h.call(Method::POST, "/api/media/urlExists", Some(json!({"mediaUrl": h.media("cat.jpg")})), &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!((ok.body["exists"].as_bool(), ok.body["contentType"].as_str()), (Some(true), Some("image/jpeg")));
    let missing = h.call(Method::POST, "/api/media/urlExists", Some(json!({"mediaUrl": h.media("no-such-file")})), &[]).await;
    assert_eq!((missing.status, missing.body["code"].as_i64()), (400, Some(451)), "{}", missing.body);
    assert!(missing.body["details"].as_str().unwrap().contains("404"), "{}", missing.body);
    let private = h.call(Method::POST, "/api/media/urlExists", Some(json!({"mediaUrl": "https://169.254.169.254/latest"})), &[]).await;
    assert_eq!(private.body["code"], 451, "{}", private.body);
    let none = h.call(Method::POST, "/api/media/urlExists", Some(json!({})), &[]).await;
    assert_eq!(none.body["code"], 901);
}
