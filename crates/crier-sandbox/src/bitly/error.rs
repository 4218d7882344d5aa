//! Bitly's error body: `{"message":"<CODE>","resource":"bitlinks",
//! "description":"…","errors":[{"field","error_code","message"?}]}`, with the
//! code in `message` and the HTTP status carrying the class.
//!
//! The texts of `FORBIDDEN` ("You are currently forbidden to access this
//! resource.") and `INVALID_ARG_*` ("The value provided is invalid.") are
//! the ones clients' fixtures record; the others are not documented and are
//! chosen (marked where used).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The resource every link call names.
pub(crate) const BITLINKS: &str = "bitlinks";

/// A Bitly error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitlyError {
    status: u16,
    message: String,
    resource: String,
    description: String,
    /// `(field, error_code)` pairs for `errors[]`.
    errors: Vec<(String, String)>,
}

impl BitlyError {
    pub(crate) fn new(status: u16, message: &str, description: &str) -> Self {
        Self {
            status,
            message: message.to_owned(),
            resource: BITLINKS.to_owned(),
            description: description.to_owned(),
            errors: Vec::new(),
        }
    }

    fn field(mut self, field: &str, code: &str) -> Self {
        self.errors.push((field.to_owned(), code.to_owned()));
        self
    }

    #[cfg(test)]
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// Missing or unknown token, or a group the token cannot use.
    pub(crate) fn forbidden() -> Self {
        Self::new(
            403,
            "FORBIDDEN",
            "You are currently forbidden to access this resource.",
        )
    }

    /// A `long_url` Bitly will not shorten (no http(s) scheme, no host,
    /// localhost, malformed).
    pub(crate) fn invalid_long_url() -> Self {
        Self::new(
            400,
            "INVALID_ARG_LONG_URL",
            "The value provided is invalid.",
        )
        .field("long_url", "invalid")
    }

    /// A `long_url` that is itself a short link on a Bitly domain
    /// (description chosen).
    pub(crate) fn already_a_bitly_link() -> Self {
        Self::new(
            400,
            "ALREADY_A_BITLY_LINK",
            "The value provided is already a Bitlink.",
        )
        .field("long_url", "invalid")
    }

    /// A `domain` the group has no access to.
    pub(crate) fn invalid_domain() -> Self {
        Self::new(400, "INVALID_ARG_DOMAIN", "The value provided is invalid.")
            .field("domain", "invalid")
    }

    /// A bad query parameter (`unit`, `units`, …).
    pub(crate) fn invalid_arg(name: &str) -> Self {
        Self::new(
            400,
            &format!("INVALID_ARG_{}", name.to_ascii_uppercase()),
            "The value provided is invalid.",
        )
        .field(name, "invalid")
    }

    /// The body is not a JSON object (description chosen).
    pub(crate) fn unprocessable() -> Self {
        Self::new(
            422,
            "UNPROCESSABLE_ENTITY",
            "The JSON value provided is invalid.",
        )
    }

    /// The per-minute or per-hour platform limit is used up (description
    /// chosen; Bitly sends no rate-limit headers with it).
    pub(crate) fn rate_limited() -> Self {
        Self::new(
            429,
            "RATE_LIMIT_EXCEEDED",
            "You have exceeded the rate limit for this endpoint. Please try again later.",
        )
    }

    /// The plan's links for this calendar month are used up (description
    /// chosen).
    pub(crate) fn monthly_limit() -> Self {
        Self::new(
            429,
            "MONTHLY_LIMIT_EXCEEDED",
            "You have exceeded your monthly limit of links. The limit resets on the first of the month.",
        )
    }

    /// An unknown Bitlink or path (description chosen).
    pub(crate) fn not_found() -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            "What you are looking for cannot be found.",
        )
    }

    fn body(&self) -> Value {
        let mut body = json!({
            "message": self.message,
            "resource": self.resource,
            "description": self.description,
        });
        if !self.errors.is_empty() {
            body["errors"] = self
                .errors
                .iter()
                .map(|(field, code)| json!({"field": field, "error_code": code}))
                .collect();
        }
        body
    }
}

impl IntoResponse for BitlyError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(self.body())).into_response()
    }
}

/// Default answer of a `status` fault: Bitly's body with the code Bitly
/// uses for that status (descriptions chosen where Bitly's are unknown).
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    let code = status.as_u16();
    let error = match code {
        400 => BitlyError::new(400, "BAD_REQUEST", "The request is invalid."),
        402 => BitlyError::new(
            402,
            "UPGRADE_REQUIRED",
            "Your plan does not include this feature.",
        ),
        403 => BitlyError::forbidden(),
        404 => BitlyError::not_found(),
        422 => BitlyError::unprocessable(),
        429 => BitlyError::rate_limited(),
        500 => BitlyError::new(500, "INTERNAL_ERROR", "An internal error occurred."),
        503 => BitlyError::new(
            503,
            "TEMPORARILY_UNAVAILABLE",
            "The service is temporarily unavailable. Please try again later.",
        ),
        504 => BitlyError::new(504, "TIMEOUT", "The request timed out."),
        _ => {
            let reason = status.canonical_reason().unwrap_or("Error");
            let message = reason.to_ascii_uppercase().replace([' ', '-'], "_");
            BitlyError::new(code, &message, reason)
        }
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        let body = BitlyError::invalid_long_url().body();
        assert_eq!(body["message"], "INVALID_ARG_LONG_URL");
        assert_eq!(body["resource"], "bitlinks");
        assert_eq!(body["errors"][0]["field"], "long_url");
        assert!(BitlyError::forbidden().body().get("errors").is_none());
        assert_eq!(
            BitlyError::invalid_arg("unit").body()["message"],
            "INVALID_ARG_UNIT"
        );
    }
}
