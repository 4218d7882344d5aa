//! `app.bsky.feed.getPosts` and `app.bsky.feed.getAuthorFeed`: post views
//! of what the sandbox's repo holds, with engagement counts.
//!
//! Counts are plausible rather than real: stable per post (hashed from its
//! URI) and growing with its age, so reposts, replies and quotes stay below
//! likes. Deleted posts are gone from both methods, as on the AppView.

use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::actor::{POST, basic_view, resolve_actor};
use super::session::find_account;
use super::{BlueskyState, Call, StoredRecord, XrpcError, XrpcResult, now_secs, required_str};
use crate::codec;
use crate::ledger::now_ms;

/// getPosts takes at most this many URIs.
const MAX_URIS: usize = 25;
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 100;
const HOUR_MS: i64 = 3_600_000;
/// Counts stop growing after 30 days.
const MAX_AGE_HOURS: i64 = 24 * 30;
const FILTERS: [&str; 5] = [
    "posts_with_replies",
    "posts_no_replies",
    "posts_with_media",
    "posts_and_author_threads",
    "posts_with_video",
];

/// Engagement of one post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counts {
    likes: u64,
    reposts: u64,
    replies: u64,
    quotes: u64,
}

fn counts(uri: &str, indexed_ms: i64, now: i64) -> Counts {
    let digest = codec::sha256(uri.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    let h = u64::from_be_bytes(bytes);
    let hours = ((now - indexed_ms).max(0) / HOUR_MS).min(MAX_AGE_HOURS) as u64;
    let likes = hours * (1 + h % 3) + (h >> 8) % 3;
    Counts {
        likes,
        reposts: likes / 5,
        replies: likes / 4,
        quotes: likes / 10,
    }
}

/// The AppView's timestamp format: `2025-01-01T12:00:00.000Z`.
fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn blob_cid(blob: Option<&Value>) -> Option<&str> {
    blob?.get("ref")?.get("$link")?.as_str()
}

/// The `#view` of an embed the AppView renders (images, video, external
/// links); other embeds are left out of the view.
fn embed_view(did: &str, embed: &Map<String, Value>) -> Option<Value> {
    let cdn =
        |kind: &str, cid: &str| format!("https://cdn.bsky.app/img/{kind}/plain/{did}/{cid}@jpeg");
    match embed.get("$type").and_then(Value::as_str)? {
        "app.bsky.embed.images" => {
            let images: Vec<Value> = embed
                .get("images")?
                .as_array()?
                .iter()
                .filter_map(|image| {
                    let cid = blob_cid(image.get("image"))?;
                    let mut view = json!({
                        "thumb": cdn("feed_thumbnail", cid),
                        "fullsize": cdn("feed_fullsize", cid),
                        "alt": image.get("alt").cloned().unwrap_or(json!("")),
                    });
                    if let Some(ratio) = image.get("aspectRatio") {
                        view["aspectRatio"] = ratio.clone();
                    }
                    Some(view)
                })
                .collect();
            Some(json!({"$type": "app.bsky.embed.images#view", "images": images}))
        }
        "app.bsky.embed.video" => {
            let cid = blob_cid(embed.get("video"))?;
            Some(json!({
                "$type": "app.bsky.embed.video#view",
                "cid": cid,
                "playlist": format!("https://video.bsky.app/watch/{did}/{cid}/playlist.m3u8"),
                "thumbnail": format!("https://video.bsky.app/watch/{did}/{cid}/thumbnail.jpg"),
            }))
        }
        "app.bsky.embed.external" => {
            let external = embed.get("external")?;
            let mut view = json!({
                "uri": external.get("uri").cloned().unwrap_or(json!("")),
                "title": external.get("title").cloned().unwrap_or(json!("")),
                "description": external.get("description").cloned().unwrap_or(json!("")),
            });
            if let Some(cid) = blob_cid(external.get("thumb")) {
                view["thumb"] = json!(cdn("feed_thumbnail", cid));
            }
            Some(json!({"$type": "app.bsky.embed.external#view", "external": view}))
        }
        _ => None,
    }
}

/// `app.bsky.feed.defs#postView` of a stored post.
fn post_view(did: &str, rkey: &str, record: &StoredRecord, now: i64) -> Option<Value> {
    let account = find_account(did)?;
    let uri = format!("at://{did}/{POST}/{rkey}");
    let c = counts(&uri, record.indexed_ms, now);
    let mut view = json!({
        "uri": uri,
        "cid": record.cid,
        "author": basic_view(account),
        "record": record.value,
        "replyCount": c.replies,
        "repostCount": c.reposts,
        "likeCount": c.likes,
        "quoteCount": c.quotes,
        "bookmarkCount": 0,
        "indexedAt": iso(record.indexed_ms),
        "viewer": {"threadMuted": false, "embeddingDisabled": false},
        "labels": [],
    });
    if let Some(embed) = record
        .value
        .get("embed")
        .and_then(Value::as_object)
        .and_then(|e| embed_view(did, e))
    {
        view["embed"] = embed;
    }
    Some(view)
}

/// `at://<did|handle>/<collection>/<rkey>` split up; `None` when malformed.
fn parse_at_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut parts = rest.splitn(3, '/');
    let (authority, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    if authority.is_empty() || collection.is_empty() || rkey.is_empty() || rkey.contains('/') {
        return None;
    }
    Some((authority, collection, rkey))
}

/// `app.bsky.feed.getPosts?uris=…&uris=…` → `{"posts":[postView…]}` in the
/// order asked, each once; unknown and deleted posts are simply absent.
pub(crate) fn get_posts(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let inner = bs.lock();
    inner.sessions.check_access(&call.headers, now_secs())?;
    let uris = call.all("uris");
    if uris.is_empty() {
        return Err(XrpcError::invalid("Params must have the property \"uris\""));
    }
    if uris.len() > MAX_URIS {
        return Err(XrpcError::invalid(format!(
            "Params/uris must not have more than {MAX_URIS} elements"
        )));
    }
    let mut wanted = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let parsed = parse_at_uri(uri)
            .ok_or_else(|| XrpcError::invalid(format!("Params/uris/{i} must be a valid at-uri")))?;
        wanted.push(parsed);
    }
    let now = now_ms();
    let mut seen = Vec::new();
    let mut posts = Vec::new();
    for (authority, collection, rkey) in wanted {
        let Some(account) = find_account(authority) else {
            continue;
        };
        let key = (
            account.did.to_owned(),
            collection.to_owned(),
            rkey.to_owned(),
        );
        if collection != POST || seen.contains(&key) {
            continue;
        }
        if let Some(view) = inner
            .records
            .get(&key)
            .and_then(|record| post_view(account.did, rkey, record, now))
        {
            posts.push(view);
        }
        seen.push(key);
    }
    Ok(axum::Json(json!({ "posts": posts })).into_response())
}

