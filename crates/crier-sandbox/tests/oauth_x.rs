//! X's OAuth 1.0a three-legged flow in the sandbox: request_token →
//! authorize page → access_token (the seeded user's tokens for the app,
//! which the X emulator accepts, see x_auth.rs).

#[path = "oauth_kit/mod.rs"]
mod kit;

use std::collections::HashMap;

use base64::Engine;
use crier_sandbox::seed;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha1::Sha1;

const CALLBACK: &str = "http://127.0.0.1:9/link/callback/twitter";

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

/// An OAuth 1.0a header over `extra` oauth_* parameters and `form`.
fn header(
    url: &str,
    extra: &[(&str, &str)],
    form: &[(&str, &str)],
    consumer_secret: &str,
    token_secret: &str,
) -> String {
    let mut oauth: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), seed::X_CONSUMER_KEY.into()),
        (
            "oauth_nonce".into(),
            format!("{:032x}", rand::random::<u128>()),
        ),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        (
            "oauth_timestamp".into(),
            chrono::Utc::now().timestamp().to_string(),
        ),
        ("oauth_version".into(), "1.0".into()),
    ];
    oauth.extend(extra.iter().map(|(k, v)| ((*k).into(), (*v).into())));
    let mut all: Vec<(String, String)> = oauth
        .iter()
        .chain(
            form.iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect::<Vec<_>>()
                .iter(),
        )
        .map(|(k, v)| (enc(k), enc(v)))
        .collect();
    all.sort();
    let joined = all
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let base = format!("POST&{}&{}", enc(url), enc(&joined));
    let mut mac = Hmac::<Sha1>::new_from_slice(
        format!("{}&{}", enc(consumer_secret), enc(token_secret)).as_bytes(),
    )
    .unwrap();
    mac.update(base.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut parts: Vec<String> = oauth
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", enc(v)))
        .collect();
    parts.push(format!("oauth_signature=\"{}\"", enc(&sig)));
    format!("OAuth {}", parts.join(", "))
}

fn form(body: &str) -> HashMap<String, String> {
    reqwest::Url::parse(&format!("http://x/?{body}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

async fn request_token(
    sb: &crier_sandbox::SandboxHandle,
    callback: &str,
    secret: &str,
) -> (u16, String) {
    let url = format!("{}/x/oauth/request_token", sb.url);
    let r = kit::client()
        .post(&url)
        .header(
            "authorization",
            header(&url, &[("oauth_callback", callback)], &[], secret, ""),
        )
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn access_token(
    sb: &crier_sandbox::SandboxHandle,
    token: &str,
    secret: &str,
    verifier: &str,
) -> (u16, String) {
    let url = format!("{}/x/oauth/access_token", sb.url);
    let r = kit::client()
        .post(&url)
        .header(
            "authorization",
            header(
                &url,
                &[("oauth_token", token)],
                &[("oauth_verifier", verifier)],
                seed::X_CONSUMER_SECRET,
                secret,
            ),
        )
        .form(&[("oauth_verifier", verifier)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn press(
    sb: &crier_sandbox::SandboxHandle,
    token: &str,
    decision: &str,
) -> HashMap<String, String> {
    let c = kit::client();
    let page = c
        .get(format!("{}/x/oauth/authorize?oauth_token={token}", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("id=\"consent\"") && html.contains("id=\"deny\""),
        "{html}"
    );
    let r = c
        .post(format!("{}/x/oauth/authorize", sb.url))
        .form(&[("oauth_token", token), ("decision", decision)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(CALLBACK), "{location}");
    reqwest::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

#[tokio::test]
async fn three_legged_flow_gives_working_tokens() {
    let sb = crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let (status, body) = request_token(&sb, CALLBACK, seed::X_CONSUMER_SECRET).await;
    assert_eq!(status, 200, "{body}");
    let rt = form(&body);
    assert_eq!(rt["oauth_callback_confirmed"], "true");
    let back = press(&sb, &rt["oauth_token"], "consent").await;
    assert_eq!(back["oauth_token"], rt["oauth_token"]);
    // A wrong verifier, then the right one, then the right one again (used).
    let (status, _) =
        access_token(&sb, &rt["oauth_token"], &rt["oauth_token_secret"], "nope").await;
    assert_eq!(status, 401);
    // Signed with a wrong request-token secret: 401 code 32.
    let (status, body) =
        access_token(&sb, &rt["oauth_token"], "wrong", &back["oauth_verifier"]).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("\"code\":32"), "{body}");
    let (status, body) = access_token(
        &sb,
        &rt["oauth_token"],
        &rt["oauth_token_secret"],
        &back["oauth_verifier"],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let at = form(&body);
    assert_eq!(at["oauth_token"], seed::X_ACCESS_TOKEN);
    assert_eq!(at["oauth_token_secret"], seed::X_ACCESS_TOKEN_SECRET);
    assert_eq!(at["user_id"], seed::X_USER_ID);
    assert_eq!(at["screen_name"], seed::X_USERNAME);
    let (status, _) = access_token(
        &sb,
        &rt["oauth_token"],
        &rt["oauth_token_secret"],
        &back["oauth_verifier"],
    )
    .await;
    assert_eq!(status, 401);
    let calls = kit::calls(&sb, "x").await;
    assert_eq!(calls, json!({"request_token": 1, "access_token": 4}));
}

#[tokio::test]
async fn deny_bad_signature_and_foreign_callback() {
    let sb = crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let (_, body) = request_token(&sb, CALLBACK, seed::X_CONSUMER_SECRET).await;
    let rt = form(&body);
    let back = press(&sb, &rt["oauth_token"], "deny").await;
    assert_eq!(back["denied"], rt["oauth_token"]);
    assert!(!back.contains_key("oauth_verifier"));
    // The page is gone afterwards.
    let r = kit::client()
        .get(format!(
            "{}/x/oauth/authorize?oauth_token={}",
            sb.url, rt["oauth_token"]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // A wrong consumer secret: 401 code 32.
    let (status, body) = request_token(&sb, CALLBACK, "wrong").await;
    assert_eq!(status, 401);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], 32);
    // A callback that is not loopback nor registered: 403 code 415.
    let (status, body) =
        request_token(&sb, "https://evil.example/cb", seed::X_CONSUMER_SECRET).await;
    assert_eq!(status, 403);
    assert!(body.contains("415"), "{body}");
}
