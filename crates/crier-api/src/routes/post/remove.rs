//! `DELETE /post` (and `/delete`): one id, `bulk`, at the networks or cancelled before sending.

use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{error_json, flat_error, internal, json_response};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use crier_engine::{ByoKeys, Removal};
use serde_json::{Value, json};

/// Ids from the body (`id` or `bulk`) or, as some SDKs send them, from the query string.
pub(super) fn ids_of(body: &Value, q: &QueryParams) -> Vec<String> {
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

