//! X's two error formats: v2 problem details (RFC 7807: `title`, `detail`,
//! `type`, `status`, plus `errors[]` for invalid requests) and the v1.1
//! legacy body `{"errors":[{"code":N,"message":"..."}]}` that X still sends
//! for authentication and account-state failures.
//!
//! Problem `type` URIs use the `https://api.twitter.com/2/problems/` prefix,
//! which is what most observed bodies carry.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

const PROBLEMS: &str = "https://api.twitter.com/2/problems/";

/// An X error answer.
#[derive(Debug, Clone)]
pub(crate) struct XError {
    status: u16,
    body: Value,
}

impl XError {
    fn new(status: u16, body: Value) -> Self {
        Self { status, body }
    }

    #[cfg(test)]
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// A problem with `type: about:blank` (title = the HTTP reason).
    pub(crate) fn blank(status: u16, title: &str, detail: &str) -> Self {
        Self::new(
            status,
            json!({"title": title, "detail": detail, "type": "about:blank", "status": status}),
        )
    }

    /// v1.1 legacy body.
    pub(crate) fn v1(status: u16, code: i64, message: &str) -> Self {
        Self::new(
            status,
            json!({"errors": [{"code": code, "message": message}]}),
        )
    }

    /// Bad or missing credentials, wrong signature, unknown consumer key.
    pub(crate) fn unauthorized() -> Self {
        Self::new(
            401,
            json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}),
        )
    }

    /// `oauth_timestamp` more than 5 minutes off.
    pub(crate) fn timestamp_out_of_bounds() -> Self {
        Self::v1(401, 135, "Timestamp out of bounds.")
    }

    /// Unknown access token, or one issued to another app than the consumer
    /// key's (X names no separate error for the mismatch).
    pub(crate) fn invalid_token() -> Self {
        Self::v1(401, 89, "Invalid or expired token.")
    }

    pub(crate) fn suspended() -> Self {
        Self::v1(
            403,
            64,
            "Your account is suspended and is not permitted to access this feature.",
        )
    }

    pub(crate) fn locked() -> Self {
        Self::v1(
            403,
            326,
            "To protect our users from spam and other malicious activity, this account is temporarily locked. Please log in to https://twitter.com to unlock your account.",
        )
    }

    /// Unknown path (v1.1 code 34, which X still answers for routes it
    /// does not know).
    pub(crate) fn no_such_page() -> Self {
        Self::v1(404, 34, "Sorry, that page does not exist")
    }

    /// 400 `invalid-request` with one `errors[]` entry naming the parameter.
    pub(crate) fn invalid(parameter: Option<(&str, Vec<String>)>, message: &str) -> Self {
        let mut error = json!({"message": message});
        if let Some((name, values)) = parameter {
            error["parameters"] = json!({ name: values });
        }
        Self::new(
            400,
            json!({
                "errors": [error],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": format!("{PROBLEMS}invalid-request"),
            }),
        )
    }

    pub(crate) fn forbidden(detail: &str) -> Self {
        Self::new(
            403,
            json!({"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403}),
        )
    }

    pub(crate) fn duplicate() -> Self {
        Self::forbidden("You are not allowed to create a Tweet with duplicate content.")
    }

    /// A read-only token on a write endpoint.
    pub(crate) fn oauth1_permissions() -> Self {
        Self::new(
            403,
            json!({
                "title": "Forbidden",
                "status": 403,
                "detail": "Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.",
                "type": format!("{PROBLEMS}oauth1-permissions"),
            }),
        )
    }

    /// Pay-per-use credits exhausted (HTTP 402).
    pub(crate) fn credits_depleted(account_id: u64) -> Self {
        Self::new(
            402,
            json!({
                "account_id": account_id,
                "title": "CreditsDepleted",
                "detail": format!("Your enrolled account [{account_id}] does not have any credits to fulfill this request."),
                "type": format!("{PROBLEMS}credits"),
            }),
        )
    }

    /// The app's monthly usage cap is reached (HTTP 429).
    pub(crate) fn usage_capped(account_id: u64) -> Self {
        Self::new(
            429,
            json!({
                "title": "UsageCapExceeded",
                "detail": "Usage cap exceeded: Monthly product cap",
                "type": format!("{PROBLEMS}usage-capped"),
                "period": "Monthly",
                "scope": "Product",
                "account_id": account_id.to_string(),
                "product_name": "pay-per-use",
            }),
        )
    }

    /// A rate window is used up (the `x-rate-limit-*` headers say until when).
    pub(crate) fn too_many_requests() -> Self {
        Self::blank(429, "Too Many Requests", "Too Many Requests")
    }

    /// A lookup of one resource (`GET /2/tweets/:id`) that does not exist
    /// or was deleted: 404 with the problem both in `errors[]` and at the
    /// top, as X answers single-resource lookups today (older answers were
    /// 200 with the `errors[]` only).
    pub(crate) fn lookup_not_found(resource: &str, parameter: &str, value: &str) -> Self {
        let detail = format!("Could not find {resource} with {parameter}: [{value}].");
        let problem = format!("{PROBLEMS}resource-not-found");
        Self::new(
            404,
            json!({
                "errors": [{
                    "value": value,
                    "detail": detail,
                    "title": "Not Found Error",
                    "resource_type": resource,
                    "parameter": parameter,
                    "resource_id": value,
                    "type": problem,
                }],
                "title": "Not Found Error",
                "detail": detail,
                "type": problem,
            }),
        )
    }

    pub(crate) fn not_found(resource: &str, parameter: &str, value: &str) -> Self {
        Self::new(
            404,
            json!({
                "title": "Not Found Error",
                "detail": format!("Could not find {resource} with {parameter}: [{value}]."),
                "type": format!("{PROBLEMS}resource-not-found"),
                "status": 404,
            }),
        )
    }
}

impl IntoResponse for XError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(self.body)).into_response()
    }
}

/// Default body of a `status` fault, in X's problem shape.
pub(crate) fn fault_body(status: StatusCode) -> Value {
    let code = status.as_u16();
    match code {
        401 => {
            json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
        }
        429 => {
            json!({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429})
        }
        _ => {
            let reason = status.canonical_reason().unwrap_or("Error");
            json!({"title": reason, "detail": reason, "type": "about:blank", "status": code})
        }
    }
}
