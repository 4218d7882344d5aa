//! `multipart/form-data` bodies of `/media/upload`: a `file` part, and optional `fileName` and
//! `description` fields (Ayrshare's form; Python `requests` `files=` and JS `FormData` send it).

//! The body was read whole under the route's own limit (`media::MAX_UPLOAD_BYTES`), so the parts
//! are read from it as they are, with no second, smaller limit.

use super::media::Upload;
use axum::body::Bytes;
use axum::http::{HeaderMap, header};

pub(crate) async fn read(headers: &HeaderMap, body: Bytes) -> Result<Upload, String> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|e| format!("unreadable multipart body: {e}"))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut upload = Upload { bytes: Vec::new(), file_name: None, description: None };
    let mut has_file = false;
    while let Some(field) = form.next_field().await.map_err(|e| format!("unreadable multipart body: {e}"))? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                if upload.file_name.is_none() {
                    upload.file_name = field.file_name().map(str::to_string);
                }
                upload.bytes = field.bytes().await.map_err(|e| format!("unreadable file part: {e}"))?.to_vec();
                has_file = true;
            }
            "fileName" => upload.file_name = Some(field.text().await.map_err(|e| e.to_string())?),
            "description" => upload.description = Some(field.text().await.map_err(|e| e.to_string())?),
            // Other fields (the SDKs' `source`) are ignored, as in JSON bodies.
            _ => {}
        }
    }
    if !has_file {
        return Err("multipart body has no `file` part".into());
    }
    Ok(upload)
}
