//! The sandbox's authorization servers of LinkedIn, TikTok, Pinterest,
//! Reddit and Snapchat: consent, code (+ PKCE), tokens the emulators
//! accept, expiry with each network's expired-token answer, refresh, and
//! rotation where the network rotates.

#[path = "oauth_kit/mod.rs"]
mod kit;

use crier_sandbox::seed;
use kit::{Api, Profile};
use serde_json::Value;

async fn sandbox() -> crier_sandbox::SandboxHandle {
    crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn linkedin() -> Profile {
    Profile {
        name: "linkedin",
        authorize: "/linkedin/oauth/v2/authorization",
        token: "/linkedin/oauth/v2/accessToken",
        client_param: "client_id",
        client_id: seed::LINKEDIN_CLIENT_ID,
        client_secret: seed::LINKEDIN_CLIENT_SECRET,
        basic: false,
        scope: "openid profile w_member_social",
        extra: &[],
        rotates: false,
        invalid_grant: kit::rfc_invalid_grant,
        bad_code: |s, b| s == 400 && b["error"] == "invalid_request",
    }
}

fn tiktok() -> Profile {
    Profile {
        name: "tiktok",
        authorize: "/tiktok/v2/auth/authorize/",
        token: "/tiktok/v2/oauth/token/",
        client_param: "client_key",
        client_id: seed::TIKTOK_CLIENT_ID,
        client_secret: seed::TIKTOK_CLIENT_SECRET,
        basic: false,
        scope: "user.info.basic,video.publish,video.upload",
        extra: &[],
        rotates: true,
        invalid_grant: |s, b| kit::rfc_invalid_grant(s, b) && b["log_id"].is_string(),
        bad_code: kit::rfc_invalid_grant,
    }
}

fn pinterest() -> Profile {
    Profile {
        name: "pinterest",
        authorize: "/pinterest/oauth/",
        token: "/pinterest/v5/oauth/token",
        client_param: "client_id",
        client_id: seed::PINTEREST_CLIENT_ID,
        client_secret: seed::PINTEREST_CLIENT_SECRET,
        basic: true,
        scope: "boards:read,boards:write,pins:read,pins:write,user_accounts:read",
        extra: &[],
        rotates: true,
        invalid_grant: pinterest_dead,
        bad_code: pinterest_dead,
    }
}

fn pinterest_dead(status: u16, body: &Value) -> bool {
    status == 401 && body["code"] == 283
}

fn reddit() -> Profile {
    Profile {
        name: "reddit",
        authorize: "/reddit/api/v1/authorize",
        token: "/reddit/api/v1/access_token",
        client_param: "client_id",
        client_id: seed::REDDIT_CLIENT_ID,
        client_secret: seed::REDDIT_CLIENT_SECRET,
        basic: true,
        scope: "identity submit read flair",
        extra: &[("duration", "permanent")],
        rotates: false,
        invalid_grant: kit::reddit_invalid_grant,
        bad_code: kit::reddit_invalid_grant,
    }
}

fn snapchat() -> Profile {
    Profile {
        name: "snapchat",
        authorize: "/snapchat/login/oauth2/authorize",
        token: "/snapchat/login/oauth2/access_token",
        client_param: "client_id",
        client_id: seed::SNAPCHAT_CLIENT_ID,
        client_secret: seed::SNAPCHAT_CLIENT_SECRET,
        basic: false,
        scope: "snapchat-profile-api",
        extra: &[],
        rotates: true,
        invalid_grant: kit::rfc_invalid_grant,
        bad_code: kit::rfc_invalid_grant,
    }
}

fn get(path: &str, expired: fn(u16, &Value) -> bool) -> Api {
    Api {
        method: reqwest::Method::GET,
        path: path.into(),
        ok: 200,
        expired,
    }
}

#[tokio::test]
async fn linkedin_flow() {
    let sb = sandbox().await;
    let api = get("/linkedin/v2/userinfo", |s, b| {
        s == 401 && b["serviceErrorCode"] == 65602
    });
    kit::full_flow(&sb, &linkedin(), &api, false).await;
    kit::refusals(&sb, &linkedin(), "user_cancelled_authorize").await;
}

#[tokio::test]
async fn tiktok_flow_rotates() {
    let sb = sandbox().await;
    let api = Api {
        method: reqwest::Method::POST,
        path: "/tiktok/v2/post/publish/creator_info/query/".into(),
        ok: 200,
        expired: |s, b| s == 401 && b["error"]["code"] == "access_token_invalid",
    };
    kit::full_flow(&sb, &tiktok(), &api, true).await;
    kit::refusals(&sb, &tiktok(), "access_denied").await;
}

#[tokio::test]
async fn pinterest_flow_rotates() {
    let sb = sandbox().await;
    let api = get("/pinterest/v5/user_account", |s, b| {
        s == 401 && b["code"] == 2
    });
    kit::full_flow(&sb, &pinterest(), &api, false).await;
    kit::refusals(&sb, &pinterest(), "access_denied").await;
}

#[tokio::test]
async fn reddit_flow() {
    let sb = sandbox().await;
    let api = get("/reddit/api/v1/me", |s, _| s == 401);
    kit::full_flow(&sb, &reddit(), &api, false).await;
    kit::refusals(&sb, &reddit(), "access_denied").await;
}

#[tokio::test]
async fn snapchat_flow_rotates() {
    let sb = sandbox().await;
    let api = get("/snapchat/v1/public_profiles/my_profile", |s, _| s == 401);
    kit::full_flow(&sb, &snapchat(), &api, false).await;
    kit::refusals(&sb, &snapchat(), "access_denied").await;
}

#[tokio::test]
async fn wire_formats() {
    let sb = sandbox().await;
    // TikTok: open_id, refresh_expires_in, comma-joined scope.
    let t = kit::code_flow(&sb, &tiktok(), None).await;
    assert_eq!(t["open_id"], seed::TIKTOK_OPEN_ID);
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "user.info.basic,video.publish,video.upload");
    assert!(t["refresh_expires_in"].as_u64().unwrap() > 0);
    assert!(t["access_token"].as_str().unwrap().starts_with("act."));
    // LinkedIn: refresh_token_expires_in; the refresh keeps the horizon.
    let l = kit::code_flow(&sb, &linkedin(), None).await;
    assert_eq!(l["expires_in"], 5_184_000);
    let horizon = l["refresh_token_expires_in"].as_u64().unwrap();
    let rt = l["refresh_token"].as_str().unwrap();
    let (_, r) = kit::token(
        &sb,
        &linkedin(),
        &[("grant_type", "refresh_token"), ("refresh_token", rt)],
    )
    .await;
    assert_eq!(r["refresh_token"], rt);
    assert!(r["refresh_token_expires_in"].as_u64().unwrap() <= horizon);
    // Pinterest: the continuous-refresh fields.
    let p = kit::code_flow(&sb, &pinterest(), None).await;
    assert_eq!(p["response_type"], "authorization_code");
    assert_eq!(p["refresh_token_expires_in"], 5_184_000);
    assert!(p["refresh_token_expires_at"].as_i64().unwrap() > 0);
    // Reddit: no refresh token for a temporary grant; space-joined scope.
    let temp = Profile {
        extra: &[("duration", "temporary")],
        ..reddit()
    };
    let r = kit::code_flow(&sb, &temp, None).await;
    assert!(r.get("refresh_token").is_none(), "{r}");
    assert_eq!(r["scope"], "identity submit read flair");
    // Reddit and Pinterest take the client only through HTTP Basic.
    let c = kit::client();
    let resp = c
        .post(format!("{}/reddit/api/v1/access_token", sb.url))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", seed::REDDIT_CLIENT_ID),
            ("client_secret", seed::REDDIT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"message": "Unauthorized", "error": 401})
    );
}

