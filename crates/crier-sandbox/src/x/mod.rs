//! X (Twitter) API v2 emulation under `/x/...` (for `https://api.x.com`).
//!
//! Every call is OAuth 1.0a user context, verified for real (see `oauth`).
//! Authenticated answers carry `x-access-level` and the endpoint's
//! `x-rate-limit-*` headers; post creation adds the 24-hour families.
//! Errors use X's problem details or, where X still does, v1.1 bodies.

mod accounts;
pub(crate) mod control;
mod error;
mod ids;
mod limits;
mod media;
pub(crate) mod oauth;
mod text;
mod tweets;
mod users;
mod view;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::SandboxState;
use crate::params::{media_type, read_body};
use crate::request::{host_or_localhost, last_value};
use accounts::{AccessLevel, AccountState, AppDef, AppState, TokenDef, UserDef, UserState};
use error::XError;
use ids::Snowflakes;
use limits::{RateInfo, WINDOW_15_MIN, Window, XConfig};

/// Bodies above this are refused (X's own limits are lower: 5 MB per
/// media chunk).
const MAX_BODY: usize = 64 * 1024 * 1024;
/// X refuses `oauth_timestamp` further than this from its clock.
const TIMESTAMP_SKEW_SECS: i64 = 300;
/// How long a nonce is remembered (twice the skew: older requests fail the
/// timestamp check anyway).
const NONCE_MEMORY_SECS: i64 = 2 * TIMESTAMP_SKEW_SECS;

pub(crate) struct Inner {
    pub config: XConfig,
    pub apps: HashMap<&'static str, AppState>,
    pub users: HashMap<&'static str, UserState>,
    /// (user id, endpoint) → its 15-minute window.
    pub windows: HashMap<(&'static str, &'static str), Window>,
    /// Post creation per user / per app over 24 hours.
    pub user_day: HashMap<&'static str, Window>,
    pub app_day: HashMap<&'static str, Window>,
    /// (consumer key, token, nonce, timestamp) → when it was seen.
    pub nonces: HashMap<(String, String, String, String), i64>,
    pub tweets: tweets::TweetStore,
    pub media: media::MediaStore,
}

impl Inner {
    fn new() -> Self {
        Self {
            config: XConfig::default(),
            apps: accounts::APPS
                .iter()
                .map(|a| (a.key, AppState::default()))
                .collect(),
            users: accounts::USERS
                .iter()
                .map(|u| (u.id, UserState::default()))
                .collect(),
            windows: HashMap::new(),
            user_day: HashMap::new(),
            app_day: HashMap::new(),
            nonces: HashMap::new(),
            tweets: tweets::TweetStore::default(),
            media: media::MediaStore::default(),
        }
    }
}

pub(crate) struct XState {
    inner: Mutex<Inner>,
    ids: Snowflakes,
}

impl XState {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner::new()),
            ids: Snowflakes::new(),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets posts, media, windows, credits, account states and config;
    /// ids keep increasing.
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::new();
    }
}

pub(crate) fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Which endpoint a method + path (after `/x`) addresses, and the id in the
/// path if any. The names double as fault endpoint names.
pub(crate) fn route(method: &Method, path: &str) -> Option<(&'static str, Option<String>)> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let found = match segments.as_slice() {
        ["2", "tweets"] if post => ("tweets", None),
        ["2", "tweets", id] if method == Method::DELETE => ("tweets.delete", Some(*id)),
        ["2", "tweets", id] if get => ("tweets.get", Some(*id)),
        ["2", "users", "me"] if get => ("users.me", None),
        ["2", "users", id, "tweets"] if get => ("users.tweets", Some(*id)),
        ["2", "media", "upload", "initialize"] if post => ("media.initialize", None),
        ["2", "media", "upload", id, "append"] if post => ("media.append", Some(*id)),
        ["2", "media", "upload", id, "finalize"] if post => ("media.finalize", Some(*id)),
        ["2", "media", "upload"] if get => ("media.status", None),
        ["2", "media", "upload"] if post => ("media.upload", None),
        _ => return None,
    };
    Some((
        found.0,
        found.1.map(|id| crate::params::percent_decode(id, false)),
    ))
}

