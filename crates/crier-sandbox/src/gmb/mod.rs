//! Google Business Profile emulation under `/gmb/...` (for
//! `https://mybusiness.googleapis.com`): My Business v4 local posts
//! (`accounts.locations.localPosts` create, get, list, patch, delete), the
//! location's photo section (`accounts.locations.media` create, delete; see
//! `media`) and
//! location metrics from the Performance API
//! (`locations:fetchMultiDailyMetricsTimeSeries`, real host
//! `businessprofileperformance.googleapis.com`).
//!
//! Based on https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
//! (and its create/get/list/patch/delete pages), the shared `ErrorDetail` /
//! `ErrorCode` / `ValidationError` types, and the Business Profile help on
//! photos (JPG/PNG, 10 KB–5 MB). Observed rather than documented: summary
//! ≤ 1500 and event title ≤ 58 characters, `CALL` without `url`. Video media
//! is taken (Google documents VIDEO as a post media format); the 500
//! `INTERNAL` a third-party probe reported is opt-in (`videoInternalError`).
//! Google documents no duplicate-content rule for posts, so none is emulated.
//!
//! Bearer token only ([`crate::seed::GMB_ACCESS_TOKEN`]); the one location is
//! `accounts/{GMB_ACCOUNT_ID}/locations/{GMB_LOCATION_ID}`, any other is 403.
//! Photo `sourceUrl`s are really downloaded (loopback only, see `fetch`).

mod config;
pub(crate) mod control;
mod error;
mod fetch;
mod listing;
mod media;
mod metrics;
mod patch;
mod posts;
mod validate;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::control_kit::TokenState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::FetchFailure;
use crate::params::{parse_pairs, read_body};
use crate::request::{bearer_token, endpoint_name};
use crate::seed;
use crate::store::NetworkStore;
use crate::windows::FixedWindow;
use config::GmbConfig;
pub(crate) use error::fault_error;
use error::{Detail, ErrorCode, GmbError};
use posts::Post;
use validate::MediaItem;

/// LocalPost bodies are small.
const MAX_BODY: usize = 1024 * 1024;

pub(crate) struct Inner {
    pub config: GmbConfig,
    pub token: TokenState,
    /// `false` after `POST /_sandbox/gmb/location {"verified":false}`.
    pub verified: bool,
    /// Posts in creation order (deleted ones kept, flagged).
    pub posts: Vec<Post>,
    /// Photo-section media items in creation order (deleted ones kept, flagged).
    pub photos: Vec<media::Photo>,
    window: FixedWindow,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            config: GmbConfig::default(),
            token: TokenState::Valid,
            verified: true,
            posts: Vec::new(),
            photos: Vec::new(),
            window: FixedWindow::default(),
        }
    }
}

/// The network's state; its sequence feeds post ids and survives `reset`, so ids never repeat.
pub(crate) type GmbState = NetworkStore<Inner>;

impl NetworkStore<Inner> {
    /// A 19-digit numeric id, like Google's local post ids.
    fn next_id(&self) -> String {
        format!("{}", 7_100_000_000_000_000_000u64 + self.next_seq())
    }
}

/// What a request addresses (after `/gmb`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    Create(String, String),
    List(String, String),
    Get(String, String, String),
    Patch(String, String, String),
    Delete(String, String, String),
    MediaCreate(String, String),
    MediaDelete(String, String, String),
    Metrics(String),
}

