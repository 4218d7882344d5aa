//! `POST /post`: validate, store the post and its deliveries, wait for the first answer.

use super::answer;
use crate::auth::Caller;
use crate::render::{flat_error, internal, rejected_post};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use crier_core::request::PostRequest;
use crier_core::validate::{self, Context, TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_core::{Action, Code, ErrorReport};
use crier_store::{CreatedPost, NewDelivery, NewPost};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
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

fn body_hash(body: &Value) -> String {
    // serde_json's map is ordered by key, so equal bodies serialise equally.
    Sha256::digest(body.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

