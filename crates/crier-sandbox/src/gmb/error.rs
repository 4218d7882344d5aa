//! Google's JSON error envelope as the My Business v4 API sends it:
//! `{"error":{"code","message","status","details":[…]}}`.
//!
//! Validation failures carry a `google.mybusiness.v4.ValidationError` detail
//! whose `errorDetails[]` hold `{code, field, message, value?, fieldIndex?}`
//! (https://developers.google.com/my-business/reference/rest/Shared.Types/ErrorDetail).
//! `code` is an `ErrorCode` value: 1–199 generic, 1000–1099 photos
//! (https://developers.google.com/my-business/reference/rest/Shared.Types/ErrorCode).
//! Google's REST pages name the enum values without their numbers; 1000 for
//! a failed photo fetch and 2 for an invalid value are observed in client
//! fixtures, the others follow the enum's order (chosen, see [`ErrorCode`]).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `ErrorDetail.code` values the emulator sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorCode {
    MissingValue = 1,
    InvalidValue = 2,
    InvertedRange = 7,
    /// Observed as `{"code":1000,"message":"Fetching image failed."}`.
    PhotoFetchFailed = 1000,
    /// Chosen for photos Google will not take (format, size).
    PhotoUploadFailed = 1001,
}

/// One `errorDetails[]` entry.
#[derive(Clone, Debug)]
pub(crate) struct Detail {
    pub code: ErrorCode,
    pub field: String,
    pub message: String,
    pub value: Option<String>,
    pub field_index: Option<usize>,
}

impl Detail {
    pub(crate) fn new(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            field: field.to_owned(),
            message: message.into(),
            value: None,
            field_index: None,
        }
    }

    pub(crate) fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub(crate) fn index(mut self, index: usize) -> Self {
        self.field_index = Some(index);
        self
    }

    fn json(&self) -> Value {
        let mut out = json!({
            "code": self.code as i32,
            "field": self.field,
            "message": self.message,
        });
        if let Some(value) = &self.value {
            out["value"] = json!(value);
        }
        if let Some(index) = self.field_index {
            out["fieldIndex"] = json!(index);
        }
        out
    }
}

/// A Google API error answer (boxed: it travels in every handler's `Err`).
#[derive(Debug, Clone)]
pub(crate) struct GmbError(Box<Data>);

#[derive(Debug, Clone)]
struct Data {
    code: u16,
    message: String,
    status: &'static str,
    details: Vec<Value>,
    headers: Vec<(&'static str, String)>,
}

const AUTH_MESSAGE: &str = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

fn error_info(reason: &str, method: &str) -> Value {
    json!({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": "mybusiness.googleapis.com", "method": method},
    })
}

impl GmbError {
    pub(crate) fn new(code: u16, status: &'static str, message: impl Into<String>) -> Self {
        Self(Box::new(Data {
            code,
            message: message.into(),
            status,
            details: Vec::new(),
            headers: Vec::new(),
        }))
    }

    pub(crate) fn detail(mut self, detail: Value) -> Self {
        self.0.details.push(detail);
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.0.headers.push((name, value));
        self
    }

    /// No `Authorization` header at all.
    pub(crate) fn credentials_missing(method: &str) -> Self {
        Self::new(
            401,
            "UNAUTHENTICATED",
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        )
        .detail(error_info("CREDENTIALS_MISSING", method))
        .header(
            "www-authenticate",
            "Bearer realm=\"https://accounts.google.com/\"".into(),
        )
    }

    /// An unknown or revoked token.
    pub(crate) fn invalid_token() -> Self {
        Self::new(401, "UNAUTHENTICATED", AUTH_MESSAGE).header(
            "www-authenticate",
            "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"".into(),
        )
    }

    /// The seeded token after `POST /_sandbox/gmb/token {"state":"expired"}`.
    pub(crate) fn token_expired(method: &str) -> Self {
        Self::invalid_token().detail(error_info("ACCESS_TOKEN_EXPIRED", method))
    }

    /// A location the token's user does not manage.
    pub(crate) fn permission_denied() -> Self {
        Self::new(
            403,
            "PERMISSION_DENIED",
            "The caller does not have permission",
        )
    }

    /// The seeded location after `POST /_sandbox/gmb/location {"verified":false}`
    /// (message chosen; the status is what clients observe).
    pub(crate) fn unverified_location() -> Self {
        Self::new(400, "FAILED_PRECONDITION", "Precondition check failed.")
    }

