//! Reddit API emulation under `/reddit/...` (for `https://oauth.reddit.com`):
//! `POST /api/submit`, `POST /api/del`, `GET /api/info`,
//! `GET /user/{name}/submitted` (Listing, `after` paging) and
//! `GET /api/v1/me` (`.json` suffixes accepted).
//!
//! Based on https://www.reddit.com/dev/api (endpoints, parameters, Listing
//! paging), the API rules at https://support.reddithelp.com/hc/en-us/articles/16160319875092
//! (bearer token, a unique User-Agent, 100 queries per minute averaged over
//! 10 minutes, `X-Ratelimit-Used/Remaining/Reset`) and r2's error table
//! (see `error`). Bearer token only ([`crate::seed::REDDIT_ACCESS_TOKEN`]);
//! the one subreddit is [`crate::seed::REDDIT_SUBREDDIT`].
//!
//! Images: Reddit's upload flow for `kind=image` (`POST
//! /api/media/asset.json` and an S3 lease) is not in the public API
//! documentation, so it is not emulated: `kind=image`/`video`/`videogif`
//! answer `INVALID_OPTION` on `kind`, and an image is posted as `kind=link`
//! with the image's URL.

pub(crate) mod control;
mod error;
mod listing;
mod submit;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::USER_AGENT;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::SandboxState;
use crate::control_kit::TokenState;
use crate::params::{parse_urlencoded, read_body};
use crate::request::{bearer_token, endpoint_name};
use crate::seed;
use crate::store::NetworkStore;
pub(crate) use error::fault_error;
use error::http_error;
use submit::Post;

/// Form bodies are small.
const MAX_BODY: usize = 1024 * 1024;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RedditConfig {
    /// Requests allowed per window per OAuth client (Reddit: 100 a minute
    /// averaged over 10 minutes, so 1,000 per 600 s).
    pub requests_per_window: u32,
    pub window_seconds: u64,
    /// The subreddit requires post flair.
    pub flair_required: bool,
    /// The subreddit's post types: `"any"`, `"self"` or `"link"`.
    pub link_type: String,
}

impl Default for RedditConfig {
    fn default() -> Self {
        Self {
            requests_per_window: 1000,
            window_seconds: 600,
            flair_required: false,
            link_type: "any".into(),
        }
    }
}

/// The posting throttle set by `/_sandbox/reddit/ratelimit`.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SubmitThrottle {
    /// Submits still to refuse with RATELIMIT.
    pub submits: u32,
    /// The wait they announce.
    pub seconds: u64,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub config: RedditConfig,
    pub token: TokenState,
    /// The account is suspended: writes answer 403.
    pub suspended: bool,
    pub throttle: SubmitThrottle,
    window_start: i64,
    window_used: u32,
    /// Posts in creation order.
    pub posts: Vec<Post>,
}

/// The network's state; its sequence feeds post ids and survives `reset`, so ids never repeat.
pub(crate) type RedditState = NetworkStore<Inner>;

impl NetworkStore<Inner> {
    /// A new base-36 post id (7 characters, like Reddit's current ids).
    pub(crate) fn next_id(&self) -> String {
        let mut n = 36u64.pow(6) + self.next_seq();
        let mut digits = Vec::new();
        while n > 0 {
            digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
            n /= 36;
        }
        digits.iter().rev().collect()
    }
}

/// What a request addresses (after `/reddit`); the names double as fault
/// endpoint names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    Submit,
    Del,
    Info,
    Submitted(String),
    Me,
}

impl Route {
    fn name(&self) -> &'static str {
        match self {
            Route::Submit => "submit",
            Route::Del => "del",
            Route::Info => "info",
            Route::Submitted(_) => "user.submitted",
            Route::Me => "me",
        }
    }
}

fn route(method: &Method, path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".json").unwrap_or(path);
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["api", "submit"] if post => Some(Route::Submit),
        ["api", "del"] if post => Some(Route::Del),
        ["api", "info"] if get => Some(Route::Info),
        ["api", "v1", "me"] if get => Some(Route::Me),
        ["user" | "u", name, "submitted"] if get && !name.is_empty() => {
            Some(Route::Submitted((*name).to_owned()))
        }
        _ => None,
    }
}

/// For the fault middleware: the endpoint name of a request (`path` is the
/// part after `/reddit`; the bare path for routes the emulator does not know).
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    Some(endpoint_name(
        route(method, path).map(|route| route.name()),
        path,
    ))
}

