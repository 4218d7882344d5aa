//! `/post`: publish or schedule, read one, delete, retry.

use super::body::json_body;
use super::path::path_param;
use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{error_json, flat_error, internal, json_response, post_envelope, rejected_post, scheduled_envelope};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use crier_core::request::PostRequest;
use crier_core::validate::{self, Context, TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_core::{Action, Code, ErrorReport};
use crier_engine::{ByoKeys, Removal};
use crier_store::{CreatedPost, NewDelivery, NewPost, PostRecord};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/post", post(create).delete(remove).put(update).patch(update))
        .route("/delete", delete(remove))
        .route("/post/retry", put(retry).post(retry))
        .route("/post/{id}", get(read))
}

/// Longest wait a caller may ask for with `waitSeconds` on `GET /post/:id` (crier extension).
const MAX_READ_WAIT: Duration = Duration::from_secs(120);

#[utoipa::path(post, path = "/api/post", tag = "post", request_body = crate::openapi::PostBody,
    responses((status = 200, description = "Every network published, or the post is scheduled", body = crate::openapi::PostEnvelope), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn create(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Post, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let req = match PostRequest::parse(&body) {
        Ok(r) => r,
        Err(errors) => return rejected_post(t, lang, &errors),
    };
    let linked = match s.store.linked_platforms(&caller.profile.id).await {
        Ok(l) => l,
        Err(e) => return internal(t, lang, &e),
    };
    let has = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).is_some_and(|v| !v.trim().is_empty());
    let allow_loopback = s.allow_loopback_media;
    let guard = move |u: &str| crier_media::check_url(u, allow_loopback).err().map(|e| e.to_string());
    let ctx = Context {
        linked: &linked,
        twitter_key_header: has(TWITTER_KEY_HEADER),
        twitter_secret_header: has(TWITTER_SECRET_HEADER),
        allow_loopback_http: allow_loopback,
        url_guard: Some(&guard),
    };
    let errors = validate::validate(&req, &ctx);
    if !errors.is_empty() {
        return rejected_post(t, lang, &errors);
    }

    let header_key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let idem_key = req.idempotency_key.clone().or(header_key).filter(|k| !k.is_empty());
    let now = chrono::Utc::now();
    // A date in the past (or within a second) means: now.
    let schedule_ms = req.schedule_date.filter(|d| *d > now + chrono::Duration::seconds(1)).map(|d| d.timestamp_millis());
    let targets = validate::resolve_targets(&req, &linked);
    let mut deliveries = Vec::new();
    for p in targets {
        // X's keys live in this node's memory only: its X delivery stays here while it can.
        let pinned = p == crier_core::Platform::Twitter && caller.byo.is_some();
        let mut d = NewDelivery { platform: p, text: None, failed: None, pinned };
        if req.shorten_links {
            // Per network: a network whose enhancement fails gets 441, the others still publish.
            match s.engine.shorten_links(&caller.profile.id, &req.post, p).await {
                Ok(text) => d.text = Some(text),
                Err(cause) => {
                    let mut e = ErrorReport::for_platform(Code::CaptionEnhancement, Action::Post, p).arg("network", p.display_name()).details(cause);
                    e.source = Some("handlePostAdditions".into());
                    d.failed = Some(e);
                }
            }
        }
        deliveries.push(d);
    }
    if deliveries.iter().all(|d| d.failed.is_some()) {
        // Failed everywhere: no post is created and nothing is sent; the whole request may be retried.
        let errors: Vec<ErrorReport> = deliveries.into_iter().filter_map(|d| d.failed).collect();
        return rejected_post(t, lang, &errors);
    }
    // Hashed before crier adds its own keys: a replay is recognised whatever its request id.
    let idempotency = idem_key.map(|k| (k, body_hash(&body)));
    let mut body = body;
    if let Some(id) = headers.get(crate::REQUEST_ID).and_then(|v| v.to_str().ok()) {
        body[crier_store::REQUEST_ID_KEY] = json!(id);
    }
    let new = NewPost {
        profile_id: caller.profile.id.clone(),
        text: req.post.clone(),
        deliveries,
        media_urls: req.media_urls.clone(),
        schedule_ms,
        notes: req.notes.clone(),
        idempotency,
        affinity: Some(s.engine.affinity_from(schedule_ms.unwrap_or_else(crier_store::now_ms))),
        request: body,
    };
    let post_id = match s.store.create_post(new).await {
        Ok(CreatedPost::Created(id) | CreatedPost::Replay(id)) => id,
        Ok(CreatedPost::KeyConflict) => {
            return flat_error(t, lang, &ErrorReport::new(Code::IdempotencyConflict, Action::Post));
        }
        Err(e) => return internal(t, lang, &e),
    };
    if let Some(keys) = caller.byo.clone() {
        s.engine.remember_byo(&post_id, keys);
    }
    s.engine.wake();
    let wait = if schedule_ms.is_some() { Duration::ZERO } else { s.wait_limit };
    match s.engine.wait_answered(&post_id, wait).await {
        Ok(Some(p)) => answer(&s, &caller, &p),
        Ok(None) => internal(t, lang, &"post vanished after creation"),
        Err(e) => internal(t, lang, &e),
    }
}

