//! X (Twitter) API v2 with bring-your-own app keys (OAuth 1.0a user context).
//!
//! The app's consumer key and secret come with each request (headers
//! `X-Twitter-OAuth1-Api-Key` / `-Secret`) and live only in memory; the
//! access token and secret are the linked account's, stored encrypted.
//! Never twice: after a lost answer, the account's timeline is read back to the
//! attempt's start for this text; it is proven absent only when every post since
//! then is clearly another one (see `look_up`).

pub mod errors;
pub mod oauth1;

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Poll, Published, Reconciled, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, map_error};
// X measures text by twitter-text weighting (its 280), not in characters.
use crier_core::text_length::x::weighted_length as weighted;
use oauth1::Keys;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Largest piece sent in one APPEND.
const CHUNK: usize = 4 * 1024 * 1024;

pub struct Twitter {
    base: String,
    media: Arc<dyn MediaSource>,
    /// Posts per page and pages at most that `reconcile` reads.
    lookup: (usize, usize),
}

struct Answer {
    status: u16,
    body: Value,
    headers: HeaderMap,
}

fn keys<'a>(c: &'a Value) -> Result<Keys<'a>, Failure> {
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
    match (s("consumerKey"), s("consumerSecret")) {
        (Some(consumer_key), Some(consumer_secret)) => match (s("accessToken"), s("accessTokenSecret")) {
            (Some(token), Some(token_secret)) => Ok(Keys { consumer_key, consumer_secret, token, token_secret }),
            _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked X account lacks accessToken or accessTokenSecret"))),
        },
        // The headers were not sent with this request, or the process restarted since (they are never stored).
        (key, secret) => {
            let missing: Vec<&str> = [(key, crier_core::validate::TWITTER_KEY_HEADER), (secret, crier_core::validate::TWITTER_SECRET_HEADER)]
                .into_iter()
                .filter(|(v, _)| v.is_none())
                .map(|(_, n)| n)
                .collect();
            Err(Failure::Rejected(err(Code::TwitterByoMissing).arg("count", missing.len()).arg("missing", missing.join(", "))))
        }
    }
}

fn transient(d: String) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(d), retry_after: None }
}

fn sent(h: HttpFailure) -> String {
    match h {
        HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => d,
    }
}

impl Twitter {
    pub fn new(base: &str, media: Arc<dyn MediaSource>) -> Twitter {
        Twitter { base: base.trim_end_matches('/').to_string(), media, lookup: (LOOKUP_PAGE, LOOKUP_PAGES) }
    }

