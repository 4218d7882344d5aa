//! `/media/upload` (alias `/upload`) and `/media`: files crier keeps and serves at
//! `/media/{token}` — from a local folder, or from an S3 bucket any node can read.

use super::body::json_body;
use crate::auth::Caller;
use crate::render::{flat_error, internal, iso, json_response};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use crier_core::{Action, Code, ErrorReport};
use crier_store::MediaObject;
use serde_json::{Value, json};

/// Largest upload accepted (Ayrshare's limit for this endpoint), before base64.
pub const MAX_UPLOAD_BYTES: usize = 30 << 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/media/upload", post(upload))
        .route("/upload", post(upload))
        .route("/media", get(list))
        // base64 makes a body a third larger than its file.
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES / 3 * 4 + 64 * 1024))
}

/// The public route, mounted outside `/api`.
pub fn serve_router() -> Router<AppState> {
    Router::new().route("/media/{token}", get(serve))
}

fn url_of(s: &AppState, token: &str) -> String {
    format!("{}/media/{token}", s.media.public_base.trim_end_matches('/'))
}

fn describe(s: &AppState, m: &MediaObject) -> Value {
    json!({"id": m.token, "url": url_of(s, &m.token), "fileName": m.file_name, "description": m.description,
           "contentType": m.mime, "size": m.size_bytes, "created": iso(m.created_ms), "expires": iso(m.expires_ms)})
}

/// `data:<mime>;base64,<data>` → bytes (the mime is checked against the bytes later, not trusted).
fn decode_data_uri(file: &str) -> Result<Vec<u8>, String> {
    let (head, data) = file.split_once(',').ok_or("file must be a data URI: data:<type>;base64,<data>")?;
    if !head.starts_with("data:") || !head.ends_with(";base64") {
        return Err("file must be a base64 data URI: data:<type>;base64,<data>".into());
    }
    base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|e| format!("file is not valid base64: {e}"))
}

#[utoipa::path(post, path = "/api/media/upload", tag = "media", request_body = crate::openapi::UploadBody,
    responses((status = 200, description = "Stored; served at url until it expires", body = serde_json::Value),
              (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn upload(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Upload, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let bad = |d: String| flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Upload).details(d));
    let Some(file) = body.get("file").and_then(Value::as_str) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Upload).details("file").arg("field", "file"));
    };
    let bytes = match decode_data_uri(file) {
        Ok(b) => b,
        Err(d) => return bad(d),
    };
    if bytes.is_empty() || bytes.len() > MAX_UPLOAD_BYTES {
        return bad(format!("file is {} bytes; it must be 1 to {MAX_UPLOAD_BYTES}", bytes.len()));
    }
    let kind = crier_media::sniff(&bytes);
    if kind == crier_media::MediaKind::Unknown {
        return bad("file is not an image or video crier recognises (JPEG, PNG, GIF, WebP, HEIC, AVIF, MP4, MOV)".into());
    }
    let token = crier_store::random_token(24);
    let now = crier_store::now_ms();
    let object = MediaObject {
        token: token.clone(),
        profile_id: caller.profile.id.clone(),
        object_key: format!("uploads/{token}"),
        mime: kind.mime().to_string(),
        size_bytes: bytes.len() as i64,
        file_name: body.get("fileName").and_then(Value::as_str).map(str::to_string),
        description: body.get("description").and_then(Value::as_str).map(str::to_string),
        created_ms: now,
        expires_ms: now + s.media.upload_ttl.as_millis() as i64,
    };
    if let Err(e) = s.media.staging.put(&object.object_key, bytes).await {
        // The store is crier's side: the same upload can succeed later.
        return flat_error(t, lang, &ErrorReport::new(Code::ImageStaging, Action::Upload).details(e.to_string()));
    }
    if let Err(e) = s.store.add_media_object(&object).await {
        return internal(t, lang, &e);
    }
    let mut v = describe(&s, &object);
    v["status"] = json!("success");
    json_response(200, v)
}

#[utoipa::path(get, path = "/api/media", tag = "media",
    responses((status = 200, description = "The profile's uploaded media that has not expired", body = serde_json::Value),
              (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn list(State(s): State<AppState>, caller: Caller) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    match s.store.list_media_objects(&caller.profile.id, 500).await {
        Ok(items) => json_response(200, json!({"status": "success", "media": items.iter().map(|m| describe(&s, m)).collect::<Vec<_>>()})),
        Err(e) => internal(t, lang, &e),
    }
}

/// Public (networks' crawlers fetch it): unguessable 24-character tokens, expiry enforced.
#[utoipa::path(get, path = "/media/{token}", tag = "media", security(()), params(("token" = String, Path)),
    responses((status = 200, description = "The file, with its sniffed content type", content_type = "application/octet-stream"), (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn serve(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let lang = crate::auth::lang_of(&headers);
    let not_found = || flat_error(&s.i18n, lang, &ErrorReport::new(Code::MediaNotFound, Action::Upload).details(token.clone()));
    let object = match s.store.media_object(&token).await {
        Ok(Some(o)) => o,
        Ok(None) => return not_found(),
        Err(e) => return internal(&s.i18n, lang, &e),
    };
    match s.media.staging.get(&object.object_key).await {
        Ok(bytes) => (StatusCode::OK, [(header::CONTENT_TYPE, object.mime), (header::CACHE_CONTROL, "private, max-age=3600".to_string())], bytes).into_response(),
        Err(crier_media::StagingError::NotFound) => not_found(),
        Err(e) => internal(&s.i18n, lang, &e),
    }
}

/// Removes expired media from the staging store and the database; returns how many.
/// The object goes first: a crash between the two leaves a row the next sweep retries.
pub async fn sweep_expired(store: &crier_store::Store, staging: &crier_media::Staging) -> crier_store::Result<usize> {
    let expired = store.expired_media_objects(500).await?;
    let mut removed = 0;
    for m in &expired {
        match staging.delete(&m.object_key).await {
            Ok(()) => {
                store.remove_media_object(&m.token).await?;
                removed += 1;
            }
            Err(e) => tracing::warn!(token = %m.token, error = %e, "expired media could not be deleted; will retry"),
        }
    }
    Ok(removed)
}
