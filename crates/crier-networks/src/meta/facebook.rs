//! Facebook Pages (Graph API, Page token): `/feed` for text and links,
//! `/photos` for one image, unpublished photos + `attached_media` for several,
//! `/videos` with `file_url` for a video.

use super::{Graph, GraphError, account, is_video_url, transport, FACEBOOK_VERSION};
use crate::{Call, Content, Failure, HistoryPage, HttpFailure, Network, Published, Reconciled};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};

pub struct Facebook {
    graph: Graph,
    /// Posts per page and pages at most that `reconcile` reads.
    lookup: (usize, usize),
}

fn err(code: Code, action: Action) -> ErrorReport {
    ErrorReport::for_platform(code, action, Platform::Facebook).arg("network", "Facebook")
}

/// Maps Meta's answer for a Page. One row per condition; see tests/error_tables.rs.
pub fn map_error(e: &GraphError, action: Action) -> Failure {
    let details = e.details();
    let rejected = |code: Code| Failure::Rejected(err(code, action).details(details.clone()));
    match e.code {
        // The Page's analytics are throttled; publishing is not affected.
        80001 if action == Action::Analytics || action == Action::History => rejected(Code::FacebookAnalyticsThrottle),
        _ if e.is_throttle() => Failure::Transient { error: err(Code::NetworkRateLimited, action).details(details), retry_after: e.retry_after },
        // Token dead: password changed (460), expired (463), revoked (467), role removed (492)…; or permission gone.
        _ if e.is_token() => rejected(Code::FacebookAuthBroken),
        10 | 200..=299 => rejected(Code::FacebookAuthBroken),
        // Meta's crawler could not fetch the video (389/1363057) or the media (2207052).
        389 => rejected(Code::MediaFetchByNetwork),
        _ if matches!(e.subcode, Some(2207052 | 1363057)) => rejected(Code::MediaFetchByNetwork),
        _ if e.is_transient() => Failure::Transient { error: err(Code::NetworkUnavailable, action).details(details), retry_after: e.retry_after },
        // 506 duplicate, 368 blocks, 100 invalid parameters, 324 bad image, …: Facebook's own reason.
        _ => rejected(Code::FacebookRejected),
    }
}

/// The value of one metric in an insights answer (`data[].values[0].value`), 0 when absent.
pub fn insight_value(body: &Value, name: &str) -> Value {
    body.get("data")
        .and_then(Value::as_array)
        .and_then(|d| d.iter().find(|m| m.get("name").and_then(Value::as_str) == Some(name)))
        .and_then(|m| m.pointer("/values/0/value"))
        .cloned()
        .unwrap_or(json!(0))
}

fn post_url(id: &str) -> String {
    format!("https://www.facebook.com/{id}")
}

/// Posts per page when `reconcile` reads the feed (Graph's largest `limit` for it).
const LOOKUP_PAGE: usize = 100;
/// Pages `reconcile` reads at most before saying it cannot tell (2,000 posts since the attempt).
const LOOKUP_PAGES: usize = 20;
/// `created_time` has whole seconds: a post made in the attempt's first second may show up to a
/// second before its start.
const SKEW_MS: i64 = 1_000;

/// What one page of the feed, newest first, says about the post with `text` made since `since`.
#[derive(Debug, PartialEq)]
pub enum FeedPage<'a> {
    /// This post is ours.
    Found(&'a str),
    /// The page reaches back before the attempt (its oldest dated post is older): no later page can hold it.
    Passed,
    /// Keep reading.
    More,
}

/// Judges one page of `/{page}/feed`. Only the page's oldest (last) dated post says whether the
/// feed reached back before the attempt, so an older post out of order (pinned) cannot end the search.
pub fn feed_page<'a>(data: &'a [Value], text: &str, since: i64) -> FeedPage<'a> {
    let at = |p: &Value| p.get("created_time").and_then(Value::as_str).and_then(parse_time);
    let found = data.iter().find(|p| p.get("message").and_then(Value::as_str) == Some(text) && at(p).is_none_or(|t| t >= since - SKEW_MS));
    if let Some(id) = found.and_then(|p| p.get("id")).and_then(Value::as_str) {
        return FeedPage::Found(id);
    }
    match data.iter().rev().find_map(at) {
        Some(t) if t < since - SKEW_MS => FeedPage::Passed,
        _ => FeedPage::More,
    }
}