impl Route {
    /// Fault endpoint name.
    fn name(&self) -> &'static str {
        match self {
            Route::Create(..) => "localPosts.create",
            Route::List(..) => "localPosts.list",
            Route::Get(..) => "localPosts.get",
            Route::Patch(..) => "localPosts.patch",
            Route::Delete(..) => "localPosts.delete",
            Route::MediaCreate(..) => "media.create",
            Route::MediaDelete(..) => "media.delete",
            Route::Metrics(_) => "locations.fetchMultiDailyMetricsTimeSeries",
        }
    }

    /// The RPC name Google puts in `ErrorInfo.metadata.method`.
    fn rpc(&self) -> &'static str {
        match self {
            Route::Create(..) => "google.mybusiness.v4.LocalPosts.CreateLocalPost",
            Route::List(..) => "google.mybusiness.v4.LocalPosts.ListLocalPosts",
            Route::Get(..) => "google.mybusiness.v4.LocalPosts.GetLocalPost",
            Route::Patch(..) => "google.mybusiness.v4.LocalPosts.UpdateLocalPost",
            Route::Delete(..) => "google.mybusiness.v4.LocalPosts.DeleteLocalPost",
            Route::MediaCreate(..) => "google.mybusiness.v4.Media.CreateMediaItem",
            Route::MediaDelete(..) => "google.mybusiness.v4.Media.DeleteMediaItem",
            Route::Metrics(_) => {
                "google.businessprofileperformance.v1.Performance.FetchMultiDailyMetricsTimeSeries"
            }
        }
    }

    /// `(account, location)`; the account is `None` for the v1 metrics path.
    fn location(&self) -> (Option<&str>, &str) {
        match self {
            Route::Create(a, l) | Route::List(a, l) | Route::MediaCreate(a, l) => (Some(a), l),
            Route::Get(a, l, _) | Route::Patch(a, l, _) | Route::Delete(a, l, _) => (Some(a), l),
            Route::MediaDelete(a, l, _) => (Some(a), l),
            Route::Metrics(l) => (None, l),
        }
    }
}

fn route(method: &Method, path: &str) -> Option<Route> {
    let path = path.trim_end_matches('/');
    if let Some(rest) = path.strip_prefix("/v1/locations/") {
        let location = rest.strip_suffix(":fetchMultiDailyMetricsTimeSeries")?;
        return (method == Method::GET && !location.contains('/'))
            .then(|| Route::Metrics(location.to_owned()));
    }
    let rest = path.strip_prefix("/v4/accounts/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    match segments[..] {
        [a, "locations", l, "localPosts"] => {
            let (a, l) = (a.to_owned(), l.to_owned());
            match *method {
                Method::POST => Some(Route::Create(a, l)),
                Method::GET => Some(Route::List(a, l)),
                _ => None,
            }
        }
        [a, "locations", l, "localPosts", p] if !p.is_empty() => {
            let (a, l, p) = (a.to_owned(), l.to_owned(), p.to_owned());
            match *method {
                Method::GET => Some(Route::Get(a, l, p)),
                Method::PATCH => Some(Route::Patch(a, l, p)),
                Method::DELETE => Some(Route::Delete(a, l, p)),
                _ => None,
            }
        }
        [a, "locations", l, "media"] if *method == Method::POST => {
            Some(Route::MediaCreate(a.to_owned(), l.to_owned()))
        }
        [a, "locations", l, "media", m] if *method == Method::DELETE && !m.is_empty() => {
            Some(Route::MediaDelete(a.to_owned(), l.to_owned(), m.to_owned()))
        }
        _ => None,
    }
}

/// The fault endpoint name of a request under `/gmb/` (`path` is the part
/// after `/gmb`); the bare path for routes the emulator does not know.
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    let known = listing::route(method, path)
        .map(|l| l.name())
        .or_else(|| route(method, path).map(|route| route.name()));
    Some(endpoint_name(known, path))
}

/// Auth, quota, location access and verification, in Google's order.
fn gate(inner: &mut Inner, headers: &HeaderMap, route: &Route) -> Result<(), GmbError> {
    authorize(inner, headers, route.rpc())?;
    let (account, location) = route.location();
    if account.is_some_and(|a| a != seed::GMB_ACCOUNT_ID) || location != seed::GMB_LOCATION_ID {
        return Err(GmbError::permission_denied());
    }
    if !inner.verified
        && matches!(
            route,
            Route::Create(..) | Route::Patch(..) | Route::MediaCreate(..)
        )
    {
        return Err(GmbError::unverified_location());
    }
    Ok(())
}

