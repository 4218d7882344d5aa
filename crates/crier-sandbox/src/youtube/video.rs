//! The `video` resource: metadata validation at `videos.insert`, the JSON
//! YouTube answers with, and `videos.list` / `videos.delete` /
//! `channels.list` (statistics come from `stats`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::error::GError;
use super::{Call, Inner, stats};
use crate::SandboxState;
use crate::ledger::now_ms;
use crate::seed;

pub(crate) const CHANNEL_TITLE: &str = "Crier Sandbox";
/// Parts `videos.insert`/`videos.list` know (unknown ones are refused).
const PARTS: [&str; 13] = [
    "contentDetails",
    "fileDetails",
    "id",
    "liveStreamingDetails",
    "localizations",
    "player",
    "processingDetails",
    "recordingDetails",
    "snippet",
    "statistics",
    "status",
    "suggestions",
    "topicDetails",
];
/// Parts `channels.list` knows.
const CHANNEL_PARTS: [&str; 10] = [
    "auditDetails",
    "brandingSettings",
    "contentDetails",
    "contentOwnerDetails",
    "id",
    "localizations",
    "snippet",
    "statistics",
    "status",
    "topicDetails",
];
const PRIVACY: [&str; 3] = ["public", "private", "unlisted"];

/// Validated metadata of a video being uploaded.
#[derive(Clone, Debug)]
pub(crate) struct Metadata {
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub category_id: String,
    pub privacy: String,
    pub publish_at: Option<String>,
    pub made_for_kids: Option<bool>,
    pub synthetic: Option<bool>,
}

/// A finished upload.
pub(crate) struct Video {
    pub id: String,
    pub meta: Metadata,
    pub published_ms: i64,
    pub deleted: bool,
    pub ledger_seq: u64,
}

/// The `part` list of a request; unknown names are YouTube's `unknownPart`.
pub(crate) fn parts(call: &Call) -> Result<Vec<String>, GError> {
    parts_of(call, &PARTS)
}

fn parts_of(call: &Call, known: &[&str]) -> Result<Vec<String>, GError> {
    let raw = call
        .query_value("part")
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| GError::required_parameter("part"))?;
    raw.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            if known.contains(&p) {
                Ok(p.to_owned())
            } else {
                Err(GError::unknown_part(p))
            }
        })
        .collect()
}

fn string_field<'a>(obj: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    obj.and_then(|o| o.get(key)).filter(|v| !v.is_null())
}

/// Validates the `video` resource sent with `videos.insert`. Messages are
/// YouTube's where known; the reasons are the documented ones.
pub(crate) fn validate(body: &Map<String, Value>) -> Result<Metadata, GError> {
    let snippet = body.get("snippet");
    let status = body.get("status");
    let invalid_title = || {
        GError::video(
            "invalidTitle",
            "The request metadata specifies an invalid or empty video title.",
        )
    };
    let title = match string_field(snippet, "title") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err(invalid_title()),
    };
    if title.trim().is_empty() || title.chars().count() > 100 || title.contains(['<', '>']) {
        return Err(invalid_title());
    }
    let description = match string_field(snippet, "description") {
        None => String::new(),
        Some(Value::String(d)) if d.len() <= 5000 && !d.contains(['<', '>']) => d.clone(),
        Some(_) => {
            return Err(GError::video(
                "invalidDescription",
                "The request metadata specifies an invalid video description.",
            ));
        }
    };
    let invalid_tags = || {
        GError::video(
            "invalidTags",
            "The request metadata specifies invalid video keywords.",
        )
    };
    let tags: Vec<String> = match string_field(snippet, "tags") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(invalid_tags))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid_tags()),
    };
    // YouTube counts tags with their separators, and quotes around tags
    // that contain spaces, against a 500-character budget.
    let tag_len: usize = tags
        .iter()
        .map(|t| t.chars().count() + if t.contains(' ') { 2 } else { 0 })
        .sum::<usize>()
        + tags.len().saturating_sub(1);
    if tag_len > 500 || tags.iter().any(|t| t.contains(['<', '>'])) {
        return Err(invalid_tags());
    }
    let category_id = match string_field(snippet, "categoryId") {
        None => "22".to_owned(),
        Some(Value::String(c)) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) => {
            c.clone()
        }
        Some(_) => {
            return Err(GError::video(
                "invalidCategoryId",
                "The <code>snippet.categoryId</code> property specifies an invalid category ID.",
            ));
        }
    };
    let privacy = match string_field(status, "privacyStatus") {
        None => "public".to_owned(),
        Some(Value::String(p)) if PRIVACY.contains(&p.as_str()) => p.clone(),
        Some(_) => {
            // Wording chosen: YouTube's text for a bad enum value is not documented.
            return Err(GError::video(
                "invalidVideoMetadata",
                "The request metadata is invalid.",
            ));
        }
    };
    let publish_at = match string_field(status, "publishAt") {
        None => None,
        Some(Value::String(p)) => {
            let future = chrono::DateTime::parse_from_rfc3339(p)
                .is_ok_and(|t| t.timestamp() > chrono::Utc::now().timestamp());
            if !future || privacy != "private" {
                return Err(GError::video(
                    "invalidPublishAt",
                    "The request metadata specifies an invalid scheduled publishing time.",
                ));
            }
            Some(p.clone())
        }
        Some(_) => {
            return Err(GError::video(
                "invalidPublishAt",
                "The request metadata specifies an invalid scheduled publishing time.",
            ));
        }
    };
    let flag = |key: &str| string_field(status, key).and_then(Value::as_bool);
    Ok(Metadata {
        title,
        description,
        tags,
        category_id,
        privacy,
        publish_at,
        made_for_kids: flag("selfDeclaredMadeForKids"),
        synthetic: flag("containsSyntheticMedia"),
    })
}

