//! Stories, Saved Stories and Spotlights of the Public Profile: the post
//! bodies, their checks, the entity JSON and list paging.
//!
//! Checks: a Saved Story needs a `title` (≤ 45 characters, the bound public
//! clients enforce; chosen) and one or more `snap_sources[].media_id`; a
//! Spotlight takes a video only ("Spotlights are permanent video Snaps") and a
//! `description` of at most 160 characters including hashtags.

use serde_json::{Map, Value, json};

use super::error::{SnapError, request_id};
use super::media::{Media, MediaStatus, MediaType, uuid};
use crate::seed;

pub(crate) const MAX_TITLE: usize = 45;
pub(crate) const MAX_DESCRIPTION: usize = 160;
const MAX_LIMIT: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Story,
    SavedStory,
    Spotlight,
}

impl Kind {
    pub(crate) fn from_segment(segment: &str) -> Option<Self> {
        match segment {
            "stories" => Some(Kind::Story),
            "saved_stories" => Some(Kind::SavedStory),
            "spotlights" => Some(Kind::Spotlight),
            _ => None,
        }
    }

    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Story => "stories",
            Kind::SavedStory => "saved_stories",
            Kind::Spotlight => "spotlights",
        }
    }

    pub(crate) fn singular(self) -> &'static str {
        match self {
            Kind::Story => "story",
            Kind::SavedStory => "saved_story",
            Kind::Spotlight => "spotlight",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Story => "Story",
            Kind::SavedStory => "Saved Story",
            Kind::Spotlight => "Spotlight",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Post {
    pub kind: Kind,
    pub id: String,
    pub media_ids: Vec<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub skip_save_to_profile: Option<bool>,
    pub created_at: String,
    pub deleted: bool,
    pub ledger_seq: u64,
}

impl Post {
    /// The ledger's `text`: the spotlight description or saved story title.
    pub(crate) fn text(&self) -> String {
        self.description
            .clone()
            .or_else(|| self.title.clone())
            .unwrap_or_default()
    }

    pub(crate) fn entity(&self) -> Value {
        let mut out = json!({
            "id": self.id,
            "profile_id": seed::SNAPCHAT_PROFILE_ID,
            "status": "LIVE",
            "created_at": self.created_at,
        });
        match self.kind {
            Kind::Story => out["media_id"] = json!(self.media_ids[0]),
            Kind::SavedStory => {
                out["title"] = json!(self.title);
                out["media_ids"] = json!(self.media_ids);
            }
            Kind::Spotlight => {
                out["media_id"] = json!(self.media_ids[0]);
                out["description"] = json!(self.description.clone().unwrap_or_default());
                out["locale"] = json!(self.locale);
                out["skip_save_to_profile"] = json!(self.skip_save_to_profile.unwrap_or(false));
            }
        }
        out
    }
}

/// The Marketing API envelope around entities of one kind.
pub(crate) fn envelope(kind: Kind, entities: Vec<Value>) -> Value {
    let items: Vec<Value> = entities
        .into_iter()
        .map(|e| json!({"sub_request_status": "SUCCESS", kind.singular(): e}))
        .collect();
    json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        kind.plural(): items,
    })
}

/// What a post request asks for, before its media are checked.
pub(crate) struct Draft {
    pub media_ids: Vec<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub skip_save_to_profile: Option<bool>,
}

fn media_id_of(obj: &Map<String, Value>) -> Option<String> {
    obj.get("media_id")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_owned())
}

