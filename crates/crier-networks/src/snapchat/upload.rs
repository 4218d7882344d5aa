//! Snap's media upload (`developers.snap.com/api/marketing-api/Public-Profile-API/ProfileAssetManagement`):
//! encrypt the file with AES-256-CBC under a random key and IV, `POST
//! /v1/public_profiles/{profile_id}/media` `{type: IMAGE|VIDEO, name, key, iv}` (key and IV
//! base64), upload the encrypted bytes in parts of at most 32 MB with the multipart upload API
//! (`multipart/form-data`: `action=ADD`, `part_number` from 1, `file`), then finalize
//! (`action=FINALIZE`). A media object can be posted for 24 hours.
//!
//! Where Snap's page is silent (the create answer's fields, the upload paths) crier follows
//! the sandbox contract: the answer gives `media_id` and, when present, `add_path` /
//! `finalize_path` relative to the API host; otherwise `…/media/{media_id}/multipart-upload-v2`
//! with `?action=ADD` / `?action=FINALIZE` is used.

use super::aes_cbc::encrypt_cbc_pkcs7;
use super::errors::{Sent, map_error, transient};
use crate::{Call, Failure, HttpFailure, classify_send_error};
use base64::Engine;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

/// Snap's largest upload part.
pub const PART_BYTES: usize = 32 * 1024 * 1024;

/// The upload paths of a created media object.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaPaths {
    pub media_id: String,
    pub add_path: String,
    pub finalize_path: String,
}

/// Reads the Create Media answer: `media_id` at the top (or inside `media`), upload paths if
/// Snap gives them. Paths that are not plain absolute paths on the API host are ignored, so the
/// bearer token only ever goes to the configured host.
pub fn media_paths(profile_id: &str, body: &Value) -> Option<MediaPaths> {
    let media_id = body
        .get("media_id")
        .or_else(|| body.pointer("/media/id"))
        .or_else(|| body.pointer("/media/0/media/id"))
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))?
        .to_string();
    let path = |k: &str, default: String| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains(".."))
            .map(str::to_string)
            .unwrap_or(default)
    };
    let base = format!("/v1/public_profiles/{profile_id}/media/{media_id}/multipart-upload-v2");
    Some(MediaPaths {
        add_path: path("add_path", format!("{base}?action=ADD")),
        finalize_path: path("finalize_path", format!("{base}?action=FINALIZE")),
        media_id,
    })
}

/// Uploads `bytes` as a new media object of `kind` ("IMAGE" / "VIDEO"); returns its id once finalized.
pub async fn upload(call: &Call<'_>, base: &str, token: &str, profile_id: &str, kind: &str, bytes: &[u8]) -> Result<String, Failure> {
    let key: [u8; 32] = rand::random();
    let iv: [u8; 16] = rand::random();
    let encrypted = encrypt_cbc_pkcs7(&key, &iv, bytes);
    let b64 = base64::engine::general_purpose::STANDARD;
    let create = json!({
        "type": kind,
        "name": format!("crier-{}", chrono::Utc::now().timestamp_millis()),
        "key": b64.encode(key),
        "iv": b64.encode(iv),
    });
    let url = format!("{base}/v1/public_profiles/{profile_id}/media");
    let (status, headers, body) = answer(call.http.post(url).bearer_auth(token).json(&create)).await?;
    if !success(status, &body) {
        return Err(map_error(status, &headers, &body, &Sent::default()));
    }
    let paths = media_paths(profile_id, &body).ok_or_else(|| transient(format!("Create Media answer lacks media_id: {body}")))?;
    for (i, chunk) in encrypted.chunks(PART_BYTES).enumerate() {
        let part = Part::bytes(chunk.to_vec()).file_name(format!("part-{}", i + 1)).mime_str("application/octet-stream").expect("static mime is valid");
        let form = Form::new().text("action", "ADD").text("part_number", (i + 1).to_string()).part("file", part);
        let (status, headers, body) = answer(call.http.post(format!("{base}{}", paths.add_path)).bearer_auth(token).multipart(form)).await?;
        if !success(status, &body) {
            return Err(map_error(status, &headers, &body, &Sent::default()));
        }
    }
    let form = Form::new().text("action", "FINALIZE");
    let (status, headers, body) = answer(call.http.post(format!("{base}{}", paths.finalize_path)).bearer_auth(token).multipart(form)).await?;
    if !success(status, &body) {
        return Err(map_error(status, &headers, &body, &Sent::default()));
    }
    Ok(paths.media_id)
}

/// A 2xx whose body does not say ERROR.
pub fn success(status: u16, body: &Value) -> bool {
    (200..300).contains(&status) && body.get("request_status").and_then(Value::as_str).is_none_or(|s| !s.eq_ignore_ascii_case("ERROR"))
}

/// Sends a request that publishes nothing: a lost answer is simply transient.
async fn answer(req: reqwest::RequestBuilder) -> Result<(u16, reqwest::header::HeaderMap, Value), Failure> {
    let resp = req.send().await.map_err(|e| {
        let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = classify_send_error(&e);
        transient(d)
    })?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.map_err(|e| transient(e.to_string()))?;
    Ok((status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_answer_or_defaults() {
        let p = media_paths("pid", &json!({"media_id": "m-1", "add_path": "/v1/x?action=ADD", "finalize_path": "https://evil.example/f"})).unwrap();
        assert_eq!(p.media_id, "m-1");
        assert_eq!(p.add_path, "/v1/x?action=ADD");
        assert_eq!(p.finalize_path, "/v1/public_profiles/pid/media/m-1/multipart-upload-v2?action=FINALIZE");
        assert_eq!(media_paths("pid", &json!({"media": {"id": "m-2"}})).unwrap().media_id, "m-2");
        assert!(media_paths("pid", &json!({"media_id": "../x"})).is_none());
        assert!(media_paths("pid", &json!({})).is_none());
    }

    #[test]
    fn success_needs_a_2xx_without_error_status() {
        assert!(success(200, &json!({"request_status": "SUCCESS"})));
        assert!(success(200, &Value::Null));
        assert!(!success(200, &json!({"request_status": "ERROR"})));
        assert!(!success(400, &json!({"request_status": "SUCCESS"})));
    }
}
