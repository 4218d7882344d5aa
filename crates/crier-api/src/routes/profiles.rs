//! `/profiles`: the account's profiles (create, list, delete).

use super::body::json_body;
use super::profiles_query;
use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal, iso, json_response};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_store::StoreError;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profiles", get(list).post(create).delete(remove).patch(rename))
        .route("/profiles/profile", post(create).delete(remove).put(rename))
        .route("/profiles/create-profile", post(create))
        .route("/profiles/delete-profile", delete(remove))
}

#[utoipa::path(post, path = "/api/profiles", tag = "profiles", request_body = crate::openapi::ProfileBody,
    responses((status = 200, description = "The new profile and its key (shown once)", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn create(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Profile, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let title = match body.get("title") {
        Some(Value::String(t)) if !t.trim().is_empty() => t.trim().to_string(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Profile).details("title").arg("field", "title"));
        }
        Some(_) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Profile).details("title must be a string")),
    };
    match s.store.create_profile(&caller.account, &title).await {
        Ok((p, key)) => json_response(200, json!({"status": "success", "title": p.title, "refId": p.ref_id, "profileKey": key})),
        Err(StoreError::Conflict(_)) => flat_error(t, lang, &ErrorReport::new(Code::ProfileTitleTaken, Action::Profile).details(title)),
        Err(e) => internal(t, lang, &e),
    }
}

#[utoipa::path(get, path = "/api/profiles", tag = "profiles",
    params(("refId" = Option<String>, Query), ("title" = Option<String>, Query), ("limit" = Option<i64>, Query, description = "1-5000, default 5000"), ("cursor" = Option<String>, Query, description = "nextCursor of the previous page")),
    responses((status = 200, description = "The account's profiles, oldest first: {profiles, count, hasMore, nextCursor}", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn list(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let filter = match profiles_query::filter(&QueryParams::parse(q.as_deref())) {
        Ok(f) => f,
        Err(e) => return flat_error(t, lang, &e),
    };
    let (profiles, more) = match s.store.profiles_page(&caller.account, &filter).await {
        Ok(p) => p,
        Err(e) => return internal(t, lang, &e),
    };
    let mut out = Vec::new();
    for p in &profiles {
        // Usable accounts only (as Ayrshare lists them): one needing a relink is left out.
        let linked: Vec<Platform> = match s.store.linked_accounts(&p.id).await {
            Ok(l) => l.into_iter().filter(|a| a.relink_reason.is_none()).map(|a| a.platform).collect(),
            Err(e) => return internal(t, lang, &e),
        };
        out.push(json!({
            "title": p.title, "refId": p.ref_id, "created": iso(p.created_ms), "createdUTC": iso(p.created_ms),
            "activeSocialAccounts": linked,
        }));
    }
    let next = profiles.last().filter(|_| more).map(profiles_query::cursor);
    json_response(200, json!({"profiles": out, "count": out.len(), "hasMore": more, "nextCursor": next}))
}

/// The profile key of a request: the body's `profileKey`, else the `Profile-Key` header.
fn profile_key<'a>(body: &'a Value, headers: &'a HeaderMap) -> Option<&'a str> {
    body.get("profileKey")
        .and_then(Value::as_str)
        .or_else(|| headers.get("profile-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

/// `PATCH /profiles` (`PUT /profiles/profile` in the SDKs): a new title.
#[utoipa::path(patch, path = "/api/profiles", tag = "profiles", request_body = crate::openapi::ProfileKeyBody,
    responses((status = 200, description = "Renamed", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn rename(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Profile, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(key) = profile_key(&body, &headers) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Profile).details("profileKey").arg("field", "profileKey"));
    };
    let Some(title) = body.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Profile).details("title").arg("field", "title"));
    };
    match s.store.rename_profile(&caller.account, key, title).await {
        Ok(Some(p)) => json_response(200, json!({"status": "success", "refId": p.ref_id, "title": p.title})),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::ProfileNotFound, Action::Profile)),
        Err(StoreError::Conflict(_)) => flat_error(t, lang, &ErrorReport::new(Code::ProfileTitleTaken, Action::Profile).details(title.to_string())),
        Err(e) => internal(t, lang, &e),
    }
}

/// The profile key comes from the `Profile-Key` header or the body's `profileKey`.
#[utoipa::path(delete, path = "/api/profiles", tag = "profiles", request_body = crate::openapi::ProfileKeyBody,
    responses((status = 200, description = "Deleted", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn remove(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Profile, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(key) = profile_key(&body, &headers) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Profile).details("profileKey").arg("field", "profileKey"));
    };
    match s.store.delete_profile(&caller.account, key).await {
        Ok(Some(p)) => json_response(200, json!({"status": "success", "refId": p.ref_id})),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::ProfileNotFound, Action::Profile)),
        Err(e) => internal(t, lang, &e),
    }
}
