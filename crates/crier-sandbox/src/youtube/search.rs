//! `search.list` over the sandbox channel's videos: `forMine=true&type=video`
//! (every live video, private and unlisted ones included) or
//! `channelId=<the channel>` (public ones only), newest first, paged with
//! `maxResults` (0–50, default 5) and opaque `pageToken`s. A search of
//! anything else finds nothing: the sandbox knows no other videos.
//!
//! Page tokens name a position in the channel's upload order rather than an
//! offset, so deleting a video between two pages neither skips nor repeats
//! one (YouTube's offset tokens may). `q` filters on title and
//! description, case-insensitively.

use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::error::GError;
use super::video::{CHANNEL_TITLE, Video, etag, iso, thumbnails};
use super::{Call, Inner};
use crate::ledger::now_ms;
use crate::seed;

const PARTS: [&str; 2] = ["id", "snippet"];
const DEFAULT_MAX: usize = 5;
const MAX_MAX: usize = 50;
/// Search snippets cut descriptions short, as YouTube does.
const SNIPPET_DESCRIPTION_CHARS: usize = 160;

/// Which way a page token points from its boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    /// Videos uploaded before the boundary (older).
    Next,
    /// Videos uploaded after the boundary (newer).
    Prev,
}

fn token(direction: Direction, boundary: usize) -> String {
    let tag = match direction {
        Direction::Next => 'N',
        Direction::Prev => 'P',
    };
    // A `C` prefix like YouTube's tokens (`CAUQAA`); the rest is opaque.
    format!(
        "C{}",
        URL_SAFE_NO_PAD.encode(format!("{tag}{boundary}").as_bytes())
    )
}

fn parse_token(raw: &str) -> Option<(Direction, usize)> {
    let decoded = URL_SAFE_NO_PAD.decode(raw.strip_prefix('C')?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (tag, boundary) = text.split_at_checked(1)?;
    let direction = match tag {
        "N" => Direction::Next,
        "P" => Direction::Prev,
        _ => return None,
    };
    Some((direction, boundary.parse().ok()?))
}

fn search_result(video: &Video, with_snippet: bool) -> Value {
    let mut item = json!({
        "kind": "youtube#searchResult",
        "etag": etag(&format!("search:{}", video.id)),
        "id": {"kind": "youtube#video", "videoId": video.id},
    });
    if with_snippet {
        let published = iso(video.published_ms);
        let description: String = video
            .meta
            .description
            .chars()
            .take(SNIPPET_DESCRIPTION_CHARS)
            .collect();
        item["snippet"] = json!({
            "publishedAt": published,
            "channelId": seed::YOUTUBE_CHANNEL_ID,
            "title": video.meta.title,
            "description": description,
            "thumbnails": thumbnails(&video.id),
            "channelTitle": CHANNEL_TITLE,
            "liveBroadcastContent": "none",
            "publishTime": published,
        });
    }
    item
}

/// `GET /youtube/v3/search?part=snippet&forMine=true&type=video&maxResults=&pageToken=`.
pub(crate) fn list(inner: &mut Inner, call: &Call) -> Result<Response, GError> {
    let raw_parts = call
        .query_value("part")
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| GError::required_parameter("part"))?;
    let mut with_snippet = false;
    for part in raw_parts
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !PARTS.contains(&part) {
            return Err(GError::unknown_part(part));
        }
        with_snippet |= part == "snippet";
    }
    let for_mine = call.query_value("forMine") == Some("true");
    let kind = call.query_value("type").unwrap_or("video,channel,playlist");
    if for_mine && kind != "video" {
        return Err(GError::invalid_search_filter());
    }
    let max = match call.query_value("maxResults") {
        None => DEFAULT_MAX,
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_MAX)
            .ok_or_else(|| GError::out_of_range("maxResults", raw, 0, MAX_MAX as i64))?,
    };
    let page_token = match call.query_value("pageToken").filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => Some(parse_token(raw).ok_or_else(GError::invalid_page_token)?),
    };
    let now = now_ms();
    inner.quota.charge_search(&inner.config, now)?;

    let ours = call.query_value("channelId") == Some(seed::YOUTUBE_CHANNEL_ID);
    let query = call
        .query_value("q")
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let videos_wanted = kind.split(',').any(|k| k.trim() == "video");
    // Positions in upload order of the matching videos, newest first.
    let matching: Vec<usize> = if (for_mine || ours) && videos_wanted {
        inner
            .videos
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, v)| !v.deleted && (for_mine || v.meta.privacy == "public"))
            .filter(|(_, v)| {
                query.as_deref().is_none_or(|q| {
                    v.meta.title.to_lowercase().contains(q)
                        || v.meta.description.to_lowercase().contains(q)
                })
            })
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let page: Vec<usize> = match page_token {
        None => matching.iter().copied().take(max).collect(),
        Some((Direction::Next, boundary)) => matching
            .iter()
            .copied()
            .filter(|i| *i < boundary)
            .take(max)
            .collect(),
        Some((Direction::Prev, boundary)) => {
            let newer: Vec<usize> = matching.iter().copied().filter(|i| *i > boundary).collect();
            newer[newer.len().saturating_sub(max)..].to_vec()
        }
    };
    let items: Vec<Value> = page
        .iter()
        .filter_map(|i| inner.videos.get(*i))
        .map(|v| search_result(v, with_snippet))
        .collect();
    let mut body = json!({
        "kind": "youtube#searchListResponse",
        "etag": etag(&format!("search:{raw_parts}:{page:?}")),
        "regionCode": "US",
        "pageInfo": {"totalResults": matching.len(), "resultsPerPage": max},
        "items": items,
    });
    if let Some(last) = page.last()
        && matching.iter().any(|i| i < last)
    {
        body["nextPageToken"] = json!(token(Direction::Next, *last));
    }
    if let Some(first) = page.first()
        && matching.iter().any(|i| i > first)
    {
        body["prevPageToken"] = json!(token(Direction::Prev, *first));
    }
    Ok(axum::Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        assert_eq!(
            parse_token(&token(Direction::Next, 7)),
            Some((Direction::Next, 7))
        );
        assert_eq!(
            parse_token(&token(Direction::Prev, 0)),
            Some((Direction::Prev, 0))
        );
        assert!(token(Direction::Next, 3).starts_with('C'));
        assert_eq!(parse_token("CAUQAA"), None);
        assert_eq!(parse_token(""), None);
        assert_eq!(parse_token("Cé"), None);
    }
}