/// Token and quota, for every route (`rpc` names the method in errors).
fn authorize(inner: &mut Inner, headers: &HeaderMap, rpc: &str) -> Result<(), GmbError> {
    let token = bearer_token(headers).ok_or_else(|| GmbError::credentials_missing(rpc))?;
    if token != seed::GMB_ACCESS_TOKEN {
        return Err(GmbError::invalid_token());
    }
    match inner.token {
        TokenState::Valid => {}
        TokenState::Expired => return Err(GmbError::token_expired(rpc)),
        TokenState::Revoked => return Err(GmbError::invalid_token()),
    }
    let retry = inner.config.retry_after_secs;
    if inner.config.rate_limited {
        return Err(GmbError::rate_limited(retry));
    }
    let limit = inner.config.requests_per_minute;
    if limit > 0 && !inner.window.take(limit, 60, chrono::Utc::now().timestamp()) {
        return Err(GmbError::rate_limited(retry));
    }
    Ok(())
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, GmbError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/gmb").unwrap_or_default();
    if let Some(listing) = listing::route(req.method(), rest) {
        let query = req.uri().query().map(parse_pairs).unwrap_or_default();
        let mut inner = state.inner.gmb.lock();
        authorize(&mut inner, req.headers(), listing.rpc())?;
        return Ok(axum::Json(listing::serve(&inner, &listing, &query)?).into_response());
    }
    let route = route(req.method(), rest).ok_or_else(GmbError::not_found)?;
    let query = req.uri().query().map(parse_pairs).unwrap_or_default();
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| GmbError::invalid_argument("Request payload size exceeds the limit."))?;
    let gs = &state.inner.gmb;
    gate(&mut gs.lock(), &headers, &route)?;
    let query_value = |key: &str| {
        query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let answer = match &route {
        Route::Create(..) => create(state, &body).await?,
        Route::List(..) => {
            let mut inner = gs.lock();
            posts::list(
                &mut inner.posts,
                query_value("pageSize").or(query_value("page_size")),
                query_value("pageToken").or(query_value("page_token")),
            )?
        }
        Route::Get(_, _, id) => {
            let mut inner = gs.lock();
            let post = find(&mut inner.posts, id)?;
            post.observe();
            post.json()
        }
        Route::Patch(_, _, id) => {
            let mask = query_value("updateMask")
                .or(query_value("update_mask"))
                .unwrap_or_default()
                .to_owned();
            patch::patch(state, id, &mask, &body).await?
        }
        Route::Delete(_, _, id) => {
            let mut inner = gs.lock();
            let post = find(&mut inner.posts, id)?;
            post.deleted = true;
            state.inner.ledger.mark_deleted(post.ledger_seq);
            json!({})
        }
        Route::MediaCreate(..) => create_media(state, &body).await?,
        Route::MediaDelete(_, _, id) => {
            let mut inner = gs.lock();
            let photo = inner
                .photos
                .iter_mut()
                .find(|p| p.id == *id && !p.deleted)
                .ok_or_else(GmbError::not_found)?;
            photo.deleted = true;
            state.inner.ledger.mark_deleted(photo.ledger_seq);
            json!({})
        }
        Route::Metrics(_) => metrics::fetch(&gs.lock().posts, &query)?,
    };
    Ok(axum::Json(answer).into_response())
}

fn find<'a>(posts: &'a mut [Post], id: &str) -> Result<&'a mut Post, GmbError> {
    posts
        .iter_mut()
        .find(|p| p.id == id && !p.deleted)
        .ok_or_else(GmbError::not_found)
}

fn parse_object(body: &Bytes) -> Result<Map<String, Value>, GmbError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GmbError::invalid_argument(
            "Invalid JSON payload received. Expected an object.",
        )),
    }
}

