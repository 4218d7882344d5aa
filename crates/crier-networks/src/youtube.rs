//! YouTube Data API v3, `videos.insert` over the resumable upload protocol:
//! initiate (→ `Location`), PUT chunks (→ `308` + `Range`), final chunk
//! (→ `201` + the video). After an interruption the session is probed with
//! `Content-Range: bytes */total` and the upload resumes from what YouTube
//! says it has — never from what crier believes it sent.
//!
//! Never twice: the video exists only once its last byte is in, so a lost
//! answer to the final chunk is settled by probing the session.

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Published, Reconciled, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct Youtube {
    base: String,
    media: Arc<dyn MediaSource>,
    chunk: usize,
    max_bytes: usize,
    /// Video bytes by upload session, so a resumed upload does not download the source again.
    cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Youtube).arg("network", "YouTube")
}

fn unavailable(details: String) -> Failure {
    Failure::Transient { error: err(Code::YoutubeUnavailable).details(details), retry_after: None }
}

/// Maps Google's error envelope. One row per condition; see tests/error_tables.rs.
pub fn map_error(status: u16, body: &Value) -> Failure {
    let reason = body.pointer("/error/errors/0/reason").and_then(Value::as_str).unwrap_or("");
    let message = body.pointer("/error/message").and_then(Value::as_str).unwrap_or("");
    let details = if reason.is_empty() { format!("HTTP {status}: {message}") } else { format!("{reason}: {message}") };
    match (status, reason) {
        (504, _) => Failure::Transient { error: err(Code::YoutubeTimeout).details(details), retry_after: None },
        (500..=599, _) => unavailable(details),
        // Daily quota (resets at midnight Pacific) and the channel's upload cap: not a quick retry.
        (_, "quotaExceeded" | "uploadLimitExceeded") => Failure::Rejected(err(Code::NetworkRateLimited).details(details)),
        (_, "rateLimitExceeded" | "userRateLimitExceeded") => {
            Failure::Transient { error: err(Code::NetworkRateLimited).details(details), retry_after: None }
        }
        (401, _) | (_, "authError" | "youtubeSignupRequired") => Failure::Rejected(err(Code::TokenInvalid).details(details)),
        _ => Failure::Rejected(err(Code::NetworkRejected).details(details)),
    }
}

/// A transport failure during an upload: the socket-level cases of 454.
fn socket(h: HttpFailure) -> Failure {
    match h {
        HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => unavailable(d),
    }
}

/// What the session holds, per YouTube.
enum Progress {
    /// Bytes received so far.
    Offset(usize),
    Done(Value),
    Expired,
}

fn parse_range(headers: &reqwest::header::HeaderMap) -> usize {
    // `Range: bytes=0-<last>`; absent means nothing stored yet.
    headers
        .get("range")
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.rsplit('-').next())
        .and_then(|last| last.trim().parse::<usize>().ok())
        .map(|last| last + 1)
        .unwrap_or(0)
}

impl Youtube {
    pub fn new(base: &str, media: Arc<dyn MediaSource>, chunk: usize) -> Youtube {
        // Non-final chunks must be multiples of 256 KiB.
        let chunk = (chunk.max(1).div_ceil(262_144)) * 262_144;
        Youtube { base: base.trim_end_matches('/').to_string(), media, chunk, max_bytes: 1 << 30, cache: Mutex::new(HashMap::new()) }
    }

