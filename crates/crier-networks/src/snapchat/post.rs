//! What crier sends to each Snapchat surface and how it reads the answers (see mod.rs for
//! the sources and the choices made where Snap's pages are silent).

use super::errors::{Sent, item_error, map_error};
use super::upload::success;
use crate::{Content, Failure, Published};
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

/// Where a post goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Story,
    SavedStory,
    Spotlight,
}

impl Surface {
    pub const ALL: [Surface; 3] = [Surface::Story, Surface::SavedStory, Surface::Spotlight];

    /// The collection's path segment (and the answer's list key).
    pub fn plural(self) -> &'static str {
        match self {
            Surface::Story => "stories",
            Surface::SavedStory => "saved_stories",
            Surface::Spotlight => "spotlights",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Surface::Story => "story",
            Surface::SavedStory => "saved_story",
            Surface::Spotlight => "spotlight",
        }
    }

    pub(crate) fn from_plural(s: &str) -> Option<Surface> {
        Surface::ALL.into_iter().find(|k| k.plural() == s)
    }

    /// `snapChatOptions.spotlight` / `.savedStory`; a Story otherwise.
    pub fn of(content: &Content) -> Result<Surface, Failure> {
        let flag = |k: &str| content.options.get(k).and_then(Value::as_bool) == Some(true);
        match (flag("spotlight"), flag("savedStory")) {
            (true, true) => Err(bad_option("snapChatOptions.spotlight and snapChatOptions.savedStory cannot both be true")),
            (true, false) => Ok(Surface::Spotlight),
            (false, true) => Ok(Surface::SavedStory),
            (false, false) => Ok(Surface::Story),
        }
    }
}

pub(crate) fn bad_option(details: &str) -> Failure {
    Failure::Rejected(ErrorReport::for_platform(Code::MalformedBody, Action::Post, Platform::Snapchat).details(details))
}

/// Snap's media type for a sniffed MIME type, or why it cannot go to `surface`.
pub fn media_type(mime: &str, surface: Surface) -> Result<&'static str, String> {
    let kind = match mime {
        "image/jpeg" | "image/png" => "IMAGE",
        "video/mp4" | "video/quicktime" => "VIDEO",
        other => return Err(format!("Snapchat takes JPEG or PNG images and MP4 or MOV videos, got {other}")),
    };
    if surface == Surface::Spotlight && kind != "VIDEO" {
        return Err("Snapchat Spotlight takes videos only".into());
    }
    Ok(kind)
}

/// The post request for `surface` with the uploaded `media_id`, and what it sends.
pub fn post_body(surface: Surface, media_id: &str, content: &Content) -> Result<(Value, Sent), Failure> {
    let o = &content.options;
    let text = content.text.trim();
    Ok(match surface {
        Surface::Story => (json!({"media_id": media_id}), Sent::default()),
        Surface::SavedStory => {
            let title = o.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).unwrap_or(text);
            if title.is_empty() {
                return Err(Failure::Rejected(
                    ErrorReport::for_platform(Code::MissingField, Action::Post, Platform::Snapchat).details("a Snapchat Saved Story needs snapChatOptions.title (or post text)"),
                ));
            }
            let sent = Sent { title_chars: title.chars().count(), ..Sent::default() };
            (json!({"saved_stories": [{"title": title, "snap_sources": [{"media_id": media_id}]}]}), sent)
        }
        Surface::Spotlight => {
            let locale = o.get("locale").and_then(Value::as_str).filter(|l| !l.is_empty()).unwrap_or("en_US");
            let mut body = json!({"media_id": media_id, "locale": locale, "skip_save_to_profile": false});
            if !text.is_empty() {
                body["description"] = json!(text);
            }
            (body, Sent { description_chars: text.chars().count(), ..Sent::default() })
        }
    })
}

/// The entities of a collection answer (`<plural>: [{sub_request_status, <singular>: {…}}]`).
pub fn entities(surface: Surface, body: &Value) -> Vec<&Value> {
    body.get(surface.plural())
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|item| item.get(surface.singular()).unwrap_or(item))
        .collect()
}

pub(crate) fn uses_media(entity: &Value, media_id: &str) -> bool {
    entity.get("media_id").and_then(Value::as_str) == Some(media_id)
        || entity.get("media_ids").and_then(Value::as_array).is_some_and(|ids| ids.iter().any(|i| i.as_str() == Some(media_id)))
        || entity.pointer("/snap_sources").and_then(Value::as_array).is_some_and(|s| s.iter().any(|i| i.get("media_id").and_then(Value::as_str) == Some(media_id)))
}

pub(crate) fn published(surface: Surface, entity: &Value, media_id: &str) -> Option<Published> {
    let id = entity.get("id").and_then(Value::as_str).filter(|id| super::is_id(id))?;
    let mut extras = Map::new();
    extras.insert("type".into(), json!(surface.singular()));
    extras.insert("mediaId".into(), json!(media_id));
    // Not `status`: extras join the postIds entry, whose `status` is Ayrshare's "success".
    if let Some(status) = entity.get("status") {
        extras.insert("snapStatus".into(), status.clone());
    }
    Some(Published { id: format!("{}/{id}", surface.plural()), url: None, extras })
}

/// A post answer as a publish result: a 2xx whose entity has no id cannot be read.
pub fn post_outcome(surface: Surface, media_id: &str, status: u16, headers: &HeaderMap, body: &Value, sent: &Sent) -> Result<Published, Failure> {
    if !success(status, body) || item_error(body).is_some() {
        return Err(map_error(status, headers, body, sent));
    }
    entities(surface, body)
        .first()
        .and_then(|e| published(surface, e, media_id))
        .ok_or_else(|| Failure::Ambiguous { details: format!("post answer lacks the {} id: {body}", surface.singular()) })
}

