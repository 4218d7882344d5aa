//! LinkedIn's error bodies. Three shapes are seen on the wire:
//!
//! * gateway/auth errors: `{"status","serviceErrorCode","code","message"}`
//!   (401 65600 `INVALID_ACCESS_TOKEN`, 65601 `REVOKED_ACCESS_TOKEN`, 65602
//!   `EXPIRED_ACCESS_TOKEN`, 400 `VERSION_MISSING`, 426 `NONEXISTENT_VERSION`,
//!   403 `ACCESS_DENIED`), as clients' fixtures and issue threads record them;
//! * Rest.li validation: `{"message":"ERROR :: /field :: reason\n","status":422}`;
//! * content exceptions: `{"errorDetailType":"com.linkedin.common.error.BadRequest",
//!   "message":"…BadRequestResponseException: …","errorDetails":{"inputErrors":[…]},
//!   "status":422}` (the duplicate-post body of
//!   https://github.com/Arisamiga/Linkedin-RSS/issues/5);
//! * throttling: `{"message":"Resource level throttle … limit for calls to this
//!   resource is reached.","status":429}`, with no rate-limit headers
//!   (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits).
//!
//! Texts not found in any public trace are marked "chosen".

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A LinkedIn error answer: the status and the whole body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LiError {
    status: u16,
    body: Value,
}

impl LiError {
    /// The four-field gateway shape.
    pub(crate) fn service(
        status: u16,
        service_code: Option<u32>,
        code: &str,
        message: &str,
    ) -> Self {
        let mut body = json!({"status": status, "code": code, "message": message});
        if let Some(service_code) = service_code {
            body["serviceErrorCode"] = json!(service_code);
        }
        Self { status, body }
    }

    pub(crate) fn invalid_token() -> Self {
        Self::service(
            401,
            Some(65600),
            "INVALID_ACCESS_TOKEN",
            "Invalid access token",
        )
    }

    pub(crate) fn revoked_token() -> Self {
        Self::service(
            401,
            Some(65601),
            "REVOKED_ACCESS_TOKEN",
            "The token used in the request has been revoked by the user",
        )
    }

    pub(crate) fn expired_token() -> Self {
        Self::service(
            401,
            Some(65602),
            "EXPIRED_ACCESS_TOKEN",
            "The token used in the request has expired",
        )
    }

    pub(crate) fn version_missing() -> Self {
        Self::service(
            400,
            None,
            "VERSION_MISSING",
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
        )
    }

    /// `requested` is the header as sent; LinkedIn names it with the day
    /// (`202501` → `20250101`).
    pub(crate) fn version_inactive(requested: &str) -> Self {
        let named = match requested.split_once('.') {
            None if requested.len() == 6 => format!("{requested}01"),
            _ => requested.to_owned(),
        };
        Self::service(
            426,
            None,
            "NONEXISTENT_VERSION",
            &format!("Requested version {named} is not active"),
        )
    }

    /// Rest.li protocol 2.0.0 missing (text chosen).
    pub(crate) fn protocol_missing() -> Self {
        Self::service(
            400,
            None,
            "ILLEGAL_ARGUMENT",
            "X-Restli-Protocol-Version 2.0.0 is required for this resource",
        )
    }

    /// `resource` e.g. `partnerApiPostsExternal`, `method` e.g. `CREATE`.
    pub(crate) fn access_denied(resource: &str, method: &str, version: &str) -> Self {
        Self::service(
            403,
            Some(100),
            "ACCESS_DENIED",
            &format!("Not enough permissions to access: {resource}.{method}.{version}0101"),
        )
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::service(404, None, "NOT_FOUND", &format!("{what} does not exist"))
    }

    /// Bad body or parameters (Rest.li 400; text chosen).
    pub(crate) fn bad_request(message: &str) -> Self {
        Self::service(400, None, "ILLEGAL_ARGUMENT", message)
    }

    /// Rest.li schema validation: one `ERROR :: /path :: reason` line per problem.
    pub(crate) fn validation(lines: &[(String, String)]) -> Self {
        let message: String = lines
            .iter()
            .map(|(path, reason)| format!("ERROR :: {path} :: {reason}\n"))
            .collect();
        Self {
            status: 422,
            body: json!({"message": message, "status": 422}),
        }
    }

    fn content_exception(status: u16, message: &str, description: &str, code: &str) -> Self {
        Self {
            status,
            body: json!({
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": format!("com.linkedin.content.common.exception.BadRequestResponseException: {message}"),
                "errorDetails": {"inputErrors": [{"description": description, "input": {}, "code": code}]},
                "status": status,
            }),
        }
    }

    /// The same commentary by the same author again.
    pub(crate) fn duplicate(existing: &str) -> Self {
        Self::content_exception(
            422,
            &format!("Content is a duplicate of {existing}"),
            "Duplicate post is detected",
            "DUPLICATE_POST",
        )
    }

    /// Commentary over 3,000 characters: 400, as recorded in
    /// https://github.com/n8n-io/n8n/issues/22899 (the length counted is
    /// the commentary as sent, little-text-format escapes included: chosen).
    pub(crate) fn commentary_too_long(chars: usize) -> Self {
        Self {
            status: 400,
            body: json!({
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": format!("com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text length ({chars} characters) exceeded the maximum allowed (3000 characters)"),
                "errorDetails": {"inputErrors": [{
                    "description": "Size of array cannot be higher than the maxLength",
                    "input": {"inputPath": {"fieldPath": "/commentary"}},
                    "code": "FIELD_ARRAY_SIZE_TOO_HIGH",
                    "maxLength": 3000,
                }]},
                "status": 400,
            }),
        }
    }

    /// A post naming media that is not `AVAILABLE` (text and code chosen).
    pub(crate) fn media_not_available(urn: &str, status: &str) -> Self {
        Self::content_exception(
            422,
            &format!("Media asset {urn} is not available for sharing (status {status})"),
            "Media asset is not available",
            "MEDIA_ASSET_NOT_AVAILABLE",
        )
    }

    /// Short-window throttling (`POST /_sandbox/linkedin/throttle`).
    pub(crate) fn throttled() -> Self {
        Self {
            status: 429,
            body: json!({
                "serviceErrorCode": 101,
                "message": "Resource level throttle limit for calls to this resource is reached.",
                "status": 429,
            }),
        }
    }

    /// The per-member daily limit of post creations.
    pub(crate) fn member_day_limit() -> Self {
        Self {
            status: 429,
            body: json!({
                "message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
                "status": 429,
            }),
        }
    }
}

impl IntoResponse for LiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(self.body)).into_response()
    }
}

/// Default answer of a `status` fault: LinkedIn's body for that status.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return status.into_response();
    }
    let code = status.as_u16();
    let error = match code {
        400 => LiError::bad_request("Bad request"),
        401 => LiError::invalid_token(),
        403 => LiError::service(
            403,
            Some(100),
            "ACCESS_DENIED",
            "Not enough permissions to access this resource",
        ),
        404 => LiError::not_found("Resource"),
        422 => LiError::validation(&[("/".into(), "request is invalid".into())]),
        426 => LiError::version_inactive("000000"),
        429 => LiError::throttled(),
        _ => {
            let reason = status.canonical_reason().unwrap_or("Error");
            let symbol = reason.to_ascii_uppercase().replace([' ', '-'], "_");
            LiError::service(code, None, &symbol, reason)
        }
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}
