//! Pinterest API v5 emulation under `/pinterest/...` (for
//! `https://api.pinterest.com`): `POST /v5/pins` (image URL, base64 image,
//! carousel of image URLs, uploaded video), `GET`/`DELETE /v5/pins/{id}`,
//! `GET /v5/pins/{id}/analytics`, `GET /v5/boards`, `GET /v5/boards/{id}`,
//! `GET /v5/boards/{id}/pins` (bookmark paging), `GET /v5/user_account`, and
//! the video flow `POST /v5/media` → multipart POST to the `upload_url`
//! (served by the sandbox at `/pinterest/media-upload/{media_id}`) →
//! `GET /v5/media/{id}` (`registered` → `processing` → `succeeded`|`failed`).
//!
//! Based on the v5 reference (https://developers.pinterest.com/docs/api/v5/,
//! its OpenAPI spec as published in Pinterest's generated clients: pins
//! create 201/400/403/404/429, delete 204) and bodies observed in public
//! clients (see `error`). Bearer token only ([`crate::seed::PINTEREST_ACCESS_TOKEN`]);
//! the one board is [`crate::seed::PINTEREST_BOARD_ID`]. Pinterest does not
//! refuse a duplicate Pin (the same image and text may be pinned twice), so
//! neither does the emulator. Image URLs are really downloaded (loopback
//! only) and sniffed: JPEG, PNG, GIF, WebP, BMP and TIFF are taken; HEIC,
//! AVIF and anything else get the documented 403 "The Pin's image is too
//! small, too large or is broken".

mod analytics;
pub(crate) mod control;
mod error;
mod fetch;
mod limits;
mod media;
mod pins;
mod view;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};

use crate::SandboxState;
use crate::control_kit::TokenState;
use crate::params::{parse_pairs, read_body};
use crate::request::{bearer_token, endpoint_name, host_or_localhost, last_value};
use crate::seed;
use crate::store::NetworkStore;
use error::PinError;
pub(crate) use error::fault_error;
use limits::{Counters, PinConfig, RateHeaders};
use media::Media;
use pins::Pin;

/// Largest body accepted (a video upload); API calls are small.
const MAX_BODY: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub(crate) struct Inner {
    pub config: PinConfig,
    pub counters: Counters,
    pub token: TokenState,
    /// Pins in creation order.
    pub pins: Vec<Pin>,
    pub media: Vec<Media>,
}

/// The network's state; its sequence feeds Pin and media ids and survives `reset`, so ids never repeat.
pub(crate) type PinterestState = NetworkStore<Inner>;

/// What a request addresses (after `/pinterest`); the names double as fault
/// endpoint names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    PinsCreate,
    PinsGet(String),
    PinsDelete(String),
    PinsAnalytics(String),
    BoardsList,
    BoardsGet(String),
    BoardsPins(String),
    MediaRegister,
    MediaGet(String),
    MediaUpload(String),
    UserAccount,
}

impl Route {
    fn name(&self) -> &'static str {
        match self {
            Route::PinsCreate => "pins.create",
            Route::PinsGet(_) => "pins.get",
            Route::PinsDelete(_) => "pins.delete",
            Route::PinsAnalytics(_) => "pins.analytics",
            Route::BoardsList => "boards.list",
            Route::BoardsGet(_) => "boards.get",
            Route::BoardsPins(_) => "boards.pins",
            Route::MediaRegister => "media.register",
            Route::MediaGet(_) => "media.get",
            Route::MediaUpload(_) => "media.upload",
            Route::UserAccount => "user_account",
        }
    }
}

fn route(method: &Method, path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let id = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    match segments.as_slice() {
        ["v5", "pins"] if post => Some(Route::PinsCreate),
        ["v5", "pins", pin] if get => id(pin).map(Route::PinsGet),
        ["v5", "pins", pin] if method == Method::DELETE => id(pin).map(Route::PinsDelete),
        ["v5", "pins", pin, "analytics"] if get => id(pin).map(Route::PinsAnalytics),
        ["v5", "boards"] if get => Some(Route::BoardsList),
        ["v5", "boards", board] if get => id(board).map(Route::BoardsGet),
        ["v5", "boards", board, "pins"] if get => id(board).map(Route::BoardsPins),
        ["v5", "media"] if post => Some(Route::MediaRegister),
        ["v5", "media", media] if get => id(media).map(Route::MediaGet),
        ["v5", "user_account"] if get => Some(Route::UserAccount),
        ["media-upload", media] if post => id(media).map(Route::MediaUpload),
        _ => None,
    }
}

