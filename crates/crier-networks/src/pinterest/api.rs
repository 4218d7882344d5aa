//! Pinterest API v5 over HTTP (bearer auth), and the video upload
//! (https://developers.pinterest.com/docs/api/v5/media-create, …/media-get):
//! `POST /v5/media {"media_type":"video"}` → `{media_id, upload_url, upload_parameters}`;
//! a multipart POST to `upload_url` with every upload parameter, then the file;
//! `GET /v5/media/{id}` until `status` is `succeeded` (or `failed`).

use super::errors::{map_error, transient};
pub use crate::Answer;
use crate::{Call, Failure, HttpFailure, send};
use serde_json::{Value, json};

pub struct Api {
    base: String,
}

/// A path segment (ids are digits, but nothing unexpected may reach the path).
pub fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// Outside the publish call nothing can be created by a lost answer: transient.
pub fn checked(r: Result<Answer, HttpFailure>) -> Result<Answer, Failure> {
    let a = r.map_err(|h| transient(h.into_text()))?;
    if a.ok() { Ok(a) } else { Err(map_error(a.status, &a.headers, &a.body, 0)) }
}

/// The state of an uploaded video.
#[derive(Debug, PartialEq, Eq)]
pub enum MediaStatus {
    Succeeded,
    Processing,
    Failed(String),
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api { base: base.trim_end_matches('/').to_string() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/v5/{}", self.base, path.trim_start_matches('/'))
    }

    pub async fn post(&self, call: &Call<'_>, token: &str, path: &str, body: &Value) -> Result<Answer, HttpFailure> {
        send(call.http.post(self.url(path)).bearer_auth(token).json(body)).await
    }

    pub async fn get(&self, call: &Call<'_>, token: &str, path: &str, query: &[(&str, String)]) -> Result<Answer, HttpFailure> {
        send(call.http.get(self.url(path)).bearer_auth(token).query(query)).await
    }

    pub async fn delete(&self, call: &Call<'_>, token: &str, path: &str) -> Result<Answer, HttpFailure> {
        send(call.http.delete(self.url(path)).bearer_auth(token)).await
    }

    /// Registers, then uploads a video; returns its media id.
    pub async fn upload_video(&self, call: &Call<'_>, token: &str, bytes: Vec<u8>, mime: &'static str) -> Result<String, Failure> {
        let a = checked(self.post(call, token, "media", &json!({"media_type": "video"})).await)?;
        let field = |k: &str| a.body.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        let (Some(media_id), Some(upload_url)) = (field("media_id"), field("upload_url")) else {
            return Err(transient(format!("media registration answer lacks media_id or upload_url: {}", a.body)));
        };
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in a.body.get("upload_parameters").and_then(Value::as_object).into_iter().flatten() {
            let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            form = form.text(k.clone(), v);
        }
        // The storage service wants the file after every other field.
        let part = reqwest::multipart::Part::bytes(bytes).file_name("video").mime_str(mime).map_err(|e| transient(e.to_string()))?;
        form = form.part("file", part);
        let up = send(call.http.post(&upload_url).multipart(form)).await.map_err(|h| transient(h.into_text()))?;
        if !up.ok() {
            return Err(match up.status {
                500..=599 => transient(format!("video upload answered HTTP {}", up.status)),
                s => Failure::Rejected(super::errors::err(crier_core::Code::NetworkRejected).details(format!("video upload answered HTTP {s}"))),
            });
        }
        Ok(media_id)
    }

    pub async fn media_status(&self, call: &Call<'_>, token: &str, media_id: &str) -> Result<MediaStatus, Failure> {
        let a = checked(self.get(call, token, &format!("media/{}", segment(media_id)), &[]).await)?;
        Ok(match a.body.get("status").and_then(Value::as_str).unwrap_or("") {
            "succeeded" => MediaStatus::Succeeded,
            "failed" => MediaStatus::Failed(format!("Pinterest could not process video {media_id}: {}", a.body)),
            _ => MediaStatus::Processing,
        })
    }
}