pub(crate) fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// An `etag`-looking string, stable per input.
pub(crate) fn etag(seed: &str) -> String {
    crate::codec::base64url(&crate::codec::sha256(seed.as_bytes())[..20])
}

pub(crate) fn thumbnails(id: &str) -> Value {
    let url = |name: &str| format!("https://i.ytimg.com/vi/{id}/{name}.jpg");
    json!({
        "default": {"url": url("default"), "width": 120, "height": 90},
        "medium": {"url": url("mqdefault"), "width": 320, "height": 180},
        "high": {"url": url("hqdefault"), "width": 480, "height": 360},
    })
}

/// The `video` resource with the requested parts.
pub(crate) fn resource(video: &Video, parts: &[String]) -> Value {
    let m = &video.meta;
    let mut out = json!({
        "kind": "youtube#video",
        "etag": etag(&format!("{}:{}:{}", video.id, m.title, m.privacy)),
        "id": video.id,
    });
    for part in parts {
        match part.as_str() {
            "snippet" => {
                let mut snippet = json!({
                    "publishedAt": iso(video.published_ms),
                    "channelId": seed::YOUTUBE_CHANNEL_ID,
                    "title": m.title,
                    "description": m.description,
                    "thumbnails": thumbnails(&video.id),
                    "channelTitle": CHANNEL_TITLE,
                    "categoryId": m.category_id,
                    "liveBroadcastContent": "none",
                    "localized": {"title": m.title, "description": m.description},
                });
                if !m.tags.is_empty() {
                    snippet["tags"] = json!(m.tags);
                }
                out["snippet"] = snippet;
            }
            "status" => {
                let mut status = json!({
                    "uploadStatus": "uploaded",
                    "privacyStatus": m.privacy,
                    "license": "youtube",
                    "embeddable": true,
                    "publicStatsViewable": true,
                    "madeForKids": m.made_for_kids.unwrap_or(false),
                });
                if let Some(at) = &m.publish_at {
                    status["publishAt"] = json!(at);
                }
                if let Some(kids) = m.made_for_kids {
                    status["selfDeclaredMadeForKids"] = json!(kids);
                }
                if let Some(synthetic) = m.synthetic {
                    status["containsSyntheticMedia"] = json!(synthetic);
                }
                out["status"] = status;
            }
            "contentDetails" => {
                // Just uploaded: YouTube has not processed the file yet.
                out["contentDetails"] = json!({
                    "duration": "P0D", "dimension": "2d", "definition": "sd",
                    "caption": "false", "licensedContent": false,
                    "contentRating": {}, "projection": "rectangular",
                });
            }
            "processingDetails" => {
                out["processingDetails"] = json!({"processingStatus": "processing"});
            }
            "statistics" => out["statistics"] = stats::video_part(video, now_ms()),
            // Other parts have nothing to show for a fresh upload.
            _ => {}
        }
    }
    out
}

/// `GET /youtube/v3/videos?id=…&part=…`.
pub(crate) fn list(inner: &Inner, call: &Call) -> Result<Response, GError> {
    let parts = parts(call)?;
    let Some(ids) = call.query_value("id") else {
        return Err(GError::new(
            400,
            "youtube.parameter",
            "missingRequiredParameter",
            "No filter selected. Expected one of: chart, id, myRating",
        ));
    };
    let items: Vec<Value> = ids
        .split(',')
        .filter_map(|id| inner.videos.iter().find(|v| v.id == id && !v.deleted))
        .map(|v| resource(v, &parts))
        .collect();
    Ok(axum::Json(json!({
        "kind": "youtube#videoListResponse",
        "etag": etag(ids),
        "items": items,
        "pageInfo": {"totalResults": items.len(), "resultsPerPage": items.len()},
    }))
    .into_response())
}

