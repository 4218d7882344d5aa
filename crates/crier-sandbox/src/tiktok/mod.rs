//! TikTok Content Posting API emulation under `/tiktok/...` (for
//! `https://open.tiktokapis.com`): `creator_info/query`, Direct Post video
//! init (FILE_UPLOAD with chunked `PUT`s to the handed-out `upload_url`, or
//! PULL_FROM_URL), inbox video init, photo `content/init`, `status/fetch`,
//! and the Display API reads `video/list`, `video/query` and `user/info`.
//!
//! Based on https://developers.tiktok.com/doc/content-posting-api-reference-direct-post,
//! …/content-posting-api-media-transfer-guide,
//! …/content-posting-api-reference-photo-post,
//! …/content-posting-api-reference-get-video-status and
//! …/tiktok-api-v2-error-handling.
//!
//! Bearer token [`crate::seed::TIKTOK_ACCESS_TOKEN`] only; upload URLs are
//! pre-signed and need none. Every answer, failures included, is TikTok's
//! `{"data","error":{"code","message","log_id"}}` envelope. A post enters
//! the ledger when its status fetch first answers `PUBLISH_COMPLETE`.

mod config;
pub(crate) mod control;
mod error;
mod photo;
mod publish;
mod pull;
mod reads;
mod status;
mod upload;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::SandboxState;
use crate::params::{parse_pairs, read_body};
use crate::request::{bearer_token, endpoint_name, host_or_localhost, last_value};
use crate::seed;
use crate::store::NetworkStore;
use crate::windows::DayCounter;
use config::{Account, MinuteWindow, TtConfig};
use error::TtError;
pub(crate) use error::fault_error;
pub(crate) use error::log_id;
use publish::Publish;
use reads::Posted;

/// Largest request body accepted (one upload chunk).
const MAX_BODY: usize = 64 * 1024 * 1024;

pub(crate) struct Inner {
    pub config: TtConfig,
    pub account: Account,
    pub init_window: MinuteWindow,
    pub status_window: MinuteWindow,
    pub day: DayCounter,
    pub publishes: Vec<Publish>,
    /// Published posts, oldest first.
    pub posted: Vec<Posted>,
    /// Post id → (views, likes, comments, shares), set through the control API.
    pub stats: HashMap<String, [u64; 4]>,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            config: TtConfig::default(),
            account: Account::new(),
            init_window: MinuteWindow::default(),
            status_window: MinuteWindow::default(),
            day: DayCounter::default(),
            publishes: Vec::new(),
            posted: Vec::new(),
            stats: HashMap::new(),
        }
    }
}

/// The network's state; its sequence feeds ids and survives `reset`, so ids never repeat.
pub(crate) type TiktokState = NetworkStore<Inner>;

/// What a request addresses (after `/tiktok`); the names double as fault
/// endpoint names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    CreatorInfo,
    VideoInit,
    InboxVideoInit,
    ContentInit,
    StatusFetch,
    Upload,
    VideoList,
    VideoQuery,
    UserInfo,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::CreatorInfo => "creator_info.query",
            Route::VideoInit => "video.init",
            Route::InboxVideoInit => "inbox.video.init",
            Route::ContentInit => "content.init",
            Route::StatusFetch => "status.fetch",
            Route::Upload => "upload",
            Route::VideoList => "video.list",
            Route::VideoQuery => "video.query",
            Route::UserInfo => "user.info",
        }
    }
}

fn route(method: &Method, path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let post = method == Method::POST;
    Some(match path {
        "/v2/post/publish/creator_info/query" if post => Route::CreatorInfo,
        "/v2/post/publish/video/init" if post => Route::VideoInit,
        "/v2/post/publish/inbox/video/init" if post => Route::InboxVideoInit,
        "/v2/post/publish/content/init" if post => Route::ContentInit,
        "/v2/post/publish/status/fetch" if post => Route::StatusFetch,
        "/upload/video" if method == Method::PUT => Route::Upload,
        "/v2/video/list" if post => Route::VideoList,
        "/v2/video/query" if post => Route::VideoQuery,
        "/v2/user/info" if method == Method::GET => Route::UserInfo,
        _ => return None,
    })
}

