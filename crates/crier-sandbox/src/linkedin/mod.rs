//! LinkedIn emulation under `/linkedin/...` (for `https://api.linkedin.com`):
//! the versioned Posts API (`/rest/posts`: create, get, find by author,
//! delete), the Images and Videos APIs (initializeUpload, byte uploads to
//! the handed-out `uploadUrl`, finalizeUpload, status reads), Social Actions
//! (`/rest/socialActions/{urn}`) and its successor Social Metadata
//! (`/rest/socialMetadata/{urn}`): reaction and comment counts, `/v2/userinfo`,
//! and the organisation picker's `/rest/organizationAcls` and
//! `/rest/organizations` (see `orgs`).
//!
//! Based on https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api,
//! …/shares/images-api, …/shares/videos-api,
//! …/community-management/shares/network-update-social-actions,
//! …/community-management/shares/social-metadata-api and
//! https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits;
//! error bodies from public client fixtures (see `error`).
//!
//! Every `/rest/` call needs the seeded bearer token
//! ([`crate::seed::LINKEDIN_ACCESS_TOKEN`]), an active `LinkedIn-Version:
//! YYYYMM` and `X-Restli-Protocol-Version: 2.0.0`. Posts may be authored by
//! [`crate::seed::LINKEDIN_PERSON_URN`] or [`crate::seed::LINKEDIN_ORG_URN`]
//! only. No answer carries rate-limit headers, as on LinkedIn.

mod config;
pub(crate) mod control;
mod error;
mod media;
mod orgs;
mod posts;
mod stats;

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::SandboxState;
use crate::control_kit::TokenState;
use crate::params::{parse_pairs, percent_decode, read_body};
use crate::request::{bearer_token, host_or_localhost, last_value};
use crate::seed;
use crate::store::NetworkStore;
use crate::windows::DayCounter;
use config::LiConfig;
use error::LiError;
pub(crate) use error::fault_error;
use media::{Image, Video};
use posts::Post;

/// Largest request body accepted (one video part or one image).
const MAX_BODY: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub(crate) struct Inner {
    pub config: LiConfig,
    pub token: TokenState,
    /// The next this many `/rest/` calls answer 429.
    pub throttle_left: u32,
    pub day: DayCounter,
    pub posts: Vec<Post>,
    pub images: Vec<Image>,
    pub videos: Vec<Video>,
    /// Post URN → (likes, comments), set through the control API.
    pub social: HashMap<String, (u64, u64)>,
}

/// The network's state; its sequence feeds ids and survives `reset`, so URNs never repeat.
pub(crate) type LinkedinState = NetworkStore<Inner>;

/// What a request addresses (after `/linkedin`); the names double as fault
/// endpoint names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    PostsCreate,
    PostsList,
    PostsGet(String),
    PostsDelete(String),
    ImagesInit,
    ImagesGet(String),
    VideosInit,
    VideosFinalize,
    VideosGet(String),
    SocialActions(String),
    SocialMetadata(String),
    /// `PUT /dms-uploads/image/{id}`.
    ImageUpload(u64),
    /// `PUT /dms-uploads/video/{id}/{part}`.
    VideoUpload(u64, usize),
    /// `PUT /dms-uploads/thumbnail/{id}` (stored nowhere).
    ThumbnailUpload,
    UserInfo,
    /// `GET /rest/organizationAcls` (see `orgs`).
    OrgAcls,
    /// `GET /rest/organizations?ids=List(…)`.
    OrgBatch,
    OrgGet(String),
    /// `GET /rest/organizationalEntityShareStatistics` (see `stats`).
    ShareStats,
}

impl Route {
    fn name(&self) -> &'static str {
        match self {
            Route::PostsCreate => "posts.create",
            Route::PostsList => "posts.list",
            Route::PostsGet(_) => "posts.get",
            Route::PostsDelete(_) => "posts.delete",
            Route::ImagesInit => "images.initializeUpload",
            Route::ImagesGet(_) => "images.get",
            Route::VideosInit => "videos.initializeUpload",
            Route::VideosFinalize => "videos.finalizeUpload",
            Route::VideosGet(_) => "videos.get",
            Route::SocialActions(_) => "socialActions.get",
            Route::SocialMetadata(_) => "socialMetadata.get",
            Route::ImageUpload(_) => "images.upload",
            Route::VideoUpload(..) | Route::ThumbnailUpload => "videos.upload",
            Route::UserInfo => "userinfo",
            Route::OrgAcls => "organizationAcls.roleAssignee",
            Route::OrgBatch => "organizations.batchGet",
            Route::OrgGet(_) => "organizations.get",
            Route::ShareStats => "organizationalEntityShareStatistics.q",
        }
    }

    /// Calls on `/rest/`: versioned, throttled.
    fn is_rest(&self) -> bool {
        !matches!(
            self,
            Route::ImageUpload(_)
                | Route::VideoUpload(..)
                | Route::ThumbnailUpload
                | Route::UserInfo
        )
    }
}

