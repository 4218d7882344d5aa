//! Threads (`graph.threads.net`): create a container (`/threads`), wait for
//! `FINISHED`, publish (`/threads_publish`). Like Instagram, a lost publish
//! answer is settled by the container's status.

use super::container::{self, State, THREADS};
use super::{Graph, GraphError, account, is_video_url, transport, THREADS_VERSION};
use crate::{Call, Content, Failure, HistoryPage, Network, Poll, Published, Reconciled, Settings};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};
use std::time::Duration;

pub struct Threads {
    graph: Graph,
    poll: Duration,
    deadline: Duration,
}

fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Threads).arg("network", "Threads")
}

/// Maps Meta's answer for Threads. Threads often gives no detail text: `details` is what there is.
pub fn map_error(e: &GraphError) -> Failure {
    let details = e.details();
    let rejected = |code: Code| Failure::Rejected(err(code).details(details.clone()));
    match (e.code, e.subcode) {
        (_, Some(2207052)) | (9004, _) => rejected(Code::MediaFetchByNetwork),
        _ if e.is_token() => rejected(Code::TokenInvalid),
        // The 250-posts-per-24-h cap: nothing to gain from a quick retry.
        (9, _) => rejected(Code::NetworkRateLimited),
        _ if e.is_throttle() => Failure::Transient { error: err(Code::NetworkRateLimited).details(details), retry_after: e.retry_after },
        (9007, _) | (_, Some(2207027)) => Failure::Transient { error: err(Code::ThreadsGeneric).details(details).judged_retry(true), retry_after: Some(Duration::from_secs(5)) },
        _ if e.is_transient() => Failure::Transient { error: err(Code::ThreadsGeneric).details(details).judged_retry(true), retry_after: e.retry_after },
        _ => rejected(Code::ThreadsGeneric),
    }
}

/// A container in `ERROR`: `error_message` is one of Meta's fixed names.
pub fn map_container_error(error_message: &str) -> Failure {
    let code = if error_message.starts_with("FAILED_DOWNLOADING") { Code::MediaFetchByNetwork } else { Code::ThreadsGeneric };
    Failure::Rejected(err(code).details(error_message.to_string()))
}

fn report(f: Failure) -> ErrorReport {
    match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::ThreadsGeneric).details(details),
    }
}

/// A container that will not publish (expired, or processing past the deadline): 379, retryable.
fn final_failure(details: String) -> Failure {
    Failure::Rejected(err(Code::ThreadsGeneric).details(details).judged_retry(true))
}

fn graph_failure(r: Result<GraphError, crate::HttpFailure>) -> Failure {
    match r {
        Ok(e) => map_error(&e),
        Err(h) => transport(h, err(Code::ThreadsGeneric).judged_retry(true)),
    }
}

impl Threads {
    pub fn new(base: &str, settings: &Settings) -> Threads {
        Threads { graph: Graph::new(base, THREADS_VERSION), poll: settings.container_poll, deadline: settings.container_deadline }
    }

    fn account<'a>(call: &'a Call<'_>) -> Result<(&'a str, &'a str), Failure> {
        account(call.credentials, "threadsUserId")
            .ok_or_else(|| Failure::Rejected(err(Code::TokenInvalid).details("linked Threads account lacks accessToken or threadsUserId")))
    }

    async fn create(&self, call: &Call<'_>, token: &str, user: &str, form: Vec<(&str, String)>) -> Result<String, Failure> {
        let a = self.graph.post(call, token, &format!("{user}/threads"), &form).await.map_err(|h| graph_failure(Err(h)))?;
        if !a.ok() {
            return Err(map_error(&GraphError::from_answer(&a)));
        }
        a.str("id").map(str::to_string).ok_or_else(|| Failure::Rejected(err(Code::ThreadsGeneric).details(format!("container answer without id: {}", a.body))))
    }

    async fn find_published(&self, call: &Call<'_>, token: &str, user: &str, content: &Content) -> Option<Published> {
        let q = [("fields", "id,text,permalink,timestamp".to_string()), ("limit", "25".to_string())];
        let a = self.graph.get(call, token, &format!("{user}/threads"), &q).await.ok()?;
        let item = a.body.get("data")?.as_array()?.iter().find(|m| m.get("text").and_then(Value::as_str) == Some(content.text.as_str()))?;
        Some(Published {
            id: item.get("id").and_then(Value::as_str).unwrap_or_default().to_string(),
            url: item.get("permalink").and_then(Value::as_str).map(str::to_string),
            extras: Map::new(),
        })
    }
}

