//! `crier serve --sandbox`: the README's first command, driven as a script would drive it.

use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn serve_sandbox_prints_url_and_key_and_posts_travel() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["serve", "--sandbox", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = async || tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await.unwrap().unwrap().unwrap();
    let url = next().await.strip_prefix("crier listening on ").unwrap().to_string();
    let sandbox_line = next().await;
    let sandbox = sandbox_line.strip_prefix("crier sandbox on ").unwrap().split(' ').next().unwrap().to_string();
    let key = next().await.strip_prefix("crier API key: ").unwrap().to_string();
    let stored = std::fs::read_to_string(dir.path().join("sandbox-api-key")).unwrap();
    assert_eq!(stored.trim(), key);

    let http = reqwest::Client::new();
    let post = |body: Value| http.post(format!("{url}/api/post")).bearer_auth(&key).json(&body).send();
    let ok = post(json!({"post": "Hello from the README", "platforms": ["telegram", "bluesky"]})).await.unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let ok: Value = ok.json().await.unwrap();
    assert_eq!(ok["status"], "success", "{ok}");

    // The documented control API makes Bluesky fail once.
    let f = http.post(format!("{sandbox}/_sandbox/faults"))
        .json(&json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 400,
            "body": {"error": "InvalidRequest", "message": "Record rejected by the sandbox"}}))
        .send().await.unwrap();
    assert!(f.status().is_success());
    let partial = post(json!({"post": "Half of it", "platforms": ["telegram", "bluesky"]})).await.unwrap();
    assert_eq!(partial.status().as_u16(), 400);
    let partial: Value = partial.json().await.unwrap();
    assert_eq!(partial["errors"][0]["platform"], "bluesky");

    let ledger: Value = http.get(format!("{sandbox}/_sandbox/ledger")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 3, "{ledger}");
}