fn route(method: &Method, path: &str, query: Option<&str>) -> Option<Route> {
    let path = path.trim_end_matches('/');
    let get = method == Method::GET || method == Method::HEAD;
    let action = query
        .map(parse_pairs)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v);
    let urn = |rest: &str| percent_decode(rest, false);
    if let Some(rest) = path.strip_prefix("/dms-uploads/") {
        if method != Method::PUT && method != Method::POST {
            return None;
        }
        let parts: Vec<&str> = rest.split('/').collect();
        return match parts.as_slice() {
            ["image", id] => id.parse().ok().map(Route::ImageUpload),
            ["video", id, part] => Some(Route::VideoUpload(id.parse().ok()?, part.parse().ok()?)),
            ["thumbnail", _] | ["captions", _] => Some(Route::ThumbnailUpload),
            _ => None,
        };
    }
    match path {
        "/v2/userinfo" if get => return Some(Route::UserInfo),
        "/rest/organizationAcls" if get => return Some(Route::OrgAcls),
        "/rest/organizations" if get => return Some(Route::OrgBatch),
        "/rest/organizationalEntityShareStatistics" if get => return Some(Route::ShareStats),
        "/rest/posts" if method == Method::POST => return Some(Route::PostsCreate),
        "/rest/posts" if get => return Some(Route::PostsList),
        "/rest/images"
            if method == Method::POST && action.as_deref() == Some("initializeUpload") =>
        {
            return Some(Route::ImagesInit);
        }
        "/rest/videos" if method == Method::POST => {
            return match action.as_deref() {
                Some("initializeUpload") => Some(Route::VideosInit),
                Some("finalizeUpload") => Some(Route::VideosFinalize),
                _ => None,
            };
        }
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("/rest/posts/").filter(|r| !r.is_empty()) {
        return match *method {
            Method::GET | Method::HEAD => Some(Route::PostsGet(urn(rest))),
            Method::DELETE => Some(Route::PostsDelete(urn(rest))),
            _ => None,
        };
    }
    let single = |prefix: &str| {
        path.strip_prefix(prefix)
            .filter(|r| !r.is_empty() && get)
            .map(urn)
    };
    if let Some(u) = single("/rest/images/") {
        return Some(Route::ImagesGet(u));
    }
    if let Some(u) = single("/rest/videos/") {
        return Some(Route::VideosGet(u));
    }
    if let Some(u) = single("/rest/organizations/") {
        return Some(Route::OrgGet(u));
    }
    if let Some(u) = single("/rest/socialMetadata/") {
        return Some(Route::SocialMetadata(u));
    }
    single("/rest/socialActions/").map(Route::SocialActions)
}

/// For the fault middleware: the endpoint name of a request (`path` is the
/// part after `/linkedin`; the bare path for routes the emulator does not know).
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    // The middleware hands over the path without its query, and the action
    // lives in the query: name both action routes by their resource then.
    Some(match route(method, path, None) {
        Some(route) => route.name().to_owned(),
        None => match path.trim_end_matches('/') {
            "/rest/images" if method == Method::POST => "images.initializeUpload".to_owned(),
            "/rest/videos" if method == Method::POST => "videos.action".to_owned(),
            other => other.trim_matches('/').to_owned(),
        },
    })
}

/// One request, body read.
pub(crate) struct Call {
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    /// `http://<host>/linkedin` as the client reached it, for upload URLs.
    pub base: String,
    /// The `LinkedIn-Version` sent (empty off `/rest/`).
    pub version: String,
}

impl Call {
    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        last_value(&self.query, key)
    }

    /// The body as a JSON object (Rest.li answers 400 to anything else).
    pub(crate) fn json_object(&self) -> Result<Map<String, Value>, LiError> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(LiError::bad_request(
                "Request body is not a valid JSON object",
            )),
        }
    }
}

fn authenticate(inner: &Inner, headers: &HeaderMap) -> Result<(), LiError> {
    if bearer_token(headers).as_deref() != Some(seed::LINKEDIN_ACCESS_TOKEN) {
        return Err(LiError::invalid_token());
    }
    match inner.token {
        TokenState::Valid => Ok(()),
        TokenState::Expired => Err(LiError::expired_token()),
        TokenState::Revoked => Err(LiError::revoked_token()),
    }
}