/// The same answer for a fresh post and an idempotent replay of it.
fn answer(s: &AppState, caller: &Caller, p: &PostRecord) -> Response {
    if p.kind == "scheduled" && p.deliveries.iter().all(|d| d.attempts == 0 && !d.state.is_settled()) {
        return json_response(200, scheduled_envelope(p, &caller.profile));
    }
    let (http, body) = post_envelope(&s.i18n, caller.lang, p, &caller.profile);
    json_response(http, body)
}

fn body_hash(body: &Value) -> String {
    // serde_json's map is ordered by key, so equal bodies serialise equally.
    Sha256::digest(body.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[utoipa::path(get, path = "/api/post/{id}", tag = "post", params(("id" = String, Path, description = "crier post id"), ("waitSeconds" = Option<i64>, Query, description = "crier extension: wait up to this long (≤ 120 s) for the post to settle")),
    responses((status = 200, description = "The post", body = crate::openapi::PostObject), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn read(State(s): State<AppState>, caller: Caller, path: Result<Path<String>, PathRejection>, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let id = match path_param(t, lang, Action::Post, path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let wait = match q.number("waitSeconds") {
        Ok(w) => Duration::from_secs(w.unwrap_or(0).max(0) as u64).min(MAX_READ_WAIT),
        Err(d) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Post).details(d)),
    };
    let post = match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) if !wait.is_zero() => s.engine.wait_settled(&p.id, wait).await.map(|p| p.filter(|p| p.profile_id == caller.profile.id)),
        other => other,
    };
    match post {
        Ok(Some(p)) => json_response(200, crate::render::post_object(t, lang, &p, &caller.profile)),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id)),
        Err(e) => internal(t, lang, &e),
    }
}

/// `PUT`/`PATCH /post`: a scheduled post that has not been sent may get a new date or notes.
#[utoipa::path(put, path = "/api/post", tag = "post", request_body = crate::openapi::UpdatePostBody,
    responses((status = 200, description = "The scheduled post was changed", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn update(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Post, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(id) = body.get("id").and_then(Value::as_str) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Post).details("id").arg("field", "id"));
    };
    let schedule_ms = match body.get("scheduleDate").and_then(Value::as_str) {
        None => None,
        Some(d) => match chrono::DateTime::parse_from_rfc3339(d) {
            // A date in the past means: send now.
            Ok(at) => Some(at.timestamp_millis().max(crier_store::now_ms())),
            Err(e) => return flat_error(t, lang, &ErrorReport::new(Code::ScheduleInPast, Action::Post).details(format!("scheduleDate {d:?}: {e}"))),
        },
    };
    let notes = body.get("notes").and_then(Value::as_str);
    match s.store.get_post(&caller.profile.id, id).await {
        Ok(Some(_)) => {}
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id.to_string())),
        Err(e) => return internal(t, lang, &e),
    }
    match s.store.update_scheduled(id, schedule_ms, notes).await {
        Ok(true) => {
            s.engine.wake();
            match s.store.get_post(&caller.profile.id, id).await {
                Ok(Some(p)) => json_response(
                    200,
                    json!({"status": "success", "id": p.id, "scheduleDate": p.schedule_ms.map(crate::render::iso), "notes": p.notes}),
                ),
                Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id.to_string())),
                Err(e) => internal(t, lang, &e),
            }
        }
        Ok(false) => flat_error(t, lang, &ErrorReport::new(Code::UpdateRefused, Action::Post).details(id.to_string())),
        Err(e) => internal(t, lang, &e),
    }
}

/// Ids from the body (`id` or `bulk`) or, as some SDKs send them, from the query string.
fn ids_of(body: &Value, q: &QueryParams) -> Vec<String> {
    if let Some(bulk) = body.get("bulk").and_then(Value::as_array) {
        return bulk.iter().filter_map(Value::as_str).map(str::to_string).collect();
    }
    body.get("id").and_then(Value::as_str).map(str::to_string).or_else(|| q.get("id").map(str::to_string)).into_iter().collect()
}

