//! `/health` (the process answers) and `/ready` (it can do its work): for load balancers and
//! orchestrators, at the root, without an API key. `/ready` names each failed check; the full
//! cause goes to the log only (the answer is public and must not show paths or hosts).

use crate::AppState;
use crate::render::json_response;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use crier_store::Store;
use serde_json::{Map, Value, json};
use std::future::Future;
use std::time::Duration;

/// Longest a check may take: a probe that hangs is a failed check, not a hung probe.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the staging probe writes (then deletes) its object.
const PROBE_PREFIX: &str = "readiness-probe";

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health)).route("/ready", get(ready))
}

async fn health() -> Response {
    json_response(200, json!({"status": "ok"}))
}

/// One check's verdict: `Err` holds the public reason.
type Verdict = Result<Value, String>;

async fn within(what: &str, check: impl Future<Output = Verdict>) -> Verdict {
    tokio::time::timeout(CHECK_TIMEOUT, check).await.unwrap_or_else(|_| Err(format!("{what} did not answer within {} s", CHECK_TIMEOUT.as_secs())))
}

/// The store answers a query, and its schema is the one this build migrates to.
async fn store_and_schema(store: &Store) -> (Verdict, Verdict) {
    let latest = Store::latest_schema_version();
    match within("the database", async { store.schema_version().await.map(|v| json!(v)).map_err(|e| e.to_string()) }).await {
        Err(cause) => {
            tracing::warn!(error = %cause, "readiness: store check failed");
            (Err("the database query failed".into()), Err("unknown: the database query failed".into()))
        }
        Ok(version) => {
            let schema = match version.as_i64() {
                Some(v) if v == latest => Ok(json!({"version": v})),
                Some(v) if v < latest => Err(format!("the database schema is at version {v}; this crier needs {latest} (migrations pending)")),
                Some(v) => Err(format!("the database schema is at version {v}, newer than this crier's {latest} (upgraded by a newer node)")),
                None => Err("no migration is recorded in the database".into()),
            };
            (Ok(json!({})), schema)
        }
    }
}

/// A probe object can be written to media staging and deleted again.
async fn staging_writable(s: &AppState) -> Verdict {
    let key = format!("{PROBE_PREFIX}/{}", crier_store::random_token(16));
    let staging = &s.media.staging;
    let probe = async {
        staging.put(&key, b"ok".to_vec()).await.map_err(|e| ("write", e))?;
        staging.delete(&key).await.map_err(|e| ("delete", e))?;
        Ok::<_, (&str, crier_media::StagingError)>(json!({}))
    };
    within("media staging", async {
        probe.await.map_err(|(step, e)| {
            tracing::warn!(error = %e, step, "readiness: media staging check failed");
            format!("could not {step} a probe object in media staging")
        })
    })
    .await
}

async fn ready(State(s): State<AppState>) -> Response {
    let ((store, schema), staging) = tokio::join!(store_and_schema(&s.store), staging_writable(&s));
    let worker = s.engine.worker_health().map(|()| json!({}));
    let mut checks = Map::new();
    let mut all_ok = true;
    for (name, verdict) in [("store", store), ("migrations", schema), ("worker", worker), ("mediaStaging", staging)] {
        let entry = match verdict {
            Ok(mut extra) => {
                extra["ok"] = json!(true);
                extra
            }
            Err(why) => {
                all_ok = false;
                json!({"ok": false, "error": why})
            }
        };
        checks.insert(name.into(), entry);
    }
    let (status, word) = if all_ok { (200, "ready") } else { (503, "unavailable") };
    json_response(status, json!({"status": word, "checks": checks}))
}
