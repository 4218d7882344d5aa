//! The `statistics` part of videos and of the channel.
//!
//! Numbers are plausible rather than real: stable per video (hashed from its
//! id) and growing with its age, likes below views and comments below
//! likes. Google sends them as strings (they are `unsigned long`s in the
//! API's JSON), so they are strings here too.

use serde_json::{Value, json};

use super::video::Video;
use crate::codec::sha256;

const HOUR_MS: i64 = 3_600_000;
/// Numbers stop growing after 30 days.
const MAX_AGE_HOURS: i64 = 24 * 30;
/// The channel's subscribers (nobody subscribes in the sandbox).
const SUBSCRIBERS: u64 = 1024;
/// Views of the channel's videos from before the sandbox (its history).
const PAST_VIEWS: u64 = 48_213;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VideoStats {
    pub views: u64,
    pub likes: u64,
    pub comments: u64,
}

pub(crate) fn video_stats(video: &Video, now_ms: i64) -> VideoStats {
    let digest = sha256(video.id.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    let h = u64::from_be_bytes(bytes);
    let hours = ((now_ms - video.published_ms).max(0) / HOUR_MS).min(MAX_AGE_HOURS) as u64;
    let views = hours * (8 + h % 25) + (h >> 8) % 5;
    let likes = views / 20;
    VideoStats {
        views,
        likes,
        comments: likes / 8,
    }
}

/// A video's `statistics` part.
pub(crate) fn video_part(video: &Video, now_ms: i64) -> Value {
    let s = video_stats(video, now_ms);
    json!({
        "viewCount": s.views.to_string(),
        "likeCount": s.likes.to_string(),
        "favoriteCount": "0",
        "commentCount": s.comments.to_string(),
    })
}

/// The channel's `statistics` part over its live videos.
pub(crate) fn channel_part(videos: &[Video], now_ms: i64) -> Value {
    let live: Vec<&Video> = videos.iter().filter(|v| !v.deleted).collect();
    let views: u64 = live.iter().map(|v| video_stats(v, now_ms).views).sum();
    json!({
        "viewCount": (PAST_VIEWS + views).to_string(),
        "subscriberCount": SUBSCRIBERS.to_string(),
        "hiddenSubscriberCount": false,
        "videoCount": live.len().to_string(),
    })
}
