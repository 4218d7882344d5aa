//! Instagram's emulator refuses image formats the real Content Publishing API refuses (WebP, HEIC,
//! AVIF: JPEG only, PNG tolerated), so a conversion crier forgot is caught by a test.

mod common;

use axum::Router;
use axum::routing::get;
use common::*;
use crier_sandbox::seed;

/// The smallest WebP, HEIC and AVIF headers that real sniffers recognise.
fn sample(kind: &str) -> Vec<u8> {
    match kind {
        "webp" => {
            let mut v = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00".to_vec();
            v.extend_from_slice(&[0; 9]);
            v
        }
        brand => {
            let brand: &[u8; 4] = if brand == "heic" { b"heic" } else { b"avif" };
            let mut v = vec![0, 0, 0, 24];
            v.extend_from_slice(b"ftyp");
            v.extend_from_slice(brand);
            v.extend_from_slice(&[0, 0, 0, 0]);
            v.extend_from_slice(b"mif1");
            v.extend_from_slice(brand);
            v
        }
    }
}

async fn image_server() -> String {
    let app = Router::new().route(
        "/img/{kind}",
        get(|axum::extract::Path(kind): axum::extract::Path<String>| async move { sample(&kind) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn instagram_refuses_webp_heic_and_avif_images() {
    let sb = sandbox().await;
    let c = client();
    let host = image_server().await;
    for kind in ["webp", "heic", "avif"] {
        let url = format!("{host}/img/{kind}");
        let (status, body) = graph_post(
            &c,
            fb(&sb, &format!("{}/media", seed::INSTAGRAM_USER_ID)),
            seed::INSTAGRAM_TOKEN,
            &[("image_url", url.as_str()), ("caption", "not a JPEG")],
        )
        .await;
        assert_eq!(status, 400, "{kind}: {body}");
        let error = meta_error(&body);
        assert!(error["code"].as_i64().is_some(), "{kind}: {body}");
        if kind == "webp" {
            assert_eq!((error["code"].as_i64(), error["error_subcode"].as_i64()), (Some(36001), Some(2207005)), "{body}");
        }
    }
    assert!(sb.state.ledger().is_empty());
}
