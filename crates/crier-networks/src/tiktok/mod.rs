//! TikTok Content Posting API (https://open.tiktokapis.com, bearer user token):
//!
//! - `prepare`: `POST /v2/post/publish/creator_info/query/` — TikTok requires it before a direct
//!   post; it says which `privacy_level`s the creator may use (the wanted `visibility` must be one
//!   of them, else 915; by default the most public one) and which interactions the creator turned
//!   off. Publishes nothing. Drafts skip it (inbox uploads have no privacy level and need only
//!   the `video.upload` scope).
//! - `publish`: the single init call that makes TikTok publish: video
//!   `POST /v2/post/publish/video/init/` (draft: `/v2/post/publish/inbox/video/init/`), photos
//!   `POST /v2/post/publish/content/init/` (`DIRECT_POST`, draft `MEDIA_UPLOAD`). Media go by
//!   `PULL_FROM_URL`: TikTok downloads them itself. When TikTok refuses a video URL with
//!   `url_ownership_unverified` (the domain is not verified for the app), nothing was published and
//!   the video is sent again as `FILE_UPLOAD`: crier fetches the bytes and `PUT`s them in chunks
//!   (see `upload`). Photos have no file upload at TikTok: their domain must be verified.
//!   Answers `publish_id`, which is all crier knows until TikTok finishes.
//! - `confirm`: `POST /v2/post/publish/status/fetch/` until `PUBLISH_COMPLETE` /
//!   `SEND_TO_USER_INBOX` (done) or `FAILED` (rejected, by `fail_reason`).
//! - `reconcile`: TikTok offers no lookup of an init by content, and an unconfirmed init has no
//!   post id to look for in the creator's public videos (moderation can hold it for hours, private
//!   posts never show there): a lost init answer stays `Unknown`, never re-sent.
//! - `delete`: TikTok has no delete API (917).
//!
//! References: https://developers.tiktok.com/doc/content-posting-api-reference-direct-post,
//! …-reference-photo-post, …-reference-upload-video, …-media-transfer-guide,
//! …-reference-get-video-status, …-reference-query-creator-info, tiktok-api-v2-error-handling,
//! tiktok-api-v2-video-list, tiktok-api-v2-video-query; /work/shared/spec/upstream-apis.md §4.2.

pub mod body;
pub mod errors;
pub mod read;
mod upload;

use crate::{Call, Confirmed, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, PublishCap, Published, Settings, classify_send_error};
use async_trait::async_trait;
use body::Creator;
use crier_core::{Action, Code, ErrorReport, Platform};
pub use errors::{Answer, map_error, map_fail_reason};
use errors::{RATE_WINDOW, err, unavailable};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;

const CREATOR_INFO: &str = "/v2/post/publish/creator_info/query/";
const STATUS_FETCH: &str = "/v2/post/publish/status/fetch/";

pub struct Tiktok {
    base: String,
    media: Arc<dyn MediaSource>,
    /// How long to wait before asking again about a post TikTok is still processing.
    poll: Duration,
    daily_limit: u32,
}

/// Credentials of a linked TikTok account: `{"accessToken", "openId"}` (the open id keys the
/// publishing cap; calls need only the token).
struct Creds<'a> {
    token: &'a str,
}

fn creds(v: &Value) -> Result<Creds<'_>, Failure> {
    let field = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    match (field("accessToken"), field("openId")) {
        (Some(token), Some(_)) => Ok(Creds { token }),
        _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked TikTok account lacks accessToken or openId"))),
    }
}

/// Whether the post is a video (TikTok takes one video, or images).
fn is_video(content: &Content) -> bool {
    content.media_urls.iter().any(|u| crate::meta::is_video_url(u, content.is_video))
}

/// A call that publishes nothing: whatever happened to it, it can be made again.
fn not_published(h: HttpFailure) -> Failure {
    match h {
        HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => unavailable(d),
    }
}

/// The error a failure carries, for reads (history, analytics), tagged with the action.
fn report(f: Failure, action: Action) -> ErrorReport {
    let mut e = match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    };
    e.action = action;
    e
}

