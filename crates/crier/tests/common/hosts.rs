//! Loopback HTTP hosts that tests stand up beside the sandbox: an outside image host that is not
//! the sandbox's `/media-host/` (so not verified anywhere), serving crier-media's fixtures.

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;

/// crier-media's conversion fixture `name`: each is a 64×48 picture whose top-left quadrant is
/// red (see crier-media's `tests/fixtures/convert/README.md`).
pub fn media_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../crier-media/tests/fixtures/convert/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Serves `app` on a random loopback port until the test ends; returns `http://127.0.0.1:<port>`.
pub async fn serve_loopback(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A loopback host serving `(path, content type, bytes)`; returns its base URL.
pub async fn file_host(files: Vec<(&'static str, &'static str, Vec<u8>)>) -> String {
    let mut app = Router::new();
    for (path, mime, bytes) in files {
        app = app.route(path, get(move || async move { ([(CONTENT_TYPE, mime)], bytes.clone()) }));
    }
    serve_loopback(app).await
}

/// The URL of crier-media's WebP photo on a loopback host that answers with `content_type`
/// (`application/octet-stream` is what a host that does not know the format says).
pub async fn webp_photo_url(content_type: &'static str) -> String {
    let host = file_host(vec![("/photo.webp", content_type, media_fixture("photo.webp"))]).await;
    format!("{host}/photo.webp")
}