#[utoipa::path(delete, path = "/api/post", tag = "post", request_body = crate::openapi::DeleteBody,
    responses((status = 200, description = "Deleted (per network: deleted at the network, or cancelled)", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn remove(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Delete, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let ids = ids_of(&body, &q);
    if ids.is_empty() {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Delete).details("id").arg("field", "id"));
    }
    let mut results = Vec::new();
    for id in &ids {
        match delete_one(&s, &caller, id, caller.byo.as_ref()).await {
            Ok(v) => results.push(v),
            Err(r) => return r,
        }
    }
    if body.get("bulk").is_some() {
        let ok = results.iter().all(|(http, _)| *http == 200);
        let status = if ok { "success" } else { "error" };
        return json_response(if ok { 200 } else { 400 }, json!({"status": status, "bulk": results.into_iter().map(|(_, v)| v).collect::<Vec<_>>()}));
    }
    let (http, v) = results.remove(0);
    json_response(http, v)
}

async fn delete_one(s: &AppState, caller: &Caller, id: &str, byo: Option<&ByoKeys>) -> Result<(u16, Value), Response> {
    let (t, lang) = (&s.i18n, caller.lang);
    let not_found = || ErrorReport::new(Code::PostNotFound, Action::Delete).details(id.to_string());
    let post = match s.store.get_post(&caller.profile.id, id).await {
        Ok(Some(p)) if p.status != crier_store::PostStatus::Deleted => p,
        Ok(_) => {
            let e = not_found();
            return Ok((e.http_status(), error_json(t, lang, &e)));
        }
        Err(e) => return Err(internal(t, lang, &e)),
    };
    let removals = s.engine.delete_post(&post, byo, s.wait_limit).await.map_err(|e| internal(t, lang, &e))?;
    let mut v = json!({"status": "success", "id": post.id, "code": 200});
    let mut errors = Vec::new();
    for (platform, removal) in removals {
        v[platform.as_str()] = match removal {
            Removal::Deleted(native) => json!({"action": "delete", "status": "success", "id": native}),
            Removal::Cancelled => json!({"action": "delete", "status": "success", "cancelled": true}),
            Removal::InFlight => {
                let j = json!({"action": "delete", "status": "pending", "platform": platform.as_str(),
                    "details": "still being published, or its delete is being retried: delete again later"});
                errors.push(j.clone());
                j
            }
            Removal::Failed(e) => {
                let j = error_json(t, lang, &e);
                errors.push(j.clone());
                j
            }
        };
    }
    if errors.is_empty() {
        Ok((200, v))
    } else {
        v["status"] = json!("error");
        v["code"] = json!(400);
        v["errors"] = json!(errors);
        Ok((400, v))
    }
}

/// Re-sends only the deliveries that failed with `retryAvailable`, once per post, and answers
/// with the post's new envelope (waiting like `POST /post` does).
#[utoipa::path(put, path = "/api/post/retry", tag = "post", request_body = crate::openapi::IdBody,
    responses((status = 200, description = "The post's new envelope", body = crate::openapi::PostEnvelope), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn retry(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Retry, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let Some(id) = ids_of(&body, &q).into_iter().next() else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Retry).details("id").arg("field", "id"));
    };
    let post = match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Retry).details(id)),
        Err(e) => return internal(t, lang, &e),
    };
    let keys = caller.byo.clone();
    let x_retry = post.deliveries.iter().any(|d| {
        d.platform == crier_core::Platform::Twitter && d.error.as_ref().is_some_and(|e| e.retry_available)
    });
    if x_retry && keys.is_none() {
        // Checked before the one retry is spent: X cannot be sent without the app keys.
        let missing = [TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER];
        let e = ErrorReport::for_platform(Code::TwitterByoMissing, Action::Retry, crier_core::Platform::Twitter)
            .arg("count", 2)
            .arg("missing", missing.join(", "));
        return flat_error(t, lang, &e);
    }
    if let Some(k) = keys {
        s.engine.remember_byo(&id, k);
    }
    let affinity = s.engine.affinity_from(crier_store::now_ms());
    let pin = caller.byo.as_ref().map(|_| (crier_core::Platform::Twitter, &affinity));
    match s.store.requeue_retryable(&id, pin).await {
        Ok(platforms) if platforms.is_empty() => return flat_error(t, lang, &ErrorReport::new(Code::RetryRefused, Action::Retry)),
        Ok(_) => s.engine.wake(),
        Err(e) => return internal(t, lang, &e),
    }
    match s.engine.wait_answered(&id, s.wait_limit).await {
        Ok(Some(p)) => answer(&s, &caller, &p),
        Ok(None) => internal(t, lang, &"post vanished during retry"),
        Err(e) => internal(t, lang, &e),
    }
}