/// The versioning headers every `/rest/` call needs; returns the version.
fn check_versioning(inner: &Inner, headers: &HeaderMap) -> Result<String, LiError> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let version = header("linkedin-version").ok_or_else(LiError::version_missing)?;
    if !inner.config.version_active(&version) {
        return Err(LiError::version_inactive(&version));
    }
    if header("x-restli-protocol-version").as_deref() != Some("2.0.0") {
        return Err(LiError::protocol_missing());
    }
    Ok(version)
}

/// Whether the token may act as `urn` (the member or their company page).
pub(crate) fn may_act_as(urn: &str) -> bool {
    urn == seed::LINKEDIN_PERSON_URN || urn == seed::LINKEDIN_ORG_URN
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, LiError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/linkedin").unwrap_or_default();
    let raw_query = req.uri().query().map(str::to_owned);
    let route = route(req.method(), rest, raw_query.as_deref())
        .ok_or_else(|| LiError::not_found(&format!("Resource {rest}")))?;
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY).await.map_err(|()| {
        LiError::service(413, None, "REQUEST_TOO_LARGE", "Request entity too large")
    })?;
    let host = host_or_localhost(&headers);
    let mut call = Call {
        query: raw_query.as_deref().map(parse_pairs).unwrap_or_default(),
        body,
        base: format!("http://{host}/linkedin"),
        version: String::new(),
    };
    let ls = &state.inner.linkedin;
    let mut inner = ls.lock();
    match &route {
        // Video part URLs are pre-signed: no token needed.
        Route::VideoUpload(id, part) => {
            return media::upload_video_part(&mut inner, &call, *id, *part);
        }
        Route::ThumbnailUpload => return Ok(axum::http::StatusCode::CREATED.into_response()),
        _ => authenticate(&inner, &headers)?,
    }
    if route.is_rest() {
        call.version = check_versioning(&inner, &headers)?;
        if inner.throttle_left > 0 {
            inner.throttle_left -= 1;
            return Err(LiError::throttled());
        }
    }
    match route {
        Route::UserInfo => Ok(posts::userinfo()),
        Route::OrgAcls => Ok(axum::Json(orgs::acls(&call)?).into_response()),
        Route::OrgBatch => Ok(axum::Json(orgs::batch_get(&call)?).into_response()),
        Route::OrgGet(id) => Ok(axum::Json(orgs::get(&call, &id)?).into_response()),
        Route::PostsCreate => posts::create(state, &mut inner, &call),
        Route::PostsList => posts::list(&inner, &call),
        Route::PostsGet(urn) => posts::get(&inner, &urn),
        Route::PostsDelete(urn) => posts::delete(state, &mut inner, &urn),
        Route::SocialActions(urn) => posts::social_actions(&inner, &urn),
        Route::SocialMetadata(urn) => posts::social_metadata(&inner, &urn),
        Route::ShareStats => stats::share_statistics(&inner, &call),
        Route::ImagesInit => media::init_image(ls, &mut inner, &call),
        Route::ImageUpload(id) => media::upload_image(&mut inner, &call, id),
        Route::ImagesGet(urn) => media::get_image(&mut inner, &urn),
        Route::VideosInit => media::init_video(ls, &mut inner, &call),
        Route::VideosFinalize => media::finalize_video(&mut inner, &call),
        Route::VideosGet(urn) => media::get_video(&mut inner, &urn),
        Route::VideoUpload(..) | Route::ThumbnailUpload => unreachable!("answered above"),
    }
}

/// LinkedIn's answer to an expired OAuth token (`crate::oauth` issues them): 401 65602.
pub(crate) fn expired_token_answer() -> Response {
    LiError::expired_token().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route(&Method::POST, "/rest/posts", None),
            Some(Route::PostsCreate)
        );
        assert_eq!(
            route(&Method::GET, "/rest/posts/urn%3Ali%3Ashare%3A7", None),
            Some(Route::PostsGet("urn:li:share:7".into()))
        );
        assert_eq!(
            route(
                &Method::POST,
                "/rest/images",
                Some("action=initializeUpload")
            ),
            Some(Route::ImagesInit)
        );
        assert_eq!(
            route(&Method::POST, "/rest/images", Some("action=other")),
            None
        );
        assert_eq!(
            route(&Method::PUT, "/dms-uploads/video/12/3", None),
            Some(Route::VideoUpload(12, 3))
        );
        assert_eq!(route(&Method::PUT, "/dms-uploads/video/x/3", None), None);
        assert_eq!(
            classify(&Method::DELETE, "/rest/posts/urn:li:share:1"),
            Some("posts.delete".into())
        );
        assert_eq!(
            classify(&Method::POST, "/rest/images"),
            Some("images.initializeUpload".into())
        );
        assert_eq!(
            classify(&Method::GET, "/rest/other"),
            Some("rest/other".into())
        );
    }
}
