//! The Display API reads: the creator's public videos (`POST /v2/video/list/`, cursor paging,
//! https://developers.tiktok.com/doc/tiktok-api-v2-video-list), one video's counters
//! (`POST /v2/video/query/`, https://developers.tiktok.com/doc/tiktok-api-v2-video-query) and the
//! account's counters (`GET /v2/user/info/`). All need the `video.list` / `user.info.*` scopes.

use serde_json::{Value, json};

/// Video fields crier asks for (the `fields` query parameter).
pub const VIDEO_FIELDS: &str = "id,create_time,share_url,video_description,title,cover_image_url,duration,like_count,comment_count,share_count,view_count";
pub const USER_FIELDS: &str = "open_id,username,display_name,avatar_url,profile_deep_link,is_verified,follower_count,following_count,likes_count,video_count";

/// TikTok pages hold at most 20 videos.
pub const MAX_PAGE: usize = 20;

/// The `video/list` body for one page: `cursor` is TikTok's millisecond cursor from the last page.
pub fn list_body(limit: usize, cursor: Option<&str>) -> Value {
    let mut body = json!({"max_count": limit.clamp(1, MAX_PAGE)});
    if let Some(c) = cursor.and_then(|c| c.trim().parse::<i64>().ok()) {
        body["cursor"] = json!(c);
    }
    body
}

/// The cursor of the next page, when TikTok says there is one.
pub fn next_cursor(data: &Value) -> Option<String> {
    if data.get("has_more").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    data.get("cursor").and_then(Value::as_i64).map(|c| c.to_string())
}

fn created(v: &Value) -> Value {
    v.get("create_time")
        .and_then(Value::as_i64)
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| json!(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

/// One video in the shape crier reports (history and analytics).
pub fn video(v: &Value) -> Value {
    let caption = v.get("video_description").filter(|d| d.as_str().is_some_and(|s| !s.is_empty())).or_else(|| v.get("title"));
    json!({
        "id": v.get("id"),
        "post": caption,
        "postUrl": v.get("share_url"),
        "created": created(v),
        "coverImageUrl": v.get("cover_image_url"),
        "duration": v.get("duration"),
        "likeCount": v.get("like_count"),
        "commentsCount": v.get("comment_count"),
        "sharesCount": v.get("share_count"),
        "viewsCount": v.get("view_count"),
    })
}

pub fn videos(data: &Value) -> Vec<Value> {
    data.get("videos").and_then(Value::as_array).into_iter().flatten().map(video).collect()
}

/// The account's counters from `user/info`.
pub fn account(user: &Value) -> Value {
    json!({
        "openId": user.get("open_id"),
        "username": user.get("username"),
        "displayName": user.get("display_name"),
        "userImage": user.get("avatar_url"),
        "profileUrl": user.get("profile_deep_link"),
        "verified": user.get("is_verified"),
        "followersCount": user.get("follower_count"),
        "followingCount": user.get("following_count"),
        "likesCount": user.get("likes_count"),
        "videoCount": user.get("video_count"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_pages_follow_tiktoks_cursor() {
        assert_eq!(list_body(50, None), json!({"max_count": 20}));
        assert_eq!(list_body(5, Some("1643332803000")), json!({"max_count": 5, "cursor": 1643332803000i64}));
        assert_eq!(list_body(0, Some("not-a-cursor")), json!({"max_count": 1}));
        assert_eq!(next_cursor(&json!({"has_more": true, "cursor": 1643332803000i64})).as_deref(), Some("1643332803000"));
        assert_eq!(next_cursor(&json!({"has_more": false, "cursor": 1643332803000i64})), None);
    }

    #[test]
    fn videos_are_reported_in_crier_shape() {
        let data = json!({"videos": [{"id": "7077642457847991554", "create_time": 1700000000, "share_url": "https://www.tiktok.com/@acme/video/7077642457847991554",
                                      "video_description": "Launch day!", "title": "", "like_count": 3, "comment_count": 1, "share_count": 0, "view_count": 42}]});
        let v = &videos(&data)[0];
        assert_eq!(v["id"], "7077642457847991554");
        assert_eq!(v["post"], "Launch day!");
        assert_eq!(v["created"], "2023-11-14T22:13:20Z");
        assert_eq!((v["likeCount"].as_i64(), v["viewsCount"].as_i64()), (Some(3), Some(42)));
        assert!(videos(&json!({})).is_empty());
    }
}
