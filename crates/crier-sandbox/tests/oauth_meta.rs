//! Facebook Login and Threads in the sandbox: the dialog, the code
//! exchange, long-lived tokens, Page tokens from /me/accounts that reach the
//! Page and its Instagram account, expiry (190/463), Threads' refresh.

#[path = "oauth_kit/mod.rs"]
mod kit;

use crier_sandbox::seed;
use kit::{Api, REDIRECT};
use serde_json::{Value, json};

async fn sandbox() -> crier_sandbox::SandboxHandle {
    crier_sandbox::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

fn dialog_params(client_id: &str, scope: &str) -> Vec<(String, String)> {
    vec![
        ("client_id".into(), client_id.into()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("response_type".into(), "code".into()),
        ("scope".into(), scope.into()),
        ("state".into(), "st-123".into()),
    ]
}

fn facebook() -> kit::Profile {
    kit::Profile {
        name: "facebook",
        authorize: "/facebook/v25.0/dialog/oauth",
        token: "/facebook/v25.0/oauth/access_token",
        client_param: "client_id",
        client_id: seed::FACEBOOK_CLIENT_ID,
        client_secret: seed::FACEBOOK_CLIENT_SECRET,
        basic: false,
        scope: "pages_show_list,pages_manage_posts,pages_read_engagement,instagram_basic,instagram_content_publish",
        extra: &[],
        rotates: false,
        invalid_grant: |_, _| false,
        bad_code: |_, _| false,
    }
}

fn threads() -> kit::Profile {
    kit::Profile {
        name: "threads",
        authorize: "/threads/oauth/authorize",
        token: "/threads/oauth/access_token",
        client_id: seed::THREADS_CLIENT_ID,
        client_secret: seed::THREADS_CLIENT_SECRET,
        scope: "threads_basic,threads_content_publish",
        ..facebook()
    }
}

fn graph_dead(status: u16, body: &Value, subcode: i64) -> bool {
    status == 400
        && body["error"]["code"] == 190
        && body["error"]["error_subcode"] == subcode
        && body["error"]["type"] == "OAuthException"
}

async fn graph_get(sb: &crier_sandbox::SandboxHandle, path_and_query: &str) -> (u16, Value) {
    let r = kit::client()
        .get(format!("{}{}", sb.url, path_and_query))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Dialog → code → short-lived user token (GET with the secret in the query).
async fn facebook_user_token(sb: &crier_sandbox::SandboxHandle) -> Value {
    let p = facebook();
    let back = kit::decide(sb, &p, &dialog_params(p.client_id, p.scope), "consent").await;
    assert_eq!(back["state"], "st-123");
    let (status, body) = graph_get(
        sb,
        &format!(
            "/facebook/v25.0/oauth/access_token?client_id={}&client_secret={}&redirect_uri={}&code={}",
            p.client_id,
            p.client_secret,
            urlencode(REDIRECT),
            back["code"]
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
    body
}

fn urlencode(s: &str) -> String {
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

#[tokio::test]
async fn facebook_login_long_lived_and_page_tokens() {
    let sb = sandbox().await;
    let p = facebook();
    let short = facebook_user_token(&sb).await;
    assert_eq!(short["expires_in"], 3600);
    let short_token = short["access_token"].as_str().unwrap();
    // Long-lived exchange.
    let (status, long) = graph_get(
        &sb,
        &format!(
            "/facebook/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id={}&client_secret={}&fb_exchange_token={short_token}",
            p.client_id, p.client_secret
        ),
    )
    .await;
    assert_eq!(status, 200, "{long}");
    assert_eq!(long["expires_in"], 5_183_944);
    let long_token = long["access_token"].as_str().unwrap();
    // Page token, with the Page's Instagram account.
    let r = kit::client()
        .get(format!(
            "{}/facebook/v25.0/me/accounts?fields=id,name,access_token,instagram_business_account",
            sb.url
        ))
        .bearer_auth(long_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let accounts: Value = r.json().await.unwrap();
    let page = &accounts["data"][0];
    assert_eq!(page["id"], seed::FACEBOOK_PAGE_ID);
    assert_eq!(
        page["instagram_business_account"]["id"],
        seed::INSTAGRAM_USER_ID
    );
    assert!(page.get("tasks").is_none(), "fields projects: {page}");
    let page_token = page["access_token"].as_str().unwrap().to_owned();
    // The Page token reaches the Page and its Instagram account.
    let page_api = Api {
        method: reqwest::Method::GET,
        path: format!("/facebook/v25.0/{}?fields=name", seed::FACEBOOK_PAGE_ID),
        ok: 200,
        expired: |s, b| graph_dead(s, b, 463),
    };
    let (status, body) = kit::call_api(&sb, &page_api, &page_token).await;
    assert_eq!(status, 200, "{body}");
    let ig = graph_get(
        &sb,
        &format!(
            "/facebook/v25.0/{}?fields=username&access_token={page_token}",
            seed::INSTAGRAM_USER_ID
        ),
    )
    .await;
    assert_eq!(ig.0, 200, "{}", ig.1);
    assert_eq!(ig.1["username"], seed::INSTAGRAM_USERNAME);
    // Expiry: everything of the network expires now → 190/463.
    kit::control(&sb, "expire", json!({"network": "facebook"})).await;
    let (status, body) = kit::call_api(&sb, &page_api, &page_token).await;
    assert!(graph_dead(status, &body, 463), "{status} {body}");
    // An expired short-lived token cannot be exchanged.
    let (status, body) = graph_get(
        &sb,
        &format!(
            "/facebook/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id={}&client_secret={}&fb_exchange_token={short_token}",
            p.client_id, p.client_secret
        ),
    )
    .await;
    assert!(graph_dead(status, &body, 463), "{status} {body}");
    // Seeded tokens are untouched.
    let (status, _) = kit::call_api(&sb, &page_api, seed::FACEBOOK_PAGE_TOKEN).await;
    assert_eq!(status, 200);
    let calls = kit::calls(&sb, "facebook").await;
    assert_eq!(
        calls,
        json!({"authorization_code": 1, "fb_exchange_token": 2})
    );
}

#[tokio::test]
async fn facebook_lifetimes_expire_the_user_token() {
    let sb = sandbox().await;
    kit::control(
        &sb,
        "lifetimes",
        json!({"network": "instagram", "accessTokenSecs": 1}),
    )
    .await;
    let short = facebook_user_token(&sb).await;
    let api = Api {
        method: reqwest::Method::GET,
        path: format!("/facebook/v25.0/{}?fields=name", seed::FACEBOOK_PAGE_ID),
        ok: 200,
        expired: |s, b| graph_dead(s, b, 463),
    };
    kit::wait_expired(&sb, &api, short["access_token"].as_str().unwrap()).await;
}

#[tokio::test]
async fn facebook_refusals() {
    let sb = sandbox().await;
    let p = facebook();
    let back = kit::decide(&sb, &p, &dialog_params(p.client_id, p.scope), "deny").await;
    assert_eq!(back["error"], "access_denied");
    assert_eq!(back["error_reason"], "user_denied");
    assert_eq!(back["state"], "st-123");
    let back = kit::decide(&sb, &p, &dialog_params(p.client_id, p.scope), "consent").await;
    let code = &back["code"];
    let url = |redirect: &str| {
        format!(
            "/facebook/v25.0/oauth/access_token?client_id={}&client_secret={}&redirect_uri={}&code={code}",
            p.client_id,
            p.client_secret,
            urlencode(redirect)
        )
    };
    let (status, body) = graph_get(&sb, &url("http://127.0.0.1:9/other")).await;
    assert_eq!(
        (status, body["error"]["error_subcode"].as_i64()),
        (400, Some(36008))
    );
    assert_eq!(graph_get(&sb, &url(REDIRECT)).await.0, 200);
    let (status, body) = graph_get(&sb, &url(REDIRECT)).await;
    assert_eq!(
        (status, body["error"]["error_subcode"].as_i64()),
        (400, Some(36009)),
        "{body}"
    );
    // Unknown scope and foreign redirect: error pages.
    let (status, _) = kit::page(
        &sb,
        &p,
        &dialog_params(p.client_id, "pages_show_list,publish_everything"),
    )
    .await;
    assert_eq!(status, 400);
    let mut foreign = dialog_params(p.client_id, p.scope);
    foreign[1].1 = "https://evil.example/cb".into();
    assert_eq!(kit::page(&sb, &p, &foreign).await.0, 400);
    // Removing the app kills the grant's tokens.
    let user = facebook_user_token(&sb).await;
    let token = user["access_token"].as_str().unwrap();
    let r = kit::client()
        .delete(format!("{}/facebook/v25.0/me/permissions", sb.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"success": true}));
    let (status, body) = graph_get(
        &sb,
        &format!("/facebook/v25.0/me/accounts?access_token={token}"),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(190)));
}

#[tokio::test]
async fn threads_code_long_lived_and_refresh() {
    let sb = sandbox().await;
    let p = threads();
    let back = kit::decide(&sb, &p, &dialog_params(p.client_id, p.scope), "consent").await;
    let (status, short) = kit::token(
        &sb,
        &p,
        &[
            ("grant_type", "authorization_code"),
            ("code", &back["code"]),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{short}");
    assert_eq!(
        short["user_id"].as_u64().unwrap().to_string(),
        seed::THREADS_USER_ID
    );
    let short_token = short["access_token"].as_str().unwrap();
    kit::control(
        &sb,
        "lifetimes",
        json!({"network": "threads", "longLivedTokenSecs": 2}),
    )
    .await;
    let (status, long) = graph_get(
        &sb,
        &format!("/threads/access_token?grant_type=th_exchange_token&client_secret={}&access_token={short_token}", p.client_secret),
    )
    .await;
    assert_eq!(status, 200, "{long}");
    assert_eq!(long["expires_in"], 2);
    let long_token = long["access_token"].as_str().unwrap().to_owned();
    let api = Api {
        method: reqwest::Method::GET,
        path: "/threads/v1.0/me?fields=id,username".into(),
        ok: 200,
        expired: |s, b| graph_dead(s, b, 463),
    };
    let (status, me) = kit::call_api(&sb, &api, &long_token).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["id"], seed::THREADS_USER_ID);
    // Refresh while alive: a new 60-day (here 2 s → reset to default) token.
    kit::control(
        &sb,
        "lifetimes",
        json!({"network": "threads", "longLivedTokenSecs": 5_183_944}),
    )
    .await;
    let (status, refreshed) = graph_get(&sb, &format!("/threads/v1.0/refresh_access_token?grant_type=th_refresh_token&access_token={long_token}")).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(refreshed["expires_in"], 5_183_944);
    let new_token = refreshed["access_token"].as_str().unwrap();
    assert_ne!(new_token, long_token);
    // The old one runs out on its own; refreshing it then is 190/463.
    kit::wait_expired(&sb, &api, &long_token).await;
    let (status, body) = graph_get(
        &sb,
        &format!(
            "/threads/refresh_access_token?grant_type=th_refresh_token&access_token={long_token}"
        ),
    )
    .await;
    assert!(graph_dead(status, &body, 463), "{body}");
    assert_eq!(kit::call_api(&sb, &api, new_token).await.0, 200);
    // Threads' 24-hour rule, when switched on.
    kit::control(
        &sb,
        "lifetimes",
        json!({"network": "threads", "minRefreshAgeSecs": 86_400}),
    )
    .await;
    let (status, _) = graph_get(
        &sb,
        &format!(
            "/threads/refresh_access_token?grant_type=th_refresh_token&access_token={new_token}"
        ),
    )
    .await;
    assert_eq!(status, 400);
    let calls = kit::calls(&sb, "threads").await;
    assert_eq!(
        calls,
        json!({"authorization_code": 1, "th_exchange_token": 1, "th_refresh_token": 3})
    );
    // Deny carries Meta's parameters.
    let back = kit::decide(&sb, &p, &dialog_params(p.client_id, p.scope), "deny").await;
    assert_eq!(back["error_reason"], "user_denied");
    // threads_basic is mandatory.
    assert_eq!(
        kit::page(
            &sb,
            &p,
            &dialog_params(p.client_id, "threads_content_publish")
        )
        .await
        .0,
        400
    );
}
