//! LinkedIn through its versioned REST API (Posts, Images and Videos APIs):
//! https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api,
//! …/images-api, …/videos-api; errors per
//! https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling and
//! https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/rate-limits.
//!
//! `prepare` uploads media (owner = the author) → `poll` waits until every image/video is
//! `AVAILABLE` → `publish` is the single `POST /rest/posts` (201, URN in `x-restli-id`).
//! A lost publish answer is settled by `reconcile`, which pages through the author's posts back
//! to the attempt's start and matches the text; should it guess wrong, LinkedIn's own duplicate
//! check (422 `DUPLICATE_POST`) still stops a second identical post.
//! Credentials: `{"accessToken", "author"}` (`urn:li:person:…` or `urn:li:organization:…`).

mod api;
pub mod errors;
mod media;
pub mod post;
mod read;

pub use errors::map_error;

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Poll, PublishCap, Published, Reconciled, Settings};
use api::{Api, encode};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, transient};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;

/// The `LinkedIn-Version` crier speaks (YYYYMM). LinkedIn supports each monthly version for at
/// least a year (https://learn.microsoft.com/en-us/linkedin/marketing/versioning); 202603 is
/// supported until March 2027. A sunset version answers 426 (mapped to 915): bump this then.
pub const LINKEDIN_VERSION: &str = "202603";

pub struct Linkedin {
    api: Api,
    media: Arc<dyn MediaSource>,
    poll_every: Duration,
    deadline: Duration,
    daily_limit: u32,
    /// Posts per page and pages at most that `reconcile` reads.
    lookup: (usize, usize),
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The linked account: access token and author URN.
fn account(credentials: &Value) -> Result<(&str, &str), Failure> {
    let token = credentials.get("accessToken").and_then(Value::as_str).filter(|s| !s.is_empty());
    let author = credentials.get("author").and_then(Value::as_str).filter(|s| !s.is_empty());
    match (token, author) {
        (Some(t), Some(a)) if a.starts_with("urn:li:person:") || a.starts_with("urn:li:organization:") => Ok((t, a)),
        (Some(_), Some(a)) => Err(Failure::Rejected(err(Code::TokenInvalid).details(format!("linked LinkedIn author {a} is not a urn:li:person or urn:li:organization")))),
        _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked LinkedIn account lacks accessToken or author"))),
    }
}

/// Posts per page when `reconcile` reads the author's posts (LinkedIn's maximum `count`).
const LOOKUP_PAGE: usize = 100;
/// Pages `reconcile` reads at most before saying it cannot tell (2,000 posts since the attempt).
const LOOKUP_PAGES: usize = 20;

impl Linkedin {
    async fn look_up(&self, call: &Call<'_>, token: &str, author: &str, text: &str, since: i64) -> Reconciled {
        let (per_page, pages) = self.lookup;
        let mut start = 0;
        for _ in 0..pages {
            let Ok(page) = read::author_posts(&self.api, call, token, author, start, per_page, self.daily_limit).await else {
                return Reconciled::Unknown;
            };
            if let Some(urn) = read::find_match(&page.elements, text, since).and_then(|p| p.get("id")).and_then(Value::as_str) {
                return Reconciled::Published(read::published(urn, Map::new()));
            }
            if read::reaches_before(&page.elements, since) || page.is_last(start, per_page) {
                return Reconciled::NotPublished;
            }
            // Rest.li offsets count in the full list, also when a page came back short.
            start += per_page;
        }
        Reconciled::Unknown
    }

    pub fn new(base: &str, media: Arc<dyn MediaSource>, settings: &Settings) -> Self {
        Linkedin {
            api: Api::new(base),
            media,
            poll_every: settings.container_poll,
            deadline: settings.container_deadline,
            daily_limit: settings.linkedin_daily_limit,
            lookup: (LOOKUP_PAGE, LOOKUP_PAGES),
        }
    }

    /// How far `reconcile` reads back: `per_page` posts a page, `pages` pages at most (by default
    /// 100 and 20). Tests shorten it to page through a few posts.
    pub fn with_lookup(mut self, per_page: usize, pages: usize) -> Self {
        self.lookup = (per_page.max(1), pages);
        self
    }
}

#[async_trait]
impl Network for Linkedin {
    fn platform(&self) -> Platform {
        Platform::Linkedin
    }

    fn publish_cap(&self, credentials: &Value) -> Option<PublishCap> {
        let author = credentials.get("author").and_then(Value::as_str)?;
        Some(PublishCap {
            key: format!("linkedin:{author}"),
            limit: self.daily_limit,
            window: Duration::from_secs(24 * 3600),
            error: err(Code::DailyCapReached).arg("limit", self.daily_limit),
        })
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let (token, author) = account(call.credentials)?;
        let thumbnail = content.options.get("thumbNail").and_then(Value::as_str).filter(|s| !s.is_empty());
        let uploader = media::Uploader { api: &self.api, media: self.media.as_ref(), call, token, author, daily_limit: self.daily_limit };
        let up = uploader.upload_all(&content.media_urls, thumbnail).await?;
        Ok(json!({"images": up.images, "video": up.video, "warnings": up.warnings, "createdAt": now_ms()}))
    }

