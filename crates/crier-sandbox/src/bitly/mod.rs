//! Bitly API v4 emulation under `/bitly/v4/...` (for
//! `https://api-ssl.bitly.com`): `POST /v4/shorten`,
//! `GET /v4/bitlinks/{bitlink}` and its `clicks/summary`.
//!
//! Bearer token only ([`crate::seed::BITLY_TOKEN`]), one group
//! ([`crate::seed::BITLY_GROUP_GUID`]). Errors are Bitly's
//! `{"message","resource","description","errors"?}` body; no answer carries
//! rate-limit headers, as on Bitly. Shortening publishes nothing, so Bitly
//! writes no ledger entries; `GET /_sandbox/bitly/links` lists the links.

pub(crate) mod control;
mod error;
mod limits;
mod links;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};

use crate::SandboxState;
use crate::params::{parse_pairs, percent_decode, read_body};
use crate::request::{bearer_token, endpoint_name, host_or_localhost, last_value};
use crate::seed;
use crate::store::NetworkStore;
use crate::windows::FixedWindow;
use error::BitlyError;
pub(crate) use error::fault_error;
use limits::{BitlyConfig, HOUR_SECS, MINUTE_SECS, MonthCounter};
use links::Link;

/// Shorten bodies are tiny; anything above this is refused unread.
const MAX_BODY: usize = 1024 * 1024;

#[derive(Default)]
pub(crate) struct Inner {
    pub config: BitlyConfig,
    /// Links in creation order.
    pub links: Vec<Link>,
    pub month: MonthCounter,
    hour: FixedWindow,
    minute: FixedWindow,
}

/// The network's state; its sequence feeds the back-halves and survives `reset`, so links never repeat.
pub(crate) type BitlyState = NetworkStore<Inner>;

/// What a request addresses (after `/bitly`); the names double as fault
/// endpoint names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    Shorten,
    Get(String),
    ClicksSummary(String),
}

impl Route {
    fn name(&self) -> &'static str {
        match self {
            Route::Shorten => "shorten",
            Route::Get(_) => "bitlinks.get",
            Route::ClicksSummary(_) => "clicks.summary",
        }
    }
}

/// Bitlink ids contain a slash (`bit.ly/3AbCdEf`), sent as is or
/// percent-encoded, so the path is split around the known prefix and suffix.
fn route(method: &Method, path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let get = method == Method::GET || method == Method::HEAD;
    if path == "/v4/shorten" {
        return (method == Method::POST).then_some(Route::Shorten);
    }
    let rest = path.strip_prefix("/v4/bitlinks/").filter(|_| get)?;
    let (bitlink, summary) = match rest.strip_suffix("/clicks/summary") {
        Some(bitlink) => (bitlink, true),
        None => (rest, false),
    };
    let bitlink = percent_decode(bitlink, false);
    if bitlink.is_empty() {
        return None;
    }
    Some(if summary {
        Route::ClicksSummary(bitlink)
    } else {
        Route::Get(bitlink)
    })
}

/// For the fault middleware: the endpoint name of a `/bitly/...` request
/// (the bare path for routes the emulator does not know).
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    let rest = path.strip_prefix("/bitly").filter(|r| r.starts_with('/'))?;
    Some(endpoint_name(
        route(method, rest).map(|route| route.name()),
        rest,
    ))
}

/// One request, body read.
pub(crate) struct Call {
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    /// `http://<host>/bitly` as the client reached it, for `references`.
    pub base: String,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }
}

fn authenticate(headers: &HeaderMap) -> Result<(), BitlyError> {
    let token = bearer_token(headers);
    match token {
        Some(token) if token == seed::BITLY_TOKEN => Ok(()),
        _ => Err(BitlyError::forbidden()),
    }
}

/// The platform limit of `POST /v4/shorten`: per hour and a tenth of that
/// per minute.
fn charge_shorten(inner: &mut Inner) -> Result<(), BitlyError> {
    let Some(hourly) = inner.config.shorten_per_hour else {
        return Ok(());
    };
    let now = chrono::Utc::now().timestamp();
    let per_minute = (hourly / 10).max(1);
    // Peek both before counting, so a refused call uses up neither.
    let (mut hour, mut minute) = (inner.hour, inner.minute);
    if !hour.take(hourly, HOUR_SECS, now) || !minute.take(per_minute, MINUTE_SECS, now) {
        return Err(BitlyError::rate_limited());
    }
    inner.hour = hour;
    inner.minute = minute;
    Ok(())
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, BitlyError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/bitly").unwrap_or_default();
    let route = route(req.method(), rest).ok_or_else(BitlyError::not_found)?;
    let query = req.uri().query().map(parse_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    authenticate(&headers)?;
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| BitlyError::unprocessable())?;
    let host = host_or_localhost(&headers);
    let call = Call {
        query,
        body,
        base: format!("http://{host}/bitly"),
    };
    let bs = &state.inner.bitly;
    let mut inner = bs.lock();
    match &route {
        Route::Shorten => {
            charge_shorten(&mut inner)?;
            links::shorten(bs, &mut inner, &call)
        }
        Route::Get(bitlink) => links::get(&inner, &call, bitlink),
        Route::ClicksSummary(bitlink) => links::clicks_summary(&inner, &call, bitlink),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route(&Method::POST, "/v4/shorten/"), Some(Route::Shorten));
        assert_eq!(route(&Method::GET, "/v4/shorten"), None);
        assert_eq!(
            route(&Method::GET, "/v4/bitlinks/bit.ly/3AbCdEf/clicks/summary"),
            Some(Route::ClicksSummary("bit.ly/3AbCdEf".into()))
        );
        assert_eq!(
            route(&Method::GET, "/v4/bitlinks/bit.ly%2F3AbCdEf"),
            Some(Route::Get("bit.ly/3AbCdEf".into()))
        );
        assert_eq!(
            classify(&Method::GET, "/bitly/v4/user"),
            Some("v4/user".into())
        );
        assert_eq!(classify(&Method::GET, "/x/2/tweets"), None);
    }
}
