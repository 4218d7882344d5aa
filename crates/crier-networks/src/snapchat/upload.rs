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
//!
//! The cipher is aws-lc-rs's AES-256-CBC with PKCS#7 padding, byte for byte what
//! `openssl enc -aes-256-cbc -K <key> -iv <iv>` writes (the form Snap's page describes).

use super::errors::{Sent, map_error, transient};
use crate::{Call, Failure, HttpFailure, classify_send_error};
use aws_lc_rs::cipher::{AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
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

/// AES-256-CBC with PKCS#7 padding (1–16 bytes, always) under `key` and `iv`; `None` only if
/// aws-lc refuses, which these fixed sizes never make it do.
pub fn encrypt_cbc_pkcs7(key: &[u8; 32], iv: &[u8; 16], plain: &[u8]) -> Option<Vec<u8>> {
    let key = PaddedBlockEncryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, key).ok()?).ok()?;
    let mut sealed = plain.to_vec();
    // `less_safe_` only because the IV is ours (it travels to Snap at Create Media).
    key.less_safe_encrypt(&mut sealed, EncryptionContext::Iv128(FixedLength::from(*iv))).ok()?;
    Some(sealed)
}

/// Uploads `bytes` as a new media object of `kind` ("IMAGE" / "VIDEO"); returns its id once finalized.
pub async fn upload(call: &Call<'_>, base: &str, token: &str, profile_id: &str, kind: &str, bytes: &[u8]) -> Result<String, Failure> {
    let key: [u8; 32] = rand::random();
    let iv: [u8; 16] = rand::random();
    let encrypted = encrypt_cbc_pkcs7(&key, &iv, bytes).ok_or_else(|| transient("AES-256-CBC encryption of the media failed"))?;
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
    let bytes = resp.bytes().await.map_err(|e| transient(crate::describe(&e)))?;
    Ok((status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// NIST SP 800-38A F.2.5 (CBC-AES256.Encrypt), first two blocks; block-aligned input
    /// gets a whole block of padding, as openssl writes it.
    #[test]
    fn cbc_known_answer() {
        let key: [u8; 32] = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4").try_into().unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let sealed = encrypt_cbc_pkcs7(&key, &iv, &plain).unwrap();
        assert_eq!(sealed[..32], hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d")[..]);
        assert_eq!(sealed.len(), 48);
    }

    /// What the sandbox (and Snap) do with it: decrypting gives the file back.
    #[test]
    fn cbc_round_trip() {
        use aws_lc_rs::cipher::{DecryptionContext, PaddedBlockDecryptingKey};
        let (key, iv) = ([7u8; 32], [9u8; 16]);
        for len in [0usize, 1, 15, 16, 17, 1000] {
            let plain: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut sealed = encrypt_cbc_pkcs7(&key, &iv, &plain).unwrap();
            assert_eq!(sealed.len(), (len / 16 + 1) * 16, "{len} bytes pad to the next whole block");
            assert!(len == 0 || sealed[..len.min(16)] != plain[..len.min(16)], "encrypted");
            let opener = PaddedBlockDecryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, &key).unwrap()).unwrap();
            let opened = opener.decrypt(&mut sealed, DecryptionContext::Iv128(FixedLength::from(iv))).unwrap();
            assert_eq!(opened, &plain[..]);
        }
    }

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
