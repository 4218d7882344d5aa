//! How crier's records look on the wire: Ayrshare's JSON, messages translated.

use crate::i18n::{Lang, Translator};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use crier_core::outcome::summarize;
use crier_core::{Code, ErrorReport};
use crier_store::{PostRecord, Profile};
use serde_json::{Value, json};

pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// One error object (`errors[]` element, or a flat error).
pub fn error_json(t: &Translator, lang: Lang, e: &ErrorReport) -> Value {
    let mut v = json!({
        "action": e.action.as_str(),
        "status": "error",
        "code": e.code,
        "message": t.error_message(lang, e),
    });
    if let Some(d) = &e.details {
        v["details"] = json!(d);
    }
    if let Some(p) = e.platform {
        v["platform"] = json!(p);
    }
    if e.retry_available {
        v["retryAvailable"] = json!(true);
    }
    if let Some(s) = &e.source {
        v["source"] = json!(s);
    }
    if let Some(p) = &e.post {
        v["post"] = json!(p);
    }
    v
}

pub fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

/// A request-level failure: one flat error object, HTTP status from the catalog.
pub fn flat_error(t: &Translator, lang: Lang, e: &ErrorReport) -> Response {
    json_response(e.http_status(), error_json(t, lang, e))
}

/// Several validation errors of one post request, all at once, no post created.
pub fn rejected_post(t: &Translator, lang: Lang, errors: &[ErrorReport]) -> Response {
    refused_envelope(t, lang, errors, None)
}

/// The same for a refused request kept as a failed post (Ayrshare's envelope always has `id`).
pub fn rejected_post_with_id(t: &Translator, lang: Lang, errors: &[ErrorReport], id: &str) -> Response {
    refused_envelope(t, lang, errors, Some(id))
}

fn refused_envelope(t: &Translator, lang: Lang, errors: &[ErrorReport], id: Option<&str>) -> Response {
    let refs: Vec<&ErrorReport> = errors.iter().collect();
    let http = crier_core::outcome::error_http(&refs, false);
    let mut body = json!({
        "status": "error",
        "errors": errors.iter().map(|e| error_json(t, lang, e)).collect::<Vec<_>>(),
        "postIds": [],
    });
    if let Some(id) = id {
        body["id"] = json!(id);
    }
    json_response(http, body)
}

/// The `/post` answer for a stored post: status, errors, postIds, ids; and its HTTP status.
pub fn post_envelope(t: &Translator, lang: Lang, post: &PostRecord, profile: &Profile) -> (u16, Value) {
    let results = post.results();
    let summary = summarize(&results);
    let mut body = json!({
        "status": summary.status,
        "errors": summary.errors.iter().map(|e| error_json(t, lang, e)).collect::<Vec<_>>(),
        "postIds": summary.post_ids,
        "id": post.id,
        "refId": profile.ref_id,
        "profileTitle": profile.title,
        "post": post.text,
    });
    if let Some(s) = post.schedule_ms {
        body["scheduleDate"] = json!(iso(s));
    }
    (summary.http, body)
}

/// The answer to a scheduled post: accepted, will run at `scheduleDate`.
pub fn scheduled_envelope(post: &PostRecord, profile: &Profile) -> Value {
    json!({
        "status": "scheduled",
        "errors": [],
        "postIds": [],
        "id": post.id,
        "refId": profile.ref_id,
        "profileTitle": profile.title,
        "post": post.text,
        "scheduleDate": post.schedule_ms.map(iso),
    })
}

/// A stored post as `GET /post/:id` and `/history` show it.
pub fn post_object(t: &Translator, lang: Lang, post: &PostRecord, profile: &Profile) -> Value {
    let results = post.results();
    let summary = summarize(&results);
    // A refused request kept as a post: its refusals no network owns.
    let refused: Vec<ErrorReport> = post.request.get(crier_store::REFUSAL_KEY).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let shorten = post.request.get("shortenLinks").and_then(Value::as_bool).unwrap_or(false);
    let mut v = json!({
        "id": post.id,
        "created": iso(post.created_ms),
        "post": post.text,
        "platforms": post.platforms,
        "mediaUrls": post.media_urls,
        "postIds": summary.post_ids,
        "errors": summary.errors.iter().copied().chain(refused.iter()).map(|e| error_json(t, lang, e)).collect::<Vec<_>>(),
        "status": post.status.as_str(),
        "type": if post.kind == "scheduled" { "scheduled" } else { "now" },
        "shortenLinks": shorten,
        "refId": profile.ref_id,
        "profileTitle": profile.title,
    });
    if let Some(s) = post.schedule_ms {
        v["scheduleDate"] = json!(iso(s));
    }
    if let Some(n) = &post.notes {
        v["notes"] = json!(n);
    }
    // Each network's copy of a deleted post: deleted, unsupported (917), or failed (delete again).
    let removals: serde_json::Map<String, Value> = post
        .deliveries
        .iter()
        .filter_map(|d| {
            let r = d.removal.as_ref()?;
            let mut shown = json!({"status": r.get("state"), "attempts": r.get("attempts")});
            if let Some(e) = r.get("error").and_then(|e| serde_json::from_value::<ErrorReport>(e.clone()).ok()) {
                shown["error"] = error_json(t, lang, &e);
            }
            Some((d.platform.as_str().to_string(), shown))
        })
        .collect();
    if !removals.is_empty() {
        v["deleteStatus"] = Value::Object(removals);
    }
    v
}

/// Internal failures are logged with their cause and answered without it.
pub fn internal(t: &Translator, lang: Lang, cause: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %cause, "internal error");
    flat_error(t, lang, &ErrorReport::new(Code::Internal, crier_core::Action::Post))
}
