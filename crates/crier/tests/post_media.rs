//! Media: Telegram takes URLs, Bluesky gets uploaded blobs fetched through the SSRF guard.

mod common;
use axum::Router;
use axum::routing::get;
use common::*;
use serde_json::json;

/// A PNG's signature and IHDR chunk: enough for sniffing and for the sandbox's blob store.
fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    v.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
    v
}

/// An image server on loopback (allowed by the test configuration only).
async fn image_server() -> String {
    let app = Router::new()
        .route("/cat.png", get(|| async { ([("content-type", "image/png")], png()) }))
        .route("/notes.txt", get(|| async { "not an image" }));
    serve_loopback(app).await
}

#[tokio::test]
async fn bluesky_uploads_the_image_and_embeds_it() {
    let h = Harness::start().await;
    let img = image_server().await;
    let t = text("with a cat");
    let r = h.post(json!({"post": t, "platforms": ["bluesky", "telegram"], "mediaUrls": [format!("{img}/cat.png")],
        "blueSkyOptions": {"altText": ["a cat"]}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger = h.published(&t);
    let bs = ledger.iter().find(|e| e.network == "bluesky").unwrap();
    assert_eq!(bs.media.len(), 1, "one blob embedded: {bs:?}");
    let tg = ledger.iter().find(|e| e.network == "telegram").unwrap();
    assert_eq!(tg.media, vec![format!("{img}/cat.png")], "Telegram fetches the URL itself");
}

#[tokio::test]
async fn private_addresses_are_refused_before_any_connection() {
    let h = Harness::start().await;
    for url in ["https://10.0.0.1/cat.png", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/x.png"] {
        let t = text("ssrf");
        let r = h.post(json!({"post": t, "platforms": ["bluesky"], "mediaUrls": [url]})).await;
        assert_eq!(r.status, 400, "{url}: {}", r.body);
        let e = &r.body["errors"][0];
        assert_eq!(e["code"], 451, "{url}: {e}");
        assert_eq!(e["platform"], "bluesky");
        assert!(e["details"].as_str().unwrap().contains(url), "{e}");
        assert!(h.published(&t).is_empty());
    }
}

#[tokio::test]
async fn plain_http_media_is_refused_unless_loopback_is_allowed() {
    let h = Harness::start().await;
    let r = h.post(json!({"post": "x", "platforms": ["telegram"], "mediaUrls": ["http://example.com/cat.png"]})).await;
    assert_eq!(r.body["errors"][0]["code"], 136);
}

#[tokio::test]
async fn bluesky_refuses_what_is_not_an_image() {
    let h = Harness::start().await;
    let img = image_server().await;
    let r = h.post(json!({"post": text("txt"), "platforms": ["bluesky"], "mediaUrls": [format!("{img}/notes.txt")]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.body["errors"][0]["code"], 182);
}

#[tokio::test]
async fn a_local_only_crier_resolves_no_outside_names() {
    let h = Harness::start().await;
    let r = h.post(json!({"post": text("far away"), "platforms": ["bluesky"], "mediaUrls": ["https://cdn.example.com/cat.png"]})).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let e = &r.body["errors"][0];
    assert_eq!(e["code"], 451);
    assert!(e["details"].as_str().unwrap().contains("not resolved"), "{e}");
}