/// `DELETE /youtube/v3/videos?id=…` → 204.
pub(crate) fn delete(
    state: &SandboxState,
    inner: &mut Inner,
    call: &Call,
) -> Result<Response, GError> {
    let id = call
        .query_value("id")
        .ok_or_else(|| GError::required_parameter("id"))?;
    let video = inner
        .videos
        .iter_mut()
        .find(|v| v.id == id && !v.deleted)
        .ok_or_else(GError::video_not_found)?;
    video.deleted = true;
    state.inner.ledger.mark_deleted(video.ledger_seq);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A channel's avatar sizes as `channels.list` gives them (88, 240 and 800
/// px squares on yt3.ggpht.com, unlike a video's 120×90 `i.ytimg.com` frames;
/// https://developers.google.com/youtube/v3/docs/channels#snippet.thumbnails).
fn channel_thumbnails() -> Value {
    let url =
        |s: u32| format!("https://yt3.ggpht.com/crierSandboxChannel=s{s}-c-k-c0x00ffffff-no-rj");
    json!({
        "default": {"url": url(88), "width": 88, "height": 88},
        "medium": {"url": url(240), "width": 240, "height": 240},
        "high": {"url": url(800), "width": 800, "height": 800},
    })
}

/// The channel's uploads playlist (`UC…` → `UU…`, as YouTube derives it).
fn uploads_playlist() -> String {
    let id = seed::YOUTUBE_CHANNEL_ID;
    format!("UU{}", id.strip_prefix("UC").unwrap_or(id))
}

/// `GET /youtube/v3/channels?part=snippet,statistics,…&mine=true` (or
/// `id=`): the sandbox channel with the requested parts.
pub(crate) fn channels(inner: &Inner, call: &Call) -> Result<Response, GError> {
    let parts = parts_of(call, &CHANNEL_PARTS)?;
    let mine = call.query_value("mine") == Some("true");
    let by_id = call
        .query_value("id")
        .is_some_and(|ids| ids.split(',').any(|i| i == seed::YOUTUBE_CHANNEL_ID));
    let items = if mine || by_id {
        let mut channel = json!({
            "kind": "youtube#channel",
            "etag": etag(seed::YOUTUBE_CHANNEL_ID),
            "id": seed::YOUTUBE_CHANNEL_ID,
        });
        for part in &parts {
            match part.as_str() {
                "snippet" => {
                    channel["snippet"] = json!({
                        "title": CHANNEL_TITLE,
                        "description": "",
                        "customUrl": "@crier_sandbox",
                        "publishedAt": "2020-01-01T00:00:00Z",
                        "thumbnails": channel_thumbnails(),
                        "localized": {"title": CHANNEL_TITLE, "description": ""},
                    });
                }
                "statistics" => {
                    channel["statistics"] = stats::channel_part(&inner.videos, now_ms());
                }
                "contentDetails" => {
                    channel["contentDetails"] =
                        json!({"relatedPlaylists": {"likes": "LL", "uploads": uploads_playlist()}});
                }
                "status" => {
                    channel["status"] = json!({
                        "privacyStatus": "public",
                        "isLinked": true,
                        "longUploadsStatus": "allowed",
                        "madeForKids": false,
                    });
                }
                // Other parts have nothing the sandbox could say.
                _ => {}
            }
        }
        vec![channel]
    } else {
        Vec::new()
    };
    Ok(axum::Json(json!({
        "kind": "youtube#channelListResponse",
        "etag": etag("channels"),
        "pageInfo": {"totalResults": items.len(), "resultsPerPage": 5},
        "items": items,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> Result<Metadata, &'static str> {
        validate(v.as_object().unwrap()).map_err(|e| e.reason())
    }

    #[test]
    fn validates_metadata() {
        let ok = check(json!({"snippet": {"title": "Hi", "description": "d"}, "status": {"privacyStatus": "unlisted"}})).unwrap();
        assert_eq!(
            (ok.privacy.as_str(), ok.category_id.as_str()),
            ("unlisted", "22")
        );
        assert_eq!(check(json!({})).unwrap_err(), "invalidTitle");
        assert_eq!(
            check(json!({"snippet": {"title": "a<b"}})).unwrap_err(),
            "invalidTitle"
        );
        assert_eq!(
            check(json!({"snippet": {"title": "x".repeat(101)}})).unwrap_err(),
            "invalidTitle"
        );
        assert!(check(json!({"snippet": {"title": "é".repeat(100)}})).is_ok());
        assert_eq!(
            check(json!({"snippet": {"title": "t", "description": "d".repeat(5001)}})).unwrap_err(),
            "invalidDescription"
        );
        assert_eq!(
            check(json!({"snippet": {"title": "t"}, "status": {"privacyStatus": "friends"}}))
                .unwrap_err(),
            "invalidVideoMetadata"
        );
        assert_eq!(
            check(json!({"snippet": {"title": "t"}, "status": {"privacyStatus": "public", "publishAt": "2999-01-01T00:00:00Z"}})).unwrap_err(),
            "invalidPublishAt"
        );
        assert_eq!(
            check(json!({"snippet": {"title": "t", "categoryId": "abc"}})).unwrap_err(),
            "invalidCategoryId"
        );
    }
}
