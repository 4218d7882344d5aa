//! Reddit's two error shapes.
//!
//! * Form endpoints with `api_type=json` answer **HTTP 200** with
//!   `{"json": {"errors": [[CODE, message, field], …], "data": {}}}`; the
//!   codes and texts are r2's `errors.py`
//!   (https://github.com/reddit-archive/reddit/blob/master/r2/r2/lib/errors.py).
//! * HTTP-level failures are `{"message": "<reason>", "error": <status>}`
//!   (401 with `WWW-Authenticate: Bearer realm="reddit", error="invalid_token"`).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One `[CODE, message, field]` triple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: &'static str,
    pub message: String,
    pub field: &'static str,
}

impl ApiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>, field: &'static str) -> Self {
        Self {
            code,
            message: message.into(),
            field,
        }
    }

    pub(crate) fn subreddit_noexist() -> Self {
        Self::new("SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr")
    }

    pub(crate) fn subreddit_required() -> Self {
        Self::new("SUBREDDIT_REQUIRED", "you must specify a subreddit", "sr")
    }

    pub(crate) fn no_text(field: &'static str) -> Self {
        Self::new("NO_TEXT", "we need something here", field)
    }

    pub(crate) fn too_long(field: &'static str, max: usize) -> Self {
        Self::new("TOO_LONG", format!("this is too long (max: {max})"), field)
    }

    pub(crate) fn no_url() -> Self {
        Self::new("NO_URL", "a url is required", "url")
    }

    pub(crate) fn bad_url() -> Self {
        Self::new("BAD_URL", "you should check that url", "url")
    }

    pub(crate) fn already_sub() -> Self {
        Self::new("ALREADY_SUB", "that link has already been submitted", "url")
    }

    pub(crate) fn no_selfs() -> Self {
        Self::new("NO_SELFS", "that subreddit doesn't allow text posts", "sr")
    }

    pub(crate) fn no_links() -> Self {
        Self::new("NO_LINKS", "that subreddit only allows text posts", "sr")
    }

    pub(crate) fn invalid_option(field: &'static str) -> Self {
        Self::new("INVALID_OPTION", "that option is not valid", field)
    }

    /// `wait` as Reddit words it: "9 minutes", "1 minute", "30 seconds".
    pub(crate) fn ratelimit(wait_secs: u64) -> Self {
        let wait = if wait_secs >= 60 {
            let minutes = wait_secs.div_ceil(60);
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        } else {
            format!(
                "{wait_secs} second{}",
                if wait_secs == 1 { "" } else { "s" }
            )
        };
        Self::new(
            "RATELIMIT",
            format!("you are doing that too much. try again in {wait}."),
            "ratelimit",
        )
    }

    /// The subreddit requires post flair (text as new Reddit shows it).
    pub(crate) fn flair_required() -> Self {
        Self::new(
            "SUBMIT_VALIDATION_FLAIR_REQUIRED",
            "Your post must contain post flair.",
            "flair",
        )
    }
}

/// The 200 answer carrying `errors` (and `ratelimit` seconds for RATELIMIT).
pub(crate) fn json_errors(errors: &[ApiError], ratelimit_secs: Option<u64>) -> Response {
    let triples: Vec<Value> = errors
        .iter()
        .map(|e| json!([e.code, e.message, e.field]))
        .collect();
    let mut inner = json!({"errors": triples, "data": {}});
    if let Some(secs) = ratelimit_secs {
        inner["ratelimit"] = json!(secs as f64);
    }
    axum::Json(json!({ "json": inner })).into_response()
}

/// `{"message": "<reason>", "error": <status>}`.
pub(crate) fn http_error(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let mut response = (
        status,
        axum::Json(json!({"message": reason, "error": status.as_u16()})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static("Bearer realm=\"reddit\", error=\"invalid_token\""),
        );
    }
    response
}

/// Default answer of a `status` fault without a body.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    http_error(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratelimit_texts() {
        assert_eq!(
            ApiError::ratelimit(540).message,
            "you are doing that too much. try again in 9 minutes."
        );
        assert_eq!(
            ApiError::ratelimit(61).message,
            "you are doing that too much. try again in 2 minutes."
        );
        assert_eq!(
            ApiError::ratelimit(60).message,
            "you are doing that too much. try again in 1 minute."
        );
        assert_eq!(
            ApiError::ratelimit(30).message,
            "you are doing that too much. try again in 30 seconds."
        );
    }
}
