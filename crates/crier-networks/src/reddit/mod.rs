//! Reddit through its OAuth API (`https://oauth.reddit.com`, reference
//! `https://www.reddit.com/dev/api`): `Authorization: bearer <token>` and a descriptive
//! User-Agent `crier/<version> (by /u/<username>)` as Reddit's API rules ask.
//!
//! - Publish: `POST /api/submit`, form-encoded, `api_type=json`, `sr`, `kind` (`self` with
//!   `text`, or `link` with `url`), `title`, `flair_id`/`flair_text`. The answer is
//!   `{"json":{"errors":[],"data":{"url","id","name"}}}`; refusals come as
//!   `[CODE, message, field]` triples in `json.errors` (see `errors.rs`).
//! - Images: like Ayrshare (`docs.ayrshare.com/rest-api/endpoints/post/reddit`), the first
//!   media URL is submitted as a link post, which Reddit resolves to the image; a post is an
//!   image or text, never both. Reddit's own image upload (media-asset lease) is not used.
//! - The published id is the fullname `t3_<id>`: `/api/del` and `/api/info` take fullnames.
//! - Delete: `POST /api/del` `id=<fullname>`. Analytics: `GET /api/info?id=<fullname>`
//!   (score, ups, num_comments, upvote_ratio). History: `GET /user/{username}/submitted`
//!   (a Listing; `after` is the next-page cursor).
//! - Reconcile: `/user/{username}/submitted`, paged back to `prepare`, matched on subreddit,
//!   title and creation time (not before `prepare`).
//! - Rate limits: `X-Ratelimit-Reset` (seconds until the window ends) on 429, and the
//!   per-subreddit posting throttle `RATELIMIT` whose text names the wait
//!   (r/redditdev "Formal ratelimiting headers"; PRAW's ratelimit notes).
//!
//! `raw_json=1` on reads keeps `&`, `<`, `>` unescaped so titles compare as sent.

mod errors;

pub use errors::{RedditError, Sent, TEXT_LIMIT, TITLE_LIMIT, error_triples, map_error, wait_in_text};

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, Network, Published, Reconciled, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, read_report, transient};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

pub struct Reddit {
    base: String,
    /// Links per page and pages at most that `reconcile` reads.
    lookup: (usize, usize),
}

/// Credentials stored for a linked Reddit account.
struct Creds<'a> {
    token: &'a str,
    username: &'a str,
}

fn creds(v: &Value) -> Result<Creds<'_>, Failure> {
    let field = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match (field("accessToken"), field("username")) {
        // Reddit usernames are letters, digits, `_` and `-`; anything else must not reach a URL path.
        (Some(token), Some(username)) if username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') => {
            Ok(Creds { token, username })
        }
        _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Reddit account lacks accessToken or username"))),
    }
}

fn user_agent(username: &str) -> String {
    format!("crier/{} (by /u/{})", env!("CARGO_PKG_VERSION"), username)
}

/// A subreddit as Reddit's `sr` wants it: no `/r/` prefix ("" when only the prefix is given).
pub fn subreddit_name(raw: &str) -> &str {
    let mut segments = raw.trim().split('/').filter(|s| !s.is_empty()).peekable();
    if raw.contains('/') && segments.peek().is_some_and(|s| s.eq_ignore_ascii_case("r")) {
        segments.next();
    }
    segments.next().unwrap_or("")
}

fn option_str<'a>(options: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| options.get(*k).and_then(Value::as_str)).map(str::trim).filter(|s| !s.is_empty())
}

fn missing(what: &str) -> Failure {
    Failure::Rejected(
        ErrorReport::for_platform(Code::MissingField, Action::Post, Platform::Reddit).details(format!("redditOptions.{what} is required for Reddit")),
    )
}