/// Downloads and checks every photo: JPG/PNG within the configured size bounds. Videos are taken
/// as they are (Google fetches them later), or answer 500 when `videoInternalError` is set.
async fn check_media(state: &SandboxState, items: &[MediaItem]) -> Result<(), GmbError> {
    let (min, max, video_fails) = {
        let inner = state.inner.gmb.lock();
        (
            inner.config.min_photo_bytes,
            inner.config.max_photo_bytes,
            inner.config.video_internal_error,
        )
    };
    let mut details = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.format == "VIDEO" {
            if video_fails {
                return Err(GmbError::internal());
            }
            continue;
        }
        let upload_failed = |why: String| {
            Detail::new(
                ErrorCode::PhotoUploadFailed,
                "media.source_url",
                format!("Upload photo from the specified URL failed. {why}"),
            )
            .value(item.source_url.clone())
            .index(i)
        };
        match fetch::fetch(&item.source_url, max).await {
            Err(FetchFailure::TooLarge) => details.push(upload_failed(format!(
                "The photo is larger than {max} bytes."
            ))),
            Err(_) => details.push(
                Detail::new(
                    ErrorCode::PhotoFetchFailed,
                    "media.source_url",
                    "Fetching image failed.",
                )
                .value(item.source_url.clone())
                .index(i),
            ),
            Ok(fetched) if !fetch::accepted(fetched.format) => {
                details.push(upload_failed(format!(
                    "Unsupported photo format {}; use JPG or PNG.",
                    fetch::label(fetched.format)
                )))
            }
            Ok(fetched) if fetched.size < min => details.push(upload_failed(format!(
                "The photo is smaller than {min} bytes."
            ))),
            Ok(_) => {}
        }
    }
    if details.is_empty() {
        Ok(())
    } else {
        Err(GmbError::validation(details))
    }
}

async fn create(state: &SandboxState, body: &Bytes) -> Result<Value, GmbError> {
    let fields = validate::writable(&parse_object(body)?);
    let media = validate::check_post(&fields)?;
    check_media(state, &media).await?;
    let gs = &state.inner.gmb;
    let mut inner = gs.lock();
    let mut post = Post::new(gs.next_id(), fields, &inner.config);
    let title = post
        .fields
        .get("event")
        .and_then(|e| e.get("title"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    post.ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "gmb".into(),
        account: seed::GMB_LOCATION_ID.into(),
        native_id: post.name(),
        text: post.summary(),
        media: post.media_urls(),
        title,
        at_ms: now_ms(),
        deleted: false,
    });
    let answer = post.json();
    inner.posts.push(post);
    Ok(answer)
}

/// `media.create`: a photo or video for the location's photo section. The ledger's text is the
/// item's description (empty without one).
async fn create_media(state: &SandboxState, body: &Bytes) -> Result<Value, GmbError> {
    let gs = &state.inner.gmb;
    let (item, mut photo) = media::check(&parse_object(body)?, gs.next_id())?;
    check_media(state, std::slice::from_ref(&item)).await?;
    photo.ledger_seq = state.inner.ledger.push(LedgerEntry {
        network: "gmb".into(),
        account: seed::GMB_LOCATION_ID.into(),
        native_id: photo.name(),
        text: photo.description.clone().unwrap_or_default(),
        media: vec![photo.source_url.clone()],
        title: None,
        at_ms: now_ms(),
        deleted: false,
    });
    let answer = photo.json();
    gs.lock().photos.push(photo);
    Ok(answer)
}

/// Google's answer to an expired OAuth token (`crate::oauth` issues them), `path` after `/gmb`.
pub(crate) fn expired_token_answer(method: &Method, path: &str) -> Response {
    let rpc = listing::route(method, path)
        .map(|l| l.rpc())
        .or_else(|| route(method, path).map(|r| r.rpc()));
    GmbError::token_expired(rpc.unwrap_or_default()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let base = "/v4/accounts/1/locations/2/localPosts";
        assert_eq!(
            route(&Method::POST, base),
            Some(Route::Create("1".into(), "2".into()))
        );
        assert_eq!(
            route(&Method::DELETE, &format!("{base}/9")),
            Some(Route::Delete("1".into(), "2".into(), "9".into()))
        );
        assert_eq!(route(&Method::PUT, base), None);
        assert_eq!(
            classify(
                &Method::GET,
                "/v1/locations/2:fetchMultiDailyMetricsTimeSeries"
            ),
            Some("locations.fetchMultiDailyMetricsTimeSeries".into())
        );
        assert_eq!(
            classify(&Method::GET, "/v4/accounts"),
            Some("v4/accounts".into())
        );
        assert_eq!(
            patch::snake_to_camel("call_to_action.url"),
            "callToAction.url"
        );
    }
}
