//! A crier process killed right after a refresh, with the post's publish call in flight, loses no
//! refresh token: the rotated one was stored before the new access token was used. After a
//! restart the post settles once, with no second refresh, and the stored refresh token is live.
//! (`crier serve` as a child process, the sandbox in the test, SQLite shared through the data dir.)

mod common;
use common::*;
use crier_core::Platform;
use crier_networks::oauth;
use crier_sandbox::{Fault, seed};
use crier_store::{Cipher, GrantedTokens, Store};
use serde_json::{Value, json};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_crier");
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const REDIRECT: &str = "http://127.0.0.1:9/link/callback/pinterest";

fn crier(dir: &std::path::Path, sandbox: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir").arg(dir)
        .env("CRIER_ENCRYPTION_KEY", KEY)
        .env("CRIER_NETWORKS__PINTEREST", format!("{sandbox}/pinterest"))
        .env("CRIER_NETWORKS__HTTP_TIMEOUT_SECS", "3")
        .env("CRIER_NETWORKS__LANDING_LAG_MS", "0")
        .env("CRIER_OAUTH__PINTEREST__CLIENT_ID", seed::PINTEREST_CLIENT_ID)
        .env("CRIER_OAUTH__PINTEREST__CLIENT_SECRET", seed::PINTEREST_CLIENT_SECRET)
        .env("CRIER_OAUTH__PINTEREST__TOKEN_BASE", format!("{sandbox}/pinterest"))
        .env("CRIER_MEDIA__ALLOW_LOOPBACK", "true")
        .env("CRIER_MEDIA__LOCAL_ONLY", "true")
        .env("CRIER_WAIT_LIMIT_SECS", "0")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    cmd
}

async fn serve(dir: &std::path::Path, sandbox: &str) -> (Child, String) {
    let mut cmd = crier(dir, sandbox);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]).stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(WAIT, lines.next_line()).await.unwrap().unwrap().unwrap();
    (child, line.strip_prefix("crier listening on ").unwrap().to_string())
}

async fn refresh_calls(http: &reqwest::Client, sandbox: &str) -> i64 {
    let v: Value = http.get(format!("{sandbox}/_sandbox/oauth/calls?network=pinterest")).send().await.unwrap().json().await.unwrap();
    v["calls"]["pinterest"]["refresh_token"].as_i64().unwrap_or(0)
}

async fn poll(what: &str, mut ok: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !ok().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_kill_after_the_refresh_loses_no_refresh_token() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let out = crier(dir.path(), &sandbox.url).args(["key", "create"]).output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let api_key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let (mut child, base) = serve(dir.path(), &sandbox.url).await;

    // Link Pinterest as the linking page does, its access token already past its time.
    let app = crier::oauth_cfg::OAuthConfig::sandbox(&sandbox.url).app(Platform::Pinterest, None).unwrap();
    let url = oauth::authorize_url(Platform::Pinterest, &app, REDIRECT, "s", None, &[]).unwrap();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.post(&url).form(&[("decision", "consent")]).send().await.unwrap();
    let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.to_string();
    let tokens = oauth::exchange_code(&http, Platform::Pinterest, &app, &code, REDIRECT, None).await.unwrap();
    let first_refresh = tokens.refresh_token.clone().unwrap();
    let key_bytes: [u8; 32] = std::array::from_fn(|i| i as u8);
    let store = Store::open_sqlite(dir.path(), Cipher::new(key_bytes)).await.unwrap();
    let account = store.account_for_key(&api_key).await.unwrap().unwrap();
    let profile = store.primary_profile(&account).await.unwrap().id;
    let creds = json!({"accessToken": tokens.access_token, "refreshToken": first_refresh, "boardId": seed::PINTEREST_BOARD_ID});
    let granted = GrantedTokens { expires_ms: Some(store.now_ms() - 1), lifetime_ms: Some(3_600_000), app: Some(&app.client_id), ..Default::default() };
    store.link_network_with_tokens(&profile, Platform::Pinterest, &creds, None, &granted).await.unwrap();
    http.post(format!("{}/_sandbox/oauth/expire", sandbox.url)).json(&json!({"network": "pinterest"})).send().await.unwrap();

    // The publish is processed and its answer held: crier is mid-call when it is killed.
    let fault: Fault = serde_json::from_value(json!({"network": "pinterest", "endpoint": "pins.create", "hold": true})).unwrap();
    sandbox.state.add_fault(fault);
    let t = text("killed mid-publish");
    let body = json!({"post": t, "platforms": ["pinterest"], "mediaUrls": [format!("{}/media-host/cat.jpg", sandbox.url)]});
    let posted: Value = http.post(format!("{base}/api/post")).bearer_auth(&api_key).json(&body).send().await.unwrap().json().await.unwrap();
    let id = posted["id"].as_str().unwrap_or_else(|| panic!("{posted}")).to_string();
    poll("the publish call to be held", async || sandbox.state.held_count() == 1).await;
    child.kill().await.unwrap();
    sandbox.state.release_held();

    // The rotated refresh token was stored before the publish call.
    assert_eq!(refresh_calls(&http, &sandbox.url).await, 1);
    let (stored, _) = store.token_state(&profile, Platform::Pinterest).await.unwrap().unwrap();
    assert_ne!(stored["refreshToken"], first_refresh.as_str(), "the rotated refresh token survived the kill");

    let (_child, base) = serve(dir.path(), &sandbox.url).await;
    let settled: Value = http.get(format!("{base}/api/post/{id}?waitSeconds=20")).bearer_auth(&api_key).send().await.unwrap().json().await.unwrap();
    assert_eq!(settled["status"], "success", "{settled}");
    let pins = sandbox.state.ledger().into_iter().filter(|e| e.text == t).count();
    assert_eq!(pins, 1, "published once");
    assert_eq!(refresh_calls(&http, &sandbox.url).await, 1, "no second refresh after the restart");
    let (now, _) = store.token_state(&profile, Platform::Pinterest).await.unwrap().unwrap();
    assert!(oauth::refresh(&http, Platform::Pinterest, &app, &now).await.is_ok(), "the stored refresh token is live");
}
