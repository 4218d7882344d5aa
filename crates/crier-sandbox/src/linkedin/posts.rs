//! The Posts API (`/rest/posts`), Social Actions and `/v2/userinfo`.
//!
//! Create: `201 Created`, empty body, the post URN in `x-restli-id`
//! (`urn:li:share:…`; `urn:li:ugcPost:…` for video and multi-image posts).
//! Duplicate rule: the same non-empty commentary by the same author as any
//! earlier post — deleted ones included, as observed in
//! https://github.com/ComposioHQ/composio/issues/2710 — is refused with 422
//! `DUPLICATE_POST`. Every create call counts against the member's daily
//! limit (LinkedIn counts calls, not successes).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::error::LiError;
use super::media::{Stage, media_stage};
use super::{Call, Inner, may_act_as};
use crate::ledger::{LedgerEntry, now_ms};
use crate::{SandboxState, seed};

/// LinkedIn's commentary limit, in characters.
const MAX_COMMENTARY: usize = 3000;
const REQUIRED: &str = "field is required but not found and has no default value";

pub(crate) struct Post {
    pub urn: String,
    pub author: String,
    pub commentary: String,
    pub visibility: String,
    pub lifecycle_state: String,
    pub distribution: Value,
    pub content: Option<Value>,
    pub reshare_disabled: bool,
    pub created_ms: i64,
    pub ledger_seq: Option<u64>,
    pub deleted: bool,
}

impl Post {
    fn to_json(&self) -> Value {
        let mut body = json!({
            "id": self.urn,
            "author": self.author,
            "commentary": self.commentary,
            "visibility": self.visibility,
            "distribution": self.distribution,
            "lifecycleState": self.lifecycle_state,
            "lifecycleStateInfo": {"isEditedByAuthor": false},
            "isReshareDisabledByAuthor": self.reshare_disabled,
            "createdAt": self.created_ms,
            "lastModifiedAt": self.created_ms,
            "publishedAt": self.created_ms,
        });
        if let Some(content) = &self.content {
            body["content"] = content.clone();
        }
        body
    }
}

/// The image/video URNs a post's `content` names, and whether it is a
/// ugcPost kind (video, multi-image).
fn media_of(content: Option<&Value>) -> (Vec<String>, bool) {
    let Some(content) = content else {
        return (Vec::new(), false);
    };
    let mut urns = Vec::new();
    if let Some(id) = content.pointer("/media/id").and_then(Value::as_str) {
        urns.push(id.to_owned());
    }
    if let Some(images) = content
        .pointer("/multiImage/images")
        .and_then(Value::as_array)
    {
        urns.extend(
            images
                .iter()
                .filter_map(|i| i.get("id")?.as_str())
                .map(str::to_owned),
        );
    }
    if let Some(thumb) = content
        .pointer("/article/thumbnail")
        .and_then(Value::as_str)
    {
        urns.push(thumb.to_owned());
    }
    let ugc =
        urns.iter().any(|u| u.starts_with("urn:li:video:")) || content.get("multiImage").is_some();
    (urns, ugc)
}

