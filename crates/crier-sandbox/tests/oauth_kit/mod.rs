//! Shared driver for the OAuth authorization-server tests: the consent page,
//! the token endpoint in each network's client-auth style, and a full
//! code → token → API → expiry → refresh → rotation flow.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use crier_sandbox::SandboxHandle;
use serde_json::{Value, json};

pub const REDIRECT: &str = "http://127.0.0.1:9/link/callback";

/// One network's authorization server as a client sees it.
pub struct Profile {
    /// Control-API name.
    pub name: &'static str,
    pub authorize: &'static str,
    pub token: &'static str,
    pub client_param: &'static str,
    pub client_id: &'static str,
    pub client_secret: &'static str,
    /// HTTP Basic client auth (Pinterest, Reddit); else in the body.
    pub basic: bool,
    pub scope: &'static str,
    pub extra: &'static [(&'static str, &'static str)],
    pub rotates: bool,
    /// The network's answer to a dead code or refresh token.
    pub invalid_grant: fn(u16, &Value) -> bool,
    /// The network's answer to a used or unknown code.
    pub bad_code: fn(u16, &Value) -> bool,
}

/// An emulator call made with an access token.
pub struct Api {
    pub method: reqwest::Method,
    pub path: String,
    pub ok: u16,
    /// The emulator's answer to an expired token.
    pub expired: fn(u16, &Value) -> bool,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub fn pkce() -> (String, String) {
    let verifier = format!("sbx-verifier-{}", "v".repeat(40));
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
    (verifier, challenge)
}

pub fn authorize_params(
    p: &Profile,
    redirect: &str,
    challenge: Option<&str>,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        (p.client_param.into(), p.client_id.into()),
        ("redirect_uri".into(), redirect.into()),
        ("response_type".into(), "code".into()),
        ("scope".into(), p.scope.into()),
        ("state".into(), "st-123".into()),
    ];
    for (k, val) in p.extra {
        v.push(((*k).into(), (*val).into()));
    }
    if let Some(c) = challenge {
        v.push(("code_challenge".into(), c.into()));
        v.push(("code_challenge_method".into(), "S256".into()));
    }
    v
}

