//! Token lifecycle end to end, against the sandbox's authorization servers: an account linked
//! through a real code exchange (crier_networks::oauth, as the linking page does it) whose
//! access token expired publishes after exactly one refresh, the rotated refresh token is the one
//! stored; an expired-token answer from the network is followed by one refresh and one retry;
//! a revoked grant gives 908 without a publish call and shows in `GET /api/user`; two nodes on
//! PostgreSQL racing for the same account's posts refresh once.
//! Pinterest: it rotates refresh tokens (continuous refresh) and authenticates with HTTP Basic.

mod common;
use common::*;
use crier::oauth_cfg::OAuthConfig;
use crier_core::Platform;
use crier_networks::oauth::{self, App};
use crier_sandbox::seed;
use crier_store::{GrantedTokens, Store};
use serde_json::{Value, json};

const REDIRECT: &str = "http://127.0.0.1:9/link/callback/pinterest";

async fn harness() -> Harness {
    Harness::start_with_sandbox(|c, url| c.oauth = OAuthConfig::sandbox(url)).await
}

fn app(h: &Harness) -> App {
    OAuthConfig::sandbox(&h.sandbox.url).app(Platform::Pinterest, None).unwrap()
}

async fn primary(store: &Store, key: &str) -> String {
    let account = store.account_for_key(key).await.unwrap().unwrap();
    store.primary_profile(&account).await.unwrap().id
}

/// Consent at the sandbox and the code exchange; links Pinterest with what was granted.
/// `expired`: crier's record says the access token's time is up (it expired meanwhile).
async fn link_by_oauth(h: &Harness, expired: bool) -> Value {
    let app = app(h);
    let verifier = "v".repeat(43);
    let url = oauth::authorize_url(Platform::Pinterest, &app, REDIRECT, "state-1", Some(&oauth::pkce_challenge(&verifier)), &[]).unwrap();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // The consent page's Consent button: the same parameters, posted with the decision.
    let r = no_redirect.post(&url).form(&[("decision", "consent")]).send().await.unwrap();
    let location = r.headers().get("location").unwrap_or_else(|| panic!("consent answered {}", r.status())).to_str().unwrap().to_string();
    let back = url::Url::parse(&location).unwrap();
    assert_eq!(back.query_pairs().find(|(k, _)| k == "state").unwrap().1, "state-1");
    let code = back.query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let tokens = oauth::exchange_code(&h.http, Platform::Pinterest, &app, &code, REDIRECT, Some(&verifier)).await.unwrap();
    let refresh = tokens.refresh_token.clone().expect("Pinterest issues a refresh token");
    let creds = json!({"accessToken": tokens.access_token, "refreshToken": refresh, "boardId": seed::PINTEREST_BOARD_ID});
    let store = h.running.store();
    let now = store.now_ms();
    let lifetime = tokens.expires_in.unwrap() * 1000;
    let scopes = tokens.scopes.join(" ");
    let granted = GrantedTokens {
        expires_ms: Some(if expired { now - 1 } else { now + lifetime }),
        refresh_expires_ms: tokens.refresh_expires_in.map(|s| now + s * 1000),
        lifetime_ms: Some(lifetime),
        scopes: Some(&scopes),
        app: Some(&app.client_id),
    };
    store.link_network_with_tokens(&primary(store, &h.key).await, Platform::Pinterest, &creds, Some("crier_sandbox"), &granted).await.unwrap();
    creds
}

/// The sandbox's count of Pinterest refresh-token grants.
async fn refresh_calls(h: &Harness) -> i64 {
    let v: Value = h.http.get(format!("{}/_sandbox/oauth/calls?network=pinterest", h.sandbox.url)).send().await.unwrap().json().await.unwrap();
    v["calls"]["pinterest"]["refresh_token"].as_i64().unwrap_or(0)
}

fn pin(h: &Harness, t: &str) -> Value {
    json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [h.media("cat.jpg")]})
}