/// For the fault middleware: the endpoint name of a request (`path` is the
/// part after `/tiktok`; the bare path for routes the emulator does not know).
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
    /// The `Host` the client reached the sandbox by.
    pub host: String,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }

    /// The JSON object body (an empty body counts as `{}`).
    pub(crate) fn json_object(&self) -> Result<Map<String, Value>, TtError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Map::new());
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(TtError::invalid_params(
                "The request body is not a valid JSON object.",
            )),
        }
    }

    /// `?fields=a,b` of the Display API reads.
    pub(crate) fn fields(&self) -> Result<Vec<String>, TtError> {
        let fields: Vec<String> = self
            .query_value("fields")
            .unwrap_or_default()
            .split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect();
        if fields.is_empty() {
            return Err(TtError::invalid_params("The fields parameter is required."));
        }
        Ok(fields)
    }
}

fn authenticate(inner: &Inner, headers: &HeaderMap, scope: &str) -> Result<(), TtError> {
    let token = bearer_token(headers);
    if token.as_deref() != Some(seed::TIKTOK_ACCESS_TOKEN) || !inner.account.token_valid {
        return Err(TtError::token_invalid());
    }
    if !inner.config.has_scope(scope) {
        return Err(TtError::scope_not_authorized(scope));
    }
    Ok(())
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, TtError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/tiktok").unwrap_or_default();
    let route = route(req.method(), rest)
        .ok_or_else(|| TtError::new(404, "not_found", format!("No API at {rest}.")))?;
    let query = req.uri().query().map(parse_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| TtError::invalid_file_upload("The request body is too large."))?;
    let host = host_or_localhost(&headers).to_owned();
    let call = Call {
        query,
        headers,
        body,
        host,
    };
    let ts = &state.inner.tiktok;
    if route == Route::Upload {
        return upload::put(&mut ts.lock(), &call);
    }
    let scope = match route {
        Route::CreatorInfo | Route::VideoInit | Route::ContentInit => "video.publish",
        Route::InboxVideoInit | Route::StatusFetch => "video.upload",
        Route::VideoList | Route::VideoQuery => "video.list",
        Route::UserInfo | Route::Upload => "user.info.basic",
    };
    authenticate(&ts.lock(), &call.headers, scope)?;
    match route {
        Route::CreatorInfo => Ok(publish::creator_info(&ts.lock())),
        Route::VideoInit => publish::video_init(state, &call, false).await,
        Route::InboxVideoInit => publish::video_init(state, &call, true).await,
        Route::ContentInit => photo::content_init(state, &call).await,
        Route::StatusFetch => status::fetch(state, &call),
        Route::VideoList => reads::list(&ts.lock(), &call),
        Route::VideoQuery => reads::query(&ts.lock(), &call),
        Route::UserInfo => reads::user_info(&ts.lock(), &call),
        Route::Upload => unreachable!("answered above"),
    }
}

/// TikTok's answer to an expired OAuth token (`crate::oauth` issues them): `access_token_invalid`.
pub(crate) fn expired_token_answer() -> Response {
    TtError::token_invalid().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route(&Method::POST, "/v2/post/publish/video/init/"),
            Some(Route::VideoInit)
        );
        assert_eq!(route(&Method::GET, "/v2/post/publish/video/init/"), None);
        assert_eq!(route(&Method::PUT, "/upload/video/"), Some(Route::Upload));
        assert_eq!(
            classify(&Method::POST, "/v2/post/publish/status/fetch/"),
            Some("status.fetch".into())
        );
        assert_eq!(
            classify(&Method::POST, "/v2/other/"),
            Some("v2/other".into())
        );
    }
}
