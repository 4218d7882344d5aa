//! YouTube Data API v3 emulation under `/youtube/...` (for
//! `https://www.googleapis.com`): resumable `videos.insert` uploads,
//! `videos.list`, `videos.delete`, `channels.list` and `search.list`
//! (`forMine`, the channel's own videos, paged).
//!
//! Bearer tokens only (`Authorization: Bearer …` or `access_token=`);
//! session URIs are capabilities and need no token, as on Google's upload
//! servers. Every error is Google's JSON envelope.

pub(crate) mod control;
mod error;
mod extras;
mod quota;
mod search;
mod session;
mod stats;
mod video;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};

use crate::SandboxState;
use crate::params::{parse_urlencoded, read_body};
use crate::request::{bearer_token, endpoint_name, last_value};
use crate::seed;
use crate::store::NetworkStore;
use error::GError;
pub(crate) use error::fault_error;
use quota::{Quota, YtConfig};
use session::Session;
use video::Video;

/// Largest request body accepted (one chunk or the whole file).
const MAX_BODY: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub(crate) struct Inner {
    pub config: YtConfig,
    pub quota: Quota,
    pub sessions: Vec<Session>,
    pub videos: Vec<Video>,
    /// `POST /_sandbox/youtube/token {"expired": true}`.
    pub token_expired: bool,
    /// Custom thumbnails set, by video id (bytes).
    pub thumbnails: std::collections::HashMap<String, usize>,
    /// (playlist id, video id) added by `playlistItems.insert`.
    pub playlist_items: Vec<(String, String)>,
}

/// The network's state (see [`NetworkStore`]).
pub(crate) type YoutubeState = NetworkStore<Inner>;

impl NetworkStore<Inner> {
    /// Every open upload session expires (next use answers 404).
    pub(crate) fn expire_sessions(&self) -> usize {
        let mut inner = self.lock();
        let open = inner
            .sessions
            .iter_mut()
            .filter(|s| !s.expired && s.video.is_none());
        let mut n = 0;
        for s in open {
            s.expired = true;
            n += 1;
        }
        n
    }

    /// The custom thumbnail size and the playlists of a video.
    pub(crate) fn extras(&self, video_id: &str) -> (Option<usize>, Vec<String>) {
        let inner = self.lock();
        let playlists = inner
            .playlist_items
            .iter()
            .filter(|(_, v)| v == video_id)
            .map(|(p, _)| p.clone())
            .collect();
        (inner.thumbnails.get(video_id).copied(), playlists)
    }
}

/// What a request addresses (after `/youtube`); the names double as fault
/// endpoint names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Insert,
    Upload,
    UploadStatus,
    VideosList,
    VideosDelete,
    ChannelsList,
    SearchList,
    ThumbnailsSet,
    PlaylistItemsInsert,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::Insert => "videos.insert",
            Route::Upload => "upload",
            Route::UploadStatus => "upload.status",
            Route::VideosList => "videos.list",
            Route::VideosDelete => "videos.delete",
            Route::ChannelsList => "channels.list",
            Route::SearchList => "search.list",
            Route::ThumbnailsSet => "thumbnails.set",
            Route::PlaylistItemsInsert => "playlistItems.insert",
        }
    }
}

fn route(method: &Method, path: &str, query: Option<&str>, headers: &HeaderMap) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let get = method == Method::GET || method == Method::HEAD;
    let has_session = query
        .map(parse_urlencoded)
        .is_some_and(|q| q.contains_key("upload_id"));
    match path {
        "/upload/youtube/v3/videos" if has_session => {
            (method == Method::PUT || method == Method::POST).then(|| {
                if session::is_probe(headers) {
                    Route::UploadStatus
                } else {
                    Route::Upload
                }
            })
        }
        "/upload/youtube/v3/videos" if method == Method::POST => Some(Route::Insert),
        "/youtube/v3/videos" if get => Some(Route::VideosList),
        "/youtube/v3/videos" if method == Method::DELETE => Some(Route::VideosDelete),
        "/youtube/v3/channels" if get => Some(Route::ChannelsList),
        "/youtube/v3/search" if get => Some(Route::SearchList),
        "/upload/youtube/v3/thumbnails/set" if method == Method::POST => Some(Route::ThumbnailsSet),
        "/youtube/v3/playlistItems" if method == Method::POST => Some(Route::PlaylistItemsInsert),
        _ => None,
    }
}

/// For the fault middleware: the endpoint name of a `/youtube/...` request
/// (the bare path for routes the emulator does not know).
pub(crate) fn classify(
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Option<String> {
    let rest = path
        .strip_prefix("/youtube")
        .filter(|r| r.starts_with('/'))?;
    Some(endpoint_name(
        route(method, rest, query, headers).map(|route| route.name()),
        rest,
    ))
}

/// One request, body read.
pub(crate) struct Call {
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, GError> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/youtube").unwrap_or_default();
    let query_raw = req.uri().query().map(str::to_owned);
    let route =
        route(&method, rest, query_raw.as_deref(), req.headers()).ok_or_else(GError::not_found)?;
    let query = query_raw
        .as_deref()
        .map(crate::x::oauth::form_pairs)
        .unwrap_or_default();
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| GError::too_large())?;
    let call = Call {
        query,
        headers,
        body,
    };
    let mut inner = state.inner.youtube.lock();
    match route {
        Route::Upload | Route::UploadStatus => {
            let id = call.query_value("upload_id").unwrap_or_default().to_owned();
            session::put(state, &mut inner, &call, &id)
        }
        _ => {
            authenticate(&inner, &call)?;
            match route {
                Route::Insert => session::initiate(&mut inner, &call),
                Route::VideosList => video::list(&inner, &call),
                Route::VideosDelete => video::delete(state, &mut inner, &call),
                Route::SearchList => search::list(&mut inner, &call),
                Route::ThumbnailsSet => extras::set_thumbnail(&mut inner, &call),
                Route::PlaylistItemsInsert => extras::insert_playlist_item(&mut inner, &call),
                _ => video::channels(&inner, &call),
            }
        }
    }
}

/// Bearer token from the header or the `access_token` parameter.
fn authenticate(inner: &Inner, call: &Call) -> Result<(), GError> {
    let token = bearer_token(&call.headers)
        .or_else(|| call.query_value("access_token").map(str::to_owned))
        .ok_or_else(GError::login_required)?;
    if token != seed::YOUTUBE_ACCESS_TOKEN || inner.token_expired {
        return Err(GError::auth_error());
    }
    Ok(())
}

/// Google's answer to an expired OAuth token (`crate::oauth` issues them): 401 UNAUTHENTICATED.
pub(crate) fn expired_token_answer() -> Response {
    GError::auth_error().into_response()
}
