//! Instagram content publishing (Graph API, Facebook-login host):
//! create container(s) → wait for `FINISHED` → `media_publish`.
//!
//! Never twice: after a lost `media_publish` answer the container's own
//! status says whether it was published (`PUBLISHED`) or not (`FINISHED`).

use super::container::{self, INSTAGRAM, State};
use super::{Graph, GraphError, account, is_video_url, transport, FACEBOOK_VERSION};
use crate::{Call, Content, Failure, HistoryPage, Network, Poll, PublishCap, Published, Reconciled, Settings};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};
use std::time::Duration;

pub struct Instagram {
    graph: Graph,
    poll: Duration,
    deadline: Duration,
    daily_limit: u32,
}

fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Instagram).arg("network", "Instagram")
}

/// Maps Meta's answer for Instagram. One row per condition; see tests/error_tables.rs.
pub fn map_error(e: &GraphError) -> Failure {
    let details = e.details();
    let rejected = |code: Code| Failure::Rejected(err(code).details(details.clone()));
    match (e.code, e.subcode) {
        // Meta's own HTTP 429: wait what it says, then 435 if that is too long.
        _ if e.http == 429 => Failure::Transient {
            error: err(Code::InstagramRateLimit).arg("cause", "meta").details(e.retry_after_header.clone().unwrap_or(details.clone())),
            retry_after: e.retry_after,
        },
        // Posting-velocity block and Meta's daily cap: no quick retry helps.
        // (`cause` picks the message: the block, or Meta's daily cap; the 435 text names which.)
        (_, Some(1390008)) => Failure::Rejected(err(Code::InstagramRateLimit).arg("cause", "velocity").details(details.clone())),
        (9, Some(2207042)) => Failure::Rejected(err(Code::InstagramRateLimit).arg("cause", "daily").details(details.clone())),
        (_, Some(2207052)) | (9004, _) => rejected(Code::MediaFetchByNetwork),
        // Download timed out: Meta may fetch it on a second try.
        (-2, Some(2207003)) => Failure::Transient { error: err(Code::MediaFetchByNetwork).details(details), retry_after: None },
        (9007, _) | (_, Some(2207027)) => Failure::Transient {
            error: err(Code::InstagramProcessingTimeout).details(details),
            retry_after: Some(Duration::from_secs(5)),
        },
        _ if e.is_token() => rejected(Code::TokenInvalid),
        _ if e.is_throttle() => Failure::Transient { error: err(Code::NetworkRateLimited).details(details), retry_after: e.retry_after },
        _ if e.is_transient() => Failure::Transient {
            error: err(Code::InstagramGeneric).details(details).judged_retry(true),
            retry_after: e.retry_after,
        },
        _ => rejected(Code::InstagramGeneric),
    }
}

/// A container that ended in `ERROR`: its status text carries Meta's subcode.
pub fn map_container_error(status: &str) -> Failure {
    let code = if status.contains("2207052") || status.to_ascii_lowercase().contains("download") {
        Code::MediaFetchByNetwork
    } else {
        Code::InstagramGeneric
    };
    Failure::Rejected(err(code).details(status.to_string()))
}

/// A container that will not publish: past the deadline it is Instagram's 436 (retryable), else 138.
fn final_failure(details: String) -> Failure {
    let code = if details.starts_with("still processing") { Code::InstagramProcessingTimeout } else { Code::InstagramGeneric };
    Failure::Rejected(err(code).details(details))
}

fn graph_failure(r: Result<GraphError, crate::HttpFailure>) -> Failure {
    match r {
        Ok(e) => map_error(&e),
        Err(h) => transport(h, err(Code::InstagramGeneric).judged_retry(true)),
    }
}

impl Instagram {
    pub fn new(base: &str, settings: &Settings) -> Instagram {
        Instagram {
            graph: Graph::new(base, FACEBOOK_VERSION),
            poll: settings.container_poll,
            deadline: settings.container_deadline,
            daily_limit: settings.instagram_daily_limit,
        }
    }