    fn token<'a>(call: &'a Call<'_>) -> Result<&'a str, Failure> {
        call.credentials
            .get("accessToken")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::Rejected(err(Code::TokenInvalid).details("linked YouTube account lacks accessToken")))
    }

    async fn bytes(&self, session: &str, url: &str) -> Result<Arc<Vec<u8>>, Failure> {
        if let Some(b) = self.cache.lock().expect("cache lock").get(session).cloned() {
            return Ok(b);
        }
        let m = self.media.fetch(url, self.max_bytes).await.map_err(|mut e| {
            e.platform = Some(Platform::Youtube);
            Failure::Rejected(e.arg("network", "YouTube"))
        })?;
        let b = Arc::new(m.bytes);
        self.remember(session, b.clone());
        Ok(b)
    }

    fn remember(&self, session: &str, bytes: Arc<Vec<u8>>) {
        let mut cache = self.cache.lock().expect("cache lock");
        if cache.len() >= 4 {
            cache.clear();
        }
        cache.insert(session.to_string(), bytes);
    }

    fn forget(&self, session: &str) {
        self.cache.lock().expect("cache lock").remove(session);
    }

    /// Starts a resumable session; returns its URI.
    async fn initiate(&self, call: &Call<'_>, content: &Content, total: usize, mime: &str) -> Result<String, Failure> {
        let token = Self::token(call)?;
        let o = &content.options;
        let shorts = o.get("shorts").and_then(Value::as_bool) == Some(true);
        let mut description = content.text.clone();
        if shorts && !description.contains("#Shorts") {
            description.push_str(" #Shorts");
        }
        let mut snippet = json!({
            "title": o.get("title").and_then(Value::as_str).unwrap_or_default(),
            "description": description,
            "categoryId": o.get("categoryId").map(|c| c.to_string().trim_matches('"').to_string()).unwrap_or_else(|| "24".into()),
        });
        if let Some(tags) = o.get("tags") {
            snippet["tags"] = tags.clone();
        }
        let mut status = json!({
            "privacyStatus": o.get("visibility").and_then(Value::as_str).unwrap_or("private"),
            "selfDeclaredMadeForKids": o.get("madeForKids").and_then(Value::as_bool).unwrap_or(false),
        });
        if let Some(at) = o.get("publishAt") {
            status["publishAt"] = at.clone();
        }
        if let Some(ai) = o.get("containsSyntheticMedia") {
            status["containsSyntheticMedia"] = ai.clone();
        }
        let resp = call
            .http
            .post(format!("{}/upload/youtube/v3/videos", self.base))
            .query(&[("uploadType", "resumable"), ("part", "snippet,status")])
            .bearer_auth(token)
            .header("x-upload-content-length", total.to_string())
            .header("x-upload-content-type", mime)
            .json(&json!({"snippet": snippet, "status": status}))
            .send()
            .await
            .map_err(|e| socket(classify_send_error(&e)))?;
        let code = resp.status().as_u16();
        let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        match (code, location) {
            (200..=299, Some(l)) => Ok(l),
            (200..=299, None) => Err(unavailable("resumable session started without a Location".into())),
            _ => Err(map_error(code, &body)),
        }
    }

    async fn probe(&self, call: &Call<'_>, session: &str, total: usize) -> Result<Progress, Failure> {
        let token = Self::token(call)?;
        let resp = call
            .http
            .put(session)
            .bearer_auth(token)
            .header("content-length", "0")
            .header("content-range", format!("bytes */{total}"))
            .send()
            .await
            .map_err(|e| socket(classify_send_error(&e)))?;
        let code = resp.status().as_u16();
        let offset = parse_range(resp.headers());
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        match code {
            200 | 201 => Ok(Progress::Done(body)),
            308 => Ok(Progress::Offset(offset)),
            404 | 410 => Ok(Progress::Expired),
            _ => Err(map_error(code, &body)),
        }
    }

    /// Sends the rest of the file from `offset`. The final chunk's lost answer is ambiguous.
    async fn upload_from(&self, call: &Call<'_>, session: &str, bytes: &[u8], mut offset: usize) -> Result<Value, Failure> {
        let token = Self::token(call)?;
        let total = bytes.len();
        loop {
            let end = (offset + self.chunk).min(total);
            let last = end == total;
            let resp = call
                .http
                .put(session)
                .bearer_auth(token)
                .header("content-range", format!("bytes {}-{}/{total}", offset, end.saturating_sub(1)))
                .body(bytes[offset..end].to_vec())
                .send()
                .await;
            let resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    return Err(match classify_send_error(&e) {
                        HttpFailure::MaybeSent(d) if last => Failure::Ambiguous { details: d },
                        h => socket(h),
                    });
                }
            };
            let code = resp.status().as_u16();
            let received = parse_range(resp.headers());
            let body = match resp.bytes().await {
                Ok(b) => serde_json::from_slice(&b).unwrap_or(Value::Null),
                Err(e) if last => return Err(Failure::Ambiguous { details: crate::describe(&e) }),
                Err(e) => return Err(unavailable(crate::describe(&e))),
            };
            match code {
                200 | 201 => return Ok(body),
                // Resume from what YouTube has, not from what was sent.
                308 if received > offset || !last => offset = received,
                308 => return Err(unavailable(format!("YouTube kept {received} of {total} bytes"))),
                404 | 410 => return Err(unavailable("upload session expired".into())),
                _ => return Err(map_error(code, &body)),
            }
        }
    }

    /// A Data API read (`/youtube/v3/...`) for analytics or history.
    async fn read(&self, call: &Call<'_>, path: &str, query: &[(&str, String)], action: Action) -> Result<Value, ErrorReport> {
        let fail = |f: Failure| {
            let mut e = match f {
                Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
                Failure::Ambiguous { details } => err(Code::YoutubeUnavailable).details(details),
            };
            e.action = action;
            e
        };
        let token = Self::token(call).map_err(fail)?;
        let resp = call
            .http
            .get(format!("{}/youtube/v3/{path}", self.base))
            .query(query)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| fail(socket(classify_send_error(&e))))?;
        let code = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&code) { Ok(body) } else { Err(fail(map_error(code, &body))) }
    }

    /// Custom thumbnail (`youTubeOptions.thumbNail`) and playlist (`playListId`) for a published video.
    async fn finish(&self, call: &Call<'_>, content: &Content, video_id: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        let Ok(token) = Self::token(call) else { return warnings };
        let o = &content.options;
        if let Some(url) = o.get("thumbNail").and_then(Value::as_str) {
            let outcome = match self.media.fetch(url, 2 << 20).await {
                Ok(m) if m.mime == "image/jpeg" || m.mime == "image/png" => call
                    .http
                    .post(format!("{}/upload/youtube/v3/thumbnails/set", self.base))
                    .query(&[("videoId", video_id)])
                    .bearer_auth(token)
                    .header("content-type", m.mime)
                    .body(m.bytes)
                    .send()
                    .await
                    .map_err(|e| crate::describe(&e))
                    .and_then(|r| if r.status().is_success() { Ok(()) } else { Err(format!("HTTP {}", r.status().as_u16())) }),
                Ok(m) => Err(format!("thumbnail must be JPEG or PNG, not {}", m.mime)),
                Err(e) => Err(e.details.unwrap_or_default()),
            };
            if let Err(e) = outcome {
                warnings.push(format!("thumbnail not set: {e}"));
            }
        }
        if let Some(playlist) = o.get("playListId").and_then(Value::as_str) {
            let body = json!({"snippet": {"playlistId": playlist, "resourceId": {"kind": "youtube#video", "videoId": video_id}}});
            let outcome = call
                .http
                .post(format!("{}/youtube/v3/playlistItems", self.base))
                .query(&[("part", "snippet")])
                .bearer_auth(token)
                .json(&body)
                .send()
                .await;
            match outcome {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => warnings.push(format!("not added to playlist {playlist}: HTTP {}", r.status().as_u16())),
                Err(e) => warnings.push(format!("not added to playlist {playlist}: {e}")),
            }
        }
        warnings
    }

    fn published(video: &Value) -> Result<Published, Failure> {
        let id = video.get("id").and_then(Value::as_str).ok_or_else(|| Failure::Ambiguous { details: format!("upload finished without a video id: {video}") })?;
        let mut extras = Map::new();
        if let Some(s) = video.pointer("/status/uploadStatus") {
            extras.insert("uploadStatus".into(), s.clone());
        }
        Ok(Published { id: id.to_string(), url: Some(format!("https://www.youtube.com/watch?v={id}")), extras })
    }
}

