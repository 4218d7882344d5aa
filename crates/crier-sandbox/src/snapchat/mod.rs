//! Snapchat emulation under `/snapchat/...` (for
//! `https://businessapi.snapchat.com`): the Public Profile API's encrypted
//! media upload (Create Media, `action=ADD` parts, `action=FINALIZE`) and
//! posting a Story, a Saved Story or a Spotlight, with list/get/delete reads.
//!
//! Based on https://developers.snap.com/api/marketing-api/Public-Profile-API/Introduction
//! and .../ProfileAssetManagement (AES-256-CBC encrypted media, parts of at
//! most 32 MB, media valid 24 h), and on the request/response fields public
//! clients of the API use. Snap's reference pages were not fully readable;
//! choices made where they are silent are marked "chosen" here and in
//! `readme/snapchat.md` (the answer envelopes, upload paths, error codes,
//! deletes and lists).
//!
//! Bearer token only ([`crate::seed::SNAPCHAT_ACCESS_TOKEN`]); the one
//! Public Profile is [`crate::seed::SNAPCHAT_PROFILE_ID`], any other is 403.

pub(crate) mod control;
mod error;
mod media;
mod posts;
mod profiles;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::control_kit::TokenState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::params::{parse_pairs, parse_urlencoded, read_body};
use crate::request::{bearer_token, endpoint_name};
use crate::seed;
use crate::store::NetworkStore;
pub(crate) use error::fault_error;
use error::{SnapError, request_id};
use media::Media;
use posts::{Kind, Post};

/// One part (≤ 32 MB) plus multipart overhead.
const MAX_BODY: usize = media::MAX_PART + 1024 * 1024;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub(crate) struct SnapConfig {
    /// Every call answers 429 while set.
    pub rate_limited: bool,
    /// `Retry-After` on 429 answers (`None`/0 = no header).
    pub retry_after_secs: Option<u64>,
    /// Post attempts on a new media answered `MEDIA_PROCESSING` first.
    pub processing_posts: u32,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub config: SnapConfig,
    pub token: TokenState,
    pub media: Vec<Media>,
    pub posts: Vec<Post>,
}

/// The network's state (see [`NetworkStore`]).
pub(crate) type SnapchatState = NetworkStore<Inner>;

/// What a request addresses (after `/snapchat`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    MyProfile,
    /// `GET /v1/public_profiles/{id}`.
    Profile(String),
    /// `GET /v1/organizations/{id}/public_profiles`.
    OrgProfiles(String),
    MediaCreate(String),
    MediaAdd(String, String),
    MediaFinalize(String, String),
    Create(String, Kind),
    List(String, Kind),
    Get(String, Kind, String),
    Delete(String, Kind, String),
}

impl Route {
    fn name(&self) -> String {
        match self {
            Route::MyProfile => "my_profile".into(),
            Route::Profile(_) => "public_profiles.get".into(),
            Route::OrgProfiles(_) => "organizations.public_profiles".into(),
            Route::MediaCreate(_) => "media.create".into(),
            Route::MediaAdd(..) => "media.add".into(),
            Route::MediaFinalize(..) => "media.finalize".into(),
            Route::Create(_, k) => format!("{}.create", k.plural()),
            Route::List(_, k) => format!("{}.list", k.plural()),
            Route::Get(_, k, _) => format!("{}.get", k.plural()),
            Route::Delete(_, k, _) => format!("{}.delete", k.plural()),
        }
    }

    fn profile(&self) -> Option<&str> {
        match self {
            Route::MyProfile | Route::OrgProfiles(_) => None,
            Route::Profile(p)
            | Route::MediaCreate(p)
            | Route::MediaAdd(p, _)
            | Route::MediaFinalize(p, _)
            | Route::Create(p, _)
            | Route::List(p, _)
            | Route::Get(p, _, _)
            | Route::Delete(p, _, _) => Some(p),
        }
    }
}

