//! The real binary is SIGKILLed while deliveries are in flight, then restarted:
//! each delivery ends exactly once at its network, or ends `unknown` — never twice.

mod common;
use common::*;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_crier");
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn crier(dir: &std::path::Path, sandbox: &str, database: Option<&str>) -> Command {
    let mut c = Command::new(BIN);
    if let Some(url) = database {
        c.env("CRIER_DATABASE_URL", url);
    }
    c.arg("--data-dir").arg(dir)
        .env("CRIER_NETWORKS__TELEGRAM", format!("{sandbox}/telegram"))
        .env("CRIER_NETWORKS__BLUESKY", format!("{sandbox}/bluesky"))
        .env("CRIER_ENCRYPTION_KEY", KEY)
        .env("CRIER_MEDIA__ALLOW_LOOPBACK", "true")
        // On PostgreSQL a dead node's jobs are taken over when their lease runs out.
        .env("CRIER_ENGINE__LEASE_SECS", "2")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true);
    c
}

async fn serve(dir: &std::path::Path, sandbox: &str, database: Option<&str>) -> (Child, String) {
    serve_listening(crier(dir, sandbox, database)).await
}

#[tokio::test]
async fn sigkill_mid_delivery_never_publishes_twice() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = test_database().await;
    let db = db.as_deref();
    let key = run_ok({
        let mut c = crier(dir.path(), &sandbox.url, db);
        c.args(["key", "create"]);
        c
    })
    .await
    .trim()
    .to_string();
    for (net, creds) in [("telegram", telegram_creds()), ("bluesky", bluesky_creds())] {
        let mut c = crier(dir.path(), &sandbox.url, db);
        c.args(["account", "link", "--network", net, "--credentials", &creds.to_string()]);
        run_ok(c).await;
    }

    let (mut first, url) = serve(dir.path(), &sandbox.url, db).await;
    // Both networks accept the post, then hold their answers: the deliveries are in flight.
    for (network, endpoint) in [("telegram", "sendMessage"), ("bluesky", "com.atproto.repo.createRecord")] {
        sandbox.state.add_fault(serde_json::from_value(json!({"network": network, "endpoint": endpoint, "hold": true})).unwrap());
    }
    let t = text("crash");
    let http = reqwest::Client::new();
    let request = http.post(format!("{url}/api/post")).bearer_auth(&key).json(&json!({"post": t, "platforms": ["telegram", "bluesky"]})).send();
    let in_flight = tokio::spawn(request);
    assert!(sandbox.state.wait_for_held(2, WAIT).await, "both publishes reached the networks");
    first.kill().await.unwrap();
    let _ = in_flight.await;
    sandbox.state.clear_faults();
    sandbox.state.release_held();

    let (mut second, url) = serve(dir.path(), &sandbox.url, db).await;
    let history: Value = http.get(format!("{url}/api/history")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    let id = history["history"][0]["id"].as_str().unwrap().to_string();
    let post: Value = http.get(format!("{url}/api/post/{id}?waitSeconds=30")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();

    let ledger: Vec<_> = sandbox.state.ledger().into_iter().filter(|e| e.text == t).collect();
    let count = |n: &str| ledger.iter().filter(|e| e.network == n).count();
    assert_eq!(count("telegram"), 1, "{ledger:?}");
    assert_eq!(count("bluesky"), 1, "{ledger:?}");
    // Bluesky is reconciled by its record key; Telegram cannot be asked, so it is unknown.
    assert_eq!(post["status"], "error", "{post}");
    assert_eq!(post["postIds"].as_array().unwrap().len(), 1, "{post}");
    assert_eq!(post["postIds"][0]["platform"], "bluesky");
    let e = &post["errors"][0];
    assert_eq!((e["platform"].as_str(), e["code"].as_i64()), (Some("telegram"), Some(905)), "{post}");
    assert!(e.get("retryAvailable").is_none());

    // A graceful stop (SIGTERM) exits cleanly.
    let pid = second.id().unwrap().to_string();
    let status = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(30), second.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "{exit:?}");
}
