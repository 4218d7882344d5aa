//! Bluesky / AT Protocol XRPC emulation under `/bluesky/xrpc/<nsid>`.
//!
//! Errors use the XRPC shape `{"error":"<Name>","message":"..."}`; every
//! answer carries `ratelimit-*` headers: the per-DID write bucket for
//! createRecord/deleteRecord, the global per-client bucket otherwise.
//!
//! The `app.bsky.*` reads crier uses for analytics and history
//! (`feed.getPosts`, `feed.getAuthorFeed`, `actor.getProfile`) are answered
//! here too, as the PDS answers them by proxying to the AppView.

mod actor;
mod feed;
mod post;
mod ratelimit;
mod repo;
mod server;
mod session;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::codec::TidClock;
use crate::params::{media_type, parse_pairs, parse_urlencoded, read_body};
pub(crate) use ratelimit::Limits;
use ratelimit::{Bucket, GLOBAL_WINDOW_SECS, RateInfo};

/// Bodies above this are refused before any blob-size check.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// An XRPC error answer.
#[derive(Debug)]
pub(crate) struct XrpcError {
    status: StatusCode,
    error: String,
    message: String,
}

impl XrpcError {
    pub(crate) fn new(status: u16, error: &str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            error: error.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "InvalidRequest", message)
    }

    fn rate_limited() -> Self {
        Self::new(429, "RateLimitExceeded", "Rate Limit Exceeded")
    }
}

impl IntoResponse for XrpcError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({"error": self.error, "message": self.message})),
        )
            .into_response()
    }
}

pub(crate) type XrpcResult = Result<Response, XrpcError>;

pub(crate) struct StoredRecord {
    pub cid: String,
    pub value: Value,
    pub ledger_seq: Option<u64>,
    /// When the record was created (the AppView's `indexedAt`).
    pub indexed_ms: i64,
    /// Creation order across the repo (feeds are newest first by it).
    pub seq: u64,
}

pub(crate) struct BlobMeta {
    pub mime_type: String,
    pub size: u64,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub sessions: session::Sessions,
    /// (did, cid) → metadata of an uploaded blob.
    pub blobs: HashMap<(String, String), BlobMeta>,
    /// (did, collection, rkey) → record.
    pub records: HashMap<(String, String, String), StoredRecord>,
    pub limits: Limits,
    pub write_buckets: HashMap<String, Bucket>,
    pub global: Bucket,
    /// The next `StoredRecord::seq`.
    pub next_seq: u64,
}

pub(crate) struct BlueskyState {
    inner: Mutex<Inner>,
    tids: TidClock,
}

impl BlueskyState {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            tids: TidClock::new(),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every issued access token now answers `400 ExpiredToken`.
    pub(crate) fn expire_sessions(&self) -> usize {
        self.lock().sessions.expire_all()
    }

    pub(crate) fn limits(&self) -> Limits {
        self.lock().limits.clone()
    }

    pub(crate) fn set_limits(&self, limits: Limits) {
        let mut inner = self.lock();
        inner.limits = limits;
        inner.write_buckets.clear();
        inner.global = Bucket::default();
    }

    /// Forgets sessions, blobs, records, counters and limit overrides.
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::default();
    }
}

pub(crate) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Default body of a `status` fault, in the XRPC error shape.
pub(crate) fn default_error(_state: &SandboxState, status: StatusCode) -> Response {
    if status.is_success() {
        return (status, axum::Json(json!({}))).into_response();
    }
    let name = match status.as_u16() {
        400 => "InvalidRequest",
        401 => "AuthenticationRequired",
        403 => "Forbidden",
        404 => "NotFound",
        413 => "PayloadTooLarge",
        429 => "RateLimitExceeded",
        500 => "InternalServerError",
        501 => "MethodNotImplemented",
        502 => "UpstreamFailure",
        503 => "NotEnoughResources",
        504 => "UpstreamTimeout",
        _ => "Unknown",
    };
    let message = match status.as_u16() {
        429 => "Rate Limit Exceeded",
        _ => status.canonical_reason().unwrap_or("Error"),
    };
    let mut response = XrpcError::new(400, name, message).into_response();
    *response.status_mut() = status;
    response
}

/// Adds the global bucket's `ratelimit-*` headers where missing (fault answers).
pub(crate) fn add_default_ratelimit_headers(state: &SandboxState, response: &mut Response) {
    let inner = state.inner.bluesky.lock();
    let mut info = inner.global.peek(
        inner.limits.requests_per_5_min,
        GLOBAL_WINDOW_SECS,
        now_secs(),
    );
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        info.remaining = 0;
    }
    info.apply(response, false);
}

/// One XRPC call, with its body already read.
pub(crate) struct Call {
    pub headers: HeaderMap,
    /// Query parameters, the last value of a repeated name winning.
    pub query: Map<String, Value>,
    /// Query parameters in order, repeats kept (array parameters).
    pub pairs: Vec<(String, String)>,
    pub body: Bytes,
}

