//! Webhook delivery survives what the process does not: the real binary is SIGKILLed while a
//! delivery is in flight and the event is delivered after restart with the same `webhook-id` (at
//! least once); and two nodes on one PostgreSQL deliver every event, none from both nodes.

mod common;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::*;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_crier");
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Records `(webhook-id, body)`; hangs while `hang` is set, else answers 200 after `delay`.
#[derive(Default)]
struct Rx {
    got: Mutex<Vec<(String, Value)>>,
    hang: AtomicBool,
    delay_ms: std::sync::atomic::AtomicU64,
}

async fn receive(State(rx): State<Arc<Rx>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    rx.got.lock().unwrap().push((id, serde_json::from_slice(&body).unwrap_or(Value::Null)));
    if rx.hang.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    tokio::time::sleep(Duration::from_millis(rx.delay_ms.load(Ordering::SeqCst))).await;
    StatusCode::OK
}

async fn receiver() -> (Arc<Rx>, String) {
    let rx = Arc::new(Rx::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let app = Router::new().route("/hook", axum::routing::post(receive)).with_state(rx.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (rx, url)
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn crier(dir: &std::path::Path, sandbox: &str, database: Option<&str>) -> Command {
    let mut c = Command::new(BIN);
    if let Some(url) = database {
        c.env("CRIER_DATABASE_URL", url);
    }
    c.arg("--data-dir")
        .arg(dir)
        .env("CRIER_NETWORKS__TELEGRAM", format!("{sandbox}/telegram"))
        .env("CRIER_ENCRYPTION_KEY", KEY)
        .env("CRIER_MEDIA__ALLOW_LOOPBACK", "true")
        // The receiver hangs longer than this; a dead node's lease (timeout + 5 s) then runs out.
        .env("CRIER_WEBHOOKS__TIMEOUT_SECS", "2")
        .env("CRIER_WEBHOOKS__RETRY_SCHEDULE_SECS", "[0.2, 0.2, 0.2]")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    c
}

/// An API key, and Telegram linked, through the CLI (as an operator would); the key.
async fn key_and_telegram(dir: &std::path::Path, sandbox: &str, db: Option<&str>) -> String {
    let mut create = crier(dir, sandbox, db);
    create.args(["key", "create"]);
    let key = run_ok(create).await.trim().to_string();
    let mut link = crier(dir, sandbox, db);
    link.args(["account", "link", "--network", "telegram", "--credentials", &telegram_creds().to_string()]);
    run_ok(link).await;
    key
}

async fn serve(dir: &std::path::Path, sandbox: &str, database: Option<&str>) -> (Child, String) {
    serve_listening(crier(dir, sandbox, database)).await
}

#[tokio::test]
async fn sigkill_during_a_delivery_delivers_after_restart_with_the_same_webhook_id() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let db = db.as_deref();
    let key = key_and_telegram(dir.path(), &sandbox.url, db).await;
    let (rx, hook) = receiver().await;
    rx.hang.store(true, Ordering::SeqCst);

    let (mut first, url) = serve(dir.path(), &sandbox.url, db).await;
    let http = reqwest::Client::new();
    let r: Value = http.post(format!("{url}/api/hook/webhook")).bearer_auth(&key).json(&json!({"action": "post", "url": hook})).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["status"], "success", "{r}");
    let posted: Value = http.post(format!("{url}/api/post")).bearer_auth(&key).json(&json!({"post": text("crash hook"), "platforms": ["telegram"]})).send().await.unwrap().json().await.unwrap();
    assert_eq!(posted["status"], "success", "{posted}");
    // The delivery is in flight (the receiver holds it): the node dies.
    wait_until("the first delivery", || !rx.got.lock().unwrap().is_empty()).await;
    first.kill().await.unwrap();
    rx.hang.store(false, Ordering::SeqCst);

    let (mut second, _) = serve(dir.path(), &sandbox.url, db).await;
    wait_until("the delivery after restart", || rx.got.lock().unwrap().len() >= 2).await;
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got[0].0, got[1].0, "the same webhook-id: {got:?}");
    assert_eq!(got[1].1["id"], posted["id"], "{got:?}");
    assert_eq!(got[1].1["action"], "post");
    second.kill().await.unwrap();
}