    /// How far `reconcile` reads back: `per_page` posts a page (X takes 5 to 100), `pages` pages at
    /// most (by default 100 and 10). Tests shorten it to page through a few posts.
    pub fn with_lookup(mut self, per_page: usize, pages: usize) -> Self {
        self.lookup = (per_page.clamp(5, 100), pages);
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A signed request. The query is signed; JSON and multipart bodies are not (RFC 5849).
    async fn send(&self, call: &Call<'_>, method: reqwest::Method, path: &str, query: &[(String, String)], body: Body) -> Result<Answer, HttpFailure> {
        let k = keys(call.credentials).map_err(|_| HttpFailure::NotSent("missing X credentials".into()))?;
        let url = self.url(path);
        let auth = oauth1::authorization(method.as_str(), &url, query, &k);
        let mut req = call.http.request(method, &url).query(query).header("authorization", auth);
        req = match body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Multipart(m) => req.multipart(m),
        };
        let resp = req.send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        Ok(Answer { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null), headers })
    }

    /// A call outside the publish step: anything but success is a failure; transport trouble is transient.
    async fn call_ok(&self, call: &Call<'_>, method: reqwest::Method, path: &str, query: &[(String, String)], body: Body) -> Result<Value, Failure> {
        keys(call.credentials)?;
        let a = self.send(call, method, path, query, body).await.map_err(|h| transient(sent(h)))?;
        if (200..300).contains(&a.status) {
            Ok(a.body)
        } else {
            Err(map_error(a.status, &a.body, &a.headers, 0))
        }
    }

    /// Chunked upload: INIT → APPEND… → FINALIZE. Returns the media id and whether X still processes it.
    async fn upload(&self, call: &Call<'_>, url: &str) -> Result<(String, bool), Failure> {
        let media = self.media.fetch(url, 512 << 20).await.map_err(|mut e| {
            e.platform = Some(Platform::Twitter);
            Failure::Rejected(e.arg("network", "X"))
        })?;
        let category = if media.mime.starts_with("video/") {
            "tweet_video"
        } else if media.mime == "image/gif" {
            "tweet_gif"
        } else {
            "tweet_image"
        };
        let init = json!({"media_type": media.mime, "total_bytes": media.bytes.len(), "media_category": category});
        let body = self.call_ok(call, reqwest::Method::POST, "/2/media/upload/initialize", &[], Body::Json(init)).await?;
        let id = body.pointer("/data/id").and_then(Value::as_str).unwrap_or_default().to_string();
        for (i, chunk) in media.bytes.chunks(CHUNK).enumerate() {
            let part = reqwest::multipart::Part::bytes(chunk.to_vec()).file_name("media").mime_str("application/octet-stream").map_err(|e| transient(e.to_string()))?;
            let form = reqwest::multipart::Form::new().text("segment_index", i.to_string()).part("media", part);
            self.call_ok(call, reqwest::Method::POST, &format!("/2/media/upload/{id}/append"), &[], Body::Multipart(form)).await?;
        }
        let fin = self.call_ok(call, reqwest::Method::POST, &format!("/2/media/upload/{id}/finalize"), &[], Body::None).await?;
        Ok((id, processing(&fin).is_some()))
    }

    /// One `POST /2/tweets`.
    async fn tweet(&self, call: &Call<'_>, body: &Value, text_len: usize) -> Result<Published, Failure> {
        let a = match self.send(call, reqwest::Method::POST, "/2/tweets", &[], Body::Json(body.clone())).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if !(200..300).contains(&a.status) {
            return Err(map_error(a.status, &a.body, &a.headers, text_len));
        }
        let Some(id) = a.body.pointer("/data/id").and_then(Value::as_str) else {
            return Err(Failure::Ambiguous { details: format!("answer without id: {}", a.body) });
        };
        let handle = call.credentials.get("username").and_then(Value::as_str).unwrap_or("i");
        Ok(Published { id: id.to_string(), url: Some(format!("https://x.com/{handle}/status/{id}")), extras: Map::new() })
    }

    /// Reads the user's timeline back to the attempt's start (`start_time`, paged with
    /// `pagination_token`). A post of exactly this text since then is ours. X rewrites what it shows
    /// (t.co links, a link to attached media, `&amp;`), so a post only loosely like ours may be ours
    /// too: then nothing is proven. Only when every post since the start is clearly another one
    /// (or there is none) is ours proven absent. A failed read, or `pages` pages without reaching the
    /// start, prove nothing.
    async fn look_up(&self, call: &Call<'_>, text: &str, since_ms: i64) -> Reconciled {
        let (per_page, pages) = self.lookup;
        let Ok(me) = self.call_ok(call, reqwest::Method::GET, "/2/users/me", &[], Body::None).await else { return Reconciled::Unknown };
        let Some(user) = me.pointer("/data/id").and_then(Value::as_str).map(str::to_string) else { return Reconciled::Unknown };
        let username = me.pointer("/data/username").and_then(Value::as_str).unwrap_or("i").to_string();
        let window_start = since_ms - SKEW_MS;
        let mut doubt = false;
        let mut token: Option<String> = None;
        for _ in 0..pages {
            let mut q = vec![
                ("max_results".to_string(), per_page.to_string()),
                ("start_time".to_string(), x_time(window_start)),
                ("tweet.fields".to_string(), "created_at,note_tweet".to_string()),
            ];
            if let Some(t) = &token {
                q.push(("pagination_token".to_string(), t.clone()));
            }
            let Ok(body) = self.call_ok(call, reqwest::Method::GET, &format!("/2/users/{user}/tweets"), &q, Body::None).await else {
                return Reconciled::Unknown;
            };
            // A 200 with `errors` and no `data` is X's partial error (e.g. the user is gone).
            if body.get("data").is_none() && body.get("errors").is_some() {
                return Reconciled::Unknown;
            }
            let page = timeline_page(body.get("data").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]), text, window_start);
            if let Some(id) = page.found {
                return Reconciled::Published(Published { id: id.to_string(), url: Some(format!("https://x.com/{username}/status/{id}")), extras: Map::new() });
            }
            doubt |= page.doubt;
            token = body.pointer("/meta/next_token").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string);
            if page.passed || token.is_none() {
                return if doubt { Reconciled::Unknown } else { Reconciled::NotPublished };
            }
        }
        Reconciled::Unknown
    }
}

/// How much earlier than the attempt's start (crier's clock) a post may be dated by X and still be
/// taken for it (`start_time` has whole seconds).
const SKEW_MS: i64 = 1_000;
/// Posts per timeline page when `reconcile` reads (X's largest `max_results`).
const LOOKUP_PAGE: usize = 100;
/// Pages `reconcile` reads at most before saying it cannot tell (1,000 posts since the attempt).
const LOOKUP_PAGES: usize = 10;

