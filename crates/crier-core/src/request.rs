//! `POST /api/post` body, parsed from JSON with Ayrshare's exact key casing
//! (plus the alternate casings clients are known to send). Unknown keys, such
//! as the SDKs' `source`, are ignored. Type errors are collected, not
//! returned one at a time, so a caller sees everything wrong in one answer.

use crate::catalog::Code;
use crate::error::{Action, ErrorReport};
use crate::platform::Platform;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Option-object keys per network: Ayrshare's spelling first, then accepted alternates.
pub const OPTION_KEYS: &[(Platform, &[&str])] = &[
    (Platform::Instagram, &["instagramOptions"]),
    (Platform::Youtube, &["youTubeOptions", "youtubeOptions"]),
    (Platform::Twitter, &["twitterOptions", "xOptions"]),
    (Platform::Linkedin, &["linkedInOptions", "linkedinOptions"]),
    (Platform::Tiktok, &["tikTokOptions", "tiktokOptions"]),
    (Platform::Facebook, &["faceBookOptions", "facebookOptions"]),
    (Platform::Threads, &["threadsOptions"]),
    (Platform::Reddit, &["redditOptions"]),
    (Platform::Pinterest, &["pinterestOptions"]),
    (Platform::Gmb, &["gmbOptions"]),
    (Platform::Bluesky, &["blueSkyOptions", "blueskyOptions"]),
    (Platform::Snapchat, &["snapChatOptions", "snapchatOptions"]),
    (Platform::Telegram, &["telegramOptions"]),
];

/// Which networks the caller asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// `["all"]`: every network linked to the profile.
    AllLinked,
    Listed(Vec<Platform>),
}

#[derive(Clone, Debug)]
pub struct PostRequest {
    pub post: String,
    pub targets: Targets,
    pub media_urls: Vec<String>,
    pub is_video: bool,
    /// `None`: publish now.
    pub schedule_date: Option<DateTime<Utc>>,
    pub shorten_links: bool,
    pub idempotency_key: Option<String>,
    pub notes: Option<String>,
    pub options: BTreeMap<Platform, Map<String, Value>>,
    /// `requiresApproval`: held as `awaiting approval` until `PATCH /post {approved: true}`.
    pub requires_approval: bool,
    /// `autoSchedule: {schedule: true, title?}`: the title of the auto-schedule whose next free
    /// slot becomes the post's date ("default" when not named).
    pub auto_schedule: Option<String>,
}

impl PostRequest {
    pub fn option(&self, platform: Platform) -> Option<&Map<String, Value>> {
        self.options.get(&platform)
    }

    /// Parses the body. Returns every problem found, each with its catalog code.
    pub fn parse(body: &Value) -> Result<PostRequest, Vec<ErrorReport>> {
        let Some(obj) = body.as_object() else {
            return Err(vec![malformed("the body must be a JSON object")]);
        };
        let mut errors = Vec::new();

        let post = match obj.get("post") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => String::new(),
            Some(_) => {
                errors.push(malformed("post must be a string"));
                String::new()
            }
        };

        // Legacy multi-profile posting would silently go to the wrong profile if ignored: refuse it.
        if obj.get("profileKeys").is_some_and(|v| !v.is_null()) {
            errors.push(malformed("profileKeys (several profiles in one request) is not supported: send one request per profile with the Profile-Key header"));
        }
        let targets = parse_platforms(obj.get("platforms"), &mut errors);
        let media_urls = string_list(obj, "mediaUrls", &mut errors);
        let is_video = flag(obj, "isVideo", &mut errors);
        let shorten_links = flag(obj, "shortenLinks", &mut errors);
        let notes = opt_string(obj, "notes", &mut errors);
        let idempotency_key = opt_string(obj, "idempotencyKey", &mut errors);

        let schedule_date = match opt_string(obj, "scheduleDate", &mut errors) {
            None => None,
            Some(s) if s.is_empty() => None,
            Some(s) => match DateTime::parse_from_rfc3339(&s) {
                Ok(d) => Some(d.with_timezone(&Utc)),
                Err(e) => {
                    errors.push(
                        ErrorReport::new(Code::ScheduleInPast, Action::Post)
                            .details(format!("scheduleDate {s:?} is not an ISO 8601 date: {e}")),
                    );
                    None
                }
            },
        };

