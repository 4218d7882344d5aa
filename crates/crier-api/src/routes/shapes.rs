//! Ayrshare's documented keys where crier's answers had other names (ayrshare-api.md §4.6-4.8;
//! compat/README.md lists them field by field). crier's own keys stay beside them.

use crier_core::Platform;
use serde_json::{Value, json};

/// The network's own id of a linked account, read from its credentials (ids, never secrets).
pub(crate) fn account_id(platform: Platform, creds: &Value) -> Option<String> {
    let keys: &[&str] = match platform {
        Platform::Facebook => &["pageId"],
        Platform::Instagram => &["igUserId"],
        Platform::Threads => &["threadsUserId"],
        Platform::Youtube => &["channelId"],
        Platform::Linkedin => &["author", "personUrn", "organizationUrn"],
        Platform::Tiktok => &["openId"],
        Platform::Twitter => &["userId", "username"],
        Platform::Bluesky => &["did", "identifier"],
        Platform::Telegram => &["chatId"],
        Platform::Pinterest => &["username", "boardId"],
        Platform::Reddit => &["username"],
        Platform::Gmb => &["locationId"],
        Platform::Snapchat => &["profileId"],
    };
    keys.iter().find_map(|k| match creds.get(*k)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The account's public page, where the network has one addressable by what crier knows.
pub(crate) fn profile_url(platform: Platform, id: Option<&str>, creds: &Value, display_name: Option<&str>) -> Option<String> {
    let username = creds.get("username").and_then(Value::as_str).or(display_name).filter(|u| !u.is_empty());
    let handle = creds.get("identifier").and_then(Value::as_str);
    Some(match platform {
        Platform::Facebook => format!("https://www.facebook.com/{}", id?),
        Platform::Instagram => format!("https://www.instagram.com/{}", username?),
        Platform::Threads => format!("https://www.threads.net/@{}", username?),
        Platform::Youtube => format!("https://www.youtube.com/channel/{}", id?),
        Platform::Twitter => format!("https://x.com/{}", creds.get("username").and_then(Value::as_str)?),
        Platform::Bluesky => format!("https://bsky.app/profile/{}", handle.or(id)?),
        Platform::Reddit => format!("https://www.reddit.com/user/{}", username?),
        Platform::Tiktok => format!("https://www.tiktok.com/@{}", username?),
        Platform::Pinterest => format!("https://www.pinterest.com/{}", creds.get("username").and_then(Value::as_str)?),
        _ => return None,
    })
}

/// The account's handle at the network, where its credentials name one (X, Reddit, Pinterest
/// `username`; Bluesky's `identifier` handle).
pub(crate) fn username(platform: Platform, creds: &Value) -> Option<String> {
    let key = if platform == Platform::Bluesky { "identifier" } else { "username" };
    creds.get(key).and_then(Value::as_str).filter(|u| !u.is_empty()).map(str::to_string)
}

/// `/analytics/social`: Ayrshare's names beside crier's (YouTube's channel is `id`).
pub(crate) fn social(platform: Platform, analytics: &mut Value) {
    let Some(o) = analytics.as_object_mut() else { return };
    if platform == Platform::Youtube
        && let Some(ch) = o.get("channelId").cloned()
    {
        o.entry("id").or_insert(ch);
    }
    if platform == Platform::Facebook
        && let Some(fans) = o.get("fanCount").cloned()
    {
        o.entry("followersCount").or_insert(fans);
    }
}

/// `/analytics/post`: Ayrshare's names beside crier's, per network.
pub(crate) fn post(platform: Platform, analytics: &mut Value) {
    let Some(o) = analytics.as_object_mut() else { return };
    let alias = |o: &mut serde_json::Map<String, Value>, theirs: &str, ours: &str| {
        if let Some(v) = o.get(ours).cloned() {
            o.entry(theirs).or_insert(v);
        }
    };
    match platform {
        Platform::Youtube => {
            alias(o, "views", "viewCount");
            alias(o, "likes", "likeCount");
            alias(o, "comments", "commentCount");
        }
        Platform::Linkedin => alias(o, "commentsCount", "commentCount"),
        Platform::Facebook => alias(o, "impressions", "impressionsCount"),
        _ => {}
    }
}

/// `/history/:platform`'s envelope: Ayrshare's `lastUpdated`/`nextUpdate`. crier reads the
/// network on every call, so the data is as of now and the next call reads it again.
pub(crate) fn history_times(now: &str) -> Value {
    json!({"lastUpdated": now, "nextUpdate": now})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_urls_from_credentials_never_secrets() {
        let fb = json!({"pageId": "101", "accessToken": "secret"});
        assert_eq!(account_id(Platform::Facebook, &fb).as_deref(), Some("101"));
        assert_eq!(profile_url(Platform::Facebook, Some("101"), &fb, None).as_deref(), Some("https://www.facebook.com/101"));
        let x = json!({"accessToken": "t", "accessTokenSecret": "s", "username": "crier"});
        assert_eq!(account_id(Platform::Twitter, &x).as_deref(), Some("crier"));
        assert_eq!(profile_url(Platform::Twitter, None, &x, None).as_deref(), Some("https://x.com/crier"));
        assert_eq!(account_id(Platform::Telegram, &json!({"botToken": "b", "chatId": -100})).as_deref(), Some("-100"));
        assert_eq!(username(Platform::Twitter, &x).as_deref(), Some("crier"));
        assert_eq!(username(Platform::Bluesky, &json!({"identifier": "crier.bsky.social", "appPassword": "p"})).as_deref(), Some("crier.bsky.social"));
        assert_eq!(username(Platform::Facebook, &fb), None);
    }

    #[test]
    fn aliases_keep_crier_keys() {
        let mut yt = json!({"channelId": "UC1", "subscriberCount": 3});
        social(Platform::Youtube, &mut yt);
        assert_eq!((yt["id"].clone(), yt["channelId"].clone()), (json!("UC1"), json!("UC1")));
        let mut v = json!({"viewCount": 5, "likeCount": 2, "commentCount": 1});
        post(Platform::Youtube, &mut v);
        assert_eq!((v["views"].clone(), v["viewCount"].clone()), (json!(5), json!(5)));
    }
}
