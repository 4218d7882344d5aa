//! Display API reads for history and analytics: `POST /v2/video/list/`
//! (the user's posts, newest first, paged by `cursor`), `POST
//! /v2/video/query/` (`filters.video_ids`, up to 20) and `GET
//! /v2/user/info/`, each with `?fields=…` selecting the returned fields
//! (https://developers.tiktok.com/doc/tiktok-api-v2-video-list,
//! …/tiktok-api-v2-video-query, …/tiktok-api-v2-get-user-info). Counts come
//! from `POST /_sandbox/tiktok/stats` (zero otherwise). Photo posts are
//! listed too (chosen). The `cursor` is an offset (TikTok's is opaque).

use axum::response::Response;
use serde_json::{Map, Value, json};

use super::error::{TtError, ok};
use super::{Call, Inner};
use crate::seed;

/// A published post.
#[derive(Clone, Debug)]
pub(crate) struct Posted {
    pub id: String,
    pub title: String,
    pub description: String,
    pub photo: bool,
    /// Unix seconds.
    pub create_time: i64,
}

fn video_json(inner: &Inner, post: &Posted, fields: &[String]) -> Value {
    let [views, likes, comments, shares] = inner.stats.get(&post.id).copied().unwrap_or_default();
    let share_url = format!(
        "https://www.tiktok.com/@{}/{}/{}",
        seed::TIKTOK_USERNAME,
        if post.photo { "photo" } else { "video" },
        post.id
    );
    let mut out = Map::new();
    for field in fields {
        let value = match field.as_str() {
            "id" => json!(post.id),
            "create_time" => json!(post.create_time),
            "title" => json!(post.title),
            "video_description" => json!(if post.photo {
                &post.description
            } else {
                &post.title
            }),
            "duration" => json!(if post.photo { 0 } else { 15 }),
            "cover_image_url" => json!(format!(
                "https://p16-sign.tiktokcdn.com/sandbox/{}.jpeg",
                post.id
            )),
            "share_url" => json!(share_url),
            "embed_link" => json!(format!("https://www.tiktok.com/player/v1/{}", post.id)),
            "height" => json!(1920),
            "width" => json!(1080),
            "view_count" => json!(views),
            "like_count" => json!(likes),
            "comment_count" => json!(comments),
            "share_count" => json!(shares),
            _ => continue,
        };
        out.insert(field.clone(), value);
    }
    Value::Object(out)
}

/// `POST /v2/video/list/?fields=…` `{"max_count", "cursor"}`.
pub(crate) fn list(inner: &Inner, call: &Call) -> Result<Response, TtError> {
    let fields = call.fields()?;
    let body = call.json_object()?;
    let max_count = body.get("max_count").and_then(Value::as_u64).unwrap_or(10);
    if !(1..=20).contains(&max_count) {
        return Err(TtError::invalid_params(
            "max_count must be between 1 and 20.",
        ));
    }
    let cursor = body.get("cursor").and_then(Value::as_u64).unwrap_or(0) as usize;
    let newest_first: Vec<&Posted> = inner.posted.iter().rev().collect();
    let page: Vec<Value> = newest_first
        .iter()
        .skip(cursor)
        .take(max_count as usize)
        .map(|p| video_json(inner, p, &fields))
        .collect();
    let next = cursor + page.len();
    Ok(ok(json!({
        "videos": page,
        "cursor": next,
        "has_more": next < newest_first.len(),
    })))
}

/// `POST /v2/video/query/?fields=…` `{"filters":{"video_ids":[…]}}`.
pub(crate) fn query(inner: &Inner, call: &Call) -> Result<Response, TtError> {
    let fields = call.fields()?;
    let body = call.json_object()?;
    let ids: Vec<&str> = body
        .get("filters")
        .and_then(|f| f.get("video_ids"))
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if ids.is_empty() || ids.len() > 20 {
        return Err(TtError::invalid_params(
            "filters.video_ids must hold 1 to 20 ids.",
        ));
    }
    let videos: Vec<Value> = inner
        .posted
        .iter()
        .filter(|p| ids.contains(&p.id.as_str()))
        .map(|p| video_json(inner, p, &fields))
        .collect();
    Ok(ok(json!({"videos": videos})))
}

/// `GET /v2/user/info/?fields=…`.
pub(crate) fn user_info(inner: &Inner, call: &Call) -> Result<Response, TtError> {
    let fields = call.fields()?;
    let mut user = Map::new();
    for field in &fields {
        let value = match field.as_str() {
            "open_id" => json!(seed::TIKTOK_OPEN_ID),
            "union_id" => json!("crier-sandbox-union-id-0001"),
            "avatar_url" => json!("https://p16-sign.tiktokcdn.com/sandbox/avatar.jpeg"),
            "display_name" => json!("Crier Sandbox"),
            "username" => json!(seed::TIKTOK_USERNAME),
            "profile_deep_link" => {
                json!(format!("https://vm.tiktok.com/@{}", seed::TIKTOK_USERNAME))
            }
            "is_verified" => json!(false),
            "follower_count" | "following_count" | "likes_count" => json!(0),
            "video_count" => json!(inner.posted.len()),
            _ => continue,
        };
        user.insert(field.clone(), value);
    }
    Ok(ok(json!({"user": user})))
}