fn session_of(step: &Value) -> (&str, usize) {
    (step.get("session").and_then(Value::as_str).unwrap_or_default(), step.get("total").and_then(Value::as_u64).unwrap_or(0) as usize)
}

#[async_trait]
impl Network for Youtube {
    fn platform(&self) -> Platform {
        Platform::Youtube
    }

    /// The final chunk completes the upload session; Google may still be assembling it for a while.
    fn landing_lag(&self) -> std::time::Duration {
        std::time::Duration::from_secs(60)
    }

    fn unavailable(&self, details: String) -> ErrorReport {
        err(Code::YoutubeUnavailable).details(details)
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let Some(url) = content.media_urls.first() else {
            return Err(Failure::Rejected(err(Code::MediaRules).details("YouTube needs exactly one video")));
        };
        let m = self.media.fetch(url, self.max_bytes).await.map_err(|mut e| {
            e.platform = Some(Platform::Youtube);
            Failure::Rejected(e.arg("network", "YouTube"))
        })?;
        if !m.mime.starts_with("video/") {
            return Err(Failure::Rejected(err(Code::MediaRules).details(format!("{url} is not a video ({})", m.mime))));
        }
        let session = self.initiate(call, content, m.bytes.len(), m.mime).await?;
        let total = m.bytes.len();
        self.remember(&session, Arc::new(m.bytes));
        Ok(json!({"session": session, "total": total, "createdAt": chrono::Utc::now().timestamp_millis()}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let (session, total) = session_of(step);
        let url = content.media_urls.first().cloned().unwrap_or_default();
        let bytes = self.bytes(session, &url).await?;
        let video = match self.probe(call, session, total).await? {
            Progress::Done(v) => v,
            Progress::Offset(offset) => self.upload_from(call, session, &bytes, offset).await?,
            Progress::Expired => {
                // A dead session holds nothing: start once more from the beginning.
                let mime = "video/*";
                let fresh = self.initiate(call, content, bytes.len(), mime).await?;
                self.remember(&fresh, bytes.clone());
                let v = self.upload_from(call, &fresh, &bytes, 0).await?;
                self.forget(&fresh);
                v
            }
        };
        self.forget(session);
        let mut published = Self::published(&video)?;
        // The video exists now: what follows may fail without unpublishing it; failures become warnings.
        let warnings = self.finish(call, content, &published.id).await;
        if !warnings.is_empty() {
            published.extras.insert("warnings".into(), json!(warnings));
        }
        Ok(published)
    }

    async fn reconcile(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Reconciled {
        let (session, total) = session_of(step);
        match self.probe(call, session, total).await {
            Ok(Progress::Done(v)) => Self::published(&v).map(Reconciled::Published).unwrap_or(Reconciled::Unknown),
            // The last byte is not in: no video exists, resuming cannot duplicate.
            Ok(Progress::Offset(_)) | Ok(Progress::Expired) => Reconciled::NotPublished,
            Err(_) => Reconciled::Unknown,
        }
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let body = self.read(call, "videos", &[("part", "statistics,snippet".into()), ("id", native_id.to_string())], Action::Analytics).await?;
        let Some(v) = body.get("items").and_then(Value::as_array).and_then(|i| i.first()) else {
            return Err(ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, Platform::Youtube).details(format!("YouTube has no video {native_id}")));
        };
        let stat = |k: &str| v.pointer(&format!("/statistics/{k}")).and_then(|x| x.as_str().and_then(|s| s.parse::<i64>().ok()).or(x.as_i64())).unwrap_or(0);
        Ok(json!({
            "title": v.pointer("/snippet/title"), "channelTitle": v.pointer("/snippet/channelTitle"),
            "viewCount": stat("viewCount"), "likeCount": stat("likeCount"), "commentCount": stat("commentCount"),
        }))
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let body = self.read(call, "channels", &[("part", "statistics,snippet".into()), ("mine", "true".into())], Action::Analytics).await?;
        let c = body.pointer("/items/0").cloned().unwrap_or(Value::Null);
        let stat = |k: &str| c.pointer(&format!("/statistics/{k}")).and_then(|x| x.as_str().and_then(|s| s.parse::<i64>().ok()).or(x.as_i64())).unwrap_or(0);
        Ok(json!({"channelId": c.get("id"), "title": c.pointer("/snippet/title"), "subscriberCount": stat("subscriberCount"), "viewCount": stat("viewCount"), "videoCount": stat("videoCount")}))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let mut q = vec![("part", "snippet".to_string()), ("forMine", "true".into()), ("type", "video".into()), ("maxResults", limit.clamp(1, 50).to_string())];
        if let Some(c) = cursor {
            q.push(("pageToken", c.to_string()));
        }
        let body = self.read(call, "search", &q, Action::History).await?;
        let posts = body
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|i| {
                let id = i.pointer("/id/videoId").and_then(Value::as_str).unwrap_or_default();
                json!({"id": id, "title": i.pointer("/snippet/title"), "post": i.pointer("/snippet/description"),
                       "postUrl": format!("https://www.youtube.com/watch?v={id}"), "created": i.pointer("/snippet/publishedAt")})
            })
            .collect();
        Ok(HistoryPage { posts, next: body.get("nextPageToken").and_then(Value::as_str).map(str::to_string) })
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let token = Self::token(call)?;
        let resp = call
            .http
            .delete(format!("{}/youtube/v3/videos", self.base))
            .query(&[("id", native_id)])
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| socket(classify_send_error(&e)))?;
        let code = resp.status().as_u16();
        if (200..300).contains(&code) {
            return Ok(());
        }
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        Err(map_error(code, &body).for_action(Action::Delete))
    }
}