    fn account<'a>(call: &'a Call<'_>) -> Result<(&'a str, &'a str), Failure> {
        account(call.credentials, "igUserId")
            .ok_or_else(|| Failure::Rejected(err(Code::TokenInvalid).details("linked Instagram account lacks accessToken or igUserId")))
    }

    async fn create(&self, call: &Call<'_>, token: &str, user: &str, form: Vec<(&str, String)>) -> Result<String, Failure> {
        let a = self
            .graph
            .post(call, token, &format!("{user}/media"), &form)
            .await
            .map_err(|h| graph_failure(Err(h)))?;
        if !a.ok() {
            return Err(map_error(&GraphError::from_answer(&a)));
        }
        a.str("id").map(str::to_string).ok_or_else(|| Failure::Rejected(err(Code::InstagramGeneric).details(format!("container answer without id: {}", a.body))))
    }


    async fn find_published(&self, call: &Call<'_>, token: &str, user: &str, content: &Content, since_ms: i64) -> Option<Published> {
        let fields = "id,caption,permalink,timestamp".to_string();
        let a = self.graph.get(call, token, &format!("{user}/media"), &[("fields", fields), ("limit", "25".into())]).await.ok()?;
        let items = a.body.get("data")?.as_array()?;
        items.iter().find_map(|m| {
            let caption = m.get("caption").and_then(Value::as_str).unwrap_or("");
            let at = m
                .get("timestamp")
                .and_then(Value::as_str)
                .and_then(|t| chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%z").ok().or_else(|| chrono::DateTime::parse_from_rfc3339(t).ok()))
                .map(|t| t.timestamp_millis())
                .unwrap_or(i64::MAX);
            // Meta's timestamps have second precision.
            (caption == content.text && at >= since_ms - 1_000).then(|| Published {
                id: m.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
                url: m.get("permalink").and_then(Value::as_str).map(str::to_string),
                extras: Map::new(),
            })
        })
    }
}

fn media_form<'a>(url: &str, video: bool, kind: Option<&'a str>) -> Vec<(&'a str, String)> {
    let mut form = Vec::new();
    if let Some(k) = kind {
        form.push(("media_type", k.to_string()));
    }
    form.push((if video { "video_url" } else { "image_url" }, url.to_string()));
    form
}

fn opt_str<'a>(o: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

#[async_trait]
impl Network for Instagram {
    fn platform(&self) -> Platform {
        Platform::Instagram
    }

    fn publish_cap(&self, credentials: &Value) -> Option<PublishCap> {
        let user = credentials.get("igUserId").and_then(Value::as_str)?;
        Some(PublishCap {
            key: format!("instagram:{user}"),
            limit: self.daily_limit,
            window: Duration::from_secs(24 * 3600),
            error: err(Code::InstagramRateLimit).arg("cause", "limit").arg("limit", self.daily_limit),
        })
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let (token, user) = Self::account(call)?;
        let o = &content.options;
        let stories = o.get("stories").and_then(Value::as_bool) == Some(true);
        let Some(first) = content.media_urls.first() else {
            return Err(Failure::Rejected(err(Code::MediaRules).details("Instagram posts need an image or a video")));
        };
        if content.media_urls.len() > 1 && !stories {
            let mut children = Vec::new();
            for url in &content.media_urls {
                let video = is_video_url(url, false);
                let mut form = media_form(url, video, video.then_some("VIDEO"));
                form.push(("is_carousel_item", "true".into()));
                children.push(self.create(call, token, user, form).await?);
            }
            // The carousel itself is created once its children are processed (see `poll`).
            return Ok(container::step(&children, None));
        }
        let video = is_video_url(first, content.is_video);
        let kind = if stories { Some("STORIES") } else if video { Some("REELS") } else { None };
        let mut form = media_form(first, video, kind);
        if !stories {
            form.push(("caption", content.text.clone()));
        }
        if let Some(alt) = o.get("altText").and_then(Value::as_array).and_then(|a| a.first()).and_then(Value::as_str).filter(|_| !video) {
            form.push(("alt_text", alt.to_string()));
        }
        if let Some(s) = o.get("trialParams").and_then(|t| t.get("graduationStrategy")).and_then(Value::as_str) {
            form.push(("trial_params", json!({"graduation_strategy": s}).to_string()));
        }
        if let Some(share) = o.get("shareReelsFeed").and_then(Value::as_bool) {
            form.push(("share_to_feed", share.to_string()));
        }
        if let Some(cover) = opt_str(o, "thumbNail") {
            form.push(("cover_url", cover.to_string()));
        } else if let Some(off) = o.get("thumbNailOffset").and_then(Value::as_i64) {
            form.push(("thumb_offset", off.to_string()));
        }
        if let Some(name) = opt_str(o, "audioName") {
            form.push(("audio_name", name.to_string()));
        }
        if let Some(loc) = opt_str(o, "locationId") {
            form.push(("location_id", loc.to_string()));
        }
        if let Some(c) = o.get("collaborators").and_then(Value::as_array) {
            form.push(("collaborators", Value::Array(c.clone()).to_string()));
        }
        if let Some(tags) = o.get("userTags").and_then(Value::as_array) {
            form.push(("user_tags", Value::Array(tags.clone()).to_string()));
        }
        let id = self.create(call, token, user, form).await?;
        Ok(container::step(&[], Some(&id)))
    }

