//! `/health` and `/ready` on a real crier: both open without an API key; `/ready` turns 503 and
//! names the check when the store, its schema, the delivery worker or media staging fails.

mod common;
use common::*;
use serde_json::Value;
use std::time::Duration;

/// A bare GET (no API key): status, `X-Request-Id`, JSON body.
async fn probe(h: &Harness, path: &str, request_id: Option<&str>) -> (u16, String, Value) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", h.base));
    if let Some(id) = request_id {
        req = req.header("x-request-id", id);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let id = resp.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = resp.json().await.unwrap();
    (status, id, body)
}

/// Polls `/ready` until it answers `status`, and returns that answer.
async fn ready_becomes(h: &Harness, status: u16) -> Value {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (s, _, body) = probe(h, "/ready", None).await;
        if s == status {
            return body;
        }
        assert!(tokio::time::Instant::now() < deadline, "/ready stayed {s}: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn failed_checks(body: &Value) -> Vec<String> {
    let mut names: Vec<String> = body["checks"].as_object().unwrap().iter().filter(|(_, c)| c["ok"] != true).map(|(n, _)| n.clone()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn health_and_ready_answer_without_a_key_and_carry_request_ids() {
    let h = Harness::start().await;
    let (status, id, body) = probe(&h, "/health", Some("lb-probe-1")).await;
    assert_eq!((status, id.as_str()), (200, "lb-probe-1"));
    assert_eq!(body, serde_json::json!({"status": "ok"}));

    let body = ready_becomes(&h, 200).await;
    assert_eq!(body["status"], "ready", "{body}");
    for check in ["store", "migrations", "worker", "mediaStaging"] {
        assert_eq!(body["checks"][check]["ok"], true, "{check}: {body}");
    }
    assert_eq!(body["checks"]["migrations"]["version"], crier_store::Store::latest_schema_version());

    // No id, or one that is too long or has odd characters: crier makes its own.
    let (_, generated, _) = probe(&h, "/health", None).await;
    let (_, other, _) = probe(&h, "/health", None).await;
    assert!(generated.len() >= 16 && generated != other, "{generated} / {other}");
    for odd in ["a".repeat(129), "has space".into(), "quote\"d".into()] {
        let (_, id, _) = probe(&h, "/health", Some(&odd)).await;
        assert!(!id.is_empty() && id != odd, "{odd:?} was kept");
    }
    // Errors carry the id too: an unknown path, and a refused API key.
    let (status, id, body) = probe(&h, "/no/such/route", Some("err-404")).await;
    assert_eq!((status, id.as_str(), body["code"].as_i64()), (404, "err-404", Some(912)), "{body}");
    let (status, id, body) = probe(&h, "/api/history", Some("err-401")).await;
    assert_eq!((status, id.as_str(), body["code"].as_i64()), (401, "err-401", Some(102)), "{body}");
}

#[tokio::test]
async fn ready_fails_while_media_staging_is_not_writable() {
    let h = Harness::start().await;
    ready_becomes(&h, 200).await;
    // The staging folder replaced by a file: nothing can be written under it, even by root.
    let staging = h.dir.path().join("media");
    std::fs::remove_dir_all(&staging).unwrap();
    std::fs::write(&staging, b"not a folder").unwrap();
    let body = ready_becomes(&h, 503).await;
    assert_eq!(body["status"], "unavailable");
    assert_eq!(failed_checks(&body), ["mediaStaging"], "{body}");
    let why = body["checks"]["mediaStaging"]["error"].as_str().unwrap();
    assert!(why.contains("media staging"), "{why}");
    assert!(!why.contains(h.dir.path().to_str().unwrap()), "no server path in a public answer: {why}");

    std::fs::remove_file(&staging).unwrap();
    std::fs::create_dir(&staging).unwrap();
    ready_becomes(&h, 200).await;
}

#[tokio::test]
async fn ready_fails_when_the_delivery_worker_is_gone() {
    let h = Harness::start().await;
    ready_becomes(&h, 200).await;
    h.running.abort_worker();
    let body = ready_becomes(&h, 503).await;
    assert_eq!(failed_checks(&body), ["worker"], "{body}");
    assert!(body["checks"]["worker"]["error"].as_str().unwrap().contains("not running"), "{body}");
    // Liveness is another question: the process still answers.
    assert_eq!(probe(&h, "/health", None).await.0, 200);
}

#[tokio::test]
async fn ready_fails_when_the_schema_is_not_this_builds() {
    let mut database = None;
    let h = Harness::start_with(|c| database = c.database_url.clone()).await;
    ready_becomes(&h, 200).await;
    // A newer crier migrated the shared database (a rolling upgrade): this node is not ready.
    sqlx::any::install_default_drivers();
    let url = database.unwrap_or_else(|| format!("sqlite://{}", h.dir.path().join("crier.db").display()));
    let db = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO schema_migrations (version, applied_ms) VALUES (9999, 0)").execute(&db).await.unwrap();
    let body = ready_becomes(&h, 503).await;
    assert_eq!(failed_checks(&body), ["migrations"], "{body}");
    assert!(body["checks"]["migrations"]["error"].as_str().unwrap().contains("9999"), "{body}");
    sqlx::query("DELETE FROM schema_migrations WHERE version = 9999").execute(&db).await.unwrap();
    ready_becomes(&h, 200).await;
}

#[tokio::test]
async fn ready_fails_when_the_store_is_unreachable() {
    let h = Harness::start().await;
    ready_becomes(&h, 200).await;
    h.running.store().close().await;
    let body = ready_becomes(&h, 503).await;
    let failed = failed_checks(&body);
    assert!(failed.contains(&"store".to_string()) && failed.contains(&"migrations".to_string()), "{body}");
    assert_eq!(body["checks"]["store"]["error"], "the database query failed", "{body}");
}
