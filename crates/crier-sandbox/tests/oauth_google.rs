//! Google's authorization server in the sandbox (YouTube and Business
//! Profile tokens): consent, code + PKCE, expiry, refresh without rotation,
//! revoke.

#[path = "oauth_kit/mod.rs"]
mod kit;

use crier_sandbox::seed;
use kit::{Api, Profile};
use serde_json::{Value, json};

fn google() -> Profile {
    Profile {
        name: "google",
        authorize: "/google/o/oauth2/v2/auth",
        token: "/google/token",
        client_param: "client_id",
        client_id: seed::GOOGLE_CLIENT_ID,
        client_secret: seed::GOOGLE_CLIENT_SECRET,
        basic: false,
        scope: "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly https://www.googleapis.com/auth/business.manage",
        extra: &[("access_type", "offline"), ("prompt", "consent")],
        rotates: false,
        invalid_grant: |s, b| {
            s == 400
                && b["error"] == "invalid_grant"
                && b["error_description"] == "Token has been expired or revoked."
        },
        bad_code: kit::rfc_invalid_grant,
    }
}

fn unauthenticated(status: u16, body: &Value) -> bool {
    status == 401 && body["error"]["status"] == "UNAUTHENTICATED"
}

fn youtube() -> Api {
    Api {
        method: reqwest::Method::GET,
        path: "/youtube/youtube/v3/channels?part=snippet&mine=true".into(),
        ok: 200,
        expired: unauthenticated,
    }
}

fn gmb() -> Api {
    Api {
        method: reqwest::Method::GET,
        path: format!(
            "/gmb/v4/accounts/{}/locations/{}/localPosts",
            seed::GMB_ACCOUNT_ID,
            seed::GMB_LOCATION_ID
        ),
        ok: 200,
        expired: |s, b| unauthenticated(s, b) && b.to_string().contains("ACCESS_TOKEN_EXPIRED"),
    }
}

#[tokio::test]
async fn youtube_code_flow_expiry_and_refresh() {
    let sb = kit_sandbox().await;
    kit::full_flow(&sb, &google(), &youtube(), true).await;
    // The seeded token still works.
    let (status, _) = kit::call_api(&sb, &youtube(), seed::YOUTUBE_ACCESS_TOKEN).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn business_profile_accepts_the_same_grant() {
    let sb = kit_sandbox().await;
    kit::full_flow(&sb, &google(), &gmb(), false).await;
}

#[tokio::test]
async fn refusals() {
    let sb = kit_sandbox().await;
    kit::refusals(&sb, &google(), "access_denied").await;
}

#[tokio::test]
async fn answers_in_google_wire_format() {
    let sb = kit_sandbox().await;
    let p = google();
    let answer = kit::code_flow(&sb, &p, None).await;
    assert_eq!(answer["token_type"], "Bearer");
    assert_eq!(answer["expires_in"], 3599);
    assert_eq!(answer["scope"], p.scope);
    assert!(
        answer["access_token"]
            .as_str()
            .unwrap()
            .starts_with("ya29.")
    );
    let refresh = answer["refresh_token"].as_str().unwrap().to_owned();
    // A refresh answer carries no refresh_token (Google keeps the old one).
    let (status, renewed) = kit::token(
        &sb,
        &p,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(renewed.get("refresh_token").is_none(), "{renewed}");
    // Without access_type=offline: no refresh token at all.
    let online = Profile {
        extra: &[],
        ..google()
    };
    let answer = kit::code_flow(&sb, &online, None).await;
    assert!(answer.get("refresh_token").is_none(), "{answer}");
    // Unknown grant types and missing parameters.
    let (status, body) = kit::token(&sb, &p, &[("grant_type", "password")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = kit::token(
        &sb,
        &p,
        &[
            ("grant_type", "authorization_code"),
            ("code", "4/0nope"),
            ("redirect_uri", kit::REDIRECT),
        ],
    )
    .await;
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Bad Request"})
    );
    assert_eq!(status, 400);
}

#[tokio::test]
async fn revoke_ends_the_grant() {
    let sb = kit_sandbox().await;
    let p = google();
    let answer = kit::code_flow(&sb, &p, None).await;
    let access = answer["access_token"].as_str().unwrap();
    let refresh = answer["refresh_token"].as_str().unwrap();
    let c = kit::client();
    let r = c
        .post(format!("{}/google/revoke", sb.url))
        .form(&[("token", refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (status, body) = kit::token(
        &sb,
        &p,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert!((p.invalid_grant)(status, &body), "{body}");
    // The grant's access token is gone too: the emulator no longer knows it.
    let (status, _) = kit::call_api(&sb, &youtube(), access).await;
    assert_eq!(status, 401);
    let r = c
        .post(format!("{}/google/revoke?token={refresh}", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");
}

async fn kit_sandbox() -> crier_sandbox::SandboxHandle {
    crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}
