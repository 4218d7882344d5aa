//! `GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org}
//! &shares=List({urn})` (or `ugcPosts=List(…)`): lifetime statistics of an organization's posts
//! (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
//! One element per post asked for, its `totalShareStatistics` derived from the control route's
//! likes and comments so every read of the same post agrees.

use super::error::LiError;
use super::{Call, Inner};
use axum::response::{IntoResponse, Response};
use serde_json::json;

fn param<'a>(call: &'a Call, key: &str) -> Option<&'a str> {
    call.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// `List(a,b)` → `[a, b]`.
fn list(v: &str) -> Option<Vec<String>> {
    let inner = v.strip_prefix("List(")?.strip_suffix(')')?;
    Some(inner.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
}

pub(crate) fn share_statistics(inner: &Inner, call: &Call) -> Result<Response, LiError> {
    if param(call, "q") != Some("organizationalEntity") {
        return Err(LiError::bad_request("q must be organizationalEntity"));
    }
    let org = param(call, "organizationalEntity")
        .filter(|o| o.starts_with("urn:li:organization:"))
        .ok_or_else(|| LiError::bad_request("organizationalEntity must be an organization URN"))?;
    let (kind, urns) = match (param(call, "shares"), param(call, "ugcPosts")) {
        (Some(s), _) => ("share", list(s)),
        (None, Some(u)) => ("ugcPost", list(u)),
        (None, None) => return Err(LiError::bad_request("shares or ugcPosts is required")),
    };
    let urns = urns.ok_or_else(|| LiError::bad_request("shares/ugcPosts must be List(...)"))?;
    let mut elements = Vec::new();
    for urn in &urns {
        let Some(post) = inner.posts.iter().find(|p| &p.urn == urn && !p.deleted) else { continue };
        if post.author != org {
            return Err(LiError::access_denied("organizationalEntityShareStatistics", "GET", "2025"));
        }
        let (likes, comments) = inner.social.get(urn).copied().unwrap_or((0, 0));
        let impressions = 100 + 10 * likes;
        let (clicks, shares) = (7, 2);
        let engagement = (clicks + likes + comments + shares) as f64 / impressions as f64;
        elements.push(json!({
            "organizationalEntity": org,
            kind: urn,
            "totalShareStatistics": {
                "impressionCount": impressions,
                "uniqueImpressionsCount": impressions * 4 / 5,
                "clickCount": clicks,
                "shareCount": shares,
                "likeCount": likes,
                "commentCount": comments,
                "engagement": engagement,
            },
        }));
    }
    Ok(axum::Json(json!({"paging": {"start": 0, "count": 10, "links": []}, "elements": elements})).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_in_restli_form() {
        assert_eq!(list("List(urn:li:share:1,urn:li:share:2)"), Some(vec!["urn:li:share:1".into(), "urn:li:share:2".into()]));
        assert_eq!(list("urn:li:share:1"), None);
    }
}
