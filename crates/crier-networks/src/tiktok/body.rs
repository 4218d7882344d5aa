//! Request bodies: `tikTokOptions` (Ayrshare) → TikTok's init calls.
//!
//! Video direct post: `POST /v2/post/publish/video/init/` with `post_info{title, privacy_level,
//! disable_duet, disable_comment, disable_stitch, video_cover_timestamp_ms, brand_content_toggle,
//! brand_organic_toggle, is_aigc}` and `source_info{source: PULL_FROM_URL, video_url}`
//! (https://developers.tiktok.com/doc/content-posting-api-reference-direct-post).
//! Video draft: `POST /v2/post/publish/inbox/video/init/` with `source_info` only
//! (https://developers.tiktok.com/doc/content-posting-api-reference-upload-video).
//! Photos: `POST /v2/post/publish/content/init/` with `media_type: PHOTO`, `post_mode`
//! (`DIRECT_POST` | `MEDIA_UPLOAD` for a draft), `post_info{title, description, privacy_level,
//! disable_comment, auto_add_music, brand_content_toggle, brand_organic_toggle}` and
//! `source_info{source: PULL_FROM_URL, photo_images, photo_cover_index}`
//! (https://developers.tiktok.com/doc/content-posting-api-reference-photo-post).

use crate::Content;
use serde_json::{Map, Value, json};

/// Ayrshare's `visibility` and TikTok's `privacy_level`, most public first.
pub const PRIVACY_LEVELS: [(&str, &str); 4] = [
    ("public", "PUBLIC_TO_EVERYONE"),
    ("followers", "FOLLOWER_OF_CREATOR"),
    ("friends", "MUTUAL_FOLLOW_FRIENDS"),
    ("private", "SELF_ONLY"),
];

/// What `creator_info/query` says about the creator
/// (https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Creator {
    pub username: Option<String>,
    pub privacy_options: Vec<String>,
    pub comment_disabled: bool,
    pub duet_disabled: bool,
    pub stitch_disabled: bool,
    pub max_video_sec: Option<u64>,
}

impl Creator {
    pub fn from_data(data: &Value) -> Creator {
        let flag = |k: &str| data.get(k).and_then(Value::as_bool).unwrap_or(false);
        Creator {
            username: data.get("creator_username").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
            privacy_options: data
                .get("privacy_level_options")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            comment_disabled: flag("comment_disabled"),
            duet_disabled: flag("duet_disabled"),
            stitch_disabled: flag("stitch_disabled"),
            max_video_sec: data.get("max_video_post_duration_sec").and_then(Value::as_u64),
        }
    }
}

fn flag(o: &Map<String, Value>, k: &str) -> bool {
    o.get(k).and_then(Value::as_bool).unwrap_or(false)
}

pub fn is_draft(o: &Map<String, Value>) -> bool {
    flag(o, "draft")
}

/// The privacy level to post with: the `visibility` asked for when TikTok offers it, else the most
/// public level offered. `Err` carries the details of a 915.
pub fn privacy_level(o: &Map<String, Value>, offered: &[String]) -> Result<&'static str, String> {
    let offered_text = || format!("TikTok offers this account: [{}]", offered.join(", "));
    match o.get("visibility").and_then(Value::as_str) {
        Some(wanted) => {
            let Some((_, level)) = PRIVACY_LEVELS.iter().find(|(v, _)| v.eq_ignore_ascii_case(wanted.trim())) else {
                return Err(format!("visibility \"{wanted}\" is not one of public, followers, friends, private"));
            };
            if offered.iter().any(|o| o == level) {
                Ok(level)
            } else {
                Err(format!("visibility \"{wanted}\" ({level}) is not offered; {}", offered_text()))
            }
        }
        None => PRIVACY_LEVELS
            .iter()
            .map(|(_, level)| *level)
            .find(|level| offered.iter().any(|o| o == level))
            .ok_or_else(|| format!("no privacy level to post with; {}", offered_text())),
    }
}

/// The step data `prepare` hands to `publish` (persisted).
pub fn step(creator: Option<&Creator>, privacy: Option<&str>, draft: bool) -> Value {
    let c = creator.cloned().unwrap_or_default();
    json!({
        "draft": draft,
        "privacyLevel": privacy,
        "username": c.username,
        "commentDisabled": c.comment_disabled,
        "duetDisabled": c.duet_disabled,
        "stitchDisabled": c.stitch_disabled,
        "maxVideoPostDurationSec": c.max_video_sec,
    })
}

fn step_flag(step: &Value, k: &str) -> bool {
    step.get(k).and_then(Value::as_bool).unwrap_or(false)
}

/// The one init call that makes TikTok publish (or send to the inbox).
#[derive(Debug, PartialEq)]
pub struct Init {
    pub path: &'static str,
    pub body: Value,
    /// The scope the endpoint needs (named in 915 details when it is missing).
    pub scope: &'static str,
}