        let requires_approval = flag(obj, "requiresApproval", &mut errors);
        let auto_schedule = match obj.get("autoSchedule") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => {
                let wanted = flag(m, "schedule", &mut errors);
                let title = opt_string(m, "title", &mut errors).filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "default".into());
                wanted.then_some(title)
            }
            Some(_) => {
                errors.push(malformed("autoSchedule must be an object like {\"schedule\": true, \"title\": \"default\"}"));
                None
            }
        };
        if auto_schedule.is_some() && schedule_date.is_some() {
            errors.push(malformed("autoSchedule cannot be combined with scheduleDate: send one of them"));
        }

        let mut options = BTreeMap::new();
        for (platform, keys) in OPTION_KEYS {
            for key in *keys {
                match obj.get(*key) {
                    None | Some(Value::Null) => continue,
                    Some(Value::Object(m)) => {
                        options.insert(*platform, m.clone());
                    }
                    Some(_) => errors.push(malformed(format!("{key} must be an object"))),
                }
                break;
            }
        }

        if errors.is_empty() {
            Ok(PostRequest {
                post,
                targets: targets.unwrap_or(Targets::Listed(Vec::new())),
                media_urls,
                is_video,
                schedule_date,
                shorten_links,
                idempotency_key,
                notes,
                options,
                requires_approval,
                auto_schedule,
            })
        } else {
            Err(errors)
        }
    }
}

fn malformed(details: impl Into<String>) -> ErrorReport {
    ErrorReport::new(Code::MalformedBody, Action::Post).details(details)
}

fn parse_platforms(v: Option<&Value>, errors: &mut Vec<ErrorReport>) -> Option<Targets> {
    let names: Vec<&str> = match v {
        None | Some(Value::Null) => Vec::new(),
        // Some clients send one network as a bare string.
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => {
            let mut names = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) => names.push(s),
                    None => {
                        errors.push(malformed("platforms must be an array of strings"));
                        return None;
                    }
                }
            }
            names
        }
        Some(_) => {
            errors.push(malformed("platforms must be an array of strings"));
            return None;
        }
    };
    if names.is_empty() {
        errors.push(
            ErrorReport::new(Code::UnknownPlatform, Action::Post)
                .details("platforms is missing or empty"),
        );
        return None;
    }
    if names.contains(&"all") {
        return Some(Targets::AllLinked);
    }
    let mut platforms = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        match Platform::parse(name) {
            Some(p) if !platforms.contains(&p) => platforms.push(p),
            Some(_) => {}
            None => unknown.push(name.to_string()),
        }
    }
    if !unknown.is_empty() {
        errors.push(
            ErrorReport::new(Code::UnknownPlatform, Action::Post)
                .details(format!("unknown platforms: {}", unknown.join(", ")))
                .arg("platforms", unknown.join(", ")),
        );
        return None;
    }
    Some(Targets::Listed(platforms))
}

fn string_list(obj: &Map<String, Value>, key: &str, errors: &mut Vec<ErrorReport>) -> Vec<String> {
    match obj.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(_) => {
            errors.push(malformed(format!("{key} must be an array of strings")));
            Vec::new()
        }
    }
}

fn flag(obj: &Map<String, Value>, key: &str, errors: &mut Vec<ErrorReport>) -> bool {
    match obj.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        // Python-style booleans from form-encoded clients.
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => {
            errors.push(malformed(format!("{key} must be a boolean")));
            false
        }
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str, errors: &mut Vec<ErrorReport>) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(malformed(format!("{key} must be a string")));
            None
        }
    }
}

/// Whether a media URL names a video by its extension (Ayrshare's rule; `isVideo` covers the rest).
pub fn looks_like_video(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    [".mp4", ".mov", ".m4v", ".webm"].iter().any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_alternate_casings_and_ignores_unknown_fields() {
        let r = PostRequest::parse(&json!({
            "post": "hi", "platforms": ["telegram", "bluesky"], "source": "python-sdk",
            "facebookOptions": {"reels": true}, "blueskyOptions": {"altText": ["a"]},
        }))
        .unwrap();
        assert!(r.option(Platform::Facebook).is_some());
        assert!(r.option(Platform::Bluesky).is_some());
        assert_eq!(r.targets, Targets::Listed(vec![Platform::Telegram, Platform::Bluesky]));
    }

    #[test]
    fn collects_every_type_error() {
        let errs = PostRequest::parse(&json!({"post": 3, "platforms": ["x"], "isVideo": "maybe"}))
            .unwrap_err();
        let codes: Vec<u16> = errs.iter().map(|e| e.code).collect();
        assert_eq!(codes, vec![900, 902, 900]);
    }

    #[test]
    fn all_means_every_linked_network() {
        let r = PostRequest::parse(&json!({"post": "hi", "platforms": ["all"]})).unwrap();
        assert_eq!(r.targets, Targets::AllLinked);
    }
}