    /// Per-minute request quota used up (no `Retry-After` unless configured:
    /// Google's front end does not send one).
    pub(crate) fn rate_limited(retry_after_secs: Option<u64>) -> Self {
        let e = Self::new(
            429,
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'mybusiness.googleapis.com' for consumer 'project_number:100000000001'.",
        )
        .detail(json!({
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "mybusiness.googleapis.com",
                "quota_metric": "mybusiness.googleapis.com/default_requests",
                "quota_limit": "DefaultRequestsPerMinutePerProject",
                "consumer": "projects/100000000001",
            },
        }));
        match retry_after_secs {
            Some(secs) => e.header("retry-after", secs.to_string()),
            None => e,
        }
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, "NOT_FOUND", "Requested entity was not found.")
    }

    /// A `ValidationError` answer (400 `INVALID_ARGUMENT`).
    pub(crate) fn validation(details: Vec<Detail>) -> Self {
        let error_details: Vec<Value> = details.iter().map(Detail::json).collect();
        Self::new(
            400,
            "INVALID_ARGUMENT",
            "Request contains an invalid argument.",
        )
        .detail(json!({
            "@type": "type.googleapis.com/google.mybusiness.v4.ValidationError",
            "errorDetails": error_details,
        }))
    }

    /// An enum value the API does not know, reported as the JSON transcoder
    /// does (`google.rpc.BadRequest` with the proto field path).
    pub(crate) fn bad_enum(proto_field: &str, enum_type: &str, value: &str) -> Self {
        let description = format!(
            "Invalid value at '{proto_field}' (type.googleapis.com/google.mybusiness.v4.{enum_type}), \"{value}\""
        );
        Self::new(
            400,
            "INVALID_ARGUMENT",
            format!("Invalid JSON payload received. {description}"),
        )
        .detail(json!({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": proto_field, "description": description}],
        }))
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", message)
    }

    pub(crate) fn internal() -> Self {
        Self::new(500, "INTERNAL", "Internal error encountered.")
    }

    fn body(&self) -> Value {
        let mut error = json!({
            "code": self.0.code,
            "message": self.0.message,
            "status": self.0.status,
        });
        if !self.0.details.is_empty() {
            error["details"] = Value::Array(self.0.details.clone());
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GmbError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, axum::Json(self.body())).into_response();
        for (name, value) in &self.0.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                response.headers_mut().insert(*name, value);
            }
        }
        response
    }
}

/// The canonical `google.rpc.Code` name and message Google's front end uses
/// for an HTTP status.
fn canonical(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("INVALID_ARGUMENT", "Request contains an invalid argument."),
        401 => ("UNAUTHENTICATED", AUTH_MESSAGE),
        403 => ("PERMISSION_DENIED", "The caller does not have permission"),
        404 => ("NOT_FOUND", "Requested entity was not found."),
        409 => ("ABORTED", "The operation was aborted."),
        429 => (
            "RESOURCE_EXHAUSTED",
            "Resource has been exhausted (e.g. check quota).",
        ),
        499 => ("CANCELLED", "The operation was cancelled."),
        500 => ("INTERNAL", "Internal error encountered."),
        501 => (
            "UNIMPLEMENTED",
            "Operation is not implemented, or supported, or enabled.",
        ),
        503 => ("UNAVAILABLE", "The service is currently unavailable."),
        504 => ("DEADLINE_EXCEEDED", "The request timed out."),
        s if s >= 500 => ("INTERNAL", "Internal error encountered."),
        _ => ("FAILED_PRECONDITION", "Precondition check failed."),
    }
}

/// Default answer of a `status` fault: Google's envelope with the canonical
/// status for that HTTP code.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    let (name, message) = canonical(status.as_u16());
    let mut response = GmbError::new(status.as_u16(), name, message).into_response();
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_body_has_google_shape() {
        let e = GmbError::validation(vec![
            Detail::new(
                ErrorCode::InvalidValue,
                "summary",
                "Must be at most 1500 characters",
            )
            .index(0),
        ]);
        let body = e.body();
        assert_eq!(body["error"]["code"], 400);
        assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
        let detail = &body["error"]["details"][0];
        assert_eq!(
            detail["@type"],
            "type.googleapis.com/google.mybusiness.v4.ValidationError"
        );
        assert_eq!(detail["errorDetails"][0]["code"], 2);
        assert_eq!(detail["errorDetails"][0]["fieldIndex"], 0);
        assert!(
            GmbError::not_found().body()["error"]
                .get("details")
                .is_none()
        );
    }
}
