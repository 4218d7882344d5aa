//! Webhooks (ayrshare-api.md §7, issue 17): `POST /hook/webhook {action, url, secret?}` registers
//! the profile's URL for an action, `GET /hook/webhook` lists them (with crier's extension: each
//! registration's Standard Webhooks signing secret `whsec_…`, and why it was disabled if it was),
//! `DELETE /hook/webhook {action}` removes one. `GET /hook/deliveries` shows recent attempts and
//! `POST /hook/deliveries/{id}/replay` sends an event again (same `webhook-id`). Delivery itself
//! is the engine's (crier-engine webhooks/).

use crate::AppState;
use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal, iso, json_response};
use crate::routes::body::json_body;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use crier_core::{Action, Code, ErrorReport};
use crier_media::OutboundGuard;
use crier_store::WEBHOOK_ACTIONS;
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hook/webhook", post(register).get(list).delete(unregister))
        .route("/hook/deliveries", get(deliveries))
        .route("/hook/deliveries/{id}/replay", post(replay))
}

fn bad(details: impl Into<String>) -> ErrorReport {
    ErrorReport::new(Code::MalformedBody, Action::Webhook).details(details)
}

/// `action` from the body (or the query, as some clients send DELETE parameters), one crier delivers.
fn action_of(body: &Value, q: &QueryParams) -> Result<String, ErrorReport> {
    let action = match body.get("action") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(bad(format!("action must be a string, not {other}"))),
        None => q.get("action").map(str::to_string),
    };
    let Some(action) = action.filter(|a| !a.is_empty()) else {
        return Err(ErrorReport::new(Code::MissingField, Action::Webhook).details("action").arg("field", "action"));
    };
    if !WEBHOOK_ACTIONS.contains(&action.as_str()) {
        return Err(bad(format!("action {action:?} is not one crier delivers; allowed: {}", WEBHOOK_ACTIONS.join(", "))));
    }
    Ok(action)
}

/// The guard deliveries go through; without a configured sender, the system resolver's.
fn guard(s: &AppState) -> OutboundGuard {
    match s.engine.webhooks() {
        Some(w) => w.guard().clone(),
        None => OutboundGuard::new(Arc::new(crier_media::SystemResolver), s.allow_loopback_media, false),
    }
}

async fn register(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Webhook, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let action = match action_of(&body, &QueryParams::parse(None)) {
        Ok(a) => a,
        Err(e) => return flat_error(t, lang, &e),
    };
    let url = match body.get("url") {
        Some(Value::String(u)) if !u.trim().is_empty() => u.trim().to_string(),
        Some(Value::String(_)) | None => {
            return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Webhook).details("url").arg("field", "url"));
        }
        Some(other) => return flat_error(t, lang, &bad(format!("url must be a string, not {other}"))),
    };
    let secret = match body.get("secret") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) if s.len() <= 1024 => Some(s.clone()),
        Some(_) => return flat_error(t, lang, &bad("secret must be a string of at most 1024 characters")),
    };
    if url.len() > 2048 {
        return flat_error(t, lang, &bad("url is longer than 2048 characters"));
    }
    if let Err(e) = guard(&s).check(&url).await {
        return flat_error(t, lang, &bad(format!("url cannot receive webhooks: {e}")));
    }
    match s.store.set_webhook(&caller.profile.id, &action, &url, secret.as_deref()).await {
        Ok(_) => json_response(200, json!({"status": "success", "action": action, "url": url, "refId": caller.profile.ref_id})),
        Err(e) => internal(t, lang, &e),
    }
}

async fn list(State(s): State<AppState>, caller: Caller) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let registrations = match s.store.webhooks(&caller.profile.id).await {
        Ok(r) => r,
        Err(e) => return internal(t, lang, &e),
    };
    let mut answer = Map::new();
    answer.insert("status".into(), json!("success"));
    let (mut secrets, mut disabled) = (Map::new(), Map::new());
    let mut updated = None::<i64>;
    for r in &registrations {
        answer.insert(r.action.clone(), json!(r.url));
        secrets.insert(r.action.clone(), json!(crier_engine::whsec(&r.signing_key)));
        if let Some(at) = r.disabled_ms {
            disabled.insert(r.action.clone(), json!({"at": iso(at), "reason": r.disabled_reason}));
        }
        updated = updated.max(Some(r.updated_ms));
    }
    if let Some(u) = updated {
        answer.insert("updated".into(), json!(iso(u)));
    }
    // crier's extensions: the Standard Webhooks key of each registration, for its owner only.
    answer.insert("signingSecrets".into(), Value::Object(secrets));
    if !disabled.is_empty() {
        answer.insert("disabled".into(), Value::Object(disabled));
    }
    json_response(200, Value::Object(answer))
}

async fn unregister(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match body {
        Ok(b) if b.is_empty() => Value::Null,
        other => match json_body(t, lang, Action::Webhook, other) {
            Ok(b) => b,
            Err(r) => return r,
        },
    };
    let action = match action_of(&body, &QueryParams::parse(q.as_deref())) {
        Ok(a) => a,
        Err(e) => return flat_error(t, lang, &e),
    };
    match s.store.delete_webhook(&caller.profile.id, &action).await {
        Ok(true) => json_response(200, json!({"status": "success", "action": action})),
        Ok(false) => flat_error(t, lang, &bad(format!("no webhook registered for action {action:?}"))),
        Err(e) => internal(t, lang, &e),
    }
}

async fn deliveries(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let q = QueryParams::parse(q.as_deref());
    let limit = match q.get("limit").map(str::parse::<i64>) {
        None => 100,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => return flat_error(t, lang, &bad("limit must be a number from 1 to 1000")),
    };
    match s.store.webhook_attempts(&caller.profile.id, limit).await {
        Ok(attempts) => {
            let list: Vec<Value> = attempts
                .iter()
                .map(|a| {
                    json!({
                        "id": a.id, "eventId": a.event_id, "action": a.action, "url": a.url, "at": iso(a.at_ms),
                        "status": a.outcome, "httpCode": a.http_code, "latencyMs": a.latency_ms, "error": a.error,
                        "nextTry": a.next_try_ms.map(iso),
                    })
                })
                .collect();
            json_response(200, json!({"status": "success", "deliveries": list}))
        }
        Err(e) => internal(t, lang, &e),
    }
}

async fn replay(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    match s.store.replay_webhook_event(&caller.profile.id, &id).await {
        Ok(true) => json_response(200, json!({"status": "success", "eventId": id})),
        Ok(false) => flat_error(t, lang, &bad(format!("no webhook event {id:?} for this profile"))),
        Err(e) => internal(t, lang, &e),
    }
}
