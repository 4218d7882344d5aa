//! How X shows posts and users in v2 answers: the default fields, the
//! `tweet.fields` / `user.fields` a request may name (unknown names are
//! X's 400), and the metrics the sandbox makes up for them.
//!
//! Metrics are plausible rather than real: stable per post (hashed from its
//! id) and growing with its age, with likes below impressions and the
//! other counts below likes.

use serde_json::{Value, json};

use super::error::XError;
use super::ids;
use super::tweets::Tweet;
use super::{Call, Inner};
use crate::codec::sha256;

pub(crate) const TWEET_FIELDS: [&str; 23] = [
    "attachments",
    "author_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "edit_controls",
    "edit_history_tweet_ids",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "non_public_metrics",
    "note_tweet",
    "organic_metrics",
    "possibly_sensitive",
    "promoted_metrics",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "source",
    "text",
    "withheld",
];

pub(crate) const USER_FIELDS: [&str; 26] = [
    "affiliation",
    "confirmed_email",
    "connection_status",
    "created_at",
    "description",
    "entities",
    "id",
    "is_identity_verified",
    "location",
    "most_recent_tweet_id",
    "name",
    "parody",
    "pinned_tweet_id",
    "profile_banner_url",
    "profile_image_url",
    "protected",
    "public_metrics",
    "receives_your_dm",
    "subscription",
    "subscription_type",
    "url",
    "username",
    "verified",
    "verified_followers_count",
    "verified_type",
    "withheld",
];

const HOUR_MS: i64 = 3_600_000;
/// Metrics stop growing after 30 days.
const MAX_AGE_HOURS: i64 = 24 * 30;
/// The sandbox user's audience (nobody follows or unfollows in the sandbox).
const FOLLOWERS: u64 = 2048;
const FOLLOWING: u64 = 128;
const LISTED: u64 = 3;
/// When the sandbox user "joined".
const USER_CREATED_MS: i64 = 1_667_260_800_000;

pub(crate) fn one_of(list: &[&str]) -> String {
    format!("[{}]", list.join(","))
}

/// 400 for a query parameter the endpoint does not take.
pub(crate) fn check_params(call: &Call, allowed: &[&str]) -> Result<(), XError> {
    match call
        .query
        .iter()
        .find(|(k, _)| !allowed.contains(&k.as_str()))
    {
        None => Ok(()),
        Some((key, value)) => Err(XError::invalid(
            Some((key, vec![value.clone()])),
            &format!(
                "The query parameter [{key}] is not one of {}",
                one_of(allowed)
            ),
        )),
    }
}

/// The comma-separated `<key>` list (`tweet.fields`, `user.fields`), each
/// name checked against `known`.
pub(crate) fn field_list<'a>(
    call: &'a Call,
    key: &str,
    known: &[&str],
) -> Result<Vec<&'a str>, XError> {
    let fields: Vec<&str> = call
        .query_value(key)
        .map(|f| f.split(',').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    if let Some(bad) = fields.iter().find(|f| !known.contains(f)) {
        return Err(XError::invalid(
            Some((key, vec![(*bad).to_owned()])),
            &format!(
                "The `{key}` query parameter value [{bad}] is not one of {}",
                one_of(known)
            ),
        ));
    }
    Ok(fields)
}

/// A post's audience numbers at `now_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Metrics {
    impressions: u64,
    likes: u64,
    retweets: u64,
    replies: u64,
    quotes: u64,
    bookmarks: u64,
    profile_clicks: u64,
}

