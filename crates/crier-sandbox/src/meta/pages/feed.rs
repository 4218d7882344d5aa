//! `POST /{page}/feed`: text, link and multi-photo (`attached_media`) posts,
//! scheduling and the duplicate-status rule.

use axum::response::Response;
use reqwest::Url;
use serde_json::{Value, json};

use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::meta::error::GraphError;
use crate::meta::ok;
use crate::meta::request::Call;

use super::{FbPost, PostKind, page_id};

/// Graph's limit on a post's message.
const MAX_MESSAGE_CHARS: usize = 63_206;
/// Scheduling window (current docs: 10 minutes to 30 days ahead).
const SCHEDULE_MIN_SECS: i64 = 10 * 60;
const SCHEDULE_MAX_SECS: i64 = 30 * 24 * 3600;

/// The media fbids of `attached_media[n]={"media_fbid":"…"}` (form) or an
/// `attached_media` JSON array.
fn attached_media(call: &Call) -> Result<Vec<String>, GraphError> {
    let mut indexed: Vec<(usize, Value)> = Vec::new();
    for (key, value) in &call.params {
        let Some(inner) = key
            .strip_prefix("attached_media[")
            .and_then(|r| r.strip_suffix(']'))
        else {
            continue;
        };
        // `attached_media[0][media_fbid]=…` (PHP-style nesting) too.
        let (index, nested) = match inner.split_once("][") {
            Some((index, field)) => (index, Some(field)),
            None => (inner, None),
        };
        let index: usize = index
            .parse()
            .map_err(|_| GraphError::param(format!("Invalid parameter {key}")))?;
        let value = match nested {
            Some("media_fbid") => json!({ "media_fbid": value }),
            Some(_) => continue,
            None => value.clone(),
        };
        indexed.push((index, value));
    }
    indexed.sort_by_key(|(i, _)| *i);
    let mut items: Vec<Value> = indexed.into_iter().map(|(_, v)| v).collect();
    match call.json("attached_media")? {
        Some(Value::Array(list)) => items.extend(list),
        Some(other) => items.push(other),
        None => {}
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let object = match item {
                Value::String(s) => serde_json::from_str::<Value>(s).unwrap_or(Value::Null),
                other => other.clone(),
            };
            match object.get("media_fbid") {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                _ => Err(GraphError::param(format!(
                    "param attached_media[{i}] must be an object with a media_fbid"
                ))),
            }
        })
        .collect()
}

/// `scheduled_publish_time` as unix seconds (Graph takes a timestamp or ISO 8601).
fn scheduled_time(call: &Call) -> Result<Option<i64>, GraphError> {
    let Some(raw) = call.text("scheduled_publish_time") else {
        return Ok(None);
    };
    let parsed = raw.parse::<i64>().ok().or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&raw)
            .ok()
            .map(|t| t.timestamp())
    });
    parsed
        .map(Some)
        .ok_or_else(|| GraphError::param("The specified scheduled publish time is invalid."))
}

fn is_web_url(raw: &str) -> bool {
    Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

pub(crate) fn post_feed(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let message = call.str("message").unwrap_or_default();
    let link = call.text("link");
    let published = call.bool("published")?.unwrap_or(true);
    let scheduled = scheduled_time(call)?;
    let attached = attached_media(call)?;
    if message.trim().is_empty() && link.is_none() && attached.is_empty() {
        return Err(GraphError::param("Missing message or attachment"));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        // Wording chosen: Graph's text for an over-long message is not documented.
        return Err(GraphError::param("Message is too long"));
    }
    if let Some(link) = &link
        && !is_web_url(link)
    {
        return Err(GraphError::param("link URL is not properly formatted"));
    }
    let now = now_ms();
    if let Some(at) = scheduled {
        if published {
            return Err(GraphError::param(
                "You cannot specify a scheduled publish time on a published post",
            ));
        }
        let ahead = at.saturating_sub(now / 1000);
        if !(SCHEDULE_MIN_SECS..=SCHEDULE_MAX_SECS).contains(&ahead) {
            return Err(GraphError::param(
                "The specified scheduled publish time is invalid.",
            ));
        }
    }
    let page = page_id();
    let meta = &state.inner.meta;
    let mut inner = meta.lock();
    let fb = &mut inner.fb;
    for (i, fbid) in attached.iter().enumerate() {
        let usable = fb
            .photos
            .get(fbid)
            .is_some_and(|p| !p.deleted && p.post.is_none() && p.attached_to.is_none());
        if !usable {
            // Wording chosen: an unknown, published or already used photo.
            return Err(GraphError::param(format!(
                "param attached_media[{i}] has an invalid media_fbid {fbid}"
            )));
        }
    }
    if published && !message.trim().is_empty() {
        let last = fb
            .feed(page)
            .first()
            .and_then(|id| fb.posts.get(id))
            .map(|p| p.message.trim().to_owned());
        if last.as_deref() == Some(message.trim()) {
            return Err(GraphError::new(506, "(#506) Duplicate status message")
                .sub(1455006)
                .transient(false)
                .user(
                    "Duplicate Status Update",
                    "This status update is identical to the last one you posted. Try posting something different, or delete your previous update.",
                ));
        }
    }
    let id = format!("{page}_{}", meta.ids.fb_object());
    let media: Vec<String> = attached
        .iter()
        .filter_map(|fbid| fb.photos.get(fbid).map(|p| p.source.clone()))
        .collect();
    for fbid in &attached {
        if let Some(photo) = fb.photos.get_mut(fbid) {
            photo.attached_to = Some(id.clone());
        }
    }
    let kind = if !attached.is_empty() {
        PostKind::Album
    } else if link.is_some() {
        PostKind::Link
    } else {
        PostKind::Status
    };
    let ledger_seq = published.then(|| {
        state.inner.ledger.push(LedgerEntry {
            network: "facebook".into(),
            account: page.into(),
            native_id: id.clone(),
            text: message.clone(),
            media: media.clone(),
            title: None,
            at_ms: now,
            deleted: false,
        })
    });
    fb.insert_post(FbPost {
        id: id.clone(),
        page: page.into(),
        message,
        link,
        kind,
        created_ms: now,
        published,
        scheduled,
        media,
        photos: attached,
        video: None,
        ledger_seq,
        deleted: false,
    });
    ok(json!({ "id": id }))
}