fn parse_limit(call: &Call) -> Result<usize, XrpcError> {
    let Some(raw) = call.query.get("limit").and_then(Value::as_str) else {
        return Ok(DEFAULT_LIMIT);
    };
    // Wordings follow the lexicon validator's style (not documented).
    let n: i64 = raw
        .trim()
        .parse()
        .map_err(|_| XrpcError::invalid("Params/limit must be an integer"))?;
    if n < 1 {
        return Err(XrpcError::invalid("Params/limit can not be less than 1"));
    }
    if n > MAX_LIMIT as i64 {
        return Err(XrpcError::invalid(format!(
            "Params/limit can not be greater than {MAX_LIMIT}"
        )));
    }
    Ok(n as usize)
}

/// The feed's opaque cursor: the creation order of the last post given.
fn cursor_for(seq: u64) -> String {
    codec::base64url(format!("seq:{seq}").as_bytes())
}

fn parse_cursor(cursor: &str) -> Option<u64> {
    let decoded = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(decoded)
        .ok()?
        .strip_prefix("seq:")?
        .parse()
        .ok()
}

fn has_media(record: &Value, video_only: bool) -> bool {
    let embed = record.get("embed");
    let kind = |e: Option<&Value>| {
        e.and_then(|e| e.get("$type"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let outer = kind(embed);
    let inner = kind(embed.and_then(|e| e.get("media")));
    [outer, inner].iter().any(|k| {
        if video_only {
            k == "app.bsky.embed.video"
        } else {
            k == "app.bsky.embed.images" || k == "app.bsky.embed.video"
        }
    })
}

/// `app.bsky.feed.getAuthorFeed?actor=&limit=&cursor=&filter=` →
/// `{"feed":[{"post":postView}…],"cursor"?}`, newest first; `cursor` only
/// while more posts follow.
pub(crate) fn get_author_feed(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let inner = bs.lock();
    inner.sessions.check_access(&call.headers, now_secs())?;
    let account = resolve_actor(required_str(&call.query, "Params", "actor")?)?;
    let limit = parse_limit(call)?;
    let filter = match call.query.get("filter").and_then(Value::as_str) {
        None => "posts_with_replies",
        Some(f) if FILTERS.contains(&f) => f,
        Some(_) => {
            return Err(XrpcError::invalid(format!(
                "Params/filter must be one of ({})",
                FILTERS.join("|")
            )));
        }
    };
    let before = match call.query.get("cursor").and_then(Value::as_str) {
        None | Some("") => None,
        Some(c) => Some(parse_cursor(c).ok_or_else(|| XrpcError::invalid("Malformed cursor"))?),
    };
    let mut posts: Vec<(&String, &StoredRecord)> = inner
        .records
        .iter()
        .filter(|((did, collection, _), _)| did == account.did && collection == POST)
        .filter(|(_, r)| before.is_none_or(|b| r.seq < b))
        .filter(|(_, r)| match filter {
            "posts_no_replies" => r.value.get("reply").is_none(),
            "posts_with_media" => has_media(&r.value, false),
            "posts_with_video" => has_media(&r.value, true),
            _ => true,
        })
        .map(|((_, _, rkey), r)| (rkey, r))
        .collect();
    posts.sort_by_key(|(_, r)| std::cmp::Reverse(r.seq));
    let now = now_ms();
    let page: Vec<&(&String, &StoredRecord)> = posts.iter().take(limit).collect();
    let feed: Vec<Value> = page
        .iter()
        .filter_map(|(rkey, record)| post_view(account.did, rkey, record, now))
        .map(|post| json!({ "post": post }))
        .collect();
    let mut body = json!({ "feed": feed });
    if posts.len() > page.len()
        && let Some((_, last)) = page.last()
    {
        body["cursor"] = json!(cursor_for(last.seq));
    }
    Ok(axum::Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cursors_and_uris() {
        let a = counts("at://d/app.bsky.feed.post/x", 0, 10 * HOUR_MS);
        assert_eq!(a, counts("at://d/app.bsky.feed.post/x", 0, 10 * HOUR_MS));
        assert!(a.reposts <= a.likes && a.replies <= a.likes && a.quotes <= a.likes);
        assert!(counts("at://d/app.bsky.feed.post/x", 0, 20 * HOUR_MS).likes > a.likes);
        assert_eq!(parse_cursor(&cursor_for(42)), Some(42));
        assert_eq!(parse_cursor("!!"), None);
        assert_eq!(parse_cursor(&codec::base64url(b"other")), None);
        assert_eq!(
            parse_at_uri("at://did:plc:x/app.bsky.feed.post/3k"),
            Some(("did:plc:x", "app.bsky.feed.post", "3k"))
        );
        assert_eq!(parse_at_uri("https://x/y/z"), None);
        assert_eq!(parse_at_uri("at://did:plc:x/app.bsky.feed.post"), None);
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
    }
}
