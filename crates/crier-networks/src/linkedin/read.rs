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

/// One page of the author's posts (Rest.li `start`/`count` paging, newest first by `sortBy=CREATED`).
pub struct PostsPage {
    pub elements: Vec<Value>,
    /// `paging.total`, when LinkedIn says.
    pub total: Option<u64>,
    /// `paging.links` has a `rel: next`.
    pub next_link: bool,
}

impl PostsPage {
    /// Whether this page, asked for at `start` with `count`, is the end of the author's posts. A
    /// short page alone does not say so (Rest.li may return fewer than `count` before the end).
    pub fn is_last(&self, start: usize, count: usize) -> bool {
        let seen = (start + self.elements.len()) as u64;
        self.elements.is_empty() || self.total.is_some_and(|t| seen >= t) || (self.total.is_none() && !self.next_link && self.elements.len() < count)
    }
}

/// Reads the page of the author's posts at `start` (`count` of them at most).
pub async fn author_posts(api: &Api, call: &Call<'_>, token: &str, author: &str, start: usize, count: usize, daily_limit: u32) -> Result<PostsPage, Failure> {
    let q = format!("posts?author={}&q=author&count={count}&start={start}&sortBy=CREATED", encode(author));
    let a = api.find(call, token, &q).await.map_err(|h| super::errors::transient(h.into_text()))?;
    if !a.ok() {
        return Err(map_error(a.status, &a.headers, &a.body, 0, daily_limit));
    }
    let elements = a.body.get("elements").and_then(Value::as_array).cloned().unwrap_or_default();
    let next_link = a.body.pointer("/paging/links").and_then(Value::as_array).into_iter().flatten().any(|l| l.get("rel").and_then(Value::as_str) == Some("next"));
    Ok(PostsPage { elements, total: a.body.pointer("/paging/total").and_then(Value::as_u64), next_link })
}

fn text_of(post: &Value) -> String {
    plain_text(post.get("commentary").and_then(Value::as_str).unwrap_or(""))
}

/// How much earlier than the attempt's start (crier's clock) a post may be dated by LinkedIn's
/// clock and still be taken for it; a lookup reads back to this window's start.
pub const SKEW_MS: i64 = 120_000;

fn created_ms(post: &Value) -> Option<i64> {
    post.get("createdAt").or_else(|| post.get("publishedAt")).and_then(Value::as_i64)
}

/// The post among `posts` with this text, created no earlier than `since_ms` (minus clock skew).
pub fn find_match<'a>(posts: &'a [Value], text: &str, since_ms: i64) -> Option<&'a Value> {
    posts.iter().find(|p| text_of(p).trim() == text.trim() && created_ms(p).is_none_or(|c| c >= since_ms - SKEW_MS))
}

/// Whether a page of newest-first posts reaches back before `since_ms` minus the skew: its oldest
/// dated post is older, so no later page can hold a match. The oldest post is the page's last one
/// (not any one), so a post out of order at the top cannot end the search early.
pub fn reaches_before(posts: &[Value], since_ms: i64) -> bool {
    posts.iter().rev().find_map(created_ms).is_some_and(|c| c < since_ms - SKEW_MS)
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
    fn a_page_ends_the_search_once_it_reaches_before_the_attempt() {
        let page = |times: &[i64]| times.iter().map(|t| json!({"commentary": "x", "createdAt": t})).collect::<Vec<_>>();
        let since = 1_000_000_000;
        assert!(!reaches_before(&page(&[since + 5, since - SKEW_MS]), since), "the window's first millisecond still counts");
        assert!(reaches_before(&page(&[since + 5, since - SKEW_MS - 1]), since));
        assert!(!reaches_before(&page(&[since - SKEW_MS - 1, since]), since), "only the page's oldest (last) post decides");
        assert!(!reaches_before(&[json!({"commentary": "undated"})], since));
        assert!(!reaches_before(&[], since));
    }

    #[test]
    fn the_list_ends_on_an_empty_page_the_total_or_a_short_page_without_next() {
        let els = |n: usize| vec![json!({}); n];
        let p = |n, total, next_link| PostsPage { elements: els(n), total, next_link };
        assert!(p(0, None, false).is_last(0, 100));
        assert!(p(30, Some(130), false).is_last(100, 100));
        assert!(!p(30, Some(131), false).is_last(100, 100), "LinkedIn may send a short page before the end");
        assert!(p(30, None, false).is_last(0, 100));
        assert!(!p(30, None, true).is_last(0, 100));
        assert!(!p(100, None, false).is_last(0, 100));
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