pub const VIDEO_INIT: &str = "/v2/post/publish/video/init/";
pub const INBOX_VIDEO_INIT: &str = "/v2/post/publish/inbox/video/init/";
pub const CONTENT_INIT: &str = "/v2/post/publish/content/init/";

/// Builds the init call. `video` says whether the single media URL is a video.
pub fn init(content: &Content, step: &Value, video: bool) -> Init {
    let o = &content.options;
    let draft = step_flag(step, "draft");
    let privacy = step.get("privacyLevel").and_then(Value::as_str);
    // A creator who turned an interaction off cannot have it on for one post (TikTok UX rules).
    let disable_comment = flag(o, "disableComments") || step_flag(step, "commentDisabled");
    let url_list: Vec<&str> = content.media_urls.iter().map(String::as_str).collect();
    if video {
        let source = json!({"source": "PULL_FROM_URL", "video_url": url_list.first().copied().unwrap_or_default()});
        if draft {
            return Init { path: INBOX_VIDEO_INIT, body: json!({"source_info": source}), scope: "video.upload" };
        }
        let mut post = Map::new();
        post.insert("title".into(), json!(content.text));
        post.insert("privacy_level".into(), json!(privacy));
        post.insert("disable_comment".into(), json!(disable_comment));
        post.insert("disable_duet".into(), json!(flag(o, "disableDuet") || step_flag(step, "duetDisabled")));
        post.insert("disable_stitch".into(), json!(flag(o, "disableStitch") || step_flag(step, "stitchDisabled")));
        if let Some(ms) = o.get("thumbNailOffset").and_then(Value::as_f64).filter(|ms| *ms >= 0.0) {
            post.insert("video_cover_timestamp_ms".into(), json!(ms.round() as u64));
        }
        post.insert("brand_content_toggle".into(), json!(flag(o, "isBrandedContent")));
        post.insert("brand_organic_toggle".into(), json!(flag(o, "isBrandOrganic")));
        post.insert("is_aigc".into(), json!(flag(o, "isAIGenerated")));
        return Init { path: VIDEO_INIT, body: json!({"post_info": post, "source_info": source}), scope: "video.publish" };
    }
    let mut post = Map::new();
    if let Some(title) = o.get("title").and_then(Value::as_str).filter(|t| !t.is_empty()) {
        post.insert("title".into(), json!(title));
    }
    post.insert("description".into(), json!(content.text));
    if !draft {
        post.insert("privacy_level".into(), json!(privacy));
        post.insert("disable_comment".into(), json!(disable_comment));
        post.insert("auto_add_music".into(), json!(flag(o, "autoAddMusic")));
        post.insert("brand_content_toggle".into(), json!(flag(o, "isBrandedContent")));
        post.insert("brand_organic_toggle".into(), json!(flag(o, "isBrandOrganic")));
    }
    let cover = o.get("imageCoverIndex").and_then(Value::as_u64).unwrap_or(0);
    let body = json!({
        "media_type": "PHOTO",
        "post_mode": if draft { "MEDIA_UPLOAD" } else { "DIRECT_POST" },
        "post_info": post,
        "source_info": {"source": "PULL_FROM_URL", "photo_images": url_list, "photo_cover_index": cover},
    });
    Init { path: CONTENT_INIT, body, scope: if draft { "video.upload" } else { "video.publish" } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn content(urls: &[&str], o: Value) -> Content {
        Content { text: "Launch day!".into(), media_urls: urls.iter().map(|u| u.to_string()).collect(), is_video: false, options: options(o) }
    }

    fn offered(levels: &[&str]) -> Vec<String> {
        levels.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn visibility_maps_to_privacy_level() {
        let all = offered(&["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]);
        assert_eq!(privacy_level(&options(json!({"visibility": "public"})), &all), Ok("PUBLIC_TO_EVERYONE"));
        assert_eq!(privacy_level(&options(json!({"visibility": "friends"})), &all), Ok("MUTUAL_FOLLOW_FRIENDS"));
        assert_eq!(privacy_level(&options(json!({"visibility": "private"})), &all), Ok("SELF_ONLY"));
        let private_account = offered(&["FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]);
        assert_eq!(privacy_level(&options(json!({"visibility": "followers"})), &private_account), Ok("FOLLOWER_OF_CREATOR"));
    }

    #[test]
    fn unoffered_visibility_names_tiktoks_options() {
        let private_account = offered(&["FOLLOWER_OF_CREATOR", "SELF_ONLY"]);
        let e = privacy_level(&options(json!({"visibility": "public"})), &private_account).unwrap_err();
        assert!(e.contains("PUBLIC_TO_EVERYONE") && e.contains("[FOLLOWER_OF_CREATOR, SELF_ONLY]"), "{e}");
        assert!(privacy_level(&options(json!({"visibility": "connections"})), &private_account).is_err());
        assert!(privacy_level(&Map::new(), &[]).is_err(), "nothing offered");
    }

    #[test]
    fn default_is_the_most_public_level_offered() {
        assert_eq!(privacy_level(&Map::new(), &offered(&["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "PUBLIC_TO_EVERYONE"])), Ok("PUBLIC_TO_EVERYONE"));
        assert_eq!(privacy_level(&Map::new(), &offered(&["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR"])), Ok("FOLLOWER_OF_CREATOR"));
        assert_eq!(privacy_level(&Map::new(), &offered(&["SELF_ONLY"])), Ok("SELF_ONLY"));
    }

    #[test]
    fn video_direct_post_body() {
        let c = content(
            &["https://media.example.com/v.mp4"],
            json!({"disableDuet": true, "thumbNailOffset": 1500, "isBrandedContent": true, "isAIGenerated": true}),
        );
        let creator = Creator { comment_disabled: true, ..Creator::default() };
        let init = init(&c, &step(Some(&creator), Some("PUBLIC_TO_EVERYONE"), false), true);
        assert_eq!(init.path, VIDEO_INIT);
        assert_eq!(init.scope, "video.publish");
        assert_eq!(
            init.body,
            json!({
                "post_info": {
                    "title": "Launch day!", "privacy_level": "PUBLIC_TO_EVERYONE",
                    "disable_comment": true, "disable_duet": true, "disable_stitch": false,
                    "video_cover_timestamp_ms": 1500, "brand_content_toggle": true,
                    "brand_organic_toggle": false, "is_aigc": true,
                },
                "source_info": {"source": "PULL_FROM_URL", "video_url": "https://media.example.com/v.mp4"},
            })
        );
    }

    #[test]
    fn video_draft_goes_to_the_inbox() {
        let c = content(&["https://media.example.com/v.mp4"], json!({"draft": true, "disableComments": true}));
        let init = init(&c, &step(None, None, true), true);
        assert_eq!(init.path, INBOX_VIDEO_INIT);
        assert_eq!(init.scope, "video.upload");
        assert_eq!(init.body, json!({"source_info": {"source": "PULL_FROM_URL", "video_url": "https://media.example.com/v.mp4"}}));
    }

    #[test]
    fn photo_direct_post_body() {
        let c = content(
            &["https://m.example.com/a.jpg", "https://m.example.com/b.webp"],
            json!({"title": "Lookbook", "imageCoverIndex": 1, "autoAddMusic": true, "isBrandOrganic": true, "disableComments": true}),
        );
        let init = init(&c, &step(None, Some("MUTUAL_FOLLOW_FRIENDS"), false), false);
        assert_eq!(init.path, CONTENT_INIT);
        assert_eq!(
            init.body,
            json!({
                "media_type": "PHOTO", "post_mode": "DIRECT_POST",
                "post_info": {
                    "title": "Lookbook", "description": "Launch day!", "privacy_level": "MUTUAL_FOLLOW_FRIENDS",
                    "disable_comment": true, "auto_add_music": true,
                    "brand_content_toggle": false, "brand_organic_toggle": true,
                },
                "source_info": {"source": "PULL_FROM_URL", "photo_images": ["https://m.example.com/a.jpg", "https://m.example.com/b.webp"], "photo_cover_index": 1},
            })
        );
    }

    #[test]
    fn photo_draft_is_a_media_upload_without_direct_post_settings() {
        let c = content(&["https://m.example.com/a.jpg"], json!({"draft": true, "autoAddMusic": true}));
        let init = init(&c, &step(None, None, true), false);
        assert_eq!(init.path, CONTENT_INIT);
        assert_eq!(init.scope, "video.upload");
        assert_eq!(init.body["post_mode"], "MEDIA_UPLOAD");
        assert_eq!(init.body["post_info"], json!({"description": "Launch day!"}));
        assert_eq!(init.body["source_info"]["photo_cover_index"], 0);
    }

    #[test]
    fn creator_info_is_read() {
        let c = Creator::from_data(&json!({
            "creator_username": "acme", "creator_nickname": "Acme",
            "privacy_level_options": ["PUBLIC_TO_EVERYONE", "SELF_ONLY"],
            "comment_disabled": false, "duet_disabled": true, "stitch_disabled": true,
            "max_video_post_duration_sec": 600,
        }));
        assert_eq!(c.username.as_deref(), Some("acme"));
        assert_eq!(c.privacy_options, vec!["PUBLIC_TO_EVERYONE", "SELF_ONLY"]);
        assert!(!c.comment_disabled && c.duet_disabled && c.stitch_disabled);
        assert_eq!(c.max_video_sec, Some(600));
        assert_eq!(Creator::from_data(&Value::Null), Creator::default(), "a missing data object reads as nothing offered");
    }
}
