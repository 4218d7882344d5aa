//! Shared helpers for the sandbox's integration tests (loopback only).
#![allow(dead_code)]

use std::time::Duration;

use crier_sandbox::{SandboxHandle, seed, start};
use serde_json::{Value, json};

/// Upper bound for event-driven waits; never a synchronisation sleep.
pub const WAIT: Duration = Duration::from_secs(10);

/// A fault on `network` (and `endpoint`), to be completed with struct update syntax.
pub fn fault(network: &str, endpoint: Option<&str>) -> crier_sandbox::Fault {
    crier_sandbox::Fault { network: network.into(), endpoint: endpoint.map(Into::into), ..crier_sandbox::Fault::default() }
}

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

// ---- Meta (Facebook, Instagram, Threads) ----

/// `<sandbox>/facebook/v21.0/<path>` (graph.facebook.com).
pub fn fb(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/facebook/v21.0/{}", sb.url, path)
}

/// `<sandbox>/threads/v1.0/<path>` (graph.threads.net).
pub fn th(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/threads/v1.0/{}", sb.url, path)
}

/// A URL on the sandbox's own media host.
pub fn media(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/media-host/{}", sb.url, path)
}

/// `POST /_sandbox/<path>` with a JSON body; the answer must be 200.
pub async fn control(c: &reqwest::Client, sb: &SandboxHandle, path: &str, body: Value) -> Value {
    let resp = c
        .post(format!("{}/_sandbox/{}", sb.url, path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A form-encoded Graph POST with `access_token` among the fields.
pub async fn graph_post(
    c: &reqwest::Client,
    url: String,
    token: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form: Vec<(&str, &str)> = vec![("access_token", token)];
    form.extend_from_slice(fields);
    json_of(c.post(url).form(&form).send().await.unwrap()).await
}

/// A Graph GET with the token as a query parameter.
pub async fn graph_get(
    c: &reqwest::Client,
    url: String,
    token: &str,
    query: &[(&str, &str)],
) -> (u16, Value) {
    let mut q: Vec<(&str, &str)> = vec![("access_token", token)];
    q.extend_from_slice(query);
    json_of(c.get(url).query(&q).send().await.unwrap()).await
}

/// A response header holding JSON (Graph's usage headers).
pub fn header_json(resp: &reqwest::Response, name: &str) -> Value {
    let raw = resp
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap();
    serde_json::from_str(raw).unwrap()
}

/// The `error` object of a Meta error answer, checking the envelope basics.
pub fn meta_error(body: &Value) -> &Value {
    let error = &body["error"];
    assert!(error.is_object(), "not a Meta error: {body}");
    assert!(error["message"].is_string(), "{body}");
    assert!(error["type"].is_string(), "{body}");
    assert!(error["code"].is_i64(), "{body}");
    assert!(
        error["fbtrace_id"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    error
}

/// Creates an Instagram image container from the media host and returns its id.
pub async fn ig_image_container(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    file: &str,
    caption: &str,
) -> String {
    let (status, body) = graph_post(
        c,
        fb(sb, &format!("{}/media", seed::INSTAGRAM_USER_ID)),
        seed::INSTAGRAM_TOKEN,
        &[("image_url", &media(sb, file)), ("caption", caption)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// `media_publish` for a container.
pub async fn ig_publish(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    creation_id: &str,
) -> (u16, Value) {
    graph_post(
        c,
        fb(sb, &format!("{}/media_publish", seed::INSTAGRAM_USER_ID)),
        seed::INSTAGRAM_TOKEN,
        &[("creation_id", creation_id)],
    )
    .await
}

// ---- X and YouTube ----

pub mod x;
pub mod youtube;