fn media_form(url: &str, video: bool) -> Vec<(&'static str, String)> {
    if video {
        vec![("media_type", "VIDEO".into()), ("video_url", url.to_string())]
    } else {
        vec![("media_type", "IMAGE".into()), ("image_url", url.to_string())]
    }
}

#[async_trait]
impl Network for Threads {
    fn platform(&self) -> Platform {
        Platform::Threads
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let (token, user) = Self::account(call)?;
        match content.media_urls.as_slice() {
            [] => {
                let id = self.create(call, token, user, vec![("media_type", "TEXT".into()), ("text", content.text.clone())]).await?;
                Ok(container::step(&[], Some(&id)))
            }
            [url] => {
                let mut form = media_form(url, is_video_url(url, content.is_video));
                form.push(("text", content.text.clone()));
                let id = self.create(call, token, user, form).await?;
                Ok(container::step(&[], Some(&id)))
            }
            urls => {
                let mut children = Vec::new();
                for url in urls {
                    let mut form = media_form(url, is_video_url(url, false));
                    form.push(("is_carousel_item", "true".into()));
                    children.push(self.create(call, token, user, form).await?);
                }
                Ok(container::step(&children, None))
            }
        }
    }

    async fn poll(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Poll, Failure> {
        let (token, user) = Self::account(call)?;
        let poller = container::Poller {
            graph: &self.graph,
            dialect: &THREADS,
            every: self.poll,
            deadline: self.deadline,
            graph_failure,
            container_error: map_container_error,
            failure: final_failure,
        };
        match poller.check(call, token, step).await? {
            container::Checked::Done(p) => Ok(p),
            container::Checked::CreateParent => {
                let form = vec![("media_type", "CAROUSEL".to_string()), ("children", container::children_of(step).join(",")), ("text", content.text.clone())];
                let parent = self.create(call, token, user, form).await?;
                Box::pin(self.poll(call, content, &container::with_parent(step, &parent))).await
            }
        }
    }

    async fn publish(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Result<Published, Failure> {
        let (token, user) = Self::account(call)?;
        container::publish(&self.graph, call, token, &format!("{user}/threads_publish"), step, err(Code::ThreadsGeneric).judged_retry(true), map_error).await
    }

    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok((token, user)) = Self::account(call) else { return Reconciled::Unknown };
        let Some(id) = container::container_of(step) else { return Reconciled::NotPublished };
        match container::state(&self.graph, call, token, id, &THREADS).await {
            Ok(State::Published) => Reconciled::Published(
                self.find_published(call, token, user, content).await.unwrap_or(Published { id: id.to_string(), url: None, extras: Map::new() }),
            ),
            Ok(State::Finished) => Reconciled::NotPublished,
            _ => Reconciled::Unknown,
        }
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let (token, _) = Self::account(call).map_err(report)?;
        let q = [("metric", "views,likes,replies,reposts,quotes,shares".to_string())];
        let b = self.graph.read(call, token, &format!("{native_id}/insights"), &q, &super::ReadErrors { action: Action::Analytics, map: map_error, fallback: err(Code::ThreadsGeneric) }).await?;
        let v = |n: &str| super::facebook::insight_value(&b, n);
        Ok(json!({"views": v("views"), "likes": v("likes"), "replies": v("replies"), "reposts": v("reposts"), "quotes": v("quotes"), "shares": v("shares")}))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let (token, user) = Self::account(call).map_err(report)?;
        let mut q = vec![("fields", "id,text,permalink,timestamp,media_type".to_string()), ("limit", limit.to_string())];
        if let Some(c) = cursor {
            q.push(("after", c.to_string()));
        }
        let b = self.graph.read(call, token, &format!("{user}/threads"), &q, &super::ReadErrors { action: Action::History, map: map_error, fallback: err(Code::ThreadsGeneric) }).await?;
        let posts = b
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|m| json!({"id": m.get("id"), "post": m.get("text"), "postUrl": m.get("permalink"), "created": m.get("timestamp"), "mediaType": m.get("media_type")}))
            .collect();
        Ok(HistoryPage { posts, next: super::next_cursor(&b) })
    }

    async fn delete(&self, _call: &Call<'_>, _native_id: &str) -> Result<(), Failure> {
        Err(Failure::Rejected(ErrorReport::for_platform(Code::DeleteNotSupported, Action::Delete, Platform::Threads).arg("network", "Threads")))
    }
}