/// Rest.li schema checks of the create body.
fn validate(body: &Map<String, Value>) -> Result<(), LiError> {
    let mut problems = Vec::new();
    let mut need_string = |field: &str, symbols: &[&str]| match body.get(field) {
        None | Some(Value::Null) => problems.push((format!("/{field}"), REQUIRED.to_owned())),
        Some(Value::String(s)) if symbols.is_empty() || symbols.contains(&s.as_str()) => {}
        Some(Value::String(s)) => problems.push((
            format!("/{field}"),
            format!("\"{s}\" is not an enum symbol"),
        )),
        Some(other) => problems.push((format!("/{field}"), format!("{other} is not a string"))),
    };
    need_string("author", &[]);
    need_string(
        "visibility",
        &["PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"],
    );
    need_string("lifecycleState", &["PUBLISHED", "DRAFT"]);
    match body.get("distribution") {
        Some(Value::Object(_)) => {}
        None | Some(Value::Null) => problems.push(("/distribution".into(), REQUIRED.into())),
        Some(other) => problems.push(("/distribution".into(), format!("{other} is not a record"))),
    }
    if let Some(c) = body
        .get("commentary")
        .filter(|c| !c.is_string() && !c.is_null())
    {
        problems.push(("/commentary".into(), format!("{c} is not a string")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(LiError::validation(&problems))
    }
}

/// `POST /rest/posts`.
pub(crate) fn create(
    state: &SandboxState,
    inner: &mut Inner,
    call: &Call,
) -> Result<Response, LiError> {
    let cap = inner.config.member_daily_posts;
    if !inner.day.take(cap, crate::ledger::now_ms()) {
        return Err(LiError::member_day_limit());
    }
    let body = call.json_object()?;
    validate(&body)?;
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let author = text("author");
    if !may_act_as(&author) {
        return Err(LiError::access_denied(
            "partnerApiPostsExternal",
            "CREATE",
            &call.version,
        ));
    }
    let commentary = text("commentary");
    let chars = commentary.chars().count();
    if chars > MAX_COMMENTARY {
        return Err(LiError::commentary_too_long(chars));
    }
    let content = body.get("content").filter(|c| !c.is_null()).cloned();
    let (media, ugc) = media_of(content.as_ref());
    for urn in &media {
        match media_stage(inner, urn) {
            Some(Stage::Available) => {}
            Some(stage) => return Err(LiError::media_not_available(urn, stage.label())),
            None => return Err(LiError::media_not_available(urn, "NOT_FOUND")),
        }
    }
    if !commentary.trim().is_empty()
        && let Some(existing) = inner
            .posts
            .iter()
            .find(|p| p.author == author && p.commentary.trim() == commentary.trim())
    {
        return Err(LiError::duplicate(&existing.urn));
    }
    let number = 7_300_000_000_000_000_000u64 + state.inner.linkedin.next_seq();
    let urn = if ugc {
        format!("urn:li:ugcPost:{number}")
    } else {
        format!("urn:li:share:{number}")
    };
    let lifecycle_state = text("lifecycleState");
    let created_ms = now_ms();
    let ledger_seq = (lifecycle_state == "PUBLISHED").then(|| {
        let mut ledger_media = media.clone();
        if let Some(source) = content
            .as_ref()
            .and_then(|c| c.pointer("/article/source"))
            .and_then(Value::as_str)
        {
            ledger_media.push(source.to_owned());
        }
        state.inner.ledger.push(LedgerEntry {
            network: "linkedin".into(),
            account: author.clone(),
            native_id: urn.clone(),
            text: commentary.clone(),
            media: ledger_media,
            title: None,
            at_ms: created_ms,
            deleted: false,
        })
    });
    inner.posts.push(Post {
        urn: urn.clone(),
        author,
        commentary,
        visibility: text("visibility"),
        lifecycle_state,
        distribution: body.get("distribution").cloned().unwrap_or(Value::Null),
        content,
        reshare_disabled: body
            .get("isReshareDisabledByAuthor")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        created_ms,
        ledger_seq,
        deleted: false,
    });
    Ok((StatusCode::CREATED, [("x-restli-id", urn)]).into_response())
}

fn live<'a>(inner: &'a Inner, urn: &str) -> Result<&'a Post, LiError> {
    inner
        .posts
        .iter()
        .find(|p| p.urn == urn && !p.deleted)
        .ok_or_else(|| LiError::not_found(&format!("Post {urn}")))
}

/// `GET /rest/posts/{urn}`.
pub(crate) fn get(inner: &Inner, urn: &str) -> Result<Response, LiError> {
    Ok(axum::Json(live(inner, urn)?.to_json()).into_response())
}

