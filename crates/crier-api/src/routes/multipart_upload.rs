//! `multipart/form-data` bodies of `/media/upload`: a `file` part, and optional `fileName` and
//! `description` fields (Ayrshare's form; Python `requests` `files=` and JS `FormData` send it).

use super::media::Upload;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart};
use axum::http::{HeaderMap, Request, header};

pub(crate) async fn read(headers: &HeaderMap, body: Bytes) -> Result<Upload, String> {
    let mut request = Request::new(Body::from(body));
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        request.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
    }
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| e.body_text())?;
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