impl Tiktok {
    pub fn new(base: &str, media: Arc<dyn MediaSource>, settings: &Settings) -> Self {
        Tiktok {
            base: base.trim_end_matches('/').to_string(),
            media,
            poll: settings.container_poll,
            daily_limit: settings.tiktok_daily_limit,
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder, token: &str) -> Result<Answer, HttpFailure> {
        let resp = req.bearer_auth(token).send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, headers, body })
    }

    async fn post(&self, call: &Call<'_>, token: &str, path: &str, body: &Value) -> Result<Answer, HttpFailure> {
        self.send(call.http.post(format!("{}{path}", self.base)).json(body), token).await
    }

    /// A read for history or analytics: TikTok's `data`, or the mapped error tagged with `action`.
    async fn read(&self, call: &Call<'_>, action: Action, req: reqwest::RequestBuilder, scope: &str) -> Result<Value, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| report(f, action))?;
        let a = self.send(req, c.token).await.map_err(|h| report(not_published(h), action))?;
        if !a.ok() {
            return Err(report(map_error(&a, scope, self.daily_limit), action));
        }
        Ok(a.data().clone())
    }

    async fn creator_info(&self, call: &Call<'_>, token: &str) -> Result<Creator, Failure> {
        let a = self.post(call, token, CREATOR_INFO, &json!({})).await.map_err(not_published)?;
        if !a.ok() {
            return Err(map_error(&a, "video.publish", self.daily_limit));
        }
        Ok(Creator::from_data(a.data()))
    }

    /// Sends one init. A lost answer may have started the post: ambiguous.
    async fn init(&self, call: &Call<'_>, token: &str, init: &body::Init) -> Result<String, Failure> {
        let a = match self.post(call, token, init.path, &init.body).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(unavailable(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if (200..300).contains(&a.status) && !a.body.is_object() {
            return Err(Failure::Ambiguous { details: format!("unreadable answer to {}: HTTP {}", init.path, a.status) });
        }
        if !a.ok() {
            return Err(map_error(&a, init.scope, self.daily_limit));
        }
        a.data_str("publish_id")
            .map(str::to_string)
            .ok_or_else(|| Failure::Ambiguous { details: format!("{} answer without publish_id: {}", init.path, a.body) })
    }
}

/// What a `status/fetch` answer's `data` means for `confirm`: `PUBLISH_COMPLETE` and
/// `SEND_TO_USER_INBOX` (a draft) are done; `FAILED` is final, by `fail_reason`; anything else
/// (`PROCESSING_UPLOAD`, `PROCESSING_DOWNLOAD`) is asked again after `poll`.
pub fn status_outcome(data: &Value, published: &Published, poll: Duration, daily_limit: u32) -> Result<Confirmed, Failure> {
    let publish_id = publish_id_of(published);
    let status = data.get("status").and_then(Value::as_str).unwrap_or("");
    match status {
        "PUBLISH_COMPLETE" | "SEND_TO_USER_INBOX" => Ok(Confirmed::Done(live(data, published, publish_id, status))),
        "FAILED" => {
            let reason = data.get("fail_reason").and_then(Value::as_str).unwrap_or("unknown");
            Err(match map_fail_reason(reason, daily_limit) {
                // Final at TikTok even when its cause was transient: nothing is visible, and asking
                // again would read the same FAILED. Settled as 910, whose retry is available.
                Failure::Transient { error, .. } => Failure::Rejected(error),
                f => f,
            })
        }
        _ => Ok(Confirmed::Pending { retry_in: poll }),
    }
}

fn publish_id_of(published: &Published) -> &str {
    published.extras.get("publishId").and_then(Value::as_str).unwrap_or(&published.id)
}

/// The post TikTok finished: its public id when TikTok gives one (after moderation; never for
/// private posts or drafts), else the publish id.
fn live(data: &Value, published: &Published, publish_id: &str, status: &str) -> Published {
    let post_ids: Vec<String> = data
        .get("publicaly_available_post_id")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string).or_else(|| v.as_u64().map(|n| n.to_string())))
        .filter(|s| !s.is_empty())
        .collect();
    let mut extras = published.extras.clone();
    extras.insert("publishId".into(), json!(publish_id));
    // Not `status`: that key of a postIds entry is Ayrshare's per-network `success`/`error`.
    extras.insert("publishStatus".into(), json!(status));
    if !post_ids.is_empty() {
        extras.insert("postIds".into(), json!(post_ids));
    }
    let username = published.extras.get("username").and_then(Value::as_str).filter(|u| !u.is_empty());
    // Photo posts live under /photo/ on tiktok.com.
    let kind = if published.extras.get("isVideo").and_then(Value::as_bool) == Some(false) { "photo" } else { "video" };
    let url = match (post_ids.first(), username) {
        (Some(id), Some(user)) => Some(format!("https://www.tiktok.com/@{user}/{kind}/{id}")),
        _ => None,
    };
    Published { id: post_ids.first().cloned().unwrap_or_else(|| publish_id.to_string()), url, extras }
}