impl Facebook {
    pub fn new(base: &str) -> Facebook {
        Facebook { graph: Graph::new(base, FACEBOOK_VERSION), lookup: (LOOKUP_PAGE, LOOKUP_PAGES) }
    }

    /// How far `reconcile` reads back: `per_page` posts a page, `pages` pages at most (by default
    /// 100 and 20). Tests shorten it to page through a few posts.
    pub fn with_lookup(mut self, per_page: usize, pages: usize) -> Self {
        self.lookup = (per_page.max(1), pages);
        self
    }

    /// Pages `/{page}/feed` with Graph's `after` cursor (see `reconcile`).
    async fn look_up(&self, call: &Call<'_>, token: &str, page: &str, text: &str, since: i64) -> Reconciled {
        let (per_page, pages) = self.lookup;
        let mut after: Option<String> = None;
        for _ in 0..pages {
            let mut q = vec![("fields", "id,message,created_time".to_string()), ("limit", per_page.to_string())];
            if let Some(c) = &after {
                q.push(("after", c.clone()));
            }
            let a = match self.graph.get(call, token, &format!("{page}/feed"), &q).await {
                Ok(a) if a.ok() => a,
                _ => return Reconciled::Unknown,
            };
            let Some(data) = a.body.get("data").and_then(Value::as_array) else { return Reconciled::Unknown };
            match feed_page(data, text, since) {
                FeedPage::Found(id) => return Reconciled::Published(Published { id: id.to_string(), url: Some(post_url(id)), extras: Map::new() }),
                FeedPage::Passed => return Reconciled::NotPublished,
                FeedPage::More => {}
            }
            // No `paging.next`: this was the feed's last page.
            match super::next_cursor(&a.body) {
                Some(c) => after = Some(c),
                None => return Reconciled::NotPublished,
            }
        }
        Reconciled::Unknown
    }

    fn account<'a>(call: &'a Call<'_>, action: Action) -> Result<(&'a str, &'a str), ErrorReport> {
        account(call.credentials, "pageId").ok_or_else(|| err(Code::FacebookAuthBroken, action).details("linked Facebook Page lacks accessToken or pageId"))
    }

    async fn answer(&self, r: Result<super::Answer, HttpFailure>, action: Action) -> Result<super::Answer, Failure> {
        let a = r.map_err(|h| transport(h, err(Code::NetworkUnavailable, action)))?;
        if a.ok() { Ok(a) } else { Err(map_error(&GraphError::from_answer(&a), action)) }
    }

    /// Metrics of a post, or Meta's error for it (80001 → 444 with `errCode`).
    async fn insights(&self, call: &Call<'_>, token: &str, post_id: &str) -> Result<Value, ErrorReport> {
        let metrics = "post_impressions,post_impressions_unique,post_reactions_by_type_total,post_clicks,post_video_views".to_string();
        let a = self
            .graph
            .get(call, token, &format!("{post_id}/insights"), &[("metric", metrics)])
            .await
            .map_err(|h| failure_error(transport(h, err(Code::NetworkUnavailable, Action::Analytics))))?;
        if !a.ok() {
            return Err(failure_error(map_error(&GraphError::from_answer(&a), Action::Analytics)));
        }
        let reactions = insight_value(&a.body, "post_reactions_by_type_total");
        let total: i64 = reactions.as_object().map(|o| o.values().filter_map(Value::as_i64).sum()).unwrap_or(0);
        let mut out = json!({
            "impressionsCount": insight_value(&a.body, "post_impressions"),
            "impressionsUnique": insight_value(&a.body, "post_impressions_unique"),
            "clicksCount": insight_value(&a.body, "post_clicks"),
            "reactions": {"total": total, "byType": reactions},
            // Ayrshare's names (ayrshare-api.md §4.6/4.7): likes, reactions by type, video views.
            "likeCount": reactions.get("like").cloned().unwrap_or(json!(0)),
            "reactionsByType": reactions,
            "videoViews": insight_value(&a.body, "post_video_views"),
        });
        // Comments and shares are fields of the post node, not insights. Best effort: the
        // metrics above stand without them.
        let q = [("fields", "comments.summary(true),shares,status_type".to_string())];
        if let Ok(n) = self.graph.get(call, token, post_id, &q).await
            && n.ok()
        {
            out["commentsCount"] = n.body.pointer("/comments/summary/total_count").cloned().unwrap_or(json!(0));
            out["sharesCount"] = n.body.pointer("/shares/count").cloned().unwrap_or(json!(0));
            out["statusType"] = n.body.get("status_type").cloned().unwrap_or(Value::Null);
        }
        Ok(out)
    }
}