/// `start_time` as X takes it: RFC 3339 in whole seconds (rounded down: inclusive), no earlier
/// than X allows (2010-11-06T00:00:00Z).
fn x_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms.max(1_289_001_600_000)).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What one timeline page, newest first, says about the post with `text` made since `window_start`.
#[derive(Debug, Default, PartialEq)]
pub struct TimelinePage<'a> {
    /// The post with exactly this text (as X shows it, entities unescaped).
    pub found: Option<&'a str>,
    /// A post since the start might be ours though its text differs (links, truncation, scripts
    /// the comparison cannot see): the page cannot prove absence.
    pub doubt: bool,
    /// The page reaches back before the start: its oldest (last) dated post is older.
    pub passed: bool,
}

pub fn timeline_page<'a>(data: &'a [Value], text: &str, window_start: i64) -> TimelinePage<'a> {
    let at = |t: &Value| t.get("created_at").and_then(Value::as_str).and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map(|d| d.timestamp_millis());
    let mut page = TimelinePage::default();
    for t in data {
        // Older posts are not ours (`start_time` normally leaves them out).
        if at(t).is_some_and(|a| a < window_start) {
            continue;
        }
        let shown = t.pointer("/note_tweet/text").or_else(|| t.get("text")).and_then(Value::as_str).map(unescape).unwrap_or_default();
        if shown.trim() == text.trim()
            && let Some(id) = t.get("id").and_then(Value::as_str)
        {
            page.found = Some(id);
            return page;
        }
        page.doubt |= may_be(&shown, text);
    }
    page.passed = data.iter().rev().find_map(at).is_some_and(|a| a < window_start);
    page
}

/// X's v2 `text` escapes `&`, `<` and `>` as HTML entities.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Whether `shown` (a post as X shows it) may be `text` as sent: their letters and digits, links
/// and anything link-like left out on both sides (X replaces links with t.co and appends one for
/// media), are equal or one starts with the other (X may shorten what it shows). Errs towards
/// "may be": that only keeps the lookup from proving absence.
fn may_be(shown: &str, text: &str) -> bool {
    let (a, b) = (skeleton(shown), skeleton(text));
    a.starts_with(&b) || b.starts_with(&a)
}