async fn stored(h: &Harness) -> Value {
    let store = h.running.store();
    store.token_state(&primary(store, &h.key).await, Platform::Pinterest).await.unwrap().unwrap().0
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_before_the_post_and_the_rotated_refresh_token_is_kept() {
    let h = harness().await;
    let linked = link_by_oauth(&h, true).await;
    // The sandbox agrees: every access token it issued is dead now.
    h.control("oauth/expire", json!({"network": "pinterest"})).await;
    let t = text("after refresh");
    let r = h.post(pin(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
    assert_eq!(refresh_calls(&h).await, 1);
    let now = stored(&h).await;
    assert_ne!(now["refreshToken"], linked["refreshToken"], "the rotated refresh token is stored");
    assert_ne!(now["accessToken"], linked["accessToken"]);
    assert_eq!(now["previousRefreshToken"], linked["refreshToken"]);
    // The stored refresh token is the live one: the network takes it (and the old one is dead).
    assert!(oauth::refresh(&h.http, Platform::Pinterest, &app(&h), &now).await.is_ok());
    assert!(matches!(oauth::refresh(&h.http, Platform::Pinterest, &app(&h), &linked).await, Err(oauth::TokenError::Relink(_))));
    // A second post uses the stored token: no further refresh by crier.
    let store = h.running.store();
    let kinds: Vec<String> = store.account_events(&primary(store, &h.key).await).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["linked", "refreshed"]);
}

#[tokio::test]
async fn the_networks_expired_answer_brings_one_refresh_and_one_retry() {
    let h = harness().await;
    link_by_oauth(&h, false).await;
    h.control("oauth/expire", json!({"network": "pinterest"})).await;
    let t = text("expired answer");
    let r = h.post(pin(&h, &t)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(h.published(&t).len(), 1);
    assert_eq!(refresh_calls(&h).await, 1);
    let t2 = text("second pin");
    assert_eq!(h.post(pin(&h, &t2)).await.status, 200);
    assert_eq!(refresh_calls(&h).await, 1, "the refreshed token is used as it is");
}

#[tokio::test]
async fn a_token_still_refused_after_its_refresh_fails_with_908_after_one_refresh_only() {
    let h = harness().await;
    link_by_oauth(&h, false).await;
    // Pinterest refuses every pin with 401, fresh token or not.
    h.fault(json!({"network": "pinterest", "endpoint": "pins.create", "status": 401, "times": 0}));
    let t = text("refused twice");
    let r = h.post(pin(&h, &t)).await;
    assert_network_error(&r, "pinterest", 908, 400, false);
    assert_eq!(refresh_calls(&h).await, 1, "one refresh, one retry, then the failure stands");
    assert!(h.published(&t).is_empty());
    let user = h.get("/api/user").await;
    let entry = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "pinterest").unwrap().clone();
    assert_eq!(entry["needsRelink"], false, "the grant itself is fine: {entry}");
}

#[tokio::test]
async fn a_revoked_grant_gives_908_without_a_publish_and_shows_in_user() {
    let h = harness().await;
    link_by_oauth(&h, true).await;
    h.control("oauth/expire", json!({"network": "pinterest", "accessTokens": true, "refreshTokens": true})).await;
    let t = text("revoked");
    let r = h.post(pin(&h, &t)).await;
    let details = assert_network_error(&r, "pinterest", 908, 400, false);
    assert!(details.contains("relink"), "{details}");
    assert_eq!(refresh_calls(&h).await, 1);
    assert!(h.network_ledger("pinterest").is_empty(), "Pinterest was not asked to publish");
    // From now on: 908 at once, not even a refresh.
    let again = h.post(pin(&h, &text("revoked again"))).await;
    assert_network_error(&again, "pinterest", 908, 400, false);
    assert_eq!(refresh_calls(&h).await, 1);
    assert!(h.network_ledger("pinterest").is_empty());
    let user = h.get("/api/user").await;
    let entry = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "pinterest").unwrap().clone();
    assert_eq!(entry["needsRelink"], true, "{entry}");
    assert!(entry["relinkReason"].as_str().unwrap().contains("grant is invalid"), "Pinterest's own words: {entry}");
    let telegram = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "telegram").unwrap().clone();
    assert_eq!(telegram["needsRelink"], false);
    let store = h.running.store();
    let kinds: Vec<String> = store.account_events(&primary(store, &h.key).await).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["linked", "refresh_failed"]);
}

#[tokio::test]
async fn bare_tokens_are_never_refreshed() {
    let h = harness().await.with(&[Platform::Pinterest]).await;
    h.control("oauth/expire", json!({"network": "pinterest"})).await;
    let t = text("bare");
    assert_eq!(h.post(pin(&h, &t)).await.status, 200);
    assert_eq!(refresh_calls(&h).await, 0);
}