/// For the fault middleware: the endpoint name of an `/x/...` request (the
/// bare path for routes the emulator does not know).
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    let rest = path.strip_prefix("/x").filter(|r| r.starts_with('/'))?;
    Some(match route(method, rest) {
        Some((endpoint, _)) => endpoint.to_owned(),
        None => rest.trim_matches('/').to_owned(),
    })
}

/// One request, body read.
pub(crate) struct Call {
    pub method: Method,
    /// The path as the client used it, for the signature base URL.
    pub raw_path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }

    pub(crate) fn media_type(&self) -> Option<String> {
        media_type(&self.headers)
    }

    /// The JSON object body; X's wording when it is not one.
    pub(crate) fn json_object(&self) -> Result<serde_json::Map<String, Value>, XError> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            // Wording as seen in clients' fixtures for a non-object body.
            _ => Err(XError::invalid(None, "Request body must be a JSON object.")),
        }
    }
}

/// Who is calling.
#[derive(Clone, Copy)]
pub(crate) struct Auth {
    pub app: &'static AppDef,
    pub token: &'static TokenDef,
    pub user: &'static UserDef,
}

/// What the answer's headers must say.
#[derive(Default)]
pub(crate) struct Ctx {
    level: Option<AccessLevel>,
    rate: Option<RateInfo>,
    user_day: Option<RateInfo>,
    app_day: Option<RateInfo>,
}

impl Ctx {
    fn apply(&self, response: &mut Response) {
        let headers = response.headers_mut();
        if let Some(level) = self.level {
            headers.insert("x-access-level", HeaderValue::from_static(level.header()));
        }
        if let Ok(id) = HeaderValue::from_str(&ids::transaction_id()) {
            headers.insert("x-transaction-id", id);
        }
        if let Some(rate) = self.rate {
            limits::apply(response, "x-rate-limit", rate);
        }
        if let Some(day) = self.user_day {
            limits::apply(response, "x-user-limit-24hour", day);
        }
        if let Some(day) = self.app_day {
            limits::apply(response, "x-app-limit-24hour", day);
        }
    }
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    let mut ctx = Ctx::default();
    let mut response = process(&state, req, &mut ctx)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    ctx.apply(&mut response);
    response
}

async fn process(state: &SandboxState, req: Request, ctx: &mut Ctx) -> Result<Response, XError> {
    let method = req.method().clone();
    let raw_path = req.uri().path().to_owned();
    let path = raw_path.strip_prefix("/x").unwrap_or_default().to_owned();
    let (endpoint, id) = route(&method, &path).ok_or_else(XError::no_such_page)?;
    let query = req.uri().query().map(oauth::form_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| XError::blank(413, "Payload Too Large", "Payload Too Large"))?;
    let call = Call {
        method,
        raw_path,
        query,
        headers,
        body,
    };
    let xs = &state.inner.x;
    let mut inner = xs.lock();
    let now = now_secs();
    let auth = authenticate(&mut inner, &call, now)?;
    ctx.level = Some(auth.token.level);

    let limit = inner.config.per_15_min(endpoint);
    let window = inner.windows.entry((auth.user.id, endpoint)).or_default();
    match window.charge(limit, WINDOW_15_MIN, now) {
        Ok(info) => ctx.rate = Some(info),
        Err(info) => {
            ctx.rate = Some(info);
            return Err(XError::too_many_requests());
        }
    }
    match inner.users.get(auth.user.id).map(|u| u.state) {
        Some(AccountState::Suspended) => return Err(XError::suspended()),
        Some(AccountState::Locked) => return Err(XError::locked()),
        _ => {}
    }
    // Pay-per-use: every call needs credits, only creations spend them.
    if inner
        .apps
        .get(auth.app.key)
        .is_some_and(|a| a.credits_mills <= 0)
    {
        return Err(XError::credits_depleted(auth.app.account_id));
    }
    match endpoint {
        "tweets" => tweets::create(state, &mut inner, &xs.ids, &call, auth, ctx),
        "tweets.delete" => tweets::delete(state, &mut inner, auth, id.unwrap_or_default()),
        "tweets.get" => tweets::lookup(&inner, &call, &id.unwrap_or_default()),
        "users.me" => users::me(&inner, &call, auth),
        "users.tweets" => users::timeline(&inner, &call, &id.unwrap_or_default()),
        "media.initialize" => media::initialize(&mut inner, &xs.ids, &call, auth),
        "media.append" => media::append(&mut inner, &call, auth, &id.unwrap_or_default()),
        "media.finalize" => media::finalize(&mut inner, auth, &id.unwrap_or_default()),
        "media.status" => media::status(&inner, &call, auth),
        _ => media::one_shot(&mut inner, &xs.ids, &call, auth),
    }
}