fn route(method: &Method, path: &str) -> Option<Route> {
    if let Some(org) = path
        .trim_end_matches('/')
        .strip_prefix("/v1/organizations/")
        .and_then(|r| r.strip_suffix("/public_profiles"))
    {
        return (*method == Method::GET && !org.is_empty() && !org.contains('/'))
            .then(|| Route::OrgProfiles(org.to_owned()));
    }
    let rest = path
        .trim_end_matches('/')
        .strip_prefix("/v1/public_profiles/")?;
    let s: Vec<&str> = rest.split('/').collect();
    let post = *method == Method::POST;
    let get = *method == Method::GET;
    let owned = |v: &str| v.to_owned();
    match s[..] {
        ["my_profile"] if get => Some(Route::MyProfile),
        [p] if get && !p.is_empty() => Some(Route::Profile(owned(p))),
        [p, "media"] if post => Some(Route::MediaCreate(owned(p))),
        [p, "media", m, "multipart-upload-v2"] if post => Some(Route::MediaAdd(owned(p), owned(m))),
        [p, "media", m, "multipart-upload-v2", "finalize"] if post => {
            Some(Route::MediaFinalize(owned(p), owned(m)))
        }
        [p, kind] => {
            let kind = Kind::from_segment(kind)?;
            if post {
                Some(Route::Create(owned(p), kind))
            } else if get {
                Some(Route::List(owned(p), kind))
            } else {
                None
            }
        }
        [p, kind, id] => {
            let kind = Kind::from_segment(kind)?;
            match *method {
                Method::GET => Some(Route::Get(owned(p), kind, owned(id))),
                Method::DELETE => Some(Route::Delete(owned(p), kind, owned(id))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The fault endpoint name of a request under `/snapchat/` (`path` is the
/// part after `/snapchat`); the bare path for routes the emulator does not know.
pub(crate) fn classify(method: &Method, path: &str) -> Option<String> {
    Some(endpoint_name(
        route(method, path).map(|route| route.name()),
        path,
    ))
}

fn gate(inner: &Inner, headers: &HeaderMap, route: &Route) -> Result<(), SnapError> {
    let token = bearer_token(headers);
    if token.as_deref() != Some(seed::SNAPCHAT_ACCESS_TOKEN) || inner.token != TokenState::Valid {
        return Err(SnapError::unauthorized());
    }
    if inner.config.rate_limited {
        return Err(SnapError::rate_limited(
            inner.config.retry_after_secs.filter(|s| *s > 0),
        ));
    }
    if route
        .profile()
        .is_some_and(|p| p != seed::SNAPCHAT_PROFILE_ID)
    {
        return Err(SnapError::forbidden());
    }
    Ok(())
}

/// A form body (multipart or urlencoded): text fields and the `file` part.
struct Form {
    fields: Map<String, Value>,
    file: Option<Vec<u8>>,
}

fn parse_form(headers: &HeaderMap, body: &[u8]) -> Result<Form, SnapError> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.to_ascii_lowercase().starts_with("multipart/") {
        let parts = crate::multipart::parse_parts(content_type, body)
            .ok_or_else(|| SnapError::invalid("Malformed multipart body"))?;
        let mut form = Form {
            fields: Map::new(),
            file: None,
        };
        for part in parts {
            if part.name == "file" {
                form.file = Some(part.data);
            } else {
                let text = String::from_utf8_lossy(&part.data).into_owned();
                form.fields.insert(part.name, Value::String(text));
            }
        }
        return Ok(form);
    }
    Ok(Form {
        fields: parse_urlencoded(&String::from_utf8_lossy(body)),
        file: None,
    })
}

fn parse_json(body: &[u8]) -> Result<Map<String, Value>, SnapError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(SnapError::invalid("The request body must be a JSON object")),
    }
}

pub(crate) async fn handle(State(state): State<SandboxState>, req: Request) -> Response {
    process(&state, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn process(state: &SandboxState, req: Request) -> Result<Response, SnapError> {
    let path = req.uri().path().to_owned();
    let rest = path.strip_prefix("/snapchat").unwrap_or_default();
    let route = route(req.method(), rest).ok_or_else(|| SnapError::not_found("Resource"))?;
    let query = req.uri().query().map(parse_pairs).unwrap_or_default();
    let query_value = |key: &str| {
        query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let headers = req.headers().clone();
    let body = read_body(req.into_body(), MAX_BODY)
        .await
        .map_err(|()| SnapError::invalid("A part may not exceed 32 MB"))?;
    let ss = &state.inner.snapchat;
    let mut inner = ss.lock();
    gate(&inner, &headers, &route)?;
    let answer = match &route {
        Route::MyProfile => profiles::my_profile(),
        Route::Profile(_) => profiles::by_id(),
        Route::OrgProfiles(org) => profiles::of_organization(
            org,
            query_value("limit").as_deref(),
            query_value("cursor").as_deref(),
        )?,
        Route::MediaCreate(_) => {
            let created = media::create(&parse_json(&body)?, inner.config.processing_posts)?;
            let answer = media::created_json(&created);
            inner.media.push(created);
            answer
        }
        Route::MediaAdd(_, id) | Route::MediaFinalize(_, id) => {
            let form = parse_form(&headers, &body)?;
            // The form's `action` wins over the path's query, so a client
            // posting both actions to one path is served too.
            let action = form
                .fields
                .get("action")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| query_value("action"))
                .unwrap_or_default();
            let m = inner
                .media
                .iter_mut()
                .find(|m| &m.id == id)
                .ok_or_else(|| SnapError::not_found("Media"))?;
            if m.expired {
                return Err(SnapError::media_expired());
            }
            match action.as_str() {
                "ADD" => {
                    let part_number = form.fields.get("part_number").and_then(Value::as_str);
                    media::add_part(m, part_number, form.file)?
                }
                "FINALIZE" => media::finalize(m)?,
                _ => return Err(SnapError::invalid("action must be ADD or FINALIZE")),
            }
        }
        Route::Create(_, kind) => {
            let draft = posts::parse(*kind, &parse_json(&body)?)?;
            posts::check_media(*kind, &draft, &mut inner.media)?;
            let mut post = posts::build(*kind, draft);
            post.ledger_seq = state.inner.ledger.push(LedgerEntry {
                network: "snapchat".into(),
                account: seed::SNAPCHAT_PROFILE_ID.into(),
                native_id: post.id.clone(),
                text: post.text(),
                media: post.media_ids.clone(),
                title: post.title.clone(),
                at_ms: now_ms(),
                deleted: false,
            });
            let answer = posts::envelope(*kind, vec![post.entity()]);
            inner.posts.push(post);
            answer
        }
        Route::List(_, kind) => posts::list(
            &inner.posts,
            *kind,
            query_value("limit").as_deref(),
            query_value("cursor").as_deref(),
        )?,
        Route::Get(_, kind, id) => {
            let post = posts::find(&mut inner.posts, *kind, id)?;
            posts::envelope(*kind, vec![post.entity()])
        }
        Route::Delete(_, kind, id) => {
            let post = posts::find(&mut inner.posts, *kind, id)?;
            post.deleted = true;
            state.inner.ledger.mark_deleted(post.ledger_seq);
            json!({"request_status": "SUCCESS", "request_id": request_id()})
        }
    };
    Ok(axum::Json(answer).into_response())
}

/// Snapchat's answer to an expired OAuth token (`crate::oauth` issues them): 401.
pub(crate) fn expired_token_answer() -> Response {
    SnapError::unauthorized().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let p = "/v1/public_profiles/abc";
        assert_eq!(
            route(&Method::POST, &format!("{p}/media")),
            Some(Route::MediaCreate("abc".into()))
        );
        assert_eq!(
            route(
                &Method::POST,
                &format!("{p}/media/m/multipart-upload-v2/finalize")
            ),
            Some(Route::MediaFinalize("abc".into(), "m".into()))
        );
        assert_eq!(
            route(&Method::DELETE, &format!("{p}/spotlights/x")),
            Some(Route::Delete("abc".into(), Kind::Spotlight, "x".into()))
        );
        assert_eq!(route(&Method::PUT, &format!("{p}/stories")), None);
        assert_eq!(
            classify(&Method::POST, &format!("{p}/saved_stories")),
            Some("saved_stories.create".into())
        );
        assert_eq!(classify(&Method::GET, "/v1/other"), Some("v1/other".into()));
    }
}
