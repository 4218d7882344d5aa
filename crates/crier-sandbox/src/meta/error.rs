//! Meta's error envelope, shared by graph.facebook.com and graph.threads.net:
//! `{"error":{"message","type","code","error_subcode"?,"is_transient"?,
//! "error_user_title"?,"error_user_msg"?,"fbtrace_id"}}`, almost always with
//! HTTP 400.

use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::ids::fbtrace_id;

/// A Graph API error answer (boxed: it travels in every handler's `Err`).
#[derive(Debug, Clone)]
pub(crate) struct GraphError(Box<ErrorData>);

#[derive(Debug, Clone)]
struct ErrorData {
    status: u16,
    kind: &'static str,
    code: i64,
    subcode: Option<i64>,
    message: String,
    transient: Option<bool>,
    user_title: Option<String>,
    user_msg: Option<String>,
    headers: Vec<(&'static str, String)>,
}

impl GraphError {
    /// `type: OAuthException`, HTTP 400: what Meta sends for nearly everything.
    pub(crate) fn new(code: i64, message: impl Into<String>) -> Self {
        Self(Box::new(ErrorData {
            status: 400,
            kind: "OAuthException",
            code,
            subcode: None,
            message: message.into(),
            transient: None,
            user_title: None,
            user_msg: None,
            headers: Vec::new(),
        }))
    }

    pub(crate) fn sub(mut self, subcode: i64) -> Self {
        self.0.subcode = Some(subcode);
        self
    }

    pub(crate) fn transient(mut self, transient: bool) -> Self {
        self.0.transient = Some(transient);
        self
    }

    pub(crate) fn user(mut self, title: impl Into<String>, msg: impl Into<String>) -> Self {
        self.0.user_title = Some(title.into());
        self.0.user_msg = Some(msg.into());
        self
    }

    pub(crate) fn user_title(mut self, title: impl Into<String>) -> Self {
        self.0.user_title = Some(title.into());
        self
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.0.status = status;
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.0.headers.push((name, value.into()));
        self
    }

    #[cfg(test)]
    pub(crate) fn code(&self) -> i64 {
        self.0.code
    }

    /// The `error` object (with a fresh `fbtrace_id`).
    pub(crate) fn body(&self, trace: &str) -> Value {
        let mut error = Map::new();
        error.insert("message".into(), json!(self.0.message));
        error.insert("type".into(), json!(self.0.kind));
        error.insert("code".into(), json!(self.0.code));
        if let Some(subcode) = self.0.subcode {
            error.insert("error_subcode".into(), json!(subcode));
        }
        if let Some(transient) = self.0.transient {
            error.insert("is_transient".into(), json!(transient));
        }
        if let Some(title) = &self.0.user_title {
            error.insert("error_user_title".into(), json!(title));
        }
        if let Some(msg) = &self.0.user_msg {
            error.insert("error_user_msg".into(), json!(msg));
        }
        error.insert("fbtrace_id".into(), json!(trace));
        json!({ "error": error })
    }

    /// `(#100) <text>`: an invalid or missing parameter.
    pub(crate) fn param(text: impl std::fmt::Display) -> Self {
        Self::new(100, format!("(#100) {text}"))
    }

    /// 100/33: the object does not exist, is not visible to this token, or
    /// does not support the operation (Graph does not tell which).
    pub(crate) fn unsupported(method: &Method, id: &str) -> Self {
        let verb = match *method {
            Method::POST => "post",
            Method::DELETE => "delete",
            _ => "get",
        };
        Self::new(
            100,
            format!(
                "Unsupported {verb} request. Object with ID '{id}' does not exist, cannot be \
                 loaded due to missing permissions, or does not support this operation. Please \
                 read the Graph API documentation at https://developers.facebook.com/docs/graph-api"
            ),
        )
        .sub(33)
        .kind("GraphMethodException")
    }

    /// A `fields=` entry (or edge) the node type does not have.
    pub(crate) fn nonexisting_field(field: &str, node_type: &str) -> Self {
        Self::param(format!(
            "Tried accessing nonexisting field ({field}) on node type ({node_type})"
        ))
    }

    /// No token at all.
    pub(crate) fn token_required() -> Self {
        Self::new(104, "An access token is required to request this resource.")
    }

    /// A token the host does not know.
    pub(crate) fn bad_token() -> Self {
        Self::new(
            190,
            "Invalid OAuth access token - Cannot parse access token",
        )
        .www_authenticate()
    }

    /// 190 with an auth subcode (463 expired, 467 invalid, 460 password).
    pub(crate) fn token_dead(subcode: i64, message: String) -> Self {
        Self::new(190, message).sub(subcode).www_authenticate()
    }

    /// Code 4: the app-level limit (X-App-Usage at 100).
    pub(crate) fn app_limit() -> Self {
        Self::new(4, "(#4) Application request limit reached").transient(true)
    }

    /// Code 80001: a Page's business-use-case limit.
    pub(crate) fn page_limit() -> Self {
        Self::new(
            80001,
            "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        )
    }

    /// Code 80002: an Instagram account's business-use-case limit.
    pub(crate) fn instagram_limit() -> Self {
        Self::new(
            80002,
            "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        )
    }

    fn kind(mut self, kind: &'static str) -> Self {
        self.0.kind = kind;
        self
    }

    /// Graph's token errors carry a `WWW-Authenticate: OAuth "Facebook
    /// Platform" "invalid_token" "<message>"` header.
    fn www_authenticate(self) -> Self {
        let text: String = self
            .0
            .message
            .chars()
            .map(|c| if c == '"' || c.is_control() { '\'' } else { c })
            .collect();
        let value = format!("OAuth \"Facebook Platform\" \"invalid_token\" \"{text}\"");
        self.header("www-authenticate", value)
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let trace = fbtrace_id();
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = (status, axum::Json(self.body(&trace))).into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&trace) {
            headers.insert("x-fb-trace-id", value);
        }
        for (name, value) in &self.0.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
        response
    }
}

/// Default body of a `status` fault for the Meta networks: the envelope with
/// the code Meta uses for that kind of failure.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({"success": true}))).into_response();
    }
    let error = match status.as_u16() {
        401 => GraphError::bad_token(),
        403 => GraphError::new(
            10,
            "(#10) Application does not have permission for this action",
        ),
        404 => GraphError::new(803, "(#803) Some of the aliases you requested do not exist"),
        // Retry-After is not sent by Graph on its own 4/80001 answers; a
        // fault that wants one sets it in `headers`.
        429 => GraphError::app_limit(),
        500 => GraphError::new(1, "An unknown error has occurred.").transient(true),
        502..=504 => GraphError::new(
            2,
            "An unexpected error has occurred. Please retry your request later.",
        )
        .transient(true),
        _ => GraphError::param("Invalid parameter"),
    };
    let mut response = error.into_response();
    *response.status_mut() = status;
    response
}