/// Form fields of a request, in order.
pub type Form = Vec<(&'static str, String)>;

/// The `/api/submit` form for `content`, and what it sends (for limit reporting).
pub fn submit_form(content: &Content) -> Result<(Form, Sent), Failure> {
    let o = &content.options;
    let title = option_str(o, &["title"]).ok_or_else(|| missing("title"))?;
    let subreddit = option_str(o, &["subreddit"]).map(subreddit_name).filter(|s| !s.is_empty()).ok_or_else(|| missing("subreddit"))?;
    let mut form = vec![("api_type", "json".to_string()), ("sr", subreddit.to_string()), ("title", title.to_string())];
    let mut sent = Sent { title_chars: title.chars().count(), ..Sent::default() };
    let link = option_str(o, &["link"]);
    match (link, content.media_urls.first()) {
        (Some(url), _) => {
            form.push(("kind", "link".into()));
            form.push(("url", url.to_string()));
        }
        (None, Some(media)) => {
            form.push(("kind", "link".into()));
            form.push(("url", media.clone()));
            sent.url_is_media = true;
        }
        (None, None) => {
            form.push(("kind", "self".into()));
            form.push(("text", content.text.clone()));
            sent.text_chars = content.text.chars().count();
        }
    }
    if let Some(id) = option_str(o, &["flairId", "flair_id"]) {
        form.push(("flair_id", id.to_string()));
    }
    if let Some(text) = option_str(o, &["flairText", "flair_text"]) {
        form.push(("flair_text", text.to_string()));
    }
    Ok((form, sent))
}

/// A `/api/submit` answer (any status) as a publish result. A 2xx without errors and without
/// `data.name` cannot be read: the post may exist.
pub fn submit_outcome(status: u16, headers: &HeaderMap, body: &Value, sent: &Sent) -> Result<Published, Failure> {
    if (200..300).contains(&status) && error_triples(body).is_empty() {
        let data = body.pointer("/json/data");
        let name = data.and_then(|d| d.get("name")).and_then(Value::as_str).filter(|n| !n.is_empty());
        return match name {
            Some(name) => {
                let url = data.and_then(|d| d.get("url")).and_then(Value::as_str).map(str::to_string);
                let mut extras = Map::new();
                if let Some(id) = data.and_then(|d| d.get("id")) {
                    extras.insert("postId".into(), id.clone());
                }
                Ok(Published { id: name.to_string(), url, extras })
            }
            None => Err(Failure::Ambiguous { details: format!("submit answer lacks json.data.name: {body}") }),
        };
    }
    Err(map_error(status, headers, body, sent))
}

fn fullname(native_id: &str) -> String {
    if native_id.starts_with("t3_") { native_id.to_string() } else { format!("t3_{native_id}") }
}

/// Metrics of one Link (a Listing child's `data`), in the shape crier reports for Reddit.
fn metrics(link: &Value) -> Value {
    let n = |k: &str| link.get(k).cloned().unwrap_or(json!(0));
    json!({
        "score": n("score"),
        "ups": n("ups"),
        "numComments": n("num_comments"),
        "upvoteRatio": n("upvote_ratio"),
        "subreddit": link.get("subreddit"),
        "title": link.get("title"),
        "url": link.get("permalink").and_then(Value::as_str).map(permalink_url),
    })
}

fn permalink_url(permalink: &str) -> String {
    format!("https://www.reddit.com{permalink}")
}

fn created_rfc3339(link: &Value) -> Option<String> {
    let secs = link.get("created_utc").and_then(Value::as_f64)?;
    chrono::DateTime::from_timestamp(secs as i64, 0).map(|d| d.to_rfc3339())
}

/// The `data` of each child of a Listing.
fn listing_links(body: &Value) -> impl Iterator<Item = &Value> {
    body.pointer("/data/children").and_then(Value::as_array).into_iter().flatten().filter_map(|c| c.get("data"))
}

/// Seconds a post may be dated before `prepare` (Reddit's clock against crier's) and still be
/// taken for it; a lookup reads back to this window's start.
const SLACK_SECS: i64 = 300;
/// Links per page when `reconcile` reads the user's submissions (Reddit's largest `limit`).
const LOOKUP_PAGE: usize = 100;
/// Pages `reconcile` reads at most before saying it cannot tell.
const LOOKUP_PAGES: usize = 10;
/// Reddit lists at most about this many items of a listing: an end reached there may be the cap.
const LISTING_CAP: usize = 1000;

/// Reconcile's test: same subreddit and title, created no earlier than `prepare` (minus clock slack).
pub fn matches(link: &Value, subreddit: &str, title: &str, not_before: i64) -> bool {
    let same_sr = link.get("subreddit").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case(subreddit));
    let same_title = link.get("title").and_then(Value::as_str).is_some_and(|t| t.trim() == title.trim());
    let created = link.get("created_utc").and_then(Value::as_f64).unwrap_or(0.0) as i64;
    same_sr && same_title && created >= not_before - SLACK_SECS
}

