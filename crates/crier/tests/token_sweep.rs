//! Idle accounts are refreshed before their grant dies, without any post (token_sweep.rs):
//! with a 1 s sweep and the sandbox's short lifetimes, a Pinterest account nobody uses gets a
//! new access token before the old one ends, and a refresh token close to its end is renewed.
//! Two nodes on PostgreSQL sweeping at once refresh the account once (Pinterest rotates its
//! refresh token: a second refresh would have spent the first's and killed the grant).

mod common;
use common::*;
use crier::oauth_cfg::OAuthConfig;
use crier_core::Platform;
use crier_networks::oauth;
use crier_sandbox::seed;
use crier_store::GrantedTokens;
use serde_json::{Value, json};
use std::time::Duration;

const REDIRECT: &str = "http://127.0.0.1:9/link/callback/pinterest";

async fn harness(margin_secs: u64) -> Harness {
    Harness::start_with_sandbox(|c, url| {
        c.oauth = OAuthConfig::sandbox(url);
        c.engine.token_sweep_secs = 1;
        c.engine.token_sweep_margin_secs = margin_secs;
    })
    .await
}

async fn primary(h: &Harness) -> String {
    let store = h.running.store();
    let account = store.account_for_key(&h.key).await.unwrap().unwrap();
    store.primary_profile(&account).await.unwrap().id
}

/// Consent at the sandbox and the code exchange; links Pinterest with what was granted.
async fn link_pinterest(h: &Harness) -> Value {
    link_pinterest_expiring(h, false).await
}

/// `expired`: crier's record says the access token's time is up.
async fn link_pinterest_expiring(h: &Harness, expired: bool) -> Value {
    let app = OAuthConfig::sandbox(&h.sandbox.url).app(Platform::Pinterest, None).unwrap();
    let url = oauth::authorize_url(Platform::Pinterest, &app, REDIRECT, "s", None, &[]).unwrap();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.post(&url).form(&[("decision", "consent")]).send().await.unwrap();
    let location = r.headers().get("location").unwrap().to_str().unwrap().to_string();
    let code = url::Url::parse(&location).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let store = h.running.store();
    let sent = store.now_ms();
    let tokens = oauth::exchange_code(&h.http, Platform::Pinterest, &app, &code, REDIRECT, None).await.unwrap();
    let creds = json!({"accessToken": tokens.access_token, "refreshToken": tokens.refresh_token.clone().unwrap(), "boardId": seed::PINTEREST_BOARD_ID});
    let lifetime = tokens.expires_in.unwrap() * 1000;
    let granted = GrantedTokens {
        expires_ms: Some(if expired { sent - 1 } else { sent + lifetime }),
        refresh_expires_ms: tokens.refresh_expires_in.map(|s| sent + s * 1000),
        lifetime_ms: Some(lifetime),
        scopes: None,
        app: Some(&app.client_id),
    };
    store.link_network_with_tokens(&primary(h).await, Platform::Pinterest, &creds, Some("crier_sandbox"), &granted).await.unwrap();
    creds
}

async fn refreshes(h: &Harness) -> i64 {
    let v: Value = h.http.get(format!("{}/_sandbox/oauth/calls?network=pinterest", h.sandbox.url)).send().await.unwrap().json().await.unwrap();
    v["calls"]["pinterest"]["refresh_token"].as_i64().unwrap_or(0)
}

/// Polls (deadline 30 s) until the stored access token is no longer `old`'s; returns the new one.
async fn replaced(h: &Harness, old: &Value) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let profile = primary(h).await;
    loop {
        let (now, _) = h.running.store().token_state(&profile, Platform::Pinterest).await.unwrap().unwrap();
        if now["accessToken"] != old["accessToken"] {
            return now;
        }
        assert!(tokio::time::Instant::now() < deadline, "no sweep refreshed the idle account");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_idle_account_is_refreshed_before_its_access_token_ends() {
    let h = harness(1).await;
    h.control("oauth/lifetimes", json!({"network": "pinterest", "accessTokenSecs": 20})).await;
    let old = link_pinterest(&h).await;
    // Half its life is left for a while: nothing to do yet.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(refreshes(&h).await, 0, "refreshed too early");
    let new = replaced(&h, &old).await;
    assert!(refreshes(&h).await >= 1);
    // Pinterest rotates: the new refresh token is the one stored, and the new token publishes.
    assert_ne!(new["refreshToken"], old["refreshToken"]);
    let t = text("after an idle refresh");
    let r = h.post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_refresh_token_near_its_end_is_renewed_while_idle() {
    // Access tokens for an hour (the sweep leaves them alone), refresh tokens for 30 s, and the
    // sweep renews refresh tokens with 25 s or less left.
    let h = harness(25).await;
    h.control("oauth/lifetimes", json!({"network": "pinterest", "accessTokenSecs": 3600, "refreshTokenSecs": 30})).await;
    let old = link_pinterest(&h).await;
    let new = replaced(&h, &old).await;
    assert_ne!(new["refreshToken"], old["refreshToken"]);
    let (_, meta) = h.running.store().token_state(&primary(&h).await, Platform::Pinterest).await.unwrap().unwrap();
    assert!(meta.refresh_expires_ms.unwrap() > h.running.store().now_ms() + 20_000, "{meta:?}");
}

#[tokio::test]
async fn two_nodes_sweeping_at_once_refresh_once() {
    let Some(db) = test_database().await else {
        eprintln!("the two-node sweep race needs PostgreSQL: set CRIER_TEST_DATABASE_URL (.ci/run does)");
        return;
    };
    // No background sweeps: the test runs one on each node at the same moment.
    let shared = db.clone();
    let a = Harness::start_with_sandbox(move |c, url| {
        c.database_url = Some(shared);
        c.oauth = OAuthConfig::sandbox(url);
        c.engine.token_sweep_secs = 0;
    })
    .await;
    let dir_b = tempfile::tempdir().unwrap();
    let mut cfg_b = test_config(dir_b.path(), &a.sandbox.url);
    cfg_b.database_url = Some(db);
    cfg_b.oauth = OAuthConfig::sandbox(&a.sandbox.url);
    cfg_b.engine.token_sweep_secs = 0;
    let b = crier::server::start(cfg_b).await.unwrap();
    let old = link_pinterest_expiring(&a, true).await;

    let (on_a, on_b) = tokio::join!(a.running.engine().sweep_tokens(), b.engine().sweep_tokens());
    // The node that lost the lease takes the winner's token (1), or found nothing due once the
    // winner had stored it (0).
    let (on_a, on_b) = (on_a.unwrap(), on_b.unwrap());
    assert!(on_a + on_b >= 1 && on_a <= 1 && on_b <= 1, "{on_a} {on_b}");
    assert_eq!(refreshes(&a).await, 1, "one refresh for both nodes");
    let (now, meta) = a.running.store().token_state(&primary(&a).await, Platform::Pinterest).await.unwrap().unwrap();
    assert!(meta.relink_reason.is_none(), "{meta:?}");
    assert_ne!(now["refreshToken"], old["refreshToken"], "the rotated refresh token is stored");
    // Nothing is due any more.
    assert_eq!(a.running.engine().sweep_tokens().await.unwrap(), 0);
    let t = text("after a raced sweep");
    let r = a.post(json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [a.media("cat.jpg")]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    b.shutdown().await;
}