    async fn poll(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Result<Poll, Failure> {
        let (token, _) = account(call.credentials)?;
        let mut urns = strings(step.get("images"));
        urns.extend(step.get("video").and_then(Value::as_str).map(str::to_string));
        let created = step.get("createdAt").and_then(Value::as_i64).unwrap_or_else(now_ms);
        let late = now_ms() - created > self.deadline.as_millis() as i64;
        for urn in &urns {
            match media::status(&self.api, call, token, urn, self.daily_limit).await? {
                media::Status::Available => {}
                media::Status::Failed(d) => return Err(Failure::Rejected(err(Code::MediaRules).details(d))),
                media::Status::Processing if late => {
                    return Err(transient(format!("LinkedIn still processing {urn} after {} s", self.deadline.as_secs())));
                }
                media::Status::Processing => return Ok(Poll::Pending { step: step.clone(), retry_in: self.poll_every }),
            }
        }
        Ok(Poll::Ready(step.clone()))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let (token, author) = account(call.credentials)?;
        let images = strings(step.get("images"));
        let video = step.get("video").and_then(Value::as_str);
        let body = post::body(author, &content.text, &images, video, &content.options);
        let a = match self.api.post_json(call, token, "posts", &body).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if a.ok() {
            let urn = a.header("x-restli-id").map(str::to_string).or_else(|| a.body.get("id").and_then(Value::as_str).map(str::to_string));
            let Some(urn) = urn else {
                return Err(Failure::Ambiguous { details: format!("LinkedIn answered {} without x-restli-id", a.status) });
            };
            let mut extras = Map::new();
            let warnings = strings(step.get("warnings"));
            if !warnings.is_empty() {
                extras.insert("warnings".into(), json!(warnings));
            }
            return Ok(read::published(&urn, extras));
        }
        // A gateway timeout may hide a post LinkedIn did create: let reconcile look.
        if a.status == 504 {
            return Err(Failure::Ambiguous { details: errors::details(a.status, &a.body) });
        }
        Err(map_error(a.status, &a.headers, &a.body, content.text.chars().count(), self.daily_limit))
    }

    /// Reads the author's posts, newest first, back to the attempt's start (`createdAt` minus the
    /// clock skew): the post with this text since then is ours; none by the time the list reaches
    /// back there (or ends) proves it is not there. A failed read or `LOOKUP_PAGES` pages without
    /// reaching the start prove nothing.
    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok((token, author)) = account(call.credentials) else { return Reconciled::Unknown };
        let since = step.get("createdAt").and_then(Value::as_i64).unwrap_or(0);
        self.look_up(call, token, author, &content.text, since).await
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let (token, _) = account(call.credentials)?;
        let a = self.api.delete(call, token, &format!("posts/{}", encode(native_id))).await.map_err(|h| transient(h.into_text()))?;
        match a.status {
            200..=299 => Ok(()),
            // Already gone at LinkedIn: what the caller wanted.
            404 | 410 => Ok(()),
            _ => Err(map_error(a.status, &a.headers, &a.body, 0, self.daily_limit).for_action(Action::Delete)),
        }
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let (token, author) = account(call.credentials).map_err(|f| read::report(f, Action::Analytics))?;
        let a = self
            .api
            .get(call, token, &format!("socialMetadata/{}", encode(native_id)))
            .await
            .map_err(|h| read::report(transient(h.into_text()), Action::Analytics))?;
        if a.status == 404 {
            return Err(ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, Platform::Linkedin).details(format!("LinkedIn has no post {native_id}")));
        }
        if !a.ok() {
            return Err(read::report(map_error(a.status, &a.headers, &a.body, 0, self.daily_limit), Action::Analytics));
        }
        let mut metrics = read::social_metrics(&a.body);
        if author.starts_with("urn:li:organization:") {
            // Impressions and clicks exist for organization posts only; best effort.
            if let Ok(s) = self.api.get(call, token, &read::share_statistics_query(author, native_id)).await
                && s.ok()
            {
                read::merge_share_statistics(&mut metrics, &s.body);
            }
        }
        Ok(metrics)
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let (token, author) = account(call.credentials).map_err(|f| read::report(f, Action::History))?;
        let start = cursor.and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
        let count = limit.clamp(1, 100);
        let page = read::author_posts(&self.api, call, token, author, start, count, self.daily_limit).await.map_err(|f| read::report(f, Action::History))?;
        Ok(read::history_page(&page.elements, start, count, page.total))
    }
}
