//! Pinterest's error body: `{"code": <int>, "message": "…"}` with the HTTP
//! status carrying the class.
//!
//! Codes seen on the wire in public clients: 2 "Authentication failed."
//! (401), 8 for rate limits (429), 40 "Board not found." (404), 1 for
//! invalid parameters (400). The other codes and texts are not documented;
//! they are chosen here and marked where used.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PinError {
    pub status: u16,
    pub code: i64,
    pub message: String,
    /// `(X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset)` for 429s.
    pub rate: Option<(u32, u32, u64)>,
}

impl PinError {
    pub(crate) fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            rate: None,
        }
    }

    /// Unknown, expired or revoked token (observed body).
    pub(crate) fn auth_failed() -> Self {
        Self::new(401, 2, "Authentication failed.")
    }

    /// A body or query that does not validate (code 1 observed; texts chosen).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, 1, message)
    }

    /// Any board but the seeded one (observed body).
    pub(crate) fn board_not_found() -> Self {
        Self::new(404, 40, "Board not found.")
    }

    /// Code chosen (not documented).
    pub(crate) fn pin_not_found() -> Self {
        Self::new(404, 50, "Pin not found.")
    }

    /// Code chosen (not documented).
    pub(crate) fn media_not_found() -> Self {
        Self::new(404, 50, "Media not found.")
    }

    /// The documented 403 of `POST /v5/pins` for an image Pinterest cannot
    /// use (code chosen).
    pub(crate) fn bad_image(detail: &str) -> Self {
        Self::new(
            403,
            1,
            format!("The Pin's image is too small, too large or is broken: {detail}"),
        )
    }

    /// Rate limited (code 8 and the message are observed).
    pub(crate) fn rate_limited(limit: u32, reset_secs: u64) -> Self {
        Self {
            rate: Some((limit, 0, reset_secs)),
            ..Self::new(
                429,
                8,
                "You have exceeded your rate limit. Try again later.",
            )
        }
    }

    /// An unknown path or method (text chosen).
    pub(crate) fn not_found() -> Self {
        Self::new(404, 404, "Not found.")
    }
}

impl IntoResponse for PinError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (
            status,
            axum::Json(json!({"code": self.code, "message": self.message})),
        )
            .into_response();
        if let Some((limit, remaining, reset)) = self.rate {
            let headers = response.headers_mut();
            for (name, value) in [
                ("x-ratelimit-limit", limit.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
                ("x-ratelimit-reset", reset.to_string()),
            ] {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            }
        }
        response
    }
}

/// Default answer of a `status` fault: Pinterest's body with the code used
/// for that class (5xx code and text chosen).
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    let error = match status.as_u16() {
        400 => PinError::invalid("Invalid parameters."),
        401 => PinError::auth_failed(),
        403 => PinError::new(403, 3, "Authorization failed."),
        404 => PinError::not_found(),
        429 => PinError::rate_limited(1000, 60),
        code if code >= 500 => PinError::new(code, 1, "We could not complete that request."),
        code => PinError::new(
            code,
            1,
            status.canonical_reason().unwrap_or("Error").to_owned(),
        ),
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}