/// For the fault middleware: the endpoint name of a request (`path` is the
/// part after `/pinterest`; the bare path for routes the emulator does not know).
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    Some(endpoint_name(
        route(method, path).map(|route| route.name()),
        path,
    ))
}

/// One request, body read.
pub(crate) struct Call {
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// `http://<host>/pinterest` as the client reached it.
    pub base: String,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }
}

/// Every request under `/pinterest/`.
pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    let (rate, result) = process(&state, req).await;
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    if let Some(rate) = rate {
        let headers = response.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", rate.limit.to_string()),
            ("x-ratelimit-remaining", rate.remaining.to_string()),
            ("x-ratelimit-reset", rate.reset_secs.to_string()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.entry(name).or_insert(value);
            }
        }
    }
    response
}

async fn process(
    state: &SandboxState,
    req: Request,
) -> (Option<RateHeaders>, Result<Response, PinError>) {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/pinterest").unwrap_or_default();
    let Some(route) = route(req.method(), rest) else {
        return (None, Err(PinError::not_found()));
    };
    let query = req.uri().query().map(parse_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let Ok(body) = read_body(req.into_body(), MAX_BODY).await else {
        return (
            None,
            Err(PinError::invalid("The request body is too large.")),
        );
    };
    let host = host_or_localhost(&headers).to_owned();
    let call = Call {
        query,
        headers,
        body,
        base: format!("http://{host}/pinterest"),
    };
    // The upload URL is a pre-signed capability on another host (S3 on
    // Pinterest): no bearer token, no API rate limit.
    if let Route::MediaUpload(id) = &route {
        return (None, Ok(media::upload(state, &call, id)));
    }
    let rate = {
        let mut inner = state.inner.pinterest.lock();
        if let Err(err) = authenticate(&inner, &call.headers) {
            return (None, Err(err));
        }
        let config = inner.config.clone();
        match inner
            .counters
            .charge(&config, chrono::Utc::now().timestamp())
        {
            Ok(rate) => rate,
            Err(err) => return (None, Err(err)),
        }
    };
    let result = match &route {
        Route::PinsCreate => pins::create(state, &call).await,
        Route::PinsGet(id) => view::get(state, id),
        Route::PinsDelete(id) => view::delete(state, id),
        Route::PinsAnalytics(id) => analytics::pin_analytics(state, &call, id),
        Route::BoardsList => view::boards_list(state, &call),
        Route::BoardsGet(id) => view::board_get(state, id),
        Route::BoardsPins(id) => view::board_pins(state, &call, id),
        Route::MediaRegister => media::register(state, &call),
        Route::MediaGet(id) => media::get(state, id),
        Route::UserAccount => Ok(axum::Json(view::user_account()).into_response()),
        Route::MediaUpload(_) => Err(PinError::not_found()),
    };
    (rate, result)
}

fn authenticate(inner: &Inner, headers: &HeaderMap) -> Result<(), PinError> {
    let token = bearer_token(headers);
    match token {
        Some(token)
            if token == seed::PINTEREST_ACCESS_TOKEN && inner.token == TokenState::Valid =>
        {
            Ok(())
        }
        _ => Err(PinError::auth_failed()),
    }
}

/// Pinterest's answer to an expired OAuth token (`crate::oauth` issues them): 401 code 2.
pub(crate) fn expired_token_answer() -> Response {
    PinError::auth_failed().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route(&Method::POST, "/v5/pins"), Some(Route::PinsCreate));
        assert_eq!(
            route(&Method::DELETE, "/v5/pins/123/"),
            Some(Route::PinsDelete("123".into()))
        );
        assert_eq!(
            route(&Method::GET, "/v5/boards/9/pins"),
            Some(Route::BoardsPins("9".into()))
        );
        assert_eq!(route(&Method::PUT, "/v5/pins"), None);
        assert_eq!(
            classify(&Method::POST, "/media-upload/77"),
            Some("media.upload".into())
        );
        assert_eq!(classify(&Method::GET, "/v5/foo"), Some("v5/foo".into()));
    }
}
