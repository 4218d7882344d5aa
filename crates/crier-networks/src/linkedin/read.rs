//! Reads: the author's posts (Posts API finder `GET /rest/posts?q=author&author=…&sortBy=CREATED`,
//! https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api),
//! and a post's reactions and comments (`GET /rest/socialMetadata/{urn}`,
//! https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/social-metadata-api),
//! plus, for organizations, `organizationalEntityShareStatistics`
//! (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
//! Reading a member's own posts needs LinkedIn's restricted `r_member_social`; without it the
//! finder answers 403 and reconcile says `Unknown`.

use super::api::{Api, encode};
use super::errors::{err, map_error};
use super::post::plain_text;
use crate::{Call, Failure, HistoryPage, Published};
use crier_core::{Action, Code, ErrorReport};
use serde_json::{Map, Value, json};

pub fn post_url(urn: &str) -> String {
    format!("https://www.linkedin.com/feed/update/{urn}")
}

pub fn published(urn: &str, extras: Map<String, Value>) -> Published {
    Published { id: urn.to_string(), url: Some(post_url(urn)), extras }
}

/// A failure as the error of a read (`action` set, transport trouble → 910).
pub fn report(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}

/// One page of the author's posts, newest first: (elements, total if LinkedIn says).
pub async fn author_posts(api: &Api, call: &Call<'_>, token: &str, author: &str, start: usize, count: usize, daily_limit: u32) -> Result<(Vec<Value>, Option<u64>), Failure> {
    let q = format!("posts?author={}&q=author&count={count}&start={start}&sortBy=CREATED", encode(author));
    let a = api.find(call, token, &q).await.map_err(|h| super::errors::transient(h.into_text()))?;
    if !a.ok() {
        return Err(map_error(a.status, &a.headers, &a.body, 0, daily_limit));
    }
    let elements = a.body.get("elements").and_then(Value::as_array).cloned().unwrap_or_default();
    Ok((elements, a.body.pointer("/paging/total").and_then(Value::as_u64)))
}

fn text_of(post: &Value) -> String {
    plain_text(post.get("commentary").and_then(Value::as_str).unwrap_or(""))
}

/// The post among `posts` with this text, created no earlier than `since_ms` (minus clock skew).
pub fn find_match<'a>(posts: &'a [Value], text: &str, since_ms: i64) -> Option<&'a Value> {
    const SKEW_MS: i64 = 120_000;
    posts.iter().find(|p| {
        let created = p.get("createdAt").or_else(|| p.get("publishedAt")).and_then(Value::as_i64);
        text_of(p).trim() == text.trim() && created.is_none_or(|c| c >= since_ms - SKEW_MS)
    })
}

fn rfc3339(ms: Option<i64>) -> Value {
    ms.and_then(chrono::DateTime::from_timestamp_millis).map(|t| json!(t.to_rfc3339())).unwrap_or(Value::Null)
}

/// Posts in Ayrshare's history shape.
pub fn history_page(elements: &[Value], start: usize, count: usize, total: Option<u64>) -> HistoryPage {
    let posts = elements
        .iter()
        .filter_map(|p| {
            let id = p.get("id").and_then(Value::as_str)?;
            Some(json!({
                "id": id,
                "post": text_of(p),
                "postUrl": post_url(id),
                "created": rfc3339(p.get("createdAt").and_then(Value::as_i64)),
                "visibility": p.get("visibility"),
                "lifecycleState": p.get("lifecycleState"),
            }))
        })
        .collect();
    let seen = start + elements.len();
    let more = match total {
        Some(t) => (seen as u64) < t,
        None => elements.len() >= count && count > 0,
    };
    HistoryPage { posts, next: more.then(|| seen.to_string()) }
}

/// Reactions and comments from socialMetadata.
pub fn social_metrics(meta: &Value) -> Value {
    let mut reactions = Map::new();
    let mut total = 0;
    for (kind, r) in meta.get("reactionSummaries").and_then(Value::as_object).into_iter().flatten() {
        let n = r.get("count").and_then(Value::as_u64).unwrap_or(0);
        total += n;
        reactions.insert(kind.clone(), json!(n));
    }
    json!({
        "likeCount": reactions.get("LIKE").cloned().unwrap_or(json!(0)),
        "reactionCount": total,
        "reactions": reactions,
        "commentCount": meta.pointer("/commentSummary/count").cloned().unwrap_or(json!(0)),
        "commentsState": meta.get("commentsState"),
    })
}

/// The share-statistics query for one organization post (Rest.li `List(...)` stays unencoded).
pub fn share_statistics_query(organization: &str, urn: &str) -> String {
    let kind = if urn.starts_with("urn:li:ugcPost:") { "ugcPosts" } else { "shares" };
    format!("organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={}&{kind}=List({})", encode(organization), encode(urn))
}

/// Adds impressions, clicks, shares and engagement from organization share statistics.
pub fn merge_share_statistics(metrics: &mut Value, stats: &Value) {
    let Some(total) = stats.pointer("/elements/0/totalShareStatistics") else { return };
    for (ours, theirs) in [
        ("impressionCount", "impressionCount"),
        ("uniqueImpressionsCount", "uniqueImpressionsCount"),
        ("clickCount", "clickCount"),
        ("shareCount", "shareCount"),
        ("engagement", "engagement"),
    ] {
        if let Some(v) = total.get(theirs) {
            metrics[ours] = v.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_text_after_the_attempt_only() {
        let posts = vec![
            json!({"id": "urn:li:share:2", "commentary": "hello \\(x\\)", "createdAt": 1_000_000}),
            json!({"id": "urn:li:share:1", "commentary": "hello \\(x\\)", "createdAt": 1}),
        ];
        assert_eq!(find_match(&posts, "hello (x)", 1_000_000).unwrap()["id"], "urn:li:share:2");
        assert!(find_match(&posts, "hello (x)", 2_000_000).is_none(), "older posts with the same text do not count");
        assert!(find_match(&posts, "other", 0).is_none());
    }

    #[test]
    fn history_pages_by_offset() {
        let els = vec![json!({"id": "urn:li:share:1", "commentary": "a", "createdAt": 0})];
        let p = history_page(&els, 10, 1, Some(12));
        assert_eq!(p.next.as_deref(), Some("11"));
        assert_eq!(p.posts[0]["postUrl"], "https://www.linkedin.com/feed/update/urn:li:share:1");
        assert_eq!(history_page(&els, 11, 1, Some(12)).next, None);
        assert_eq!(history_page(&els, 0, 5, None).next, None);
    }

    #[test]
    fn metrics_sum_reactions() {
        let m = social_metrics(&json!({"reactionSummaries": {"LIKE": {"count": 3}, "PRAISE": {"count": 2}}, "commentSummary": {"count": 4}, "commentsState": "OPEN"}));
        assert_eq!((m["likeCount"].clone(), m["reactionCount"].clone(), m["commentCount"].clone()), (json!(3), json!(5), json!(4)));
        assert_eq!(
            share_statistics_query("urn:li:organization:1", "urn:li:share:2"),
            "organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A1&shares=List(urn%3Ali%3Ashare%3A2)"
        );
    }
}
