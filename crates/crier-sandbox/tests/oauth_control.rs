//! `/_sandbox/oauth/...`: apps, registered redirect URIs, lifetimes,
//! reset, and bad control bodies.

#[path = "oauth_kit/mod.rs"]
mod kit;

use crier_sandbox::seed;
use serde_json::{Value, json};

#[tokio::test]
async fn apps_lifetimes_redirects_and_reset() {
    let sb = crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let c = kit::client();
    let apps: Value = c
        .get(format!("{}/_sandbox/oauth/apps", sb.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let apps = apps["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 9);
    let google = apps.iter().find(|a| a["network"] == "google").unwrap();
    assert_eq!(google["clientId"], seed::GOOGLE_CLIENT_ID);
    assert_eq!(google["clientSecret"], seed::GOOGLE_CLIENT_SECRET);
    assert_eq!(google["loopbackRedirects"], true);

    // A non-loopback redirect URI works once registered.
    let p = kit::Profile {
        name: "google",
        authorize: "/google/o/oauth2/v2/auth",
        token: "/google/token",
        client_param: "client_id",
        client_id: seed::GOOGLE_CLIENT_ID,
        client_secret: seed::GOOGLE_CLIENT_SECRET,
        basic: false,
        scope: "https://www.googleapis.com/auth/youtube.upload",
        extra: &[],
        rotates: false,
        invalid_grant: kit::rfc_invalid_grant,
        bad_code: kit::rfc_invalid_grant,
    };
    let params = kit::authorize_params(&p, "https://crier.example/link/callback/youtube", None);
    assert_eq!(kit::page(&sb, &p, &params).await.0, 400);
    let app = kit::control(
        &sb,
        "apps",
        json!({"network": "youtube", "redirectUri": "https://crier.example/link/callback/youtube"}),
    )
    .await;
    assert_eq!(
        app["redirectUris"],
        json!(["https://crier.example/link/callback/youtube"])
    );
    assert_eq!(kit::page(&sb, &p, &params).await.0, 200);

    // Lifetimes: set, read back, refused when zero or unknown.
    let l = kit::control(
        &sb,
        "lifetimes",
        json!({"network": "tiktok", "accessTokenSecs": 20, "refreshTokenSecs": 40}),
    )
    .await;
    assert_eq!(
        (
            l["accessTokenSecs"].as_u64(),
            l["refreshTokenSecs"].as_u64()
        ),
        (Some(20), Some(40))
    );
    let all: Value = c
        .get(format!("{}/_sandbox/oauth/lifetimes", sb.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["lifetimes"]["tiktok"]["accessTokenSecs"], 20);
    assert_eq!(all["lifetimes"]["google"]["accessTokenSecs"], 3599);
    for bad in [
        json!({"network": "tiktok", "accessTokenSecs": 0}),
        json!({"network": "myspace", "accessTokenSecs": 5}),
        json!({"network": "tiktok", "accesTokenSecs": 5}),
    ] {
        let r = c
            .post(format!("{}/_sandbox/oauth/lifetimes", sb.url))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400, "{bad}");
        assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    }

    // A code, a grant and a counter; reset forgets them all.
    let answer = kit::code_flow(
        &sb,
        &kit::Profile {
            extra: &[("access_type", "offline")],
            ..p
        },
        None,
    )
    .await;
    let refresh = answer["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(kit::calls(&sb, "google").await["authorization_code"], 1);
    let revoked = kit::control(
        &sb,
        "revoke",
        json!({"network": "google", "token": refresh}),
    )
    .await;
    assert_eq!(revoked["revoked"], true);
    let r = c
        .post(format!("{}/_sandbox/reset", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(kit::calls(&sb, "google").await, Value::Null);
    let all: Value = c
        .get(format!("{}/_sandbox/oauth/lifetimes", sb.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["lifetimes"]["tiktok"]["accessTokenSecs"], 7200);
}

/// Faults reach the token endpoints; `reset: "after"` drops the answer of
/// a refresh that did happen (TikTok rotated: the old token is now dead).
#[tokio::test]
async fn faults_on_token_endpoints() {
    let sb = crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let c = kit::client();
    let cases = [
        ("google", "token", "/google/token"),
        ("tiktok", "v2/oauth/token", "/tiktok/v2/oauth/token/"),
        (
            "linkedin",
            "oauth/v2/accessToken",
            "/linkedin/oauth/v2/accessToken",
        ),
        ("pinterest", "v5/oauth/token", "/pinterest/v5/oauth/token"),
        (
            "reddit",
            "api/v1/access_token",
            "/reddit/api/v1/access_token",
        ),
        (
            "snapchat",
            "login/oauth2/access_token",
            "/snapchat/login/oauth2/access_token",
        ),
        (
            "facebook",
            "access_token",
            "/facebook/v25.0/oauth/access_token",
        ),
        ("threads", "access_token", "/threads/oauth/access_token"),
    ];
    for (network, endpoint, path) in cases {
        let fault = json!({"network": network, "endpoint": endpoint, "status": 503});
        let r = c
            .post(format!("{}/_sandbox/faults", sb.url))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{fault}");
        let r = c
            .post(format!("{}{path}", sb.url))
            .form(&[("grant_type", "refresh_token")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 503, "{network} {endpoint}");
    }

    let tiktok = kit::Profile {
        name: "tiktok",
        authorize: "/tiktok/v2/auth/authorize/",
        token: "/tiktok/v2/oauth/token/",
        client_param: "client_key",
        client_id: seed::TIKTOK_CLIENT_ID,
        client_secret: seed::TIKTOK_CLIENT_SECRET,
        basic: false,
        scope: "user.info.basic,video.publish",
        extra: &[],
        rotates: true,
        invalid_grant: kit::rfc_invalid_grant,
        bad_code: kit::rfc_invalid_grant,
    };
    let answer = kit::code_flow(&sb, &tiktok, None).await;
    let refresh = answer["refresh_token"].as_str().unwrap();
    let fault = json!({"network": "tiktok", "endpoint": "v2/oauth/token", "reset": "after"});
    c.post(format!("{}/_sandbox/faults", sb.url))
        .json(&fault)
        .send()
        .await
        .unwrap();
    let lost = c
        .post(format!("{}/tiktok/v2/oauth/token/", sb.url))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_key", seed::TIKTOK_CLIENT_ID),
            ("client_secret", seed::TIKTOK_CLIENT_SECRET),
        ])
        .send()
        .await;
    assert!(lost.is_err() || lost.unwrap().bytes().await.is_err());
    let (status, body) = kit::token(
        &sb,
        &tiktok,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert!(kit::rfc_invalid_grant(status, &body), "{body}");
    // The 503 fault answered before the server saw it: not counted.
    assert_eq!(kit::calls(&sb, "tiktok").await["refresh_token"], 2);
}