/// GETs the consent page.
pub async fn page(sb: &SandboxHandle, p: &Profile, params: &[(String, String)]) -> (u16, String) {
    let r = client()
        .get(format!("{}{}", sb.url, p.authorize))
        .query(params)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Presses a button of the consent page; returns the redirect's parameters.
pub async fn decide(
    sb: &SandboxHandle,
    p: &Profile,
    params: &[(String, String)],
    decision: &str,
) -> HashMap<String, String> {
    let (status, html) = page(sb, p, params).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("id=\"consent\"") && html.contains("id=\"deny\""),
        "{html}"
    );
    let mut form = params.to_vec();
    form.push(("decision".into(), decision.into()));
    let r = client()
        .post(format!("{}{}", sb.url, p.authorize))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let redirect = params
        .iter()
        .find(|(k, _)| k == "redirect_uri")
        .unwrap()
        .1
        .clone();
    assert!(location.starts_with(&redirect), "{location}");
    let url = reqwest::Url::parse(&location).unwrap();
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// POSTs a token request with the network's client authentication.
pub async fn token(sb: &SandboxHandle, p: &Profile, form: &[(&str, &str)]) -> (u16, Value) {
    let mut form: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let mut req = client().post(format!("{}{}", sb.url, p.token));
    if p.basic {
        req = req.basic_auth(p.client_id, Some(p.client_secret));
    } else {
        form.push((p.client_param.into(), p.client_id.into()));
        form.push(("client_secret".into(), p.client_secret.into()));
    }
    let r = req
        .form(&form)
        .header("user-agent", "crier-test/1")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn control(sb: &SandboxHandle, path: &str, body: Value) -> Value {
    let r = client()
        .post(format!("{}/_sandbox/oauth/{path}", sb.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

pub async fn calls(sb: &SandboxHandle, name: &str) -> Value {
    let r = client()
        .get(format!("{}/_sandbox/oauth/calls?network={name}", sb.url))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["calls"][name].clone()
}

pub async fn call_api(sb: &SandboxHandle, api: &Api, token: &str) -> (u16, Value) {
    let mut req = client()
        .request(api.method.clone(), format!("{}{}", sb.url, api.path))
        .bearer_auth(token)
        .header("user-agent", "crier-test/1")
        .header("linkedin-version", "202505")
        .header("x-restli-protocol-version", "2.0.0");
    if api.method == reqwest::Method::POST {
        req = req.json(&json!({}));
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Consent → code → token; returns the token answer.
pub async fn code_flow(
    sb: &SandboxHandle,
    p: &Profile,
    pkce_pair: Option<&(String, String)>,
) -> Value {
    let params = authorize_params(p, REDIRECT, pkce_pair.map(|x| x.1.as_str()));
    let back = decide(sb, p, &params, "consent").await;
    assert_eq!(back["state"], "st-123");
    let code = back["code"].clone();
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    if let Some((verifier, _)) = pkce_pair {
        form.push(("code_verifier", verifier.as_str()));
    }
    let (status, body) = token(sb, p, &form).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Polls `api` until it answers the expired-token error (deadline 15 s).
pub async fn wait_expired(sb: &SandboxHandle, api: &Api, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = call_api(sb, api, token).await;
        if (api.expired)(status, &body) {
            return;
        }
        assert_eq!(status, api.ok, "neither ok nor expired: {body}");
        assert!(Instant::now() < deadline, "token never expired");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The whole life of a grant at a refresh-token network.
pub async fn full_flow(sb: &SandboxHandle, p: &Profile, api: &Api, use_pkce: bool) {
    control(
        sb,
        "lifetimes",
        json!({"network": p.name, "accessTokenSecs": 2}),
    )
    .await;
    let pair = use_pkce.then(pkce);
    let answer = code_flow(sb, p, pair.as_ref()).await;
    assert_eq!(answer["expires_in"], 2, "{answer}");
    let access = answer["access_token"].as_str().unwrap().to_owned();
    let refresh = answer["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let (status, body) = call_api(sb, api, &access).await;
    assert_eq!(status, api.ok, "issued token works: {body}");
    wait_expired(sb, api, &access).await;

    let (status, renewed) = token(
        sb,
        p,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(status, 200, "{renewed}");
    let access2 = renewed["access_token"].as_str().unwrap().to_owned();
    assert_ne!(access2, access);
    let (status, body) = call_api(sb, api, &access2).await;
    assert_eq!(status, api.ok, "refreshed token works: {body}");

    let again = token(
        sb,
        p,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    if p.rotates {
        let rotated = renewed["refresh_token"]
            .as_str()
            .expect("a rotated refresh token");
        assert_ne!(rotated, refresh);
        assert!(
            (p.invalid_grant)(again.0, &again.1),
            "old refresh token: {:?}",
            again
        );
        let (status, body) = token(
            sb,
            p,
            &[("grant_type", "refresh_token"), ("refresh_token", rotated)],
        )
        .await;
        assert_eq!(status, 200, "the rotated token refreshes: {body}");
    } else {
        assert_eq!(again.0, 200, "no rotation: {:?}", again);
    }
    let counted = calls(sb, p.name).await;
    assert_eq!(counted["authorization_code"], 1, "{counted}");
    let refreshes = if p.rotates { 3 } else { 2 };
    assert_eq!(
        counted["refresh_token"], refreshes,
        "exactly these refreshes: {counted}"
    );

    // The user revokes the app: refresh tokens die.
    control(
        sb,
        "expire",
        json!({"network": p.name, "refreshTokens": true}),
    )
    .await;
    let (status, body) = token(
        sb,
        p,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert!((p.invalid_grant)(status, &body), "{status} {body}");
    // Seeded tokens keep working whatever happens to issued ones.
}

/// Deny, a foreign redirect URI, a reused code, a wrong PKCE verifier.
pub async fn refusals(sb: &SandboxHandle, p: &Profile, deny_error: &str) {
    // Deny: back to the client with the network's error and the state.
    let params = authorize_params(p, REDIRECT, None);
    let back = decide(sb, p, &params, "deny").await;
    assert_eq!(
        back.get("error").map(String::as_str),
        Some(deny_error),
        "{back:?}"
    );
    assert_eq!(back["state"], "st-123");
    assert!(!back.contains_key("code"));

    // A redirect URI that is not registered: an error page, no redirect.
    let foreign = authorize_params(p, "https://evil.example/cb", None);
    let (status, html) = page(sb, p, &foreign).await;
    assert_eq!(status, 400);
    assert!(html.contains("redirect_uri_mismatch"), "{html}");
    assert!(!html.contains("id=\"consent\""));
    // An unknown client id likewise.
    let mut unknown = authorize_params(p, REDIRECT, None);
    unknown[0].1 = "someone-else".into();
    assert_eq!(page(sb, p, &unknown).await.0, 400);

    // The token request's redirect_uri must be the authorize request's.
    let back = decide(sb, p, &params, "consent").await;
    let code = back["code"].clone();
    let other = "http://127.0.0.1:9/other";
    let (status, body) = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", other),
        ],
    )
    .await;
    assert!(refused(status, &body), "{body}");
    // Single use.
    let ok = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(ok.0, 200, "{:?}", ok);
    let reused = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert!(
        (p.bad_code)(reused.0, &reused.1),
        "reused code: {:?}",
        reused
    );

    // PKCE: the verifier must match the challenge.
    let (verifier, challenge) = pkce();
    let params = authorize_params(p, REDIRECT, Some(&challenge));
    let code = decide(sb, p, &params, "consent").await["code"].clone();
    let wrong = format!("{}x", verifier);
    let bad = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &wrong),
        ],
    )
    .await;
    assert!(refused(bad.0, &bad.1), "{:?}", bad);
    let missing = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert!(refused(missing.0, &missing.1), "{:?}", missing);
    let good = token(
        sb,
        p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(good.0, 200, "{:?}", good);

    // Wrong client secret.
    let mut req = client().post(format!("{}{}", sb.url, p.token));
    let form: Vec<(String, String)> = if p.basic {
        req = req.basic_auth(p.client_id, Some("wrong"));
        vec![
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), "x".into()),
        ]
    } else {
        vec![
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), "x".into()),
            (p.client_param.into(), p.client_id.into()),
            ("client_secret".into(), "wrong".into()),
        ]
    };
    let r = req.form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

/// A refused token request: a 4xx, or Reddit's 200 with an `error`.
pub fn refused(status: u16, body: &Value) -> bool {
    (400..500).contains(&status) || (status == 200 && body.get("error").is_some())
}

/// Reddit: HTTP 200 `{"error":"invalid_grant"}`.
pub fn reddit_invalid_grant(status: u16, body: &Value) -> bool {
    status == 200 && *body == json!({"error": "invalid_grant"})
}

pub fn rfc_invalid_grant(status: u16, body: &Value) -> bool {
    status == 400 && body["error"] == "invalid_grant"
}
