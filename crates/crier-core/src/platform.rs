//! The thirteen network ids Ayrshare answers to, and the few facts about each
//! that validation needs before anything is sent.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Bluesky,
    Facebook,
    Gmb,
    Instagram,
    Linkedin,
    Pinterest,
    Reddit,
    Snapchat,
    Telegram,
    Threads,
    Tiktok,
    Twitter,
    Youtube,
}

/// Limits checked before a post is stored (Ayrshare `ayrshare-api.md` §3.2, §6.2).
#[derive(Clone, Copy, Debug)]
pub struct PlatformRules {
    /// Longest text the network takes, in the unit it counts (`text_length::limits`: X weighs,
    /// Bluesky graphemes, Telegram UTF-16 units, the others Unicode scalar values).
    pub max_text: usize,
    /// Most media URLs in one post.
    pub max_media: usize,
}

impl Platform {
    pub const ALL: [Platform; 13] = [
        Platform::Bluesky,
        Platform::Facebook,
        Platform::Gmb,
        Platform::Instagram,
        Platform::Linkedin,
        Platform::Pinterest,
        Platform::Reddit,
        Platform::Snapchat,
        Platform::Telegram,
        Platform::Threads,
        Platform::Tiktok,
        Platform::Twitter,
        Platform::Youtube,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Bluesky => "bluesky",
            Platform::Facebook => "facebook",
            Platform::Gmb => "gmb",
            Platform::Instagram => "instagram",
            Platform::Linkedin => "linkedin",
            Platform::Pinterest => "pinterest",
            Platform::Reddit => "reddit",
            Platform::Snapchat => "snapchat",
            Platform::Telegram => "telegram",
            Platform::Threads => "threads",
            Platform::Tiktok => "tiktok",
            Platform::Twitter => "twitter",
            Platform::Youtube => "youtube",
        }
    }

    /// Ayrshare ids are lower-case and case-sensitive; aliases such as `x` are refused.
    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The name people know the network by, used inside messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Bluesky => "Bluesky",
            Platform::Facebook => "Facebook",
            Platform::Gmb => "Google Business Profile",
            Platform::Instagram => "Instagram",
            Platform::Linkedin => "LinkedIn",
            Platform::Pinterest => "Pinterest",
            Platform::Reddit => "Reddit",
            Platform::Snapchat => "Snapchat",
            Platform::Telegram => "Telegram",
            Platform::Threads => "Threads",
            Platform::Tiktok => "TikTok",
            Platform::Twitter => "X",
            Platform::Youtube => "YouTube",
        }
    }

    pub fn rules(self) -> PlatformRules {
        let (max_text, max_media) = match self {
            Platform::Bluesky => (300, 4),
            Platform::Facebook => (63_206, 10),
            Platform::Gmb => (1_500, 1),
            Platform::Instagram => (2_200, 10),
            Platform::Linkedin => (3_000, 9),
            Platform::Pinterest => (500, 5),
            Platform::Reddit => (40_000, 1),
            Platform::Snapchat => (160, 1),
            // Telegram: 4096 for a text message; a caption is capped lower (see `max_caption`).
            Platform::Telegram => (4_096, 1),
            Platform::Threads => (500, 20),
            Platform::Tiktok => (2_200, 35),
            Platform::Twitter => (280, 4),
            Platform::Youtube => (5_000, 1),
        };
        PlatformRules { max_text, max_media }
    }

    /// Text limit when the post carries media: some networks cap captions lower.
    pub fn max_caption(self) -> usize {
        match self {
            Platform::Telegram => 1_024,
            other => other.rules().max_text,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
