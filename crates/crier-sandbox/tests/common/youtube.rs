//! Helpers for the YouTube tests.

use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

/// 256 KiB: non-final chunks must be multiples of this.
pub const CHUNK: usize = 262_144;

pub fn video_resource(title: &str) -> Value {
    json!({
        "snippet": {"title": title, "description": format!("about {title}"), "tags": ["crier"], "categoryId": "22"},
        "status": {"privacyStatus": "unlisted"},
    })
}

/// Starts a resumable session; returns the raw answer.
pub async fn initiate_raw(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    body: &Value,
    total: usize,
) -> reqwest::Response {
    c.post(format!(
        "{}/youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status",
        sb.url
    ))
    .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
    .header("x-upload-content-length", total.to_string())
    .header("x-upload-content-type", "video/mp4")
    .json(body)
    .send()
    .await
    .unwrap()
}

/// Starts a resumable session; returns its URI.
pub async fn initiate(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    title: &str,
    total: usize,
) -> String {
    let resp = initiate_raw(c, sb, &video_resource(title), total).await;
    assert_eq!(resp.status().as_u16(), 200);
    resp.headers()["location"].to_str().unwrap().to_owned()
}

/// PUTs bytes `first..first+len` of a `total`-byte file (content: the byte
/// offset modulo 251, so any slice is well-defined).
pub async fn put_chunk(
    c: &reqwest::Client,
    session: &str,
    first: usize,
    len: usize,
    total: usize,
) -> reqwest::Result<reqwest::Response> {
    let bytes: Vec<u8> = (first..first + len).map(|i| (i % 251) as u8).collect();
    c.put(session)
        .header(
            "content-range",
            format!("bytes {first}-{}/{total}", first + len - 1),
        )
        .header("content-type", "video/mp4")
        .body(bytes)
        .send()
        .await
}

/// The `bytes */total` status probe.
pub async fn probe(c: &reqwest::Client, session: &str, total: usize) -> reqwest::Response {
    c.put(session)
        .header("content-range", format!("bytes */{total}"))
        .header("content-length", "0")
        .send()
        .await
        .unwrap()
}

/// The `Range` header of a 308, if any.
pub fn range(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get("range")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The Google envelope's `errors[0].reason`, checking its basics.
pub fn reason(body: &Value) -> String {
    let error = &body["error"];
    assert!(error["code"].is_u64(), "{body}");
    assert!(error["message"].is_string(), "{body}");
    let first = &error["errors"][0];
    assert!(first["domain"].is_string(), "{body}");
    first["reason"].as_str().unwrap().to_owned()
}