/// What one page of the user's submissions, newest first, says about the post reconcile looks for.
#[derive(Debug, PartialEq)]
pub enum ListingPage<'a> {
    Found(&'a Value),
    /// The page reaches back before `prepare`: its oldest (last) dated link is older, so no later
    /// page can hold the post. Only the last link decides, so one out of order cannot end the search.
    Passed,
    More,
}

pub fn listing_page<'a>(body: &'a Value, subreddit: &str, title: &str, not_before: i64) -> ListingPage<'a> {
    if let Some(link) = listing_links(body).find(|l| matches(l, subreddit, title, not_before)) {
        return ListingPage::Found(link);
    }
    let oldest = listing_links(body).filter_map(|l| l.get("created_utc").and_then(Value::as_f64)).last();
    match oldest {
        Some(t) if (t as i64) < not_before - SLACK_SECS => ListingPage::Passed,
        _ => ListingPage::More,
    }
}

/// An answer: status, headers, JSON body (`Null` when unreadable).
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

enum Req<'a> {
    Form(&'a [(&'static str, String)]),
    Query(&'a [(&'static str, String)]),
}

impl Reddit {
    pub fn new(base: &str) -> Self {
        Reddit { base: base.trim_end_matches('/').to_string(), lookup: (LOOKUP_PAGE, LOOKUP_PAGES) }
    }

    /// How far `reconcile` reads back: `per_page` links a page, `pages` pages at most (by default
    /// 100 and 10). Tests shorten it to page through a few posts.
    pub fn with_lookup(mut self, per_page: usize, pages: usize) -> Self {
        self.lookup = (per_page.max(1), pages);
        self
    }

    async fn send(&self, call: &Call<'_>, c: &Creds<'_>, path: &str, req: Req<'_>) -> Result<Answer, HttpFailure> {
        let url = format!("{}{}", self.base, path);
        let builder = match req {
            Req::Form(form) => call.http.post(url).form(form),
            Req::Query(q) => call.http.get(url).query(q),
        };
        let resp = builder
            .header("authorization", format!("bearer {}", c.token))
            .header("user-agent", user_agent(c.username))
            .send()
            .await
            .map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        Ok(Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) })
    }

    /// A read call: Reddit's JSON, or the catalog error for `action`.
    async fn read(&self, call: &Call<'_>, path: &str, query: &[(&'static str, String)], action: Action) -> Result<Value, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| read_report(f, action))?;
        let a = self.send(call, &c, path, Req::Query(query)).await.map_err(|h| {
            let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = h;
            read_report(transient(d), action)
        })?;
        if a.status == 200 && !a.body.is_null() {
            return Ok(a.body);
        }
        Err(read_report(map_error(a.status, &a.headers, &a.body, &Sent::default()), action))
    }

    /// Pages `/user/{username}/submitted` with `after` (see `reconcile`).
    async fn look_up(&self, call: &Call<'_>, username: &str, subreddit: &str, title: &str, not_before: i64) -> Reconciled {
        let (per_page, pages) = self.lookup;
        let mut after: Option<String> = None;
        let mut seen = 0;
        for _ in 0..pages {
            let Ok(body) = self.submitted(call, username, per_page, after.as_deref(), Action::Post).await else {
                return Reconciled::Unknown;
            };
            match body.pointer("/data/children").and_then(Value::as_array) {
                None => return Reconciled::Unknown,
                // Reddit answers an `after` whose post is gone (deleted meanwhile) with an empty page.
                Some(children) if children.is_empty() && after.is_some() => return Reconciled::Unknown,
                Some(_) => {}
            }
            match listing_page(&body, subreddit, title, not_before) {
                ListingPage::Found(link) => {
                    let Some(name) = link.get("name").and_then(Value::as_str) else { return Reconciled::Unknown };
                    let url = link.get("permalink").and_then(Value::as_str).map(permalink_url);
                    return Reconciled::Published(Published { id: name.to_string(), url, extras: Map::new() });
                }
                ListingPage::Passed => return Reconciled::NotPublished,
                ListingPage::More => {}
            }
            seen += listing_links(&body).count();
            match body.pointer("/data/after").and_then(Value::as_str).filter(|a| !a.is_empty()) {
                Some(a) => after = Some(a.to_string()),
                // No `after`: the listing's end, unless Reddit's cap on listings cut it short.
                None if seen < LISTING_CAP => return Reconciled::NotPublished,
                None => return Reconciled::Unknown,
            }
        }
        Reconciled::Unknown
    }

    async fn submitted(&self, call: &Call<'_>, username: &str, limit: usize, after: Option<&str>, action: Action) -> Result<Value, ErrorReport> {
        let mut q = vec![("sort", "new".to_string()), ("limit", limit.clamp(1, 100).to_string()), ("raw_json", "1".to_string())];
        if let Some(after) = after {
            q.push(("after", after.to_string()));
        }
        self.read(call, &format!("/user/{username}/submitted"), &q, action).await
    }
}