pub(crate) fn parse(kind: Kind, body: &Map<String, Value>) -> Result<Draft, SnapError> {
    let mut draft = Draft {
        media_ids: Vec::new(),
        title: None,
        description: None,
        locale: None,
        skip_save_to_profile: None,
    };
    match kind {
        Kind::Story => {
            draft
                .media_ids
                .push(media_id_of(body).ok_or_else(|| SnapError::invalid("media_id is required"))?);
        }
        Kind::Spotlight => {
            draft
                .media_ids
                .push(media_id_of(body).ok_or_else(|| SnapError::invalid("media_id is required"))?);
            let description = body
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if description.chars().count() > MAX_DESCRIPTION {
                return Err(SnapError::invalid(format!(
                    "description may not exceed {MAX_DESCRIPTION} characters"
                )));
            }
            draft.description = Some(description.to_owned());
            draft.locale = Some(
                body.get("locale")
                    .and_then(Value::as_str)
                    .filter(|l| !l.is_empty())
                    .unwrap_or("en_US")
                    .to_owned(),
            );
            draft.skip_save_to_profile = body.get("skip_save_to_profile").and_then(Value::as_bool);
        }
        Kind::SavedStory => {
            let items = body
                .get("saved_stories")
                .and_then(Value::as_array)
                .filter(|a| a.len() == 1)
                .ok_or_else(|| {
                    SnapError::invalid("saved_stories must hold exactly one saved story")
                })?;
            let item = items[0]
                .as_object()
                .ok_or_else(|| SnapError::invalid("saved_stories[0] must be an object"))?;
            let title = item
                .get("title")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| SnapError::invalid("title is required"))?;
            if title.chars().count() > MAX_TITLE {
                return Err(SnapError::invalid(format!(
                    "title may not exceed {MAX_TITLE} characters"
                )));
            }
            draft.title = Some(title.to_owned());
            let sources = item
                .get("snap_sources")
                .and_then(Value::as_array)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| SnapError::invalid("snap_sources is required"))?;
            for source in sources {
                let id = source
                    .as_object()
                    .and_then(media_id_of)
                    .ok_or_else(|| SnapError::invalid("snap_sources[].media_id is required"))?;
                draft.media_ids.push(id);
            }
        }
    }
    Ok(draft)
}

/// Checks the draft's media; a media still "processing" uses up one attempt.
pub(crate) fn check_media(kind: Kind, draft: &Draft, media: &mut [Media]) -> Result<(), SnapError> {
    for id in &draft.media_ids {
        let m = media
            .iter_mut()
            .find(|m| &m.id == id)
            .ok_or_else(|| SnapError::not_found("Media"))?;
        if m.expired {
            return Err(SnapError::media_expired());
        }
        if m.status != MediaStatus::Ready {
            return Err(SnapError::invalid("Media upload is not finalized"));
        }
        if kind == Kind::Spotlight && m.media_type != MediaType::Video {
            return Err(SnapError::invalid("A Spotlight must be a video"));
        }
        if m.processing_left > 0 {
            m.processing_left -= 1;
            return Err(SnapError::media_processing());
        }
    }
    Ok(())
}

pub(crate) fn build(kind: Kind, draft: Draft) -> Post {
    Post {
        kind,
        id: uuid(),
        media_ids: draft.media_ids,
        title: draft.title,
        description: draft.description,
        locale: draft.locale,
        skip_save_to_profile: draft.skip_save_to_profile,
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        deleted: false,
        ledger_seq: 0,
    }
}

pub(crate) fn find<'a>(
    posts: &'a mut [Post],
    kind: Kind,
    id: &str,
) -> Result<&'a mut Post, SnapError> {
    posts
        .iter_mut()
        .find(|p| p.kind == kind && p.id == id && !p.deleted)
        .ok_or_else(|| SnapError::not_found(kind.label()))
}

/// A page of one kind, newest first; `cursor` is the offset.
pub(crate) fn list(
    posts: &[Post],
    kind: Kind,
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<Value, SnapError> {
    let limit = match limit.filter(|l| !l.is_empty()) {
        None => MAX_LIMIT,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                SnapError::invalid(format!("limit must be between 1 and {MAX_LIMIT}"))
            })?,
    };
    let offset = match cursor.filter(|c| !c.is_empty()) {
        None => 0,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| SnapError::invalid("Invalid cursor"))?,
    };
    let all: Vec<&Post> = posts
        .iter()
        .rev()
        .filter(|p| p.kind == kind && !p.deleted)
        .collect();
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| p.entity())
        .collect();
    let mut out = envelope(kind, page);
    let mut paging = json!({});
    if offset + limit < all.len() {
        paging["next_cursor"] = json!((offset + limit).to_string());
    }
    out["paging"] = paging;
    Ok(out)
}
