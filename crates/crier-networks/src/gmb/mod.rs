//! Google Business Profile through the My Business v4 API
//! (`https://mybusiness.googleapis.com`, reference
//! `developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts`).
//!
//! - Publish: `POST /v4/accounts/{a}/locations/{l}/localPosts` with a LocalPost (`summary`,
//!   `topicType` STANDARD/EVENT/OFFER, `callToAction`, `event`, `offer`, `media[].sourceUrl`:
//!   Google pulls the media itself) → the LocalPost: `name` is the id, `searchUrl` the URL,
//!   `state` PROCESSING/LIVE/REJECTED. `gmbOptions.isPhotoVideo` instead adds the image or
//!   video to the location's photos (`POST …/media`, MediaItem with
//!   `locationAssociation.category`) → `name`, `googleUrl`.
//! - Confirm: a post still PROCESSING is read again (`GET /v4/{name}`, every
//!   `Settings::container_poll`) until LIVE or REJECTED (REJECTED: "This post was rejected due
//!   to content policy violation", LocalPostState).
//! - Reconcile: `GET …/localPosts` (pageToken paging), matched on summary and createTime.
//!   A photo-section upload cannot be matched (Google keeps no source URL): no lookup.
//! - Delete: `DELETE /v4/{name}`. History: `GET …/localPosts`.
//! - Analytics: Google removed `localPosts:reportInsights`, so there are no per-post metrics
//!   (post analytics answer 920); account analytics read the location's daily metrics from the
//!   Performance API (`performance.rs`).
//! - Errors: Google's envelope, mapped in `errors.rs`.

mod errors;
mod performance;
mod post;

pub use errors::{ErrorDetail, SUMMARY_LIMIT, error_details, map_error};
pub use performance::{DAILY_METRICS, totals};
pub use post::{Body, build, date_time};

use crate::{Call, Confirmed, Content, Failure, HistoryPage, HttpFailure, Network, Published, Reconciled, Settings, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, transient, with_action};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};
use std::time::Duration;

/// Pages of localPosts reconcile reads before giving up (newest are not guaranteed first).
const RECONCILE_PAGES: usize = 3;

pub struct Gmb {
    base: String,
    /// Host of the Performance API (Google's own; the sandbox serves it under `base`).
    performance_base: String,
    /// How long to wait before asking again about a post Google is still processing.
    recheck: Duration,
}

struct Creds<'a> {
    token: &'a str,
    /// `accounts/{a}/locations/{l}`.
    parent: String,
}

fn creds(v: &Value) -> Result<Creds<'_>, Failure> {
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    match (field("accessToken"), field("accountId"), field("locationId")) {
        (Some(token), Some(account), Some(location)) if is_id(last_segment(account)) && is_id(last_segment(location)) => {
            Ok(Creds { token, parent: location_name(account, location) })
        }
        _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Google Business Profile lacks accessToken, accountId or locationId"))),
    }
}

fn last_segment(s: &str) -> &str {
    s.trim_matches('/').rsplit('/').next().unwrap_or("")
}

/// Google's account and location ids are digits; nothing else may reach a URL path.
fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `accounts/{a}/locations/{l}` from ids given bare or as resource names.
pub fn location_name(account: &str, location: &str) -> String {
    format!("accounts/{}/locations/{}", last_segment(account), last_segment(location))
}

/// The resource name of a post or media item; a bare id is taken as a local post of `parent`.
fn resource_name(parent: &str, native_id: &str) -> Option<String> {
    let id = native_id.trim().trim_matches('/');
    if !id.split('/').all(is_id) {
        return None;
    }
    if id.starts_with("accounts/") { Some(id.to_string()) } else { is_id(id).then(|| format!("{parent}/localPosts/{id}")) }
}

fn summary_chars(content: &Content) -> usize {
    content.text.chars().count()
}

fn published_post(p: &Value) -> Option<Published> {
    let name = p.get("name").and_then(Value::as_str).filter(|n| !n.is_empty())?;
    let mut extras = Map::new();
    for k in ["state", "topicType"] {
        if let Some(v) = p.get(k) {
            extras.insert(k.into(), v.clone());
        }
    }
    let url = p.get("searchUrl").or_else(|| p.get("googleUrl")).and_then(Value::as_str).map(str::to_string);
    Some(Published { id: name.to_string(), url, extras })
}

