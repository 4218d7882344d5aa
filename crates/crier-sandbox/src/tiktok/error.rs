//! TikTok's envelope: every answer is `{"data":{…},"error":{"code","message","log_id"}}`,
//! with `code: "ok"` on success and a string code with its HTTP status on
//! failure (https://developers.tiktok.com/doc/tiktok-api-v2-error-handling,
//! the Direct Post reference's error table). Messages are TikTok's where the
//! docs give them, otherwise chosen.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A fresh `log_id` in TikTok's shape: `yyyyMMddHHmmss` and 20 hex digits.
pub(crate) fn log_id() -> String {
    let stamp = chrono::Utc::now().format("%Y%m%d%H%M%S");
    format!(
        "{stamp}{:016X}{:04X}",
        rand::random::<u64>(),
        rand::random::<u16>()
    )
}

/// A successful answer with `data`.
pub(crate) fn ok(data: Value) -> Response {
    let body = json!({"data": data, "error": {"code": "ok", "message": "", "log_id": log_id()}});
    axum::Json(body).into_response()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TtError {
    status: u16,
    code: &'static str,
    message: String,
}

impl TtError {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn token_invalid() -> Self {
        Self::new(
            401,
            "access_token_invalid",
            "The access token is invalid or not found in the request.",
        )
    }

    pub(crate) fn scope_not_authorized(scope: &str) -> Self {
        Self::new(
            401,
            "scope_not_authorized",
            format!(
                "The user did not authorize the scope required for completing this request ({scope})."
            ),
        )
    }

    pub(crate) fn rate_limited() -> Self {
        Self::new(
            429,
            "rate_limit_exceeded",
            "The API rate limit was exceeded. Please try again later.",
        )
    }

    pub(crate) fn invalid_params(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_params", message)
    }

    pub(crate) fn invalid_file_upload(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_file_upload", message)
    }

    pub(crate) fn too_many_posts() -> Self {
        Self::new(
            403,
            "spam_risk_too_many_posts",
            "The daily post cap from the API is reached for the current user.",
        )
    }

    pub(crate) fn banned() -> Self {
        Self::new(
            403,
            "spam_risk_user_banned_from_posting",
            "The user is banned from making new posts.",
        )
    }

    pub(crate) fn privacy_mismatch() -> Self {
        Self::new(
            400,
            "privacy_level_option_mismatch",
            "privacy_level is not specified or not among the privacy_level_options returned by creator_info.",
        )
    }

    pub(crate) fn url_ownership_unverified() -> Self {
        Self::new(
            403,
            "url_ownership_unverified",
            "To use your URL as a media source, please verify your domain or URL prefix ownership.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            500,
            "internal_error",
            "Something went wrong. Please try again later.",
        )
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::invalid_params(format!("{what} does not exist"))
    }
}

impl IntoResponse for TtError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = json!({
            "data": {},
            "error": {"code": self.code, "message": self.message, "log_id": log_id()},
        });
        (status, axum::Json(body)).into_response()
    }
}

/// Default answer of a `status` fault: TikTok's envelope with the code
/// TikTok uses for that status.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, ok(json!({}))).into_response();
    }
    let error = match status.as_u16() {
        400 => TtError::invalid_params("One or more fields in request is invalid."),
        401 => TtError::token_invalid(),
        403 => TtError::new(403, "access_denied", "The request is not allowed."),
        404 => TtError::new(404, "not_found", "The requested resource does not exist."),
        429 => TtError::rate_limited(),
        _ => TtError::internal(),
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ids_look_like_tiktoks() {
        let id = log_id();
        assert_eq!(id.len(), 34, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
}
