//! A small OAuth 1.0a (HMAC-SHA1) signer for the X tests, written apart from
//! the sandbox's verifier so that each checks the other.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crier_sandbox::{SandboxHandle, seed};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha1::Sha1;

/// Consumer key/secret and access token/secret.
#[derive(Clone, Copy, Debug)]
pub struct Creds {
    pub consumer_key: &'static str,
    pub consumer_secret: &'static str,
    pub token: &'static str,
    pub token_secret: &'static str,
}

/// The seeded app with the user's read-write token.
pub const RW: Creds = Creds {
    consumer_key: seed::X_CONSUMER_KEY,
    consumer_secret: seed::X_CONSUMER_SECRET,
    token: seed::X_ACCESS_TOKEN,
    token_secret: seed::X_ACCESS_TOKEN_SECRET,
};

/// The seeded app with the user's read-only token.
pub const RO: Creds = Creds {
    token: seed::X_READONLY_ACCESS_TOKEN,
    token_secret: seed::X_READONLY_ACCESS_TOKEN_SECRET,
    ..RW
};

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn dec(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 3 <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// `Authorization` header for a request. `url` may carry a query string;
/// `form` are form-urlencoded body parameters (signed); JSON and multipart
/// bodies are not signed.
pub fn authorization(
    method: &str,
    url: &str,
    form: &[(&str, &str)],
    creds: Creds,
    timestamp: i64,
    nonce: &str,
) -> String {
    let (base_url, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), creds.consumer_key.into()),
        ("oauth_nonce".into(), nonce.into()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), timestamp.to_string()),
        ("oauth_token".into(), creds.token.into()),
        ("oauth_version".into(), "1.0".into()),
    ];
    let oauth_params = params.clone();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.push((dec(k), dec(v)));
    }
    for (k, v) in form {
        params.push(((*k).into(), (*v).into()));
    }
    let mut encoded: Vec<(String, String)> = params.iter().map(|(k, v)| (enc(k), enc(v))).collect();
    encoded.sort();
    let param_string = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let base = format!("{method}&{}&{}", enc(base_url), enc(&param_string));
    let key = format!("{}&{}", enc(creds.consumer_secret), enc(creds.token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(base.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let mut header: Vec<String> = oauth_params
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", enc(v)))
        .collect();
    header.push(format!("oauth_signature=\"{}\"", enc(&signature)));
    header.sort();
    format!("OAuth {}", header.join(", "))
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// `<sandbox>/x<path>`.
pub fn url(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/x{}", sb.url, path)
}

/// A signed request with an optional JSON body (JSON is not signed).
pub async fn send(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    method: &str,
    path: &str,
    body: Option<Value>,
    creds: Creds,
) -> reqwest::Response {
    let url = url(sb, path);
    let auth = authorization(method, &url, &[], creds, now(), &nonce());
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c.request(method, &url).header("authorization", auth);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// `POST /2/tweets` with `{"text": …}` and the read-write token.
pub async fn tweet(c: &reqwest::Client, sb: &SandboxHandle, body: Value) -> reqwest::Response {
    send(c, sb, "POST", "/2/tweets", Some(body), RW).await
}

pub fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("header {name} missing"))
        .to_str()
        .unwrap()
}

/// Uploads media through initialize/append/finalize; returns the FINALIZE
/// answer's `data`.
pub async fn upload_media(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    media_type: &str,
    category: &str,
    bytes: usize,
) -> Value {
    let resp = send(
        c,
        sb,
        "POST",
        "/2/media/upload/initialize",
        Some(serde_json::json!({"media_type": media_type, "total_bytes": bytes, "media_category": category})),
        RW,
    )
    .await;
    let (status, body) = super::json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    let resp = append(c, sb, &id, 0, vec![7u8; bytes]).await;
    assert_eq!(resp.status().as_u16(), 200);
    let (status, body) = super::json_of(
        send(
            c,
            sb,
            "POST",
            &format!("/2/media/upload/{id}/finalize"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["data"].clone()
}

/// `POST /2/media/upload/{id}/append` (multipart, not signed).
pub async fn append(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    id: &str,
    index: u32,
    chunk: Vec<u8>,
) -> reqwest::Response {
    let url = url(sb, &format!("/2/media/upload/{id}/append"));
    let form = reqwest::multipart::Form::new()
        .text("segment_index", index.to_string())
        .part(
            "media",
            reqwest::multipart::Part::bytes(chunk).file_name("chunk.bin"),
        );
    c.post(&url)
        .header(
            "authorization",
            authorization("POST", &url, &[], RW, now(), &nonce()),
        )
        .multipart(form)
        .send()
        .await
        .unwrap()
}