/// A receiver at `addr` (bound later than its URL was registered: until then it refuses).
async fn receiver_at(addr: std::net::SocketAddr) -> Arc<Rx> {
    let rx = Arc::new(Rx::default());
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let app = Router::new().route("/hook", axum::routing::post(receive)).with_state(rx.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    rx
}

#[tokio::test]
async fn sigkill_after_the_state_change_before_any_delivery_delivers_after_restart() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let db = db.as_deref();
    let key = key_and_telegram(dir.path(), &sandbox.url, db).await;
    // A port nobody listens on yet: the receiver is down when the post settles.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let hook = format!("http://{addr}/hook");

    let (mut first, url) = serve(dir.path(), &sandbox.url, db).await;
    let http = reqwest::Client::new();
    let r: Value = http.post(format!("{url}/api/hook/webhook")).bearer_auth(&key).json(&json!({"action": "post", "url": hook})).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["status"], "success", "{r}");
    let posted: Value = http.post(format!("{url}/api/post")).bearer_auth(&key).json(&json!({"post": text("crash before hook"), "platforms": ["telegram"]})).send().await.unwrap().json().await.unwrap();
    assert_eq!(posted["status"], "success", "{posted}");
    // The post settled (its event was stored with it) and nothing was delivered: the node dies.
    first.kill().await.unwrap();

    let rx = receiver_at(addr).await;
    let (mut second, url) = serve(dir.path(), &sandbox.url, db).await;
    wait_until("the delivery after restart", || !rx.got.lock().unwrap().is_empty()).await;
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got[0].1["id"], posted["id"], "{got:?}");
    // The attempt made while the receiver was down carried the same webhook-id.
    let deliveries: Value = http.get(format!("{url}/api/hook/deliveries")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    let text = deliveries.to_string();
    assert!(text.contains(&got[0].0), "one event, one webhook-id across the crash: {deliveries}");
    second.kill().await.unwrap();
}

#[tokio::test]
async fn two_nodes_on_postgresql_deliver_every_event_once() {
    let mut database = None;
    let h = Harness::start_with(|c| {
        database = c.database_url.clone();
        c.webhooks.retry_schedule_secs = vec![0.2; 3];
    })
    .await;
    let Some(database) = database else {
        eprintln!("two-node webhook delivery needs PostgreSQL: set CRIER_TEST_DATABASE_URL (.ci/run does)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = test_config(dir.path(), &h.sandbox.url);
    cfg.database_url = Some(database);
    cfg.webhooks.retry_schedule_secs = vec![0.2; 3];
    let second = crier::server::start(cfg).await.unwrap();

    let (rx, hook) = receiver().await;
    // Slow answers keep deliveries in flight while both nodes claim.
    rx.delay_ms.store(100, Ordering::SeqCst);
    assert_eq!(h.call(reqwest::Method::POST, "/api/hook/webhook", Some(json!({"action": "post", "url": hook})), &[]).await.status, 200);
    let mut ids = Vec::new();
    for i in 0..16 {
        let r = h.post(json!({"post": text(&format!("two nodes {i}")), "platforms": ["telegram"]})).await;
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    wait_until("every event", || rx.got.lock().unwrap().len() >= ids.len()).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), ids.len(), "no event delivered twice: {:?}", got.iter().map(|g| &g.0).collect::<Vec<_>>());
    let mut webhook_ids: Vec<&String> = got.iter().map(|g| &g.0).collect();
    webhook_ids.sort();
    webhook_ids.dedup();
    assert_eq!(webhook_ids.len(), ids.len());
    for id in &ids {
        assert!(got.iter().any(|g| g.1["id"] == id.as_str()), "{id} delivered");
    }
    second.shutdown().await;
}
