//! `/media/upload` (alias `/upload`) and `/media`: files crier keeps and serves at
//! `/media/{token}` — from a local folder, or from an S3 bucket any node can read.

use super::body::json_body;
use super::path::path_param;
use crate::auth::Caller;
use crate::render::{flat_error, internal, iso, json_response};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
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
        .route("/media/urlExists", post(url_exists))
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

#[utoipa::path(post, path = "/api/media/upload", tag = "media", request_body(content((crate::openapi::UploadBody = "application/json"), (crate::openapi::UploadForm = "multipart/form-data"))),
    responses((status = 200, description = "Stored; served at url until it expires", body = serde_json::Value),
              (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn upload(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let bad = |d: String| flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Upload).details(d));
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    let file = if is_multipart {
        let body = match body {
            Ok(b) => b,
            Err(e) => return bad(super::body::unreadable(&e)),
        };
        match super::multipart_upload::read(&headers, body).await {
            Ok(f) => f,
            Err(d) => return bad(d),
        }
    } else {
        let body = match json_body(t, lang, Action::Upload, body) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let Some(file) = body.get("file").and_then(Value::as_str) else {
            return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Upload).details("file").arg("field", "file"));
        };
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
        match decode_data_uri(file) {
            Ok(bytes) => Upload { bytes, file_name: text("fileName"), description: text("description") },
            Err(d) => return bad(d),
        }
    };
    store_upload(&s, &caller, file).await
}

/// A file sent to `/media/upload`, however it was encoded.
pub(crate) struct Upload {
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    pub description: Option<String>,
}

async fn store_upload(s: &AppState, caller: &Caller, file: Upload) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let bad = |d: String| flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Upload).details(d));
    let bytes = file.bytes;
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
        file_name: file.file_name,
        description: file.description,
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
    let mut v = describe(s, &object);
    v["status"] = json!("success");
    json_response(200, v)
}

/// Bytes read to answer `urlExists`: enough to sniff the type, never the whole file.
const PROBE_BYTES: usize = 64 * 1024;

#[utoipa::path(post, path = "/api/media/urlExists", tag = "media", request_body = serde_json::Value,
    responses((status = 200, description = "The URL answers with a body (read through the SSRF guard)", body = serde_json::Value),
              (status = "default", description = "Catalog error (docs/errors.md): 451 when the URL cannot be fetched", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn url_exists(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Upload, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(url) = body.get("mediaUrl").and_then(Value::as_str) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Upload).details("mediaUrl").arg("field", "mediaUrl"));
    };
    let content_type = match s.media.fetcher.fetch(url, PROBE_BYTES).await {
        Ok(f) => Some(f.kind.mime()),
        // It exists; it is only bigger than what a probe reads.
        Err(crier_media::FetchError::TooLargeDeclared { .. } | crier_media::FetchError::TooLargeStreamed { .. }) => None,
        Err(e) => return flat_error(t, lang, &ErrorReport::new(Code::ImageDownload, Action::Upload).details(format!("{url}: {e}"))),
    };
    json_response(200, json!({"status": "success", "mediaUrl": url, "exists": true, "contentType": content_type}))
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
    responses((status = 200, description = "The file, with the content type sniffed from its bytes",
        content(("image/jpeg"), ("image/png"), ("image/gif"), ("image/webp"), ("image/heic"), ("image/avif"), ("video/mp4"), ("video/quicktime"))), (status = "default", description = "Catalog error (docs/errors.md)", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn serve(State(s): State<AppState>, headers: HeaderMap, path: Result<Path<String>, PathRejection>) -> Response {
    let lang = crate::auth::lang_of(&headers);
    let token = match path_param(&s.i18n, lang, Action::Upload, path) {
        Ok(t) => t,
        Err(r) => return r,
    };
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
