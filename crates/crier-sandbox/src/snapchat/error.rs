//! Snap's Marketing API error body: `{"request_status":"ERROR","request_id",
//! "debug_message","display_message","error_code"}`. The `error_code` values
//! are chosen (Snap's pages were not readable here) except `MEDIA_PROCESSING`
//! and `MEDIA_EXPIRED`, which clients of the real API test for.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A fresh `request_id` in Snap's shape (hex, no dashes).
pub(crate) fn request_id() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

#[derive(Debug, Clone)]
pub(crate) struct SnapError {
    status: u16,
    code: &'static str,
    debug: String,
    display: String,
    retry_after: Option<u64>,
}

impl SnapError {
    pub(crate) fn new(status: u16, code: &'static str, debug: impl Into<String>) -> Self {
        let debug = debug.into();
        Self {
            status,
            code,
            display: debug.clone(),
            debug,
            retry_after: None,
        }
    }

    fn display(mut self, display: &str) -> Self {
        self.display = display.to_owned();
        self
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(401, "E3003", "Unauthorized").display(
            "We're sorry, but you are not authorized to access this resource. Please log in again.",
        )
    }

    pub(crate) fn forbidden() -> Self {
        Self::new(
            403,
            "E3002",
            "The access token is not authorized to manage this Public Profile",
        )
        .display("We're sorry, but you do not have permission to access this Public Profile.")
    }

    pub(crate) fn rate_limited(retry_after: Option<u64>) -> Self {
        let mut e = Self::new(429, "E1006", "Too many requests")
            .display("We're sorry, you have made too many requests. Please try again later.");
        e.retry_after = retry_after;
        e
    }

    pub(crate) fn invalid(debug: impl Into<String>) -> Self {
        Self::new(400, "E1001", debug)
    }

    pub(crate) fn invalid_media(debug: impl Into<String>) -> Self {
        Self::new(400, "E1004", debug)
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(404, "E2002", format!("{what} not found"))
    }

    pub(crate) fn media_processing() -> Self {
        Self::new(400, "MEDIA_PROCESSING", "Media is still processing")
            .display("The media is still being processed. Please try again shortly.")
    }

    pub(crate) fn media_expired() -> Self {
        Self::new(400, "MEDIA_EXPIRED", "Media has expired")
            .display("The media has expired. Please upload it again.")
    }

    fn body(&self) -> Value {
        json!({
            "request_status": "ERROR",
            "request_id": request_id(),
            "debug_message": self.debug,
            "display_message": self.display,
            "error_code": self.code,
        })
    }
}

impl IntoResponse for SnapError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

/// Default answer of a `status` fault: Snap's error body.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (
            status,
            axum::Json(json!({"request_status": "SUCCESS", "request_id": request_id()})),
        )
            .into_response();
    }
    let error = match status.as_u16() {
        400 => SnapError::invalid("Bad request"),
        401 => SnapError::unauthorized(),
        403 => SnapError::forbidden(),
        404 => SnapError::not_found("Resource"),
        429 => SnapError::rate_limited(None),
        503 => SnapError::new(503, "E9003", "Service unavailable"),
        code if code >= 500 => SnapError::new(code, "E9001", "Internal server error"),
        code => SnapError::new(code, "E1001", status.canonical_reason().unwrap_or("Error")),
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}
