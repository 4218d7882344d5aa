//! Shared helpers for the sandbox's integration tests (loopback only).
#![allow(dead_code)]

use std::time::Duration;

use crier_sandbox::{SandboxHandle, seed, start};
use serde_json::{Value, json};

/// Upper bound for event-driven waits; never a synchronisation sleep.
pub const WAIT: Duration = Duration::from_secs(10);

pub async fn sandbox() -> SandboxHandle {
    start("127.0.0.1:0".parse().unwrap())
        .await
        .expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn tg(sb: &SandboxHandle, method: &str) -> String {
    format!(
        "{}/telegram/bot{}/{}",
        sb.url,
        seed::TELEGRAM_BOT_TOKEN,
        method
    )
}

pub fn xrpc(sb: &SandboxHandle, nsid: &str) -> String {
    format!("{}/bluesky/xrpc/{}", sb.url, nsid)
}

pub async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.expect("JSON body");
    (status, body)
}

/// Logs in with the seeded account; returns `(accessJwt, refreshJwt)`.
pub async fn bsky_login(c: &reqwest::Client, sb: &SandboxHandle) -> (String, String) {
    let resp = c
        .post(xrpc(sb, "com.atproto.server.createSession"))
        .json(&json!({"identifier": seed::BLUESKY_HANDLE, "password": seed::BLUESKY_APP_PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    (
        body["accessJwt"].as_str().unwrap().to_owned(),
        body["refreshJwt"].as_str().unwrap().to_owned(),
    )
}

pub fn post_record(text: &str) -> Value {
    json!({"$type": "app.bsky.feed.post", "text": text, "createdAt": "2025-01-01T12:00:00.000Z"})
}

pub async fn bsky_post(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    access: &str,
    text: &str,
) -> reqwest::Response {
    c.post(xrpc(sb, "com.atproto.repo.createRecord"))
        .bearer_auth(access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": post_record(text)}))
        .send()
        .await
        .unwrap()
}

/// `sendMessage` to the seeded channel; the future owns everything it needs.
pub fn tg_send(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    text: &str,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static {
    c.post(tg(sb, "sendMessage"))
        .json(&json!({"chat_id": seed::TELEGRAM_CHAT_ID, "text": text}))
        .send()
}
