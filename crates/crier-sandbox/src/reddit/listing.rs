//! Reads: `GET /api/info?id=t3_a,t3_b` (or `url=`), `GET
//! /user/{name}/submitted?limit=&after=&before=` and `GET /api/v1/me`.
//!
//! Listings are `{"kind":"Listing","data":{"after","before","dist",
//! "modhash","geo_filter","children":[{"kind":"t3","data":{…}}]}}`;
//! `limit` is 1–100 (default 25), newest first, `after`/`before` are
//! fullnames. A deleted post still shows in `/api/info` with author and
//! selftext `[deleted]` and `removed_by_category: "deleted"`, and leaves the
//! user's submitted listing.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Call;
use super::error::http_error;
use super::submit::Post;
use crate::SandboxState;
use crate::seed;

const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 100;
/// When the seeded account was made (2024-01-01).
const ACCOUNT_CREATED_UTC: f64 = 1_704_067_200.0;

fn post_json(post: &Post) -> Value {
    let url = post
        .url
        .clone()
        .unwrap_or_else(|| format!("https://www.reddit.com{}", post.permalink()));
    let domain = if post.is_self {
        format!("self.{}", post.subreddit)
    } else {
        reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_owned())
            })
            .unwrap_or_default()
    };
    let deleted = post.deleted;
    json!({
        "kind": "t3",
        "data": {
            "id": post.id,
            "name": post.fullname(),
            "title": post.title,
            "selftext": if deleted && post.is_self { "[deleted]".to_owned() } else { post.selftext.clone() },
            "selftext_html": null,
            "is_self": post.is_self,
            "url": url,
            "domain": domain,
            "permalink": post.permalink(),
            "subreddit": post.subreddit,
            "subreddit_name_prefixed": format!("r/{}", post.subreddit),
            "author": if deleted { "[deleted]" } else { seed::REDDIT_USERNAME },
            "created_utc": post.created_ms as f64 / 1000.0,
            "score": post.score,
            "ups": post.score.max(0),
            "downs": 0,
            "upvote_ratio": 1.0,
            "num_comments": post.num_comments,
            "over_18": post.nsfw,
            "spoiler": post.spoiler,
            "send_replies": post.send_replies,
            "link_flair_text": post.flair_text,
            "link_flair_template_id": post.flair_id,
            "removed_by_category": if deleted { Some("deleted") } else { None },
            "stickied": false,
            "locked": false,
            "archived": false,
        }
    })
}

fn listing(children: Vec<Value>, after: Option<String>, before: Option<String>) -> Response {
    axum::Json(json!({
        "kind": "Listing",
        "data": {
            "after": after,
            "before": before,
            "dist": children.len(),
            "modhash": null,
            "geo_filter": "",
            "children": children,
        }
    }))
    .into_response()
}

/// `GET /api/info`.
pub(crate) fn info(state: &SandboxState, call: &Call) -> Response {
    let inner = state.inner.reddit.lock();
    let children: Vec<Value> = if let Some(ids) = call.param("id") {
        ids.split(',')
            .map(str::trim)
            .filter_map(|id| inner.posts.iter().find(|p| p.fullname() == id))
            .map(post_json)
            .collect()
    } else if let Some(url) = call.param("url").map(str::trim) {
        inner
            .posts
            .iter()
            .rev()
            .filter(|p| !p.deleted && p.url.as_deref() == Some(url))
            .map(post_json)
            .collect()
    } else {
        Vec::new()
    };
    listing(children, None, None)
}

/// `GET /user/{name}/submitted`.
pub(crate) fn submitted(state: &SandboxState, call: &Call, name: &str) -> Response {
    if !name.eq_ignore_ascii_case(seed::REDDIT_USERNAME) {
        return http_error(StatusCode::NOT_FOUND);
    }
    let limit = call
        .param("limit")
        .and_then(|l| l.trim().parse::<usize>().ok())
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, MAX_LIMIT);
    let inner = state.inner.reddit.lock();
    let live: Vec<&Post> = inner.posts.iter().rev().filter(|p| !p.deleted).collect();
    let position = |fullname: &str| live.iter().position(|p| p.fullname() == fullname);
    let (start, end) = if let Some(after) = call.param("after").filter(|a| !a.is_empty()) {
        // An unknown anchor gives an empty page, as on Reddit.
        let start = position(after).map_or(live.len(), |i| i + 1);
        (start, (start + limit).min(live.len()))
    } else if let Some(before) = call.param("before").filter(|b| !b.is_empty()) {
        let end = position(before).unwrap_or(0);
        (end.saturating_sub(limit), end)
    } else {
        (0, limit.min(live.len()))
    };
    let page = &live[start..end];
    let after = (end < live.len() && !page.is_empty()).then(|| page[page.len() - 1].fullname());
    let before = (start > 0 && !page.is_empty()).then(|| page[0].fullname());
    listing(page.iter().map(|p| post_json(p)).collect(), after, before)
}

/// `GET /api/v1/me`.
pub(crate) fn me(state: &SandboxState) -> Response {
    let suspended = state.inner.reddit.lock().suspended;
    axum::Json(json!({
        "name": seed::REDDIT_USERNAME,
        "id": "1crier0",
        "created": ACCOUNT_CREATED_UTC,
        "created_utc": ACCOUNT_CREATED_UTC,
        "link_karma": 1,
        "comment_karma": 0,
        "total_karma": 1,
        "is_suspended": suspended,
        "has_verified_email": true,
        "over_18": false,
        "is_gold": false,
        "is_mod": false,
        "icon_img": "https://www.redditstatic.com/avatars/defaults/v2/avatar_default_1.png",
    }))
    .into_response()
}