fn failure_error(f: Failure) -> ErrorReport {
    match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable, Action::Analytics).details(details),
    }
}

#[async_trait]
impl Network for Facebook {
    fn platform(&self) -> Platform {
        Platform::Facebook
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let (token, page) = Self::account(call, Action::Post).map_err(Failure::Rejected)?;
        let mut photos = Vec::new();
        let several_images = content.media_urls.len() > 1 && !content.media_urls.iter().any(|u| is_video_url(u, content.is_video));
        if several_images {
            // Unpublished photos are invisible until the feed post attaches them.
            for url in &content.media_urls {
                let form = [("url", url.clone()), ("published", "false".to_string())];
                let a = self.answer(self.graph.post(call, token, &format!("{page}/photos"), &form).await, Action::Post).await?;
                photos.push(json!(a.str("id").unwrap_or_default()));
            }
        }
        Ok(json!({"photos": photos, "createdAt": super::now_ms()}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let (token, page) = Self::account(call, Action::Post).map_err(Failure::Rejected)?;
        let photos: Vec<&str> = step.get("photos").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let o = &content.options;
        let field = |k: &str, v: &str| (k.to_string(), v.to_string());
        let (edge, mut form): (&str, Vec<(String, String)>) = match content.media_urls.as_slice() {
            [] => ("feed", vec![field("message", &content.text)]),
            [url] if is_video_url(url, content.is_video) => {
                let mut f = vec![field("file_url", url), field("description", &content.text)];
                if let Some(t) = o.get("videoTitle").or_else(|| o.get("title")).and_then(Value::as_str) {
                    f.push(field("title", t));
                }
                ("videos", f)
            }
            [url] => ("photos", vec![field("url", url), field("message", &content.text)]),
            _ => {
                let mut f = vec![field("message", &content.text)];
                for (i, id) in photos.iter().enumerate() {
                    f.push((format!("attached_media[{i}]"), json!({"media_fbid": id}).to_string()));
                }
                ("feed", f)
            }
        };
        if let Some(link) = o.get("link").and_then(Value::as_str).filter(|_| edge == "feed") {
            form.push(field("link", link));
        }
        let r = self.graph.post(call, token, &format!("{page}/{edge}"), &form).await;
        let a = match r {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(Failure::Transient { error: err(Code::NetworkUnavailable, Action::Post).details(d), retry_after: None }),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if a.status == 504 {
            // A gateway timeout may hide a post Facebook did create: reconcile reads the feed.
            return Err(Failure::Ambiguous { details: format!("HTTP 504 from {edge}: {}", a.body) });
        }
        if !a.ok() {
            return Err(map_error(&GraphError::from_answer(&a), Action::Post));
        }
        // Photos answer with the photo id and the feed story's `post_id`; the post is what users see.
        let Some(id) = a.str("post_id").or_else(|| a.str("id")).map(str::to_string) else {
            return Err(Failure::Ambiguous { details: format!("answer without id: {}", a.body) });
        };
        Ok(Published { url: Some(post_url(&id)), id, extras: Map::new() })
    }

    /// Facebook cannot be asked "did this request land?": the Page's feed is read, newest first,
    /// back to the attempt's start. A post of the same text since then is ours; none by the time the
    /// feed reaches back there (or ends) proves it is not there. A failed read, or `LOOKUP_PAGES`
    /// pages without reaching the start, prove nothing.
    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok((token, page)) = Self::account(call, Action::Post) else { return Reconciled::Unknown };
        let since = step.get("createdAt").and_then(Value::as_i64).unwrap_or(0);
        self.look_up(call, token, page, &content.text, since).await
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let (token, _) = Self::account(call, Action::Delete).map_err(Failure::Rejected)?;
        self.answer(self.graph.delete(call, token, native_id).await, Action::Delete).await.map(|_| ())
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let (token, _) = Self::account(call, Action::Analytics)?;
        self.insights(call, token, native_id).await
    }

    /// Page-level metrics (`/analytics/social`): a throttled Page answers 444.
    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let (token, page) = Self::account(call, Action::Analytics)?;
        let q = [("metric", "page_impressions,page_post_engagements,page_fans".to_string()), ("period", "day".to_string())];
        let a = self
            .answer(self.graph.get(call, token, &format!("{page}/insights"), &q).await, Action::Analytics)
            .await
            .map_err(failure_error)?;
        let mut out = json!({
            "impressions": insight_value(&a.body, "page_impressions"),
            "engagements": insight_value(&a.body, "page_post_engagements"),
            "fanCount": insight_value(&a.body, "page_fans"),
        });
        // The Page node's fields, as Ayrshare adds them (ayrshare-api.md §4.7). Best effort.
        let q = [("fields", "id,name,username,link,followers_count,fan_count".to_string())];
        if let Ok(n) = self.graph.get(call, token, page, &q).await
            && n.ok()
        {
            for (ours, theirs) in [("id", "id"), ("name", "name"), ("username", "username"), ("link", "link"), ("followersCount", "followers_count")] {
                out[ours] = n.body.get(theirs).cloned().unwrap_or(Value::Null);
            }
        }
        Ok(out)
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let (token, page) = Self::account(call, Action::History)?;
        let fields = "id,message,created_time,permalink_url,status_type,full_picture,shares,comments.summary(true),likes.summary(true)";
        let mut q = vec![("fields", fields.to_string()), ("limit", limit.to_string())];
        if let Some(c) = cursor {
            q.push(("after", c.to_string()));
        }
        let a = self
            .answer(self.graph.get(call, token, &format!("{page}/feed"), &q).await, Action::History)
            .await
            .map_err(failure_error)?;
        let mut posts = Vec::new();
        for p in a.body.get("data").and_then(Value::as_array).into_iter().flatten() {
            let id = p.get("id").and_then(Value::as_str).unwrap_or_default();
            let mut post = json!({
                "id": id,
                "post": p.get("message").cloned().unwrap_or(Value::Null),
                "postUrl": p.get("permalink_url").cloned().unwrap_or_else(|| json!(post_url(id))),
                "created": p.get("created_time").cloned().unwrap_or(Value::Null),
                // Ayrshare's per-post fields of /history/facebook (ayrshare-api.md §4.6).
                "likeCount": p.pointer("/likes/summary/total_count").cloned().unwrap_or(json!(0)),
                "commentsCount": p.pointer("/comments/summary/total_count").cloned().unwrap_or(json!(0)),
                "sharesCount": p.pointer("/shares/count").cloned().unwrap_or(json!(0)),
                "statusType": p.get("status_type").cloned().unwrap_or(Value::Null),
                "fullPicture": p.get("full_picture").cloned().unwrap_or(Value::Null),
            });
            // A throttled Page keeps its posts listed; each says why it has no metrics.
            match self.insights(call, token, id).await {
                Ok(m) => {
                    post["impressionsUnique"] = m.get("impressionsUnique").cloned().unwrap_or(Value::Null);
                    post["analytics"] = m;
                }
                Err(e) => {
                    post["code"] = json!(e.code);
                    if e.code == Code::FacebookAnalyticsThrottle.number() {
                        post["errCode"] = json!(80001);
                    }
                    post["details"] = json!(e.details);
                }
            }
            posts.push(post);
        }
        Ok(HistoryPage { posts, next: super::next_cursor(&a.body) })
    }
}

fn parse_time(t: &str) -> Option<i64> {
    chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(t))
        .ok()
        .map(|d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_page_finds_passes_or_reads_on() {
        let since = parse_time("2026-01-01T12:00:00+0000").unwrap();
        let post = |id: &str, msg: &str, t: &str| json!({"id": id, "message": msg, "created_time": t});
        let page = [post("1_3", "other", "2026-01-01T12:00:05+0000"), post("1_2", "hello", "2026-01-01T11:59:59+0000")];
        assert_eq!(feed_page(&page, "hello", since), FeedPage::Found("1_2"), "created_time has whole seconds");
        let page = [post("1_3", "other", "2026-01-01T12:00:05+0000"), post("1_2", "hello", "2026-01-01T11:59:58+0000")];
        assert_eq!(feed_page(&page, "hello", since), FeedPage::Passed, "older than the attempt: not ours, and the feed reached back");
        let page = [post("1_3", "other", "2026-01-01T12:00:05+0000")];
        assert_eq!(feed_page(&page, "hello", since), FeedPage::More);
        let pinned_first = [post("1_1", "old", "2025-01-01T00:00:00+0000"), post("1_3", "other", "2026-01-01T12:00:05+0000")];
        assert_eq!(feed_page(&pinned_first, "hello", since), FeedPage::More, "only the page's last post says how far back it reaches");
        assert_eq!(feed_page(&[], "hello", since), FeedPage::More);
    }
}