    async fn poll(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Poll, Failure> {
        let (token, user) = Self::account(call)?;
        let poller = container::Poller {
            graph: &self.graph,
            dialect: &INSTAGRAM,
            every: self.poll,
            deadline: self.deadline,
            graph_failure,
            container_error: map_container_error,
            failure: final_failure,
        };
        match poller.check(call, token, step).await? {
            container::Checked::Done(p) => Ok(p),
            container::Checked::CreateParent => {
                let form = vec![("media_type", "CAROUSEL".to_string()), ("children", container::children_of(step).join(",")), ("caption", content.text.clone())];
                let parent = self.create(call, token, user, form).await?;
                Box::pin(self.poll(call, content, &container::with_parent(step, &parent))).await
            }
        }
    }

    async fn publish(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Result<Published, Failure> {
        let (token, user) = Self::account(call)?;
        container::publish(&self.graph, call, token, &format!("{user}/media_publish"), step, err(Code::InstagramGeneric).judged_retry(true), map_error).await
    }

    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok((token, user)) = Self::account(call) else { return Reconciled::Unknown };
        let Some(id) = container::container_of(step) else { return Reconciled::NotPublished };
        match container::state(&self.graph, call, token, id, &INSTAGRAM).await {
            Ok(State::Published) => match self.find_published(call, token, user, content, container::created_at(step)).await {
                Some(p) => Reconciled::Published(p),
                // Published for certain, but its media id is not to be found: report the container.
                None => Reconciled::Published(Published { id: id.to_string(), url: None, extras: Map::new() }),
            },
            Ok(State::Finished) => Reconciled::NotPublished,
            _ => Reconciled::Unknown,
        }
    }

    async fn delete(&self, _call: &Call<'_>, _native_id: &str) -> Result<(), Failure> {
        Err(Failure::Rejected(
            ErrorReport::for_platform(Code::DeleteNotSupported, Action::Delete, Platform::Instagram).arg("network", "Instagram"),
        ))
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let (token, user) = Self::account(call).map_err(failure_report)?;
        let q = [("fields", "username,followers_count,follows_count,media_count".to_string())];
        let b = self.graph.read(call, token, user, &q, &super::ReadErrors { action: Action::Analytics, map: map_error, fallback: err(Code::InstagramGeneric) }).await?;
        Ok(json!({"username": b.get("username"), "followersCount": b.get("followers_count"), "followsCount": b.get("follows_count"), "mediaCount": b.get("media_count")}))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let (token, user) = Self::account(call).map_err(failure_report)?;
        let mut q = vec![("fields", "id,caption,permalink,timestamp,media_type,media_product_type,media_url,username,like_count,comments_count".to_string()), ("limit", limit.to_string())];
        if let Some(c) = cursor {
            q.push(("after", c.to_string()));
        }
        let b = self.graph.read(call, token, &format!("{user}/media"), &q, &super::ReadErrors { action: Action::History, map: map_error, fallback: err(Code::InstagramGeneric) }).await?;
        let posts = b
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|m| json!({"id": m.get("id"), "post": m.get("caption"), "postUrl": m.get("permalink"), "created": m.get("timestamp"),
                            "mediaType": m.get("media_type"), "mediaProductType": m.get("media_product_type"),
                            "mediaUrl": m.get("media_url"), "username": m.get("username"),
                            "likeCount": m.get("like_count"), "commentsCount": m.get("comments_count")}))
            .collect();
        Ok(HistoryPage { posts, next: super::next_cursor(&b) })
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let (token, _) = Self::account(call).map_err(|_| err(Code::TokenInvalid))?;
        let metrics = "views,reach,likes,comments,saved,shares,total_interactions".to_string();
        let a = self.graph.get(call, token, &format!("{native_id}/insights"), &[("metric", metrics)]).await.map_err(|h| {
            let mut e = err(Code::InstagramGeneric).judged_retry(true);
            e.action = Action::Analytics;
            match transport(h, e) {
                Failure::Transient { error, .. } => error,
                _ => err(Code::InstagramGeneric),
            }
        })?;
        if !a.ok() {
            let mut e = failure_report(map_error(&GraphError::from_answer(&a)));
            e.action = Action::Analytics;
            return Err(e);
        }
        let metric = |name: &str| super::facebook::insight_value(&a.body, name);
        let mut out = json!({
            "viewsCount": metric("views"), "reachCount": metric("reach"), "likeCount": metric("likes"),
            "commentsCount": metric("comments"), "savedCount": metric("saved"), "sharesCount": metric("shares"),
            "engagementCount": metric("total_interactions"),
        });
        // The media node's own fields, as Ayrshare adds them (ayrshare-api.md §4.7). Best effort:
        // the metrics above stand without them.
        let q = [("fields", "caption,media_type,media_product_type,username,timestamp,permalink".to_string())];
        if let Ok(n) = self.graph.get(call, token, native_id, &q).await
            && n.ok()
        {
            for (ours, theirs) in [("caption", "caption"), ("mediaType", "media_type"), ("mediaProductType", "media_product_type"),
                                   ("username", "username"), ("created", "timestamp"), ("postUrl", "permalink")] {
                out[ours] = n.body.get(theirs).cloned().unwrap_or(Value::Null);
            }
        }
        Ok(out)
    }
}

/// The error a failure carries, whatever its class.
pub fn failure_report(f: Failure) -> ErrorReport {
    match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::InstagramGeneric).details(details),
    }
}
