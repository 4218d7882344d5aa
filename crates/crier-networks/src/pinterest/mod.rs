//! Pinterest through API v5 (https://developers.pinterest.com/docs/api/v5/introduction).
//!
//! Images are pulled by Pinterest from their URLs (`image_url`, `multiple_image_urls` for 2–5);
//! a video is uploaded in `prepare` (`POST /v5/media` + multipart upload, bytes fetched through
//! the SSRF guard) and `poll` waits until `GET /v5/media/{id}` says `succeeded`. `publish` is the
//! single `POST /v5/pins` (201 with the pin). Pinterest has no duplicate check, so a lost answer is
//! settled by `reconcile`, which pages through the board's pins back to the attempt's start and
//! matches description (and title).
//! Credentials: `{"accessToken", "boardId"}`; `pinterestOptions.boardId` overrides the board.

mod api;
pub mod errors;
pub mod pin;
mod read;

pub use errors::map_error;

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Poll, Published, Reconciled, Settings};
use api::{Api, MediaStatus, segment};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, transient};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Bytes crier downloads for one Pinterest video (Pinterest accepts up to 2 GB).
pub const MAX_VIDEO_BYTES: usize = 1 << 30;

pub struct Pinterest {
    api: Api,
    media: Arc<dyn MediaSource>,
    poll_every: Duration,
    deadline: Duration,
    /// Pins per page and pages at most that `reconcile` reads.
    lookup: (usize, usize),
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Token and board: the option's board, else the linked account's.
fn account<'a>(credentials: &'a Value, content: Option<&'a Content>) -> Result<(&'a str, &'a str), Failure> {
    let token = credentials.get("accessToken").and_then(Value::as_str).filter(|s| !s.is_empty());
    let board = content
        .and_then(|c| pin::opt_str(&c.options, "boardId"))
        .or_else(|| credentials.get("boardId").and_then(Value::as_str).filter(|s| !s.is_empty()));
    match (token, board) {
        (Some(t), Some(b)) => Ok((t, b)),
        (None, _) => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Pinterest account lacks accessToken"))),
        (_, None) => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Pinterest account lacks boardId and pinterestOptions.boardId is not set"))),
    }
}

fn token(credentials: &Value) -> Result<&str, Failure> {
    credentials
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Failure::Rejected(err(Code::TokenInvalid).details("linked Pinterest account lacks accessToken")))
}

fn is_video(content: &Content) -> bool {
    content.is_video || crate::meta::is_video_url(content.media_urls.first().map(String::as_str).unwrap_or(""), false)
}

/// Pins per page when `reconcile` reads the board.
const LOOKUP_PAGE: usize = 100;
/// Pages `reconcile` reads at most before saying it cannot tell (2,000 pins since the attempt).
const LOOKUP_PAGES: usize = 20;

impl Pinterest {
    async fn look_up(&self, call: &Call<'_>, token: &str, board: &str, text: &str, title: Option<&str>, since: i64) -> Reconciled {
        let (per_page, pages) = self.lookup;
        let mut bookmark: Option<String> = None;
        for _ in 0..pages {
            let Ok((items, next)) = read::board_pins(&self.api, call, token, board, per_page, bookmark.as_deref()).await else {
                return Reconciled::Unknown;
            };
            if let Some(id) = read::find_match(&items, text, title, since).and_then(|p| p.get("id")).and_then(Value::as_str) {
                return Reconciled::Published(read::published(id));
            }
            if read::reaches_before(&items, since) {
                return Reconciled::NotPublished;
            }
            match next {
                Some(n) => bookmark = Some(n),
                // No bookmark: the board's last page.
                None => return Reconciled::NotPublished,
            }
        }
        Reconciled::Unknown
    }

    pub fn new(base: &str, media: Arc<dyn MediaSource>, settings: &Settings) -> Self {
        Pinterest { api: Api::new(base), media, poll_every: settings.container_poll, deadline: settings.container_deadline, lookup: (LOOKUP_PAGE, LOOKUP_PAGES) }
    }

    /// How far `reconcile` reads back: `per_page` pins a page, `pages` pages at most (by default
    /// 100 and 20). Tests shorten it to page through a few pins.
    pub fn with_lookup(mut self, per_page: usize, pages: usize) -> Self {
        self.lookup = (per_page.max(1), pages);
        self
    }
}