/// `confirm` could not ask TikTok: ask again later, never settle on it.
fn ask_later(f: Failure, poll: Duration) -> Failure {
    match f {
        Failure::Rejected(error) => Failure::Transient { error, retry_after: Some(RATE_WINDOW.max(poll)) },
        Failure::Transient { error, retry_after } => Failure::Transient { error, retry_after: Some(retry_after.unwrap_or(poll).max(poll)) },
        ambiguous => ambiguous,
    }
}

#[async_trait]
impl Network for Tiktok {
    fn platform(&self) -> Platform {
        Platform::Tiktok
    }

    fn publish_cap(&self, credentials: &Value) -> Option<PublishCap> {
        let open_id = credentials.get("openId").and_then(Value::as_str).filter(|s| !s.is_empty())?;
        Some(PublishCap {
            key: format!("tiktok:{open_id}"),
            limit: self.daily_limit,
            window: Duration::from_secs(24 * 3600),
            error: err(Code::DailyCapReached).arg("limit", self.daily_limit),
        })
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let c = creds(call.credentials)?;
        if content.media_urls.is_empty() {
            return Err(Failure::Rejected(err(Code::MediaRules).details("TikTok posts need one video or up to 35 images")));
        }
        if is_video(content) && content.media_urls.len() > 1 {
            return Err(Failure::Rejected(err(Code::MediaRules).details("TikTok takes one video, or images only: not several media with a video")));
        }
        let o = &content.options;
        if body::is_draft(o) {
            return Ok(body::step(None, None, true));
        }
        let creator = self.creator_info(call, c.token).await?;
        let level = body::privacy_level(o, &creator.privacy_options).map_err(|d| Failure::Rejected(err(Code::NetworkRejected).details(d)))?;
        Ok(body::step(Some(&creator), Some(level), false))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let c = creds(call.credentials)?;
        let video = is_video(content);
        let init = body::init(content, step, video);
        let publish_id = match self.init(call, c.token, &init).await {
            Err(Failure::Rejected(e)) if video && upload::pull_refused(&e) => {
                upload::FileUpload { api: self, call, token: c.token, url: &content.media_urls[0] }.publish(&init).await?
            }
            other => other?,
        };
        let mut extras = Map::new();
        extras.insert("publishId".into(), json!(publish_id));
        extras.insert("isVideo".into(), json!(video));
        if let Some(user) = step.get("username").and_then(Value::as_str) {
            extras.insert("username".into(), json!(user));
        }
        if body::is_draft(&content.options) {
            extras.insert("draft".into(), json!(true));
        }
        Ok(Published { id: publish_id, url: None, extras })
    }

    /// Asks `status/fetch` (30 requests/min per token). Errors while asking are never final.
    async fn confirm(&self, call: &Call<'_>, _content: &Content, published: &Published) -> Result<Confirmed, Failure> {
        let c = creds(call.credentials).map_err(|f| ask_later(f, self.poll))?;
        let a = self.post(call, c.token, STATUS_FETCH, &json!({"publish_id": publish_id_of(published)})).await.map_err(|h| ask_later(not_published(h), self.poll))?;
        if !a.ok() {
            return Err(ask_later(map_error(&a, "video.publish", self.daily_limit), self.poll));
        }
        status_outcome(a.data(), published, self.poll, self.daily_limit)
    }

    async fn delete(&self, _call: &Call<'_>, _native_id: &str) -> Result<(), Failure> {
        Err(Failure::Rejected(
            ErrorReport::for_platform(Code::DeleteNotSupported, Action::Delete, Platform::Tiktok)
                .arg("network", "TikTok")
                .details("TikTok's API offers no way to delete a post"),
        ))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let req = call.http.post(format!("{}/v2/video/list/", self.base)).query(&[("fields", read::VIDEO_FIELDS)]).json(&read::list_body(limit, cursor));
        let data = self.read(call, Action::History, req, "video.list").await?;
        Ok(HistoryPage { posts: read::videos(&data), next: read::next_cursor(&data) })
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let req = call
            .http
            .post(format!("{}/v2/video/query/", self.base))
            .query(&[("fields", read::VIDEO_FIELDS)])
            .json(&json!({"filters": {"video_ids": [native_id]}}));
        let data = self.read(call, Action::Analytics, req, "video.list").await?;
        read::videos(&data).into_iter().find(|v| v["id"].as_str() == Some(native_id)).ok_or_else(|| {
            report(
                Failure::Rejected(err(Code::NetworkRejected).details(format!("TikTok returns no public video {native_id} for this account"))),
                Action::Analytics,
            )
        })
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let req = call.http.get(format!("{}/v2/user/info/", self.base)).query(&[("fields", read::USER_FIELDS)]);
        let data = self.read(call, Action::Analytics, req, "user.info.stats").await?;
        Ok(read::account(data.get("user").unwrap_or(&Value::Null)))
    }
}