#[tokio::test]
async fn revoke_endpoints() {
    let sb = sandbox().await;
    let c = kit::client();
    // TikTok: form client_key, client_secret, token.
    let t = kit::code_flow(&sb, &tiktok(), None).await;
    let r = c
        .post(format!("{}/tiktok/v2/oauth/revoke/", sb.url))
        .form(&[
            ("client_key", seed::TIKTOK_CLIENT_ID),
            ("client_secret", seed::TIKTOK_CLIENT_SECRET),
            ("token", t["access_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (s, b) = kit::token(
        &sb,
        &tiktok(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert!((tiktok().invalid_grant)(s, &b), "{b}");
    // Reddit: Basic auth, 204, the refresh token ends the grant.
    let r1 = kit::code_flow(&sb, &reddit(), None).await;
    let resp = c
        .post(format!("{}/reddit/api/v1/revoke_token", sb.url))
        .basic_auth(seed::REDDIT_CLIENT_ID, Some(seed::REDDIT_CLIENT_SECRET))
        .form(&[
            ("token", r1["refresh_token"].as_str().unwrap()),
            ("token_type_hint", "refresh_token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let (s, b) = kit::token(
        &sb,
        &reddit(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", r1["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert!(kit::reddit_invalid_grant(s, &b), "{b}");
    // LinkedIn: form client_id, client_secret, token.
    let l = kit::code_flow(&sb, &linkedin(), None).await;
    let resp = c
        .post(format!("{}/linkedin/oauth/v2/revoke", sb.url))
        .form(&[
            ("client_id", seed::LINKEDIN_CLIENT_ID),
            ("client_secret", seed::LINKEDIN_CLIENT_SECRET),
            ("token", l["access_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let api = get("/linkedin/v2/userinfo", |_, _| false);
    let (s, _) = kit::call_api(&sb, &api, l["access_token"].as_str().unwrap()).await;
    assert_eq!(s, 401);
}