#[async_trait]
impl Network for Pinterest {
    fn platform(&self) -> Platform {
        Platform::Pinterest
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let (token, _) = account(call.credentials, Some(content))?;
        if content.media_urls.is_empty() {
            return Err(Failure::Rejected(err(Code::MediaRules).details("a Pinterest pin needs an image or a video")));
        }
        if !is_video(content) {
            // Pinterest pulls image URLs itself when the pin is created.
            return Ok(json!({"mediaId": null, "createdAt": now_ms()}));
        }
        let [url] = content.media_urls.as_slice() else {
            return Err(Failure::Rejected(err(Code::MediaRules).details("a Pinterest video pin takes exactly one video")));
        };
        let m = self.media.fetch(url, MAX_VIDEO_BYTES).await.map_err(|mut e| {
            e.platform = Some(Platform::Pinterest);
            Failure::Rejected(e.arg("network", "Pinterest"))
        })?;
        if !m.mime.starts_with("video/") {
            return Err(Failure::Rejected(err(Code::MediaRules).details(format!("{url} is not a video ({})", m.mime))));
        }
        let media_id = self.api.upload_video(call, token, m.bytes, m.mime).await?;
        Ok(json!({"mediaId": media_id, "createdAt": now_ms()}))
    }

    async fn poll(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Result<Poll, Failure> {
        let Some(media_id) = step.get("mediaId").and_then(Value::as_str) else { return Ok(Poll::Ready(step.clone())) };
        let token = token(call.credentials)?;
        let created = step.get("createdAt").and_then(Value::as_i64).unwrap_or_else(now_ms);
        match self.api.media_status(call, token, media_id).await? {
            MediaStatus::Succeeded => Ok(Poll::Ready(step.clone())),
            MediaStatus::Failed(d) => Err(Failure::Rejected(err(Code::MediaRules).details(d))),
            MediaStatus::Processing if now_ms() - created > self.deadline.as_millis() as i64 => {
                Err(transient(format!("Pinterest still processing video {media_id} after {} s", self.deadline.as_secs())))
            }
            MediaStatus::Processing => Ok(Poll::Pending { step: step.clone(), retry_in: self.poll_every }),
        }
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let (token, board) = account(call.credentials, Some(content))?;
        let source = match step.get("mediaId").and_then(Value::as_str) {
            Some(id) => pin::video_source(id, &content.options),
            None => pin::image_source(&content.media_urls, &content.options),
        };
        let body = pin::body(board, &content.text, source, &content.options);
        let a = match self.api.post(call, token, "pins", &body).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if a.ok() {
            return match a.body.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()) {
                Some(id) => Ok(read::published(id)),
                None => Err(Failure::Ambiguous { details: format!("Pinterest answered {} without a pin id: {}", a.status, a.body) }),
            };
        }
        // A gateway timeout may hide a pin Pinterest did create: let reconcile look.
        if a.status == 504 {
            return Err(Failure::Ambiguous { details: errors::details(a.status, &a.body) });
        }
        Err(map_error(a.status, &a.headers, &a.body, content.text.chars().count()))
    }

    /// Reads the board's pins, newest first (where Pinterest puts a new pin), back to the attempt's
    /// start (`createdAt` minus the clock skew): the pin with this description (and title) since
    /// then is ours; none by the time the board reaches back there (or ends) proves it is not
    /// there. A failed read or `LOOKUP_PAGES` pages without reaching the start prove nothing.
    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        let Ok((token, board)) = account(call.credentials, Some(content)) else { return Reconciled::Unknown };
        let since = step.get("createdAt").and_then(Value::as_i64).unwrap_or(0);
        let title = pin::opt_str(&content.options, "title");
        self.look_up(call, token, board, &content.text, title, since).await
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let token = token(call.credentials)?;
        let a = self.api.delete(call, token, &format!("pins/{}", segment(native_id))).await.map_err(|h| transient(h.into_text()))?;
        match a.status {
            200..=299 => Ok(()),
            // Already gone at Pinterest: what the caller wanted.
            404 => Ok(()),
            _ => Err(map_error(a.status, &a.headers, &a.body, 0).for_action(Action::Delete)),
        }
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let token = token(call.credentials).map_err(|f| read::report(f, Action::Analytics))?;
        let q = read::analytics_query(chrono::Utc::now().date_naive());
        let a = self
            .api
            .get(call, token, &format!("pins/{}/analytics", segment(native_id)), &q)
            .await
            .map_err(|h| read::report(transient(h.into_text()), Action::Analytics))?;
        match a.status {
            200..=299 => Ok(read::metrics(&a.body)),
            404 => Err(ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, Platform::Pinterest).details(format!("Pinterest has no pin {native_id}"))),
            _ => Err(read::report(map_error(a.status, &a.headers, &a.body, 0), Action::Analytics)),
        }
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let (token, board) = account(call.credentials, None).map_err(|f| read::report(f, Action::History))?;
        let (items, next) = read::board_pins(&self.api, call, token, board, limit, cursor).await.map_err(|f| read::report(f, Action::History))?;
        Ok(read::history_page(&items, next))
    }
}