/// A create answer as a publish result: a 2xx without a `name` cannot be read.
pub fn create_outcome(status: u16, headers: &HeaderMap, body: &Value, summary_chars: usize) -> Result<Published, Failure> {
    if (200..300).contains(&status) {
        return published_post(body).ok_or_else(|| Failure::Ambiguous { details: format!("create answer lacks name: {body}") });
    }
    Err(map_error(status, headers, body, summary_chars))
}

/// Reconcile's test: same summary, created no earlier than `prepare` (minus clock slack).
pub fn matches(post: &Value, summary: &str, not_before: i64) -> bool {
    let same = post.get("summary").and_then(Value::as_str).is_some_and(|s| s.trim() == summary.trim());
    let created = post
        .get("createTime")
        .and_then(Value::as_str)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp())
        .unwrap_or(0);
    same && created >= not_before - 300
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

enum Req {
    Get(Vec<(String, String)>),
    Post(Value),
    Delete,
}

impl Gmb {
    pub fn new(base: &str, settings: &Settings) -> Self {
        let base = base.trim_end_matches('/').to_string();
        Gmb { performance_base: performance::base_for(&base), base, recheck: settings.container_poll }
    }

    /// A call on the My Business v4 API.
    async fn send(&self, call: &Call<'_>, token: &str, path: &str, req: Req) -> Result<Answer, HttpFailure> {
        self.send_to(call, token, format!("{}/v4/{}", self.base, path), req).await
    }

    async fn send_to(&self, call: &Call<'_>, token: &str, url: String, req: Req) -> Result<Answer, HttpFailure> {
        let builder = match req {
            Req::Get(q) => call.http.get(url).query(&q),
            Req::Post(body) => call.http.post(url).json(&body),
            Req::Delete => call.http.delete(url),
        };
        let resp = builder.bearer_auth(token).send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        Ok(Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) })
    }

    /// A call that publishes nothing: a lost answer is simply transient.
    async fn read(&self, call: &Call<'_>, c: &Creds<'_>, path: &str, req: Req) -> Result<Value, Failure> {
        self.read_at(call, c, format!("{}/v4/{}", self.base, path), req).await
    }

    async fn read_at(&self, call: &Call<'_>, c: &Creds<'_>, url: String, req: Req) -> Result<Value, Failure> {
        let a = self.send_to(call, c.token, url, req).await.map_err(|h| {
            let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = h;
            transient(d)
        })?;
        if (200..300).contains(&a.status) {
            return Ok(a.body);
        }
        Err(map_error(a.status, &a.headers, &a.body, 0))
    }

    async fn list(&self, call: &Call<'_>, c: &Creds<'_>, page_size: usize, token: Option<&str>) -> Result<Value, Failure> {
        let mut q = vec![("pageSize".to_string(), page_size.clamp(1, 100).to_string())];
        if let Some(t) = token {
            q.push(("pageToken".to_string(), t.to_string()));
        }
        self.read(call, c, &format!("{}/localPosts", c.parent), Req::Get(q)).await
    }
}

