//! Auto-schedules (ayrshare-api.md §4.16): `POST /auto-schedule/set` creates or replaces a named
//! set of daily UTC slots for the profile, `GET /auto-schedule/list` lists them, `DELETE
//! /auto-schedule/delete {title}` removes one; the shorter paths of Ayrshare's own tests
//! (`/auto-schedule`) too. A post with `autoSchedule: {schedule: true, title?}` takes the next
//! free slot (post/create.rs).

use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal, json_response};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use crier_core::auto_schedule::AutoSchedule;
use crier_core::{Action, Code, ErrorReport};
use serde_json::{Map, Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auto-schedule", post(set).get(list).delete(remove))
        .route("/auto-schedule/set", post(set))
        .route("/auto-schedule/list", get(list))
        .route("/auto-schedule/delete", delete(remove))
}

async fn set(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Post, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let schedule = match AutoSchedule::parse(&body) {
        Ok(a) => a,
        Err(e) => return flat_error(t, lang, &e),
    };
    let stored = schedule.to_json();
    if let Err(e) = s.store.set_auto_schedule(&caller.profile.id, &schedule.title, &stored).await {
        return internal(t, lang, &e);
    }
    let mut answer = json!({"status": "success", "message": "Auto schedule set."});
    if let (Some(a), Some(fields)) = (answer.as_object_mut(), stored.as_object()) {
        a.extend(fields.clone());
    }
    json_response(200, answer)
}

async fn list(State(s): State<AppState>, caller: Caller) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    match s.store.auto_schedules(&caller.profile.id).await {
        Ok(all) => {
            let mut schedules = Map::new();
            for (title, mut v) in all {
                if let Some(o) = v.as_object_mut() {
                    o.remove("title");
                }
                schedules.insert(title, v);
            }
            json_response(200, json!({"status": "success", "schedules": schedules}))
        }
        Err(e) => internal(t, lang, &e),
    }
}

/// `{title}` in the body (or the query, as some clients send DELETE parameters).
async fn remove(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match body {
        Ok(b) if b.is_empty() => Value::Null,
        other => match json_body(t, lang, Action::Post, other) {
            Ok(b) => b,
            Err(r) => return r,
        },
    };
    let q = QueryParams::parse(q.as_deref());
    let Some(title) = body.get("title").and_then(Value::as_str).map(str::to_string).or_else(|| q.get("title").map(str::to_string)).filter(|t| !t.is_empty()) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Post).details("title").arg("field", "title"));
    };
    match s.store.delete_auto_schedule(&caller.profile.id, &title).await {
        Ok(true) => json_response(200, json!({"status": "success", "title": title})),
        Ok(false) => flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Post).details(format!("no auto-schedule titled {title:?}"))),
        Err(e) => internal(t, lang, &e),
    }
}
