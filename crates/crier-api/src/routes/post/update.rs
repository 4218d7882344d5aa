//! `PUT`/`PATCH /post`: change a post that has not been sent.

use crate::auth::Caller;
use crate::render::{flat_error, internal, json_response};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use serde_json::{Value, json};

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

