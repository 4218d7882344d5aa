//! `PUT`/`PATCH /post`: change a post that has not been sent (ayrshare-api.md §4.2, §8): its
//! date and notes, `approved: true` for a post awaiting approval, `scheduledPause` to pause or
//! unpause a scheduled one (unpausing after its date sends it at once).

use crate::auth::Caller;
use crate::render::{flat_error, internal, iso, json_response};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use crier_store::{HoldChange, PostStatus};
use serde_json::{Map, Value, json};

/// What the body asks, every field checked for its type first (900 when wrong).
struct Change<'a> {
    id: &'a str,
    schedule_ms: Option<i64>,
    notes: Option<&'a str>,
    approved: Option<bool>,
    pause: Option<bool>,
}

fn malformed(details: impl Into<String>) -> ErrorReport {
    ErrorReport::new(Code::MalformedBody, Action::Post).details(details)
}

fn parse(body: &Value) -> Result<Change<'_>, ErrorReport> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    let obj = body.as_object().unwrap_or(&EMPTY);
    let id = match obj.get("id") {
        Some(Value::String(id)) if !id.is_empty() => id.as_str(),
        Some(v) if !v.is_null() => return Err(malformed("id must be a string")),
        _ => return Err(ErrorReport::new(Code::MissingField, Action::Post).details("id").arg("field", "id")),
    };
    let string = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(malformed(format!("{k} must be a string"))),
    };
    let boolean = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(malformed(format!("{k} must be true or false"))),
    };
    let schedule_ms = match string("scheduleDate")? {
        None => None,
        Some(d) => match chrono::DateTime::parse_from_rfc3339(d) {
            // A date in the past means: send now.
            Ok(at) => Some(at.timestamp_millis().max(crier_store::now_ms())),
            Err(e) => return Err(ErrorReport::new(Code::ScheduleInPast, Action::Post).details(format!("scheduleDate {d:?}: {e}"))),
        },
    };
    let approved = boolean("approved")?;
    if approved == Some(false) {
        return Err(malformed("approved can only be true: delete the post to reject it"));
    }
    Ok(Change { id, schedule_ms, notes: string("notes")?, approved, pause: boolean("scheduledPause")? })
}

#[utoipa::path(put, path = "/api/post", tag = "post", request_body = crate::openapi::UpdatePostBody,
    responses((status = 200, description = "The post was changed", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn update(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Post, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let change = match parse(&body) {
        Ok(c) => c,
        Err(e) => return flat_error(t, lang, &e),
    };
    let id = change.id;
    let refused = |why: &str| flat_error(t, lang, &ErrorReport::new(Code::UpdateRefused, Action::Post).details(format!("{id}: {why}")));
    let post = match s.store.get_post(&caller.profile.id, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id.to_string())),
        Err(e) => return internal(t, lang, &e),
    };
    if change.schedule_ms.is_some() || change.notes.is_some() {
        match s.store.update_scheduled(id, change.schedule_ms, change.notes).await {
            Ok(true) => {}
            Ok(false) => return refused("only a post that has not been sent can get a new date or notes"),
            Err(e) => return internal(t, lang, &e),
        }
    }
    if change.approved == Some(true) {
        if let Some(keys) = caller.byo.clone() {
            // X's app keys of the approving request serve the post it releases.
            s.engine.remember_byo(id, keys);
        }
        match s.store.release_hold(id, PostStatus::AwaitingApproval).await {
            Ok(HoldChange::Refused) if post.status != PostStatus::AwaitingApproval => return refused("the post is not awaiting approval"),
            Ok(HoldChange::Refused) => return refused("the post changed meanwhile"),
            Ok(_) => {}
            Err(e) => return internal(t, lang, &e),
        }
    }
    match change.pause {
        Some(true) => match s.store.pause_post(id).await {
            Ok(HoldChange::Refused) => return refused("only a scheduled post that has not started can be paused"),
            Ok(_) => {}
            Err(e) => return internal(t, lang, &e),
        },
        Some(false) => match s.store.release_hold(id, PostStatus::Paused).await {
            Ok(HoldChange::Refused) if post.status == PostStatus::Pending => {}
            Ok(HoldChange::Refused) => return refused("the post is not paused"),
            Ok(_) => {}
            Err(e) => return internal(t, lang, &e),
        },
        None => {}
    }
    s.engine.wake();
    match s.store.get_post(&caller.profile.id, id).await {
        Ok(Some(p)) => json_response(
            200,
            json!({"status": "success", "id": p.id, "postStatus": p.status.as_str(), "scheduleDate": p.schedule_ms.map(iso), "notes": p.notes}),
        ),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Post).details(id.to_string())),
        Err(e) => internal(t, lang, &e),
    }
}