/// One request: query and form parameters merged (the form wins).
pub(crate) struct Call {
    pub params: Map<String, Value>,
}

impl Call {
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).and_then(Value::as_str)
    }

    /// Reddit's booleans: `true`/`1`/`on`/`yes`.
    pub(crate) fn flag(&self, key: &str) -> Option<bool> {
        self.param(key).map(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "true" | "1" | "on" | "yes"
            )
        })
    }
}

/// The rate-limit window, charged for every authenticated call; its headers
/// go on every answer.
struct RateHeaders {
    used: u32,
    remaining: u32,
    reset: u64,
}

fn charge(inner: &mut Inner, now: i64) -> Result<RateHeaders, RateHeaders> {
    let window = inner.config.window_seconds.max(1) as i64;
    if now >= inner.window_start + window {
        inner.window_start = now;
        inner.window_used = 0;
    }
    let reset = (inner.window_start + window - now).max(1) as u64;
    let limit = inner.config.requests_per_window;
    if inner.window_used >= limit {
        return Err(RateHeaders {
            used: inner.window_used,
            remaining: 0,
            reset,
        });
    }
    inner.window_used += 1;
    Ok(RateHeaders {
        used: inner.window_used,
        remaining: limit - inner.window_used,
        reset,
    })
}

fn add_rate_headers(response: &mut Response, rate: &RateHeaders) {
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-used", rate.used.to_string()),
        ("x-ratelimit-remaining", format!("{}.0", rate.remaining)),
        ("x-ratelimit-reset", rate.reset.to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.entry(name).or_insert(value);
        }
    }
}

/// Every request under `/reddit/`.
pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/reddit").unwrap_or_default();
    let Some(route) = route(req.method(), rest) else {
        return http_error(StatusCode::NOT_FOUND);
    };
    let headers = req.headers().clone();
    let mut params = req.uri().query().map(parse_urlencoded).unwrap_or_default();
    let Ok(body): Result<Bytes, ()> = read_body(req.into_body(), MAX_BODY).await else {
        return http_error(StatusCode::PAYLOAD_TOO_LARGE);
    };
    params.extend(parse_urlencoded(&String::from_utf8_lossy(&body)));
    // Reddit throttles clients without a descriptive User-Agent hard
    // (answer chosen: its usual 429).
    let agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if agent.is_empty() {
        return http_error(StatusCode::TOO_MANY_REQUESTS);
    }
    let call = Call { params };
    let rs = &state.inner.reddit;
    let (rate, suspended) = {
        let mut inner = rs.lock();
        let valid = bearer_token(&headers).is_some_and(|t| t == seed::REDDIT_ACCESS_TOKEN)
            && inner.token == TokenState::Valid;
        if !valid {
            return http_error(StatusCode::UNAUTHORIZED);
        }
        match charge(&mut inner, chrono::Utc::now().timestamp()) {
            Ok(rate) => (rate, inner.suspended),
            Err(rate) => {
                let mut response = http_error(StatusCode::TOO_MANY_REQUESTS);
                add_rate_headers(&mut response, &rate);
                return response;
            }
        }
    };
    let mut response = match &route {
        Route::Submit | Route::Del if suspended => http_error(StatusCode::FORBIDDEN),
        Route::Submit => submit::submit(&state, &call),
        Route::Del => submit::delete(&state, &call),
        Route::Info => listing::info(&state, &call),
        Route::Submitted(name) => listing::submitted(&state, &call, name),
        Route::Me => listing::me(&state),
    };
    add_rate_headers(&mut response, &rate);
    response
}

/// Reddit's answer to an expired OAuth token (`crate::oauth` issues them): a bare 401.
pub(crate) fn expired_token_answer() -> Response {
    error::http_error(axum::http::StatusCode::UNAUTHORIZED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_ids() {
        assert_eq!(route(&Method::POST, "/api/submit"), Some(Route::Submit));
        assert_eq!(route(&Method::GET, "/api/info.json"), Some(Route::Info));
        assert_eq!(
            route(&Method::GET, "/user/crier_sandbox/submitted.json"),
            Some(Route::Submitted("crier_sandbox".into()))
        );
        assert_eq!(route(&Method::GET, "/api/submit"), None);
        assert_eq!(classify(&Method::GET, "/api/v1/me"), Some("me".into()));
        assert_eq!(classify(&Method::GET, "/r/x/new"), Some("r/x/new".into()));
        let rs = RedditState::new();
        let a = rs.next_id();
        assert_eq!(a.len(), 7);
        assert_ne!(a, rs.next_id());
    }
}
