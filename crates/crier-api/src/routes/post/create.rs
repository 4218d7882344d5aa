//! `POST /post`: validate, store the post and its deliveries, wait for the first answer.

use super::answer;
use crate::auth::Caller;
use crate::render::{flat_error, internal, rejected_post, rejected_post_with_id};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use crier_core::auto_schedule::AutoSchedule;
use crier_core::request::PostRequest;
use crier_core::validate::{self, Context, TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_core::{Action, Code, ErrorReport};
use crier_store::{CreatedPost, NewDelivery, NewPost};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::time::Duration;

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
        Err(errors) => return refuse(&s, &caller, &body, None, &errors).await,
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
        return refuse(&s, &caller, &body, Some(&req), &errors).await;
    }

    let header_key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let idem_key = req.idempotency_key.clone().or(header_key).filter(|k| !k.is_empty());
    let now = chrono::Utc::now();
    // A date in the past (or within a second) means: now.
    let mut schedule_ms = req.schedule_date.filter(|d| *d > now + chrono::Duration::seconds(1)).map(|d| d.timestamp_millis());
    if let Some(title) = &req.auto_schedule {
        match next_auto_slot(&s, &caller, title, now).await {
            Ok(at) => schedule_ms = Some(at),
            Err(Ok(e)) => return refuse(&s, &caller, &body, Some(&req), &[e]).await,
            Err(Err(r)) => return r,
        }
    }
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
        // Failed everywhere: nothing is sent; the whole request may be sent again.
        let errors: Vec<ErrorReport> = deliveries.into_iter().filter_map(|d| d.failed).collect();
        return refuse(&s, &caller, &body, Some(&req), &errors).await;
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
        awaiting_approval: req.requires_approval,
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
    // Scheduled or held for approval: nothing to wait for now.
    let wait = if schedule_ms.is_some() || req.requires_approval { Duration::ZERO } else { s.wait_limit };
    match s.engine.wait_answered(&post_id, wait).await {
        Ok(Some(p)) => answer(&s, &caller, &p),
        Ok(None) => internal(t, lang, &"post vanished after creation"),
        Err(e) => internal(t, lang, &e),
    }
}

fn body_hash(body: &Value) -> String {
    // serde_json's map is ordered by key, so equal bodies serialise equally.
    Sha256::digest(body.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}


/// A refused request: kept as a failed post (history shows it, the answer has its `id`); nothing
/// is sent. If even that cannot be stored, the refusal is answered without an id.
async fn refuse(s: &AppState, caller: &Caller, body: &Value, req: Option<&PostRequest>, errors: &[ErrorReport]) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let text = req.map(|r| r.post.clone()).or_else(|| body.get("post").and_then(Value::as_str).map(str::to_string)).unwrap_or_default();
    let media: Vec<String> = req.map(|r| r.media_urls.clone()).unwrap_or_default();
    match s.store.record_refused_post(&caller.profile.id, body.clone(), &text, &media, errors).await {
        Ok(id) => rejected_post_with_id(t, lang, errors, &id),
        Err(e) => {
            tracing::error!(error = %e, "storing a refused post failed");
            rejected_post(t, lang, errors)
        }
    }
}

/// The next free slot of the profile's auto-schedule `title` (ms). `Err(Ok(_))`: the catalog
/// error to answer (no such schedule, no free slot); `Err(Err(_))`: a store failure's answer.
#[allow(clippy::result_large_err)]
async fn next_auto_slot(s: &AppState, caller: &Caller, title: &str, now: chrono::DateTime<chrono::Utc>) -> Result<i64, Result<ErrorReport, Response>> {
    let (t, lang) = (&s.i18n, caller.lang);
    let schedules = s.store.auto_schedules(&caller.profile.id).await.map_err(|e| Err(internal(t, lang, &e)))?;
    let refused = |d: String| Ok(ErrorReport::new(Code::MalformedBody, Action::Post).details(d));
    let Some(schedule) = schedules.iter().find(|(n, _)| n == title).and_then(|(_, v)| AutoSchedule::from_json(v)) else {
        return Err(refused(format!("autoSchedule: this profile has no auto-schedule titled {title:?} (POST /api/auto-schedule/set first)")));
    };
    let taken: HashSet<i64> = s.store.held_schedule_times(&caller.profile.id, now.timestamp_millis()).await.map_err(|e| Err(internal(t, lang, &e)))?.into_iter().collect();
    match schedule.next_free(now, &taken) {
        Some(at) => Ok(at.timestamp_millis()),
        None => Err(refused(format!("autoSchedule: the auto-schedule {title:?} has no free slot in the coming year"))),
    }
}