#[async_trait]
impl Network for Gmb {
    fn platform(&self) -> Platform {
        Platform::Gmb
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        creds(call.credentials)?;
        build(content)?;
        // Google pulls the media itself; the time bounds reconcile's search.
        Ok(json!({"preparedAt": chrono::Utc::now().timestamp()}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, _step: &Value) -> Result<Published, Failure> {
        let c = creds(call.credentials)?;
        let (path, body) = match build(content)? {
            Body::LocalPost(p) => (format!("{}/localPosts", c.parent), p),
            Body::Media(m) => (format!("{}/media", c.parent), m),
        };
        let a = match self.send(call, c.token, &path, Req::Post(body)).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        create_outcome(a.status, &a.headers, &a.body, summary_chars(content))
    }

    async fn confirm(&self, call: &Call<'_>, _content: &Content, published: &Published) -> Result<Confirmed, Failure> {
        if published.extras.get("state").and_then(Value::as_str) != Some("PROCESSING") {
            return Ok(Confirmed::Done(published.clone()));
        }
        let c = creds(call.credentials)?;
        let post = self.read(call, &c, &published.id, Req::Get(Vec::new())).await?;
        match post.get("state").and_then(Value::as_str) {
            Some("PROCESSING") => Ok(Confirmed::Pending { retry_in: self.recheck }),
            Some("REJECTED") => Err(Failure::Rejected(err(Code::NetworkRejected).details(format!("Google rejected local post {} (state REJECTED)", published.id)))),
            _ => Ok(Confirmed::Done(published_post(&post).unwrap_or_else(|| published.clone()))),
        }
    }

    /// Reads every localPost of the location (Google does not promise newest first, so there is
    /// no start time to stop at): a post with this summary since `prepare` is ours; none once the
    /// list ends proves it is not there. A failed read or `RECONCILE_PAGES` pages without reaching
    /// the end prove nothing.
    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok(c) = creds(call.credentials) else { return Reconciled::Unknown };
        match build(content) {
            Ok(Body::LocalPost(_)) => {}
            // A photo-section upload leaves nothing to match it by (Google keeps no source URL).
            Ok(Body::Media(_)) => return Reconciled::NoLookup,
            Err(_) => return Reconciled::Unknown,
        }
        let not_before = step.get("preparedAt").and_then(Value::as_i64).unwrap_or(0);
        let mut token: Option<String> = None;
        for _ in 0..RECONCILE_PAGES {
            let Ok(page) = self.list(call, &c, 100, token.as_deref()).await else { return Reconciled::Unknown };
            let posts = page.get("localPosts").and_then(Value::as_array).cloned().unwrap_or_default();
            if let Some(p) = posts.iter().find(|p| matches(p, &content.text, not_before)) {
                return published_post(p).map(Reconciled::Published).unwrap_or(Reconciled::Unknown);
            }
            token = page.get("nextPageToken").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string);
            if token.is_none() {
                return Reconciled::NotPublished;
            }
        }
        Reconciled::Unknown
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let c = creds(call.credentials)?;
        let Some(name) = resource_name(&c.parent, native_id) else {
            return Err(Failure::Rejected(err(Code::NetworkRejected).details(format!("{native_id:?} is not a Google local post name"))));
        };
        self.read(call, &c, &name, Req::Delete).await.map(|_| ()).map_err(|f| match f {
            Failure::Rejected(_) => Failure::Rejected(with_action(f, Action::Delete)),
            other => other,
        })
    }

    async fn post_analytics(&self, _call: &Call<'_>, _native_id: &str) -> Result<Value, ErrorReport> {
        Err(crate::not_supported(Platform::Gmb, Action::Analytics)
            .details("Google Business Profile has no per-post metrics since Google removed localPosts.reportInsights; /analytics/social gives the location's"))
    }

    /// The location's daily metrics over the last `RANGE_DAYS` days, summed per metric.
    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| with_action(f, Action::Analytics))?;
        let location = c.parent.rsplit('/').next().unwrap_or_default();
        let end = chrono::Utc::now().date_naive();
        let start = end - chrono::Duration::days(performance::RANGE_DAYS - 1);
        let url = format!("{}/v1/locations/{location}:fetchMultiDailyMetricsTimeSeries", self.performance_base);
        let answer = self.read_at(call, &c, url, Req::Get(performance::query(start, end))).await.map_err(|f| with_action(f, Action::Analytics))?;
        Ok(totals(&answer, start, end))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| with_action(f, Action::History))?;
        let page = self.list(call, &c, limit, cursor).await.map_err(|f| with_action(f, Action::History))?;
        let posts = page
            .get("localPosts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                json!({
                    "id": p.get("name"),
                    "post": p.get("summary"),
                    "postUrl": p.get("searchUrl"),
                    "created": p.get("createTime"),
                    "status": p.get("state"),
                    "topicType": p.get("topicType"),
                })
            })
            .collect();
        let next = page.get("nextPageToken").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string);
        Ok(HistoryPage { posts, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(location_name("accounts/1", "locations/2"), "accounts/1/locations/2");
        assert_eq!(location_name("1", "accounts/1/locations/2"), "accounts/1/locations/2");
        assert_eq!(resource_name("accounts/1/locations/2", "abc").as_deref(), Some("accounts/1/locations/2/localPosts/abc"));
        assert_eq!(resource_name("p", "accounts/1/locations/2/localPosts/9").as_deref(), Some("accounts/1/locations/2/localPosts/9"));
        assert_eq!(resource_name("p", "../x"), None);
        assert_eq!(resource_name("p", "a?b"), None);
        assert_eq!(resource_name("p", "a/b"), None, "a bare id is one segment");
    }

    #[test]
    fn reconcile_matches_summary_and_time() {
        let p = json!({"summary": "Hello", "createTime": "2030-01-01T00:00:00Z", "name": "n"});
        let t = chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap().timestamp();
        assert!(matches(&p, "Hello ", t));
        assert!(!matches(&p, "Bye", t));
        assert!(!matches(&p, "Hello", t + 3600));
    }
}