fn skeleton(s: &str) -> String {
    let link_like = |w: &str| {
        let chars: Vec<char> = w.chars().collect();
        w.contains("://") || w.to_ascii_lowercase().starts_with("www.") || chars.windows(3).any(|c| c[0].is_alphanumeric() && c[1] == '.' && c[2].is_alphabetic())
    };
    s.split_whitespace().filter(|w| !link_like(w)).flat_map(|w| w.chars()).filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

enum Body {
    None,
    Json(Value),
    Multipart(reqwest::multipart::Form),
}

/// `processing_info` of a media answer while X is still working on it: (state, seconds to wait).
fn processing(body: &Value) -> Option<(String, u64)> {
    let info = body.pointer("/data/processing_info")?;
    let state = info.get("state")?.as_str()?.to_string();
    let wait = info.get("check_after_secs").and_then(Value::as_u64).unwrap_or(1);
    Some((state, wait))
}

/// X's snake_case `public_metrics` in Ayrshare's camelCase (`like_count` → `likeCount`).
fn camel_metrics(m: Option<&Value>) -> Value {
    let mut out = Map::new();
    for (k, v) in m.and_then(Value::as_object).into_iter().flatten() {
        let mut camel = String::new();
        let mut upper = false;
        for ch in k.chars() {
            if ch == '_' {
                upper = true;
            } else if upper {
                camel.extend(ch.to_uppercase());
                upper = false;
            } else {
                camel.push(ch);
            }
        }
        out.insert(camel, v.clone());
    }
    Value::Object(out)
}

fn report(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}

fn tweet_body(content: &Content, media_ids: &[String]) -> Value {
    let o = &content.options;
    let mut body = json!({"text": content.text});
    if !media_ids.is_empty() {
        body["media"] = json!({"media_ids": media_ids});
    }
    if let Some(id) = o.get("replyToId").and_then(Value::as_str) {
        body["reply"] = json!({"in_reply_to_tweet_id": id});
    }
    if let Some(id) = o.get("quoteTweetId").and_then(Value::as_str) {
        body["quote_tweet_id"] = json!(id);
    }
    if let Some(poll) = o.get("poll") {
        body["poll"] = json!({"options": poll.get("options").cloned().unwrap_or_default(), "duration_minutes": poll.get("duration").cloned().unwrap_or(json!(1440))});
    }
    if let Some(r) = o.get("replySettings").and_then(Value::as_str) {
        // Ayrshare says `mentioned`; X says `mentionedUsers`.
        body["reply_settings"] = json!(if r == "mentioned" { "mentionedUsers" } else { r });
    }
    if o.get("subscribersOnly").and_then(Value::as_bool) == Some(true) {
        body["for_super_followers_only"] = json!(true);
    }
    body
}

#[async_trait]
impl Network for Twitter {
    fn platform(&self) -> Platform {
        Platform::Twitter
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        keys(call.credentials)?;
        let mut media = Vec::new();
        for url in &content.media_urls {
            let (id, pending) = self.upload(call, url).await?;
            media.push(json!({"id": id, "pending": pending}));
        }
        Ok(json!({"media": media, "createdAt": chrono::Utc::now().timestamp_millis()}))
    }

    /// Media X still processes is asked about until `succeeded`.
    async fn poll(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Result<Poll, Failure> {
        let mut next = step.clone();
        let mut wait = None;
        for m in next.get_mut("media").and_then(Value::as_array_mut).into_iter().flatten() {
            if m.get("pending").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let q = vec![("command".to_string(), "STATUS".to_string()), ("media_id".to_string(), id)];
            let status = self.call_ok(call, reqwest::Method::GET, "/2/media/upload", &q, Body::None).await?;
            match processing(&status) {
                Some((state, _)) if state == "failed" => {
                    let why = status.pointer("/data/processing_info/error").map(|e| e.to_string()).unwrap_or_default();
                    return Err(Failure::Rejected(err(Code::MediaRules).details(format!("X could not process the media: {why}"))));
                }
                Some((state, secs)) if state != "succeeded" => wait = Some(wait.unwrap_or(secs).min(secs)),
                _ => m["pending"] = json!(false),
            }
        }
        Ok(match wait {
            Some(secs) => Poll::Pending { step: next, retry_in: Duration::from_secs(secs) },
            None => Poll::Ready(next),
        })
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        keys(call.credentials)?;
        let media_ids: Vec<String> = step
            .get("media")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string)).collect())
            .unwrap_or_default();
        let flag = |k: &str| content.options.get(k).and_then(Value::as_bool) == Some(true);
        let parts = if flag("thread") { crier_core::thread::thread_parts(&content.text, flag("threadNumber")) } else { Vec::new() };
        let first_text = parts.first().cloned().unwrap_or_else(|| content.text.clone());
        let first = Content { text: first_text, ..content.clone() };
        let mut published = self.tweet(call, &tweet_body(&first, &media_ids), weighted(&first.text)).await?;
        if parts.len() > 1 {
            // The first post is out: the rest reply to it one by one. A failure stops the thread
            // and is reported as a warning — never a retry, which would post the first one again.
            let mut ids = vec![published.id.clone()];
            for part in &parts[1..] {
                let body = json!({"text": part, "reply": {"in_reply_to_tweet_id": ids.last()}});
                match self.tweet(call, &body, weighted(part)).await {
                    Ok(p) => ids.push(p.id),
                    Err(f) => {
                        let why = match f {
                            Failure::Rejected(e) | Failure::Transient { error: e, .. } => e.details.unwrap_or_default(),
                            Failure::Ambiguous { details } => format!("answer lost, the post may exist: {details}"),
                        };
                        published.extras.insert("warnings".into(), json!([format!("thread stopped after {} of {} posts: {why}", ids.len(), parts.len())]));
                        break;
                    }
                }
            }
            published.extras.insert("threadIds".into(), json!(ids));
        }
        Ok(published)
    }

    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let since = step.get("createdAt").and_then(Value::as_i64).unwrap_or(0);
        let flag = |k: &str| content.options.get(k).and_then(Value::as_bool) == Some(true);
        // A thread's first post is the one whose answer may have been lost.
        let first = if flag("thread") { crier_core::thread::thread_parts(&content.text, flag("threadNumber")).into_iter().next() } else { None };
        self.look_up(call, first.as_deref().unwrap_or(&content.text), since).await
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let q = vec![("tweet.fields".to_string(), "public_metrics,created_at".to_string())];
        let body = self.call_ok(call, reqwest::Method::GET, &format!("/2/tweets/{native_id}"), &q, Body::None).await.map_err(|f| report(f, Action::Analytics))?;
        Ok(camel_metrics(body.pointer("/data/public_metrics")))
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let q = vec![("user.fields".to_string(), "public_metrics,verified".to_string())];
        let body = self.call_ok(call, reqwest::Method::GET, "/2/users/me", &q, Body::None).await.map_err(|f| report(f, Action::Analytics))?;
        let mut a = camel_metrics(body.pointer("/data/public_metrics"));
        a["username"] = body.pointer("/data/username").cloned().unwrap_or(Value::Null);
        a["verified"] = body.pointer("/data/verified").cloned().unwrap_or(json!(false));
        Ok(a)
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let me = self.call_ok(call, reqwest::Method::GET, "/2/users/me", &[], Body::None).await.map_err(|f| report(f, Action::History))?;
        let user = me.pointer("/data/id").and_then(Value::as_str).unwrap_or_default().to_string();
        let username = me.pointer("/data/username").and_then(Value::as_str).unwrap_or("i").to_string();
        let mut q = vec![
            ("max_results".to_string(), limit.clamp(5, 100).to_string()),
            ("tweet.fields".to_string(), "created_at,public_metrics".to_string()),
        ];
        if let Some(c) = cursor {
            q.push(("pagination_token".into(), c.to_string()));
        }
        let body = self.call_ok(call, reqwest::Method::GET, &format!("/2/users/{user}/tweets"), &q, Body::None).await.map_err(|f| report(f, Action::History))?;
        let posts = body
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .take(limit)
            .map(|t| {
                let id = t.get("id").and_then(Value::as_str).unwrap_or_default();
                json!({"id": id, "post": t.get("text"), "postUrl": format!("https://x.com/{username}/status/{id}"),
                       "created": t.get("created_at"), "analytics": camel_metrics(t.get("public_metrics"))})
            })
            .collect();
        Ok(HistoryPage { posts, next: body.pointer("/meta/next_token").and_then(Value::as_str).map(str::to_string) })
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        self.call_ok(call, reqwest::Method::DELETE, &format!("/2/tweets/{native_id}"), &[], Body::None)
            .await
            .map(|_| ())
            .map_err(|f| f.for_action(Action::Delete))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tweet(id: &str, text: &str, at: &str) -> Value {
        json!({"id": id, "text": text, "created_at": at})
    }

    #[test]
    fn start_time_is_whole_seconds_and_never_before_x_allows() {
        assert_eq!(x_time(1_767_268_800_999), "2026-01-01T12:00:00Z");
        assert_eq!(x_time(0), "2010-11-06T00:00:00Z");
    }

    #[test]
    fn a_timeline_page_finds_ours_by_its_shown_text() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z").unwrap().timestamp_millis();
        let data = [tweet("2", "other", "2026-01-01T12:00:09.000Z"), tweet("1", "Fish &amp; chips &lt;3", "2026-01-01T12:00:01.000Z")];
        let page = timeline_page(&data, "Fish & chips <3", start);
        assert_eq!(page.found, Some("1"));
        let long = [json!({"id": "3", "text": "Long start…", "note_tweet": {"text": "Long start and its end"}, "created_at": "2026-01-01T12:00:01.000Z"})];
        assert_eq!(timeline_page(&long, "Long start and its end", start).found, Some("3"), "a long post's full text");
    }

    #[test]
    fn only_clearly_other_posts_since_the_start_prove_absence() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z").unwrap().timestamp_millis();
        let other = [tweet("2", "Something else entirely", "2026-01-01T12:00:05.000Z")];
        assert_eq!(timeline_page(&other, "Launch day!", start), TimelinePage::default());
        for (shown, why) in [
            ("Read https://t.co/abc123 now", "a link X rewrote"),
            ("Read example.com now https://t.co/media1", "a bare domain and a media link"),
            ("Launch day! https://t.co/pic", "media X links at the end"),
            ("Read this", "a shortened display"),
            ("日本語のテキスト", "a script the comparison cannot see"),
        ] {
            let data = [tweet("2", shown, "2026-01-01T12:00:05.000Z")];
            let ours = match why {
                "a link X rewrote" => "Read https://example.com/a?b=c now",
                "a bare domain and a media link" => "Read example.com now",
                "media X links at the end" => "Launch day!",
                "a shortened display" => "Read this whole text",
                _ => "日本語の別のテキスト",
            };
            let page = timeline_page(&data, ours, start);
            assert_eq!((page.found, page.doubt), (None, true), "{why}: may be ours");
        }
    }

    #[test]
    fn the_page_reaches_back_before_the_start() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z").unwrap().timestamp_millis();
        let data = [tweet("3", "new", "2026-01-01T12:00:05.000Z"), tweet("1", "Launch day!", "2026-01-01T11:59:59.999Z")];
        let page = timeline_page(&data, "Launch day!", start);
        assert_eq!(page, TimelinePage { found: None, doubt: false, passed: true }, "an older post of the same text is not ours");
    }
}
