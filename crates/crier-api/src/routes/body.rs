//! JSON bodies read leniently (any Content-Type, since SDKs differ) and strictly
//! (size-capped, must parse), with catalog errors instead of axum's plain-text rejections.

use crate::i18n::{Lang, Translator};
use crate::render::flat_error;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use serde_json::Value;

// The error is the finished response; it is built once per failed request, so its size does not matter.
#[allow(clippy::result_large_err)]
pub fn json_body(t: &Translator, lang: Lang, action: Action, body: Result<Bytes, BytesRejection>) -> Result<Value, Response> {
    let malformed = |d: String| flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, action).details(d));
    let bytes = body.map_err(|e| malformed(unreadable(&e)))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&bytes).map_err(|e| malformed(format!("body is not valid JSON: {e}")))
}

/// Why a body could not be read, in words for the caller.
pub fn unreadable(e: &BytesRejection) -> String {
    use axum::extract::rejection::FailedToBufferBody;
    if matches!(e, BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) {
        return "the body is larger than this endpoint accepts".into();
    }
    // The server's body deadline (crier's `http.body_read_timeout_secs`) ran out.
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<tower_http::timeout::TimeoutError>() {
            return "the request body did not arrive within the server's time limit".into();
        }
        cause = c.source();
    }
    format!("body could not be read: {e}")
}