/// Verifies the OAuth 1.0a header against the stored secrets.
fn authenticate(inner: &mut Inner, call: &Call, now: i64) -> Result<Auth, XError> {
    let header = call
        .headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(oauth::parse_header)
        .ok_or_else(XError::unauthorized)?;
    if header.signature_method != "HMAC-SHA1"
        || header.version.as_deref().is_some_and(|v| v != "1.0")
    {
        return Err(XError::unauthorized());
    }
    let app = accounts::app(&header.consumer_key).ok_or_else(XError::unauthorized)?;
    let timestamp: i64 = header
        .timestamp
        .parse()
        .map_err(|_| XError::unauthorized())?;
    if now.abs_diff(timestamp) > TIMESTAMP_SKEW_SECS.unsigned_abs() {
        return Err(XError::timestamp_out_of_bounds());
    }
    let token = accounts::token(&header.token).ok_or_else(XError::invalid_token)?;

    let mut params = header.signed.clone();
    params.extend(call.query.iter().cloned());
    if call.media_type().as_deref() == Some("application/x-www-form-urlencoded") {
        params.extend(oauth::form_pairs(&String::from_utf8_lossy(&call.body)));
    }
    let host = host_or_localhost(&call.headers).to_ascii_lowercase();
    // RFC 5849 §3.4.1.2: the default port is not part of the base URL.
    let host = host.strip_suffix(":80").unwrap_or(&host);
    let base_url = format!("http://{host}{}", call.raw_path);
    let base = oauth::base_string(call.method.as_str(), &base_url, &params);
    if !oauth::verify(&base, app.secret, token.secret, &header.signature) {
        return Err(XError::unauthorized());
    }
    // A token only works with the app it was issued to: BYO keys of another
    // app than the linked one fail here although the signature is fine.
    if token.consumer_key != app.key {
        return Err(XError::invalid_token());
    }
    inner
        .nonces
        .retain(|_, seen| now - *seen <= NONCE_MEMORY_SECS);
    let key = (
        header.consumer_key.clone(),
        header.token.clone(),
        header.nonce.clone(),
        header.timestamp.clone(),
    );
    if inner.nonces.insert(key, now).is_some() {
        // A replayed request (same nonce and timestamp): X refuses it as
        // unauthenticated.
        return Err(XError::unauthorized());
    }
    let user = accounts::user(token.user_id).ok_or_else(XError::invalid_token)?;
    Ok(Auth { app, token, user })
}

/// A 200 JSON answer.
pub(crate) fn ok(body: Value) -> Result<Response, XError> {
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// Default body of a `status` fault, in X's problem shape.
pub(crate) fn fault_error(status: StatusCode) -> Response {
    (status, axum::Json(error::fault_body(status))).into_response()
}

/// Headers every X answer carries, added to a fault's canned answer where
/// the fault did not set them: the token's access level and the endpoint's
/// rate window as it stands (remaining 0 for an injected 429).
pub(crate) fn add_fault_headers(
    state: &SandboxState,
    endpoint: &str,
    request_headers: &HeaderMap,
    response: &mut Response,
) {
    let token = request_headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(oauth::parse_header)
        .and_then(|h| accounts::token(&h.token));
    let mut ctx = Ctx::default();
    if let Some(token) = token {
        ctx.level = Some(token.level);
        let inner = state.inner.x.lock();
        let limit = inner.config.per_15_min(endpoint);
        let mut info = inner
            .windows
            .iter()
            .find(|((user, ep), _)| *user == token.user_id && *ep == endpoint)
            .map(|(_, w)| w.peek(limit, WINDOW_15_MIN, now_secs()))
            .unwrap_or(RateInfo {
                limit,
                remaining: limit,
                reset: now_secs() + WINDOW_15_MIN,
            });
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            info.remaining = 0;
        }
        ctx.rate = Some(info);
    }
    if response.headers().contains_key("x-access-level") {
        ctx.level = None;
    }
    ctx.apply(response);
}
