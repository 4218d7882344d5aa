//! Google's JSON error envelope, as the YouTube Data API sends it:
//! `{"error":{"code","message","errors":[{"message","domain","reason",
//! "location"?,"locationType"?}],"status"?}}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A Google API error answer (boxed: it travels in every handler's `Err`).
#[derive(Debug, Clone)]
pub(crate) struct GError(Box<Data>);

#[derive(Debug, Clone)]
struct Data {
    code: u16,
    message: String,
    /// `errors[0].message` when it differs from the top-level one.
    detail: Option<String>,
    domain: &'static str,
    reason: &'static str,
    status: Option<&'static str>,
    location: Option<(String, &'static str)>,
    headers: Vec<(&'static str, String)>,
}

impl GError {
    pub(crate) fn new(
        code: u16,
        domain: &'static str,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self(Box::new(Data {
            code,
            message: message.into(),
            detail: None,
            domain,
            reason,
            status: None,
            location: None,
            headers: Vec::new(),
        }))
    }

    fn rpc_status(mut self, status: &'static str) -> Self {
        self.0.status = Some(status);
        self
    }

    fn at(mut self, location: impl Into<String>, kind: &'static str) -> Self {
        self.0.location = Some((location.into(), kind));
        self
    }

    #[cfg(test)]
    pub(crate) fn reason(&self) -> &'static str {
        self.0.reason
    }

    /// No credentials at all.
    pub(crate) fn login_required() -> Self {
        let mut e = Self::new(
            401,
            "global",
            "required",
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        )
        .rpc_status("UNAUTHENTICATED")
        .at("Authorization", "header");
        e.0.detail = Some("Login Required.".into());
        e.0.headers.push((
            "www-authenticate",
            "Bearer realm=\"https://accounts.google.com/\"".into(),
        ));
        e
    }

    /// A wrong or expired bearer token.
    pub(crate) fn auth_error() -> Self {
        let mut e = Self::new(
            401,
            "global",
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        )
        .rpc_status("UNAUTHENTICATED")
        .at("Authorization", "header");
        e.0.detail = Some("Invalid Credentials".into());
        e.0.headers.push((
            "www-authenticate",
            "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"".into(),
        ));
        e
    }

    /// The project's daily quota (or the insert bucket) is used up.
    pub(crate) fn quota_exceeded() -> Self {
        Self::new(
            403,
            "youtube.quota",
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
        )
    }

    /// The channel's uploads in 24 hours are used up.
    pub(crate) fn upload_limit_exceeded() -> Self {
        Self::new(
            400,
            "youtube.video",
            "uploadLimitExceeded",
            "The user has exceeded the number of videos they may upload.",
        )
    }

    /// Bad video metadata (`invalidTitle`, `invalidDescription`, …).
    pub(crate) fn video(reason: &'static str, message: &str) -> Self {
        Self::new(400, "youtube.video", reason, message)
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "global", "badRequest", message).rpc_status("INVALID_ARGUMENT")
    }

    pub(crate) fn required_parameter(name: &str) -> Self {
        Self::new(
            400,
            "global",
            "required",
            format!("Required parameter: {name}"),
        )
        .rpc_status("INVALID_ARGUMENT")
        .at(name, "parameter")
    }

    pub(crate) fn unknown_part(part: &str) -> Self {
        Self::new(400, "youtube.part", "unknownPart", format!("'{part}'"))
            .rpc_status("INVALID_ARGUMENT")
            .at("part", "parameter")
    }

    /// A parameter outside its range, in the words Google's front end
    /// uses for every API ("Invalid value '100'. Values must be within the
    /// range: [0, 50]").
    pub(crate) fn out_of_range(name: &str, value: &str, min: i64, max: i64) -> Self {
        Self::new(
            400,
            "global",
            "invalid",
            format!("Invalid value '{value}'. Values must be within the range: [{min}, {max}]"),
        )
        .rpc_status("INVALID_ARGUMENT")
        .at(name, "parameter")
    }

    /// `forMine` without `type=video` (and other bad filter combinations).
    pub(crate) fn invalid_search_filter() -> Self {
        Self::new(
            400,
            "youtube.search",
            "invalidSearchFilter",
            "The request contains an invalid combination of search filters and/or restrictions. Note that you must set the <code>type</code> parameter to <code>video</code> if you set either the <code>forContentOwner</code> or <code>forMine</code> parameters to <code>true</code>.",
        )
    }

    /// A `pageToken` the API did not issue (wording chosen).
    pub(crate) fn invalid_page_token() -> Self {
        Self::new(
            400,
            "youtube.parameter",
            "invalidPageToken",
            "The request specifies an invalid page token.",
        )
        .at("pageToken", "parameter")
    }

    pub(crate) fn parse_error() -> Self {
        Self::new(400, "global", "parseError", "Parse Error").rpc_status("INVALID_ARGUMENT")
    }

    /// Unknown or expired upload session (wording chosen; Google's body for
    /// a dead session URI is not documented).
    pub(crate) fn session_not_found() -> Self {
        Self::new(404, "global", "notFound", "Not Found").rpc_status("NOT_FOUND")
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, "global", "notFound", "Not Found").rpc_status("NOT_FOUND")
    }

    pub(crate) fn video_not_found() -> Self {
        Self::new(
            404,
            "youtube.video",
            "videoNotFound",
            "The video that you are trying to delete cannot be found. Check the value of the <code>id</code> parameter in the request body to ensure that it is correct.",
        )
    }

    pub(crate) fn too_large() -> Self {
        Self::new(413, "global", "uploadTooLarge", "Request Entity Too Large")
    }

    fn body(&self) -> Value {
        let d = &self.0;
        let mut item = json!({
            "message": d.detail.as_deref().unwrap_or(&d.message),
            "domain": d.domain,
            "reason": d.reason,
        });
        if let Some((location, kind)) = &d.location {
            item["location"] = json!(location);
            item["locationType"] = json!(kind);
        }
        let mut error = json!({"code": d.code, "message": d.message, "errors": [item]});
        if let Some(status) = d.status {
            error["status"] = json!(status);
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GError {
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

/// Default answer of a `status` fault: Google's envelope with the reason
/// Google uses for that status (5xx are `backendError`).
pub(crate) fn fault_error(status: StatusCode) -> Response {
    let code = status.as_u16();
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    let error = match code {
        400 => GError::bad_request("Bad Request"),
        401 => GError::auth_error(),
        403 => GError::new(403, "global", "forbidden", "Forbidden").rpc_status("PERMISSION_DENIED"),
        404 => GError::not_found(),
        429 => GError::new(
            429,
            "usageLimits",
            "rateLimitExceeded",
            "Rate Limit Exceeded",
        )
        .rpc_status("RESOURCE_EXHAUSTED"),
        500 => GError::new(500, "global", "backendError", "Internal error encountered.")
            .rpc_status("INTERNAL"),
        503 => GError::new(
            503,
            "global",
            "backendError",
            "The service is currently unavailable.",
        )
        .rpc_status("UNAVAILABLE"),
        504 => GError::new(
            504,
            "global",
            "backendError",
            "Deadline expired before operation could complete.",
        )
        .rpc_status("DEADLINE_EXCEEDED"),
        c if c >= 500 => GError::new(
            c,
            "global",
            "backendError",
            status.canonical_reason().unwrap_or("Backend Error"),
        ),
        c => GError::new(
            c,
            "global",
            "badRequest",
            status.canonical_reason().unwrap_or("Error"),
        ),
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}