fn metrics(t: &Tweet, now_ms: i64) -> Metrics {
    let digest = sha256(t.id.to_string().as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    let h = u64::from_be_bytes(bytes);
    let hours = ((now_ms - t.created_ms).max(0) / HOUR_MS).min(MAX_AGE_HOURS) as u64;
    let impressions = hours * (20 + h % 30) + (h >> 8) % 10;
    let likes = impressions / 25;
    Metrics {
        impressions,
        likes,
        retweets: likes / 4,
        replies: likes / 5,
        quotes: likes / 10,
        bookmarks: likes / 6,
        profile_clicks: impressions / 50,
    }
}

/// A post in the v2 shape: `id`, `text`, `edit_history_tweet_ids`, plus the
/// requested fields the sandbox knows (others are left out, as X leaves out
/// fields without a value). Every post is the sandbox user's own, so the
/// private metrics X shows an author are shown too.
pub(crate) fn tweet_json(t: &Tweet, fields: &[&str], now_ms: i64) -> Value {
    let mut obj = json!({
        "id": t.id.to_string(),
        "text": t.shown,
        "edit_history_tweet_ids": [t.id.to_string()],
    });
    let m = metrics(t, now_ms);
    for field in fields {
        let value = match *field {
            "created_at" => json!(ids::iso_time(t.created_ms)),
            "author_id" => json!(t.author),
            "conversation_id" => json!(t.conversation_id.to_string()),
            "attachments" if !t.media_keys.is_empty() => json!({"media_keys": t.media_keys}),
            "in_reply_to_user_id" => match t.reply_to {
                Some((_, author)) => json!(author),
                None => continue,
            },
            "referenced_tweets" => {
                let mut refs = Vec::new();
                if let Some((parent, _)) = t.reply_to {
                    refs.push(json!({"type": "replied_to", "id": parent.to_string()}));
                }
                if let Some(quoted) = &t.quote_of {
                    refs.push(json!({"type": "quoted", "id": quoted}));
                }
                if refs.is_empty() {
                    continue;
                }
                Value::Array(refs)
            }
            "reply_settings" => json!(t.reply_settings.as_deref().unwrap_or("everyone")),
            "public_metrics" => json!({
                "retweet_count": m.retweets,
                "reply_count": m.replies,
                "like_count": m.likes,
                "quote_count": m.quotes,
                "bookmark_count": m.bookmarks,
                "impression_count": m.impressions,
            }),
            "non_public_metrics" => json!({
                "impression_count": m.impressions,
                "user_profile_clicks": m.profile_clicks,
            }),
            "organic_metrics" => json!({
                "impression_count": m.impressions,
                "like_count": m.likes,
                "reply_count": m.replies,
                "retweet_count": m.retweets,
                "user_profile_clicks": m.profile_clicks,
            }),
            _ => continue,
        };
        obj[*field] = value;
    }
    obj
}

/// A user in the v2 shape: `id`, `name`, `username`, plus the requested
/// fields the sandbox knows.
pub(crate) fn user_json(inner: &Inner, user: &super::accounts::UserDef, fields: &[&str]) -> Value {
    let mut obj = json!({"id": user.id, "name": user.name, "username": user.username});
    let live: Vec<&Tweet> = inner
        .tweets
        .list
        .iter()
        .filter(|t| t.author == user.id && !t.deleted)
        .collect();
    for field in fields {
        let value = match *field {
            "created_at" => json!(ids::iso_time(USER_CREATED_MS)),
            "description" => json!("The account crier's sandbox publishes to."),
            "protected" => json!(false),
            "verified" => json!(false),
            "verified_type" => json!("none"),
            "url" => json!(""),
            "profile_image_url" => json!(format!(
                "https://pbs.twimg.com/profile_images/{}/crier_normal.jpg",
                user.id
            )),
            "most_recent_tweet_id" => match live.last() {
                Some(t) => json!(t.id.to_string()),
                None => continue,
            },
            "public_metrics" => json!({
                "followers_count": FOLLOWERS,
                "following_count": FOLLOWING,
                "tweet_count": live.len(),
                "listed_count": LISTED,
                "like_count": 0,
                "media_count": live.iter().filter(|t| !t.media_keys.is_empty()).count(),
            }),
            _ => continue,
        };
        obj[*field] = value;
    }
    obj
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tweet(id: u64, created_ms: i64) -> Tweet {
        Tweet {
            id,
            author: "1",
            text: "t".into(),
            shown: "t".into(),
            media_keys: Vec::new(),
            reply_to: None,
            quote_of: None,
            reply_settings: None,
            conversation_id: id,
            created_ms,
            deleted: false,
            ledger_seq: 0,
        }
    }

    #[test]
    fn metrics_are_stable_ordered_and_grow() {
        let t = tweet(1_900_000_000_000_000_001, 0);
        let a = metrics(&t, 10 * HOUR_MS);
        assert_eq!(a, metrics(&t, 10 * HOUR_MS));
        assert!(a.likes <= a.impressions && a.retweets <= a.likes && a.quotes <= a.likes);
        assert!(metrics(&t, 20 * HOUR_MS).impressions > a.impressions);
        let shown = tweet_json(&t, &["public_metrics"], 10 * HOUR_MS);
        assert_eq!(shown["public_metrics"]["like_count"], a.likes);
        assert!(shown.get("created_at").is_none());
    }
}