/// Two nodes on one PostgreSQL, posts to the same expired account sent to both at once: one
/// refresh in all, every post published once.
#[tokio::test]
async fn two_nodes_racing_refresh_once() {
    let Some(db) = test_database().await else {
        eprintln!("the two-node refresh race needs PostgreSQL: set CRIER_TEST_DATABASE_URL (.ci/run does)");
        return;
    };
    let shared = db.clone();
    let a = Harness::start_with_sandbox(move |c, url| {
        c.database_url = Some(shared);
        c.oauth = OAuthConfig::sandbox(url);
    })
    .await;
    let dir_b = tempfile::tempdir().unwrap();
    let mut cfg_b = test_config(dir_b.path(), &a.sandbox.url);
    cfg_b.database_url = Some(db);
    cfg_b.oauth = OAuthConfig::sandbox(&a.sandbox.url);
    let b = crier::server::start(cfg_b).await.unwrap();
    let base_b = format!("http://{}", b.addr);
    link_by_oauth(&a, true).await;
    h_expire(&a).await;
    let texts: Vec<String> = (0..6).map(|i| text(&format!("race {i}"))).collect();
    let mut tasks = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let base = if i % 2 == 0 { a.base.clone() } else { base_b.clone() };
        let (http, key, body) = (a.http.clone(), a.key.clone(), pin(&a, t));
        tasks.push(tokio::spawn(async move {
            let r = http.post(format!("{base}/api/post")).bearer_auth(key).json(&body).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }));
    }
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    for t in &texts {
        assert_eq!(a.published(t).len(), 1, "{t}");
    }
    assert_eq!(refresh_calls(&a).await, 1, "one refresh for both nodes");
    b.shutdown().await;
}

async fn h_expire(h: &Harness) {
    h.control("oauth/expire", json!({"network": "pinterest"})).await;
}

/// A Facebook Page linked through Facebook Login (long-lived user token → Page token) has nothing
/// to refresh: when Meta refuses its token, the account is marked for relinking, the post fails
/// with 161, and the next post fails with 161 without calling Meta.
#[tokio::test]
async fn a_dead_facebook_page_token_gives_161_and_relink_without_a_second_call() {
    let h = harness().await;
    let fb = OAuthConfig::sandbox(&h.sandbox.url).app(Platform::Facebook, None).unwrap();
    let url = oauth::authorize_url(Platform::Facebook, &fb, REDIRECT, "s", None, &[]).unwrap();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.post(&url).form(&[("decision", "consent")]).send().await.unwrap();
    let back = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    let code = back.query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let short = oauth::exchange_code(&h.http, Platform::Facebook, &fb, &code, REDIRECT, None).await.unwrap();
    let long = oauth::meta::long_lived(&h.http, &fb, &short.access_token).await.unwrap();
    let pages = oauth::meta::page_tokens(&h.http, &format!("{}/facebook", h.sandbox.url), &long.access_token).await.unwrap();
    let page = pages.into_iter().find(|p| p.page_id == seed::FACEBOOK_PAGE_ID).unwrap();
    let store = h.running.store();
    let profile = primary(store, &h.key).await;
    let granted = GrantedTokens { app: Some(&fb.client_id), ..Default::default() };
    store.link_network_with_tokens(&profile, Platform::Facebook, &json!({"pageId": page.page_id, "accessToken": page.access_token}), Some(&page.name), &granted).await.unwrap();

    let t = text("page token works");
    assert_eq!(h.post(json!({"post": t, "platforms": ["facebook"]})).await.status, 200);
    assert_eq!(h.published(&t).len(), 1);

    h.control("oauth/expire", json!({"network": "facebook"})).await;
    let r = h.post(json!({"post": text("page token dead"), "platforms": ["facebook"]})).await;
    assert_network_error(&r, "facebook", 161, 400, false);
    let user = h.get("/api/user").await;
    let entry = user.body["displayNames"].as_array().unwrap().iter().find(|d| d["platform"] == "facebook").unwrap().clone();
    assert_eq!(entry["needsRelink"], true, "{entry}");
    // Meta is not asked again: a fault on every Facebook call would otherwise answer 500.
    h.fault(json!({"network": "facebook", "status": 500, "times": 0}));
    let again = h.post(json!({"post": text("page token still dead"), "platforms": ["facebook"]})).await;
    let details = assert_network_error(&again, "facebook", 161, 400, false);
    assert!(details.contains("relink"), "{details}");
    let kinds: Vec<String> = store.account_events(&profile).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["linked", "refresh_failed"]);
}