#[async_trait]
impl Network for Reddit {
    fn platform(&self) -> Platform {
        Platform::Reddit
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        creds(call.credentials)?;
        submit_form(content)?;
        // Nothing is uploaded; the time bounds reconcile's search.
        Ok(json!({"preparedAt": chrono::Utc::now().timestamp()}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, _step: &Value) -> Result<Published, Failure> {
        let c = creds(call.credentials)?;
        let (form, sent) = submit_form(content)?;
        let a = match self.send(call, &c, "/api/submit", Req::Form(&form)).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        submit_outcome(a.status, &a.headers, &a.body, &sent)
    }

    /// Reads the user's submissions, newest first, back to `prepare` (minus the clock slack): a post
    /// with this subreddit and title since then is ours; none by the time the listing reaches back
    /// there (or ends) proves it is not there. The author's own listing shows their posts at once,
    /// also those held by spam filters. A failed read, or `LOOKUP_PAGES` pages without reaching the
    /// start, prove nothing.
    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let (Ok(c), Ok((form, _))) = (creds(call.credentials), submit_form(content)) else {
            return Reconciled::Unknown;
        };
        let field = |k: &str| form.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let not_before = step.get("preparedAt").and_then(Value::as_i64).unwrap_or(0);
        self.look_up(call, c.username, &field("sr"), &field("title"), not_before).await
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let c = creds(call.credentials)?;
        let form = [("id", fullname(native_id))];
        let a = self.send(call, &c, "/api/del", Req::Form(&form)).await.map_err(|h| {
            let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = h;
            transient(d)
        })?;
        if (200..300).contains(&a.status) && error_triples(&a.body).is_empty() {
            return Ok(());
        }
        Err(map_error(a.status, &a.headers, &a.body, &Sent::default()).for_action(Action::Delete))
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let q = [("id", fullname(native_id)), ("raw_json", "1".to_string())];
        let body = self.read(call, "/api/info", &q, Action::Analytics).await?;
        match listing_links(&body).next() {
            Some(link) => Ok(metrics(link)),
            None => Err(ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, Platform::Reddit).details(format!("Reddit has no post {native_id}"))),
        }
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| read_report(f, Action::History))?;
        let body = self.submitted(call, c.username, limit, cursor, Action::History).await?;
        let posts = listing_links(&body)
            .map(|l| {
                json!({
                    "id": l.get("name"),
                    "post": l.get("title"),
                    "postUrl": l.get("permalink").and_then(Value::as_str).map(permalink_url),
                    "created": created_rfc3339(l),
                    "subreddit": l.get("subreddit"),
                    "analytics": metrics(l),
                })
            })
            .collect();
        let next = body.pointer("/data/after").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        Ok(HistoryPage { posts, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(text: &str, media: &[&str], options: Value) -> Content {
        Content {
            text: text.into(),
            media_urls: media.iter().map(|s| s.to_string()).collect(),
            is_video: false,
            options: options.as_object().cloned().unwrap_or_default(),
        }
    }

    fn get<'a>(form: &'a [(&'static str, String)], k: &str) -> Option<&'a str> {
        form.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn self_post_sends_text() {
        let (form, sent) = submit_form(&content("body", &[], json!({"title": "T", "subreddit": "/r/test/", "flairId": "abc", "flairText": "News"}))).unwrap();
        assert_eq!(get(&form, "api_type"), Some("json"));
        assert_eq!(get(&form, "sr"), Some("test"));
        assert_eq!(get(&form, "kind"), Some("self"));
        assert_eq!(get(&form, "text"), Some("body"));
        assert_eq!(get(&form, "flair_id"), Some("abc"));
        assert_eq!(get(&form, "flair_text"), Some("News"));
        assert_eq!(get(&form, "url"), None);
        assert_eq!(sent.text_chars, 4);
    }

    #[test]
    fn link_or_image_is_a_link_post_without_text() {
        let (form, sent) = submit_form(&content("ignored", &[], json!({"title": "T", "subreddit": "r/test", "link": "https://example.com"}))).unwrap();
        assert_eq!((get(&form, "kind"), get(&form, "url"), get(&form, "text")), (Some("link"), Some("https://example.com"), None));
        assert!(!sent.url_is_media);
        let (form, sent) = submit_form(&content("ignored", &["https://cdn.example.com/a.jpg"], json!({"title": "T", "subreddit": "test"}))).unwrap();
        assert_eq!((get(&form, "kind"), get(&form, "url"), get(&form, "text")), (Some("link"), Some("https://cdn.example.com/a.jpg"), None));
        assert!(sent.url_is_media);
    }

    #[test]
    fn title_and_subreddit_are_required() {
        for o in [json!({"subreddit": "test"}), json!({"title": "T"}), json!({"title": "T", "subreddit": "/r/"})] {
            let Err(Failure::Rejected(e)) = submit_form(&content("x", &[], o)) else { panic!("must refuse") };
            assert_eq!(e.code, 901);
        }
    }

    #[test]
    fn reconcile_matches_subreddit_title_and_time() {
        let link = json!({"subreddit": "Test", "title": "Hello & bye", "created_utc": 1_700_000_000.0, "name": "t3_x"});
        assert!(matches(&link, "test", "Hello & bye", 1_700_000_000));
        assert!(!matches(&link, "test", "Hello", 1_700_000_000));
        assert!(!matches(&link, "other", "Hello & bye", 1_700_000_000));
        assert!(!matches(&link, "test", "Hello & bye", 1_700_001_000), "older than prepare");
    }

    #[test]
    fn a_listing_page_finds_passes_or_reads_on() {
        let link = |title: &str, t: f64| json!({"kind": "t3", "data": {"subreddit": "test", "title": title, "created_utc": t, "name": "t3_x"}});
        let listing = |links: Vec<Value>| json!({"kind": "Listing", "data": {"children": links}});
        let not_before = 1_700_000_000;
        let page = listing(vec![link("other", 1_700_000_010.0), link("mine", 1_699_999_700.0)]);
        assert!(matches!(listing_page(&page, "test", "mine", not_before), ListingPage::Found(_)), "inside the slack");
        let page = listing(vec![link("other", 1_700_000_010.0), link("mine", 1_699_999_699.0)]);
        assert_eq!(listing_page(&page, "test", "mine", not_before), ListingPage::Passed);
        let page = listing(vec![link("old", 1_600_000_000.0), link("other", 1_700_000_010.0)]);
        assert_eq!(listing_page(&page, "test", "mine", not_before), ListingPage::More, "the page's last link decides");
        assert_eq!(listing_page(&listing(vec![]), "test", "mine", not_before), ListingPage::More);
    }

    #[test]
    fn subreddit_names() {
        for (raw, name) in [("test", "test"), ("/r/test/", "test"), ("r/test", "test"), ("R/Test", "Test"), ("/r/", ""), (" rust ", "rust")] {
            assert_eq!(subreddit_name(raw), name, "{raw:?}");
        }
    }

    #[test]
    fn fullnames() {
        assert_eq!(fullname("abc"), "t3_abc");
        assert_eq!(fullname("t3_abc"), "t3_abc");
    }
}