/// `GET /rest/posts?q=author&author=…[&start&count&sortBy]`: newest first.
pub(crate) fn list(inner: &Inner, call: &Call) -> Result<Response, LiError> {
    if call.query_value("q") != Some("author") {
        return Err(LiError::bad_request("Parameter 'q' must be 'author'"));
    }
    let author = call
        .query_value("author")
        .ok_or_else(|| LiError::bad_request("Parameter 'author' is required"))?;
    if !may_act_as(author) {
        return Err(LiError::access_denied(
            "partnerApiPostsExternal",
            "FINDER-author",
            &call.version,
        ));
    }
    if let Some(sort) = call.query_value("sortBy")
        && !matches!(sort, "LAST_MODIFIED" | "CREATED")
    {
        return Err(LiError::bad_request(&format!(
            "Invalid value '{sort}' for parameter 'sortBy'"
        )));
    }
    let number = |key: &str, default: usize| match call.query_value(key) {
        None => Ok(default),
        Some(v) => v.parse::<usize>().map_err(|_| {
            LiError::bad_request(&format!("Invalid value '{v}' for parameter '{key}'"))
        }),
    };
    let start = number("start", 0)?;
    let count = number("count", 10)?.min(100);
    let mine: Vec<&Post> = inner
        .posts
        .iter()
        .rev()
        .filter(|p| p.author == author && !p.deleted)
        .collect();
    let elements: Vec<Value> = mine
        .iter()
        .skip(start)
        .take(count)
        .map(|p| p.to_json())
        .collect();
    let mut links = Vec::new();
    if start + count < mine.len() {
        let encoded = author.replace(':', "%3A");
        links.push(json!({
            "type": "application/json",
            "rel": "next",
            "href": format!("/rest/posts?q=author&author={encoded}&start={}&count={count}", start + count),
        }));
    }
    Ok(axum::Json(json!({
        "paging": {"start": start, "count": count, "links": links, "total": mine.len()},
        "elements": elements,
    }))
    .into_response())
}

/// `DELETE /rest/posts/{urn}`: 204, also for a post already deleted.
pub(crate) fn delete(
    state: &SandboxState,
    inner: &mut Inner,
    urn: &str,
) -> Result<Response, LiError> {
    let post = inner
        .posts
        .iter_mut()
        .find(|p| p.urn == urn)
        .ok_or_else(|| LiError::not_found(&format!("Post {urn}")))?;
    if !post.deleted {
        post.deleted = true;
        if let Some(seq) = post.ledger_seq {
            state.inner.ledger.mark_deleted(seq);
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /rest/socialActions/{urn}`: like and comment summaries (counts set
/// through `POST /_sandbox/linkedin/social-actions`, zero otherwise).
pub(crate) fn social_actions(inner: &Inner, urn: &str) -> Result<Response, LiError> {
    let post = live(inner, urn)?;
    let (likes, comments) = inner.social.get(&post.urn).copied().unwrap_or((0, 0));
    Ok(axum::Json(json!({
        "$URN": format!("urn:li:socialActions:{urn}"),
        "target": urn,
        "likesSummary": {
            "selectedLikes": [],
            "likedByCurrentUser": false,
            "totalLikes": likes,
            "aggregatedTotalLikes": likes,
        },
        "commentsSummary": {
            "selectedComments": [],
            "totalFirstLevelComments": comments,
            "aggregatedTotalComments": comments,
        },
    }))
    .into_response())
}

/// `GET /rest/socialMetadata/{urn}`, which LinkedIn says replaces socialActions
/// (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/social-metadata-api):
/// the control route's likes as `LIKE` reactions, its comments as top-level comments.
pub(crate) fn social_metadata(inner: &Inner, urn: &str) -> Result<Response, LiError> {
    let post = live(inner, urn)?;
    let (likes, comments) = inner.social.get(&post.urn).copied().unwrap_or((0, 0));
    let mut reactions = Map::new();
    if likes > 0 {
        reactions.insert(
            "LIKE".into(),
            json!({"reactionType": "LIKE", "count": likes}),
        );
    }
    Ok(axum::Json(json!({
        "reactionSummaries": reactions,
        "commentsState": "OPEN",
        "commentSummary": {"count": comments, "topLevelCount": comments},
        "entity": post.urn,
    }))
    .into_response())
}

/// `GET /v2/userinfo` (OpenID Connect): the member behind the token.
pub(crate) fn userinfo() -> Response {
    let sub = seed::LINKEDIN_PERSON_URN.trim_start_matches("urn:li:person:");
    axum::Json(json!({
        "sub": sub,
        "name": "Crier Sandbox",
        "given_name": "Crier",
        "family_name": "Sandbox",
        "picture": "https://media.licdn.com/dms/image/D4E03AQcrierSbxMember01/profile-displayphoto-shrink_100_100/0/1704067200000?e=2147483647&v=beta&t=sandbox",
        "locale": {"country": "US", "language": "en"},
        "email": "crier-sandbox@example.com",
        "email_verified": true,
    }))
    .into_response()
}