impl Call {
    /// Every value of a repeated query parameter (`uris=a&uris=b`).
    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The JSON object input of a procedure.
    pub(crate) fn json_input(&self) -> Result<Map<String, Value>, XrpcError> {
        let Some(media) = media_type(&self.headers) else {
            return Err(XrpcError::invalid(
                "Request encoding (Content-Type) required but not provided",
            ));
        };
        if media != "application/json" {
            return Err(XrpcError::invalid(format!(
                "Wrong request encoding (Content-Type): {media}"
            )));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(XrpcError::invalid("Input must be an object")),
            // Wording chosen: the PDS's body parser reports syntax errors in its own words.
            Err(err) => Err(XrpcError::invalid(format!(
                "Request body is not valid JSON: {err}"
            ))),
        }
    }

    /// The base URL of this emulator as the client reached it.
    pub(crate) fn service_url(&self) -> String {
        let host = self
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}/bluesky")
    }
}

/// A required string field of an input object or query.
pub(crate) fn required_str<'a>(
    obj: &'a Map<String, Value>,
    what: &str,
    key: &str,
) -> Result<&'a str, XrpcError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(XrpcError::invalid(format!(
            "{what} must have the property \"{key}\""
        ))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(XrpcError::invalid(format!("{what}/{key} must be a string"))),
    }
}

enum Kind {
    Query,
    Procedure,
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let Some(nsid) = path.strip_prefix("/bluesky/xrpc/") else {
        return XrpcError::new(404, "NotFound", "Not Found").into_response();
    };
    let nsid = nsid.trim_end_matches('/').to_owned();
    let bs = &state.inner.bluesky;
    let global = {
        let mut inner = bs.lock();
        let limit = inner.limits.requests_per_5_min;
        inner
            .global
            .charge(1, limit, GLOBAL_WINDOW_SECS, now_secs())
    };
    let (result, rate) = match global {
        Err(info) => (Err(XrpcError::rate_limited()), info),
        Ok(global_info) => {
            let mut write_info = None;
            let result = route(&state, &nsid, req, &mut write_info).await;
            (result, write_info.unwrap_or(global_info))
        }
    };
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    rate.apply(&mut response, true);
    response
}

async fn route(
    state: &SandboxState,
    nsid: &str,
    req: Request,
    write_info: &mut Option<RateInfo>,
) -> XrpcResult {
    let kind = match nsid {
        "com.atproto.server.getSession"
        | "com.atproto.identity.resolveHandle"
        | "com.atproto.repo.getRecord"
        | "app.bsky.feed.getPosts"
        | "app.bsky.feed.getAuthorFeed"
        | "app.bsky.actor.getProfile" => Kind::Query,
        "com.atproto.server.createSession"
        | "com.atproto.server.refreshSession"
        | "com.atproto.server.deleteSession"
        | "com.atproto.repo.uploadBlob"
        | "com.atproto.repo.createRecord"
        | "com.atproto.repo.deleteRecord" => Kind::Procedure,
        _ => {
            return Err(XrpcError::new(
                501,
                "MethodNotImplemented",
                "Method Not Implemented",
            ));
        }
    };
    let method = req.method().clone();
    let expected = match kind {
        Kind::Query if method == Method::GET || method == Method::HEAD => None,
        Kind::Query => Some("GET"),
        Kind::Procedure if method == Method::POST => None,
        Kind::Procedure => Some("POST"),
    };
    if let Some(expected) = expected {
        // Wording assumed from the xrpc server; not in the public docs.
        return Err(XrpcError::invalid(format!(
            "Incorrect HTTP method ({method}) expected {expected}"
        )));
    }
    let query = req.uri().query().map(parse_urlencoded).unwrap_or_default();
    let pairs = req.uri().query().map(parse_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| XrpcError::new(413, "PayloadTooLarge", "request entity too large"))?;
    let call = Call {
        headers,
        query,
        pairs,
        body,
    };
    let bs = &state.inner.bluesky;
    match nsid {
        "com.atproto.server.createSession" => server::create_session(bs, &call),
        "com.atproto.server.refreshSession" => server::refresh_session(bs, &call),
        "com.atproto.server.getSession" => server::get_session(bs, &call),
        "com.atproto.server.deleteSession" => server::delete_session(bs, &call),
        "com.atproto.identity.resolveHandle" => server::resolve_handle(&call),
        "com.atproto.repo.uploadBlob" => repo::upload_blob(bs, &call),
        "com.atproto.repo.createRecord" => repo::create_record(state, &call, write_info),
        "com.atproto.repo.getRecord" => repo::get_record(bs, &call),
        "app.bsky.feed.getPosts" => feed::get_posts(bs, &call),
        "app.bsky.feed.getAuthorFeed" => feed::get_author_feed(bs, &call),
        "app.bsky.actor.getProfile" => actor::get_profile(bs, &call),
        _ => repo::delete_record(state, &call, write_info),
    }
}
