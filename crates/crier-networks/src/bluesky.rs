//! Bluesky through AT Protocol XRPC (`https://docs.bsky.app`):
//! `com.atproto.server.createSession` → `com.atproto.repo.uploadBlob` →
//! `com.atproto.repo.createRecord`. Errors are `{"error": Name, "message"}`.
//!
//! Never-twice: crier chooses the record key (a TID) during `prepare` and
//! persists it before publishing. A lost answer is then settled by
//! `getRecord` on that key, and a second `createRecord` with the same key
//! cannot create a second post.

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Published, Reconciled, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const COLLECTION: &str = "app.bsky.feed.post";
/// Bluesky's image blob limit.
pub const MAX_IMAGE_BYTES: usize = 1_000_000;
/// Bluesky's limit for one video (MP4, up to 3 minutes).
pub const MAX_VIDEO_BYTES: usize = 100_000_000;

#[derive(Clone, Debug)]
struct Session {
    access: String,
    refresh: String,
    did: String,
    handle: String,
}

pub struct Bluesky {
    base: String,
    media: Arc<dyn MediaSource>,
    /// Sessions by identifier: createSession is rate-limited (30 per 5 min), so sessions are reused.
    sessions: Mutex<HashMap<String, Session>>,
}

/// An XRPC answer, or a transport failure.
struct Answer {
    status: u16,
    body: Value,
    headers: HeaderMap,
}

fn err(code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, Platform::Bluesky).arg("network", "Bluesky")
}

fn transient(details: String) -> Failure {
    Failure::Transient { error: err(Code::NetworkUnavailable).details(details), retry_after: None }
}

fn error_name(body: &Value) -> &str {
    body.get("error").and_then(Value::as_str).unwrap_or("")
}

/// Maps a Bluesky XRPC error answer to a failure. One row per case; see tests/bluesky_errors.rs.
pub fn map_error(status: u16, body: &Value, headers: &HeaderMap, text_len: usize) -> Failure {
    let name = error_name(body);
    let message = body.get("message").and_then(Value::as_str).unwrap_or("");
    let details = match (name.is_empty(), message.is_empty()) {
        (true, true) => format!("HTTP {status}"),
        (false, true) => name.to_string(),
        (true, false) => message.to_string(),
        (false, false) => format!("{name}: {message}"),
    };
    match (status, name) {
        (429, _) | (_, "RateLimitExceeded") => {
            let reset = headers
                .get("ratelimit-reset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<i64>().ok());
            let wait = reset.map(|r| (r - chrono::Utc::now().timestamp()).max(1) as u64);
            Failure::Transient {
                error: err(Code::NetworkRateLimited).details(wait.map(|w| w.to_string()).unwrap_or(details)),
                retry_after: wait.map(Duration::from_secs),
            }
        }
        (500..=599, _) => transient(details),
        (_, "ExpiredToken" | "InvalidToken" | "AuthenticationRequired") | (401, _) => {
            Failure::Rejected(err(Code::TokenInvalid).details(details))
        }
        (_, "InvalidRequest") if message.contains("graphemes") => Failure::Rejected(
            err(Code::TextTooLong).details(details).arg("limit", 300).arg("overage", text_len.saturating_sub(300)),
        ),
        _ => Failure::Rejected(err(Code::NetworkRejected).details(details)),
    }
}

/// A TID (timestamp identifier): 13 base32-sortable characters from microseconds and a random clock id.
pub fn new_tid() -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    let micros = chrono::Utc::now().timestamp_micros() as u64 & ((1 << 53) - 1);
    let clock: u64 = rand::random::<u64>() & 0x3ff;
    let mut v = (micros << 10) | clock;
    let mut out = [0u8; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(v & 31) as usize];
        v >>= 5;
    }
    String::from_utf8(out.to_vec()).expect("alphabet is ASCII")
}

/// Link facets: Bluesky only makes links clickable when their byte ranges are given.
fn link_facets(text: &str) -> Vec<Value> {
    let mut facets = Vec::new();
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            let uri = trimmed.trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
            facets.push(json!({
                "index": {"byteStart": offset, "byteEnd": offset + uri.len()},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
            }));
        }
        offset += word.len();
    }
    facets
}

fn rkey_of(uri: &str) -> Option<&str> {
    uri.rsplit('/').next().filter(|k| !k.is_empty())
}

impl Bluesky {
    pub fn new(base: &str, media: Arc<dyn MediaSource>) -> Self {
        Bluesky { base: base.trim_end_matches('/').to_string(), media, sessions: Mutex::new(HashMap::new()) }
    }

    async fn xrpc(&self, call: &Call<'_>, nsid: &str, bearer: Option<&str>, req: Request) -> Result<Answer, HttpFailure> {
        let url = format!("{}/xrpc/{}", self.base, nsid);
        let mut builder = match req {
            Request::Json(body) => call.http.post(url).json(&body),
            Request::Bytes(bytes, mime) => call.http.post(url).header("content-type", mime).body(bytes),
            Request::Query(q) => call.http.get(url).query(&q),
        };
        if let Some(token) = bearer {
            builder = builder.bearer_auth(token);
        }
        let resp = builder.send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, body, headers })
    }

    fn identity<'a>(call: &'a Call<'_>) -> Result<(&'a str, &'a str), Failure> {
        let id = call.credentials.get("identifier").and_then(Value::as_str);
        let pw = call.credentials.get("appPassword").and_then(Value::as_str);
        match (id, pw) {
            (Some(id), Some(pw)) => Ok((id, pw)),
            _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Bluesky account lacks identifier or appPassword"))),
        }
    }

    async fn create_session(&self, call: &Call<'_>) -> Result<Session, Failure> {
        let (identifier, password) = Self::identity(call)?;
        let a = self
            .xrpc(call, "com.atproto.server.createSession", None, Request::Json(json!({"identifier": identifier, "password": password})))
            .await
            .map_err(|e| transient(e.into_text()))?;
        if a.status != 200 {
            return Err(map_error(a.status, &a.body, &a.headers, 0));
        }
        let field = |k: &str| a.body.get(k).and_then(Value::as_str).map(str::to_string);
        let session = match (field("accessJwt"), field("refreshJwt"), field("did"), field("handle")) {
            (Some(access), Some(refresh), Some(did), Some(handle)) => Session { access, refresh, did, handle },
            _ => return Err(transient(format!("createSession answer lacks tokens: {}", a.body))),
        };
        self.sessions.lock().expect("session map lock").insert(identifier.to_string(), session.clone());
        Ok(session)
    }

    async fn session(&self, call: &Call<'_>) -> Result<Session, Failure> {
        let (identifier, _) = Self::identity(call)?;
        let cached = self.sessions.lock().expect("session map lock").get(identifier).cloned();
        match cached {
            Some(s) => Ok(s),
            None => self.create_session(call).await,
        }
    }

    /// Access tokens expire (~2 h): Bluesky answers 400 ExpiredToken. Refresh, or log in again.
    async fn renew(&self, call: &Call<'_>, old: &Session) -> Result<Session, Failure> {
        let (identifier, _) = Self::identity(call)?;
        if let Ok(a) = self.xrpc(call, "com.atproto.server.refreshSession", Some(&old.refresh), Request::Json(json!({}))).await {
            let field = |k: &str| a.body.get(k).and_then(Value::as_str).map(str::to_string);
            if let (200, Some(access), Some(refresh)) = (a.status, field("accessJwt"), field("refreshJwt")) {
                let s = Session { access, refresh, ..old.clone() };
                self.sessions.lock().expect("session map lock").insert(identifier.to_string(), s.clone());
                return Ok(s);
            }
        }
        self.create_session(call).await
    }

    /// An authenticated call, renewing the session once if the token expired.
    async fn authed(&self, call: &Call<'_>, nsid: &str, req: impl Fn(&Session) -> Request) -> Result<(Session, Answer), AuthedError> {
        let mut session = self.session(call).await.map_err(AuthedError::Failure)?;
        for attempt in 0..2 {
            let a = self.xrpc(call, nsid, Some(&session.access), req(&session)).await.map_err(AuthedError::Http)?;
            let expired = matches!(error_name(&a.body), "ExpiredToken" | "InvalidToken") || a.status == 401;
            if expired && attempt == 0 {
                session = self.renew(call, &session).await.map_err(AuthedError::Failure)?;
                continue;
            }
            return Ok((session, a));
        }
        unreachable!("the loop returns on its second pass")
    }

    async fn upload_images(&self, call: &Call<'_>, content: &Content) -> Result<Vec<Value>, Failure> {
        let mut blobs = Vec::new();
        for url in &content.media_urls {
            let video = content.is_video || crier_core::request::looks_like_video(url);
            let media = self.media.fetch(url, if video { MAX_VIDEO_BYTES } else { MAX_IMAGE_BYTES }).await.map_err(|mut e| {
                e.platform = Some(Platform::Bluesky);
                Failure::Rejected(e.arg("network", "Bluesky"))
            })?;
            let one_video = media.mime == "video/mp4" && content.media_urls.len() == 1;
            if !media.mime.starts_with("image/") && !one_video {
                return Err(Failure::Rejected(err(Code::MediaRules).details(format!(
                    "{url}: Bluesky takes up to 4 images or one MP4 video, got {}",
                    media.mime
                ))));
            }
            let bytes = media.bytes;
            let mime = media.mime;
            let (_, a) = self
                .authed(call, "com.atproto.repo.uploadBlob", |_| Request::Bytes(bytes.clone(), mime))
                .await
                .map_err(AuthedError::into_prepare_failure)?;
            if a.status != 200 {
                return Err(map_error(a.status, &a.body, &a.headers, 0));
            }
            let Some(blob) = a.body.get("blob").cloned() else {
                return Err(transient(format!("uploadBlob answer lacks blob: {}", a.body)));
            };
            blobs.push(blob);
        }
        Ok(blobs)
    }

    async fn get_record(&self, call: &Call<'_>, did: &str, rkey: &str) -> Result<Answer, AuthedError> {
        let q = vec![("repo".to_string(), did.to_string()), ("collection".into(), COLLECTION.into()), ("rkey".into(), rkey.to_string())];
        self.authed(call, "com.atproto.repo.getRecord", |_| Request::Query(q.clone())).await.map(|(_, a)| a)
    }

    /// A read call for analytics or history: Bluesky's answer, or the catalog error for `action`.
    async fn read(&self, call: &Call<'_>, nsid: &str, action: Action, query: impl Fn(&Session) -> Vec<(String, String)>) -> Result<(Session, Value), ErrorReport> {
        let (session, a) = self.authed(call, nsid, |s| Request::Query(query(s))).await.map_err(|e| {
            let mut r = failure_report(e.into_prepare_failure());
            r.action = action;
            r
        })?;
        if a.status != 200 {
            let mut r = failure_report(map_error(a.status, &a.body, &a.headers, 0));
            r.action = action;
            return Err(r);
        }
        Ok((session, a.body))
    }

    fn published(session_handle: &str, uri: &str, cid: Option<&str>) -> Published {
        let rkey = rkey_of(uri).unwrap_or_default();
        let mut extras = Map::new();
        if let Some(cid) = cid {
            extras.insert("cid".into(), json!(cid));
        }
        Published {
            id: uri.to_string(),
            url: Some(format!("https://bsky.app/profile/{session_handle}/post/{rkey}")),
            extras,
        }
    }
}

enum Request {
    Json(Value),
    Bytes(Vec<u8>, &'static str),
    Query(Vec<(String, String)>),
}

enum AuthedError {
    Failure(Failure),
    Http(HttpFailure),
}

impl AuthedError {
    /// Outside the publish call, a lost answer publishes nothing: it is simply transient.
    fn into_prepare_failure(self) -> Failure {
        match self {
            AuthedError::Failure(f) => f,
            AuthedError::Http(h) => transient(h.into_text()),
        }
    }
}


#[async_trait]
impl Network for Bluesky {
    fn platform(&self) -> Platform {
        Platform::Bluesky
    }

    /// A PDS writes the record inside the request; only a queued request can land late.
    fn landing_lag(&self) -> std::time::Duration {
        std::time::Duration::from_secs(10)
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let session = self.session(call).await?;
        let blobs = self.upload_images(call, content).await?;
        Ok(json!({
            "rkey": new_tid(),
            "did": session.did,
            "createdAt": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "blobs": blobs,
        }))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let rkey = step.get("rkey").and_then(Value::as_str).unwrap_or_default().to_string();
        let created_at = step.get("createdAt").cloned().unwrap_or_else(|| json!(chrono::Utc::now().to_rfc3339()));
        let mut record = json!({"$type": COLLECTION, "text": content.text, "createdAt": created_at});
        let facets = link_facets(&content.text);
        if !facets.is_empty() {
            record["facets"] = json!(facets);
        }
        let blobs = step.get("blobs").and_then(Value::as_array).cloned().unwrap_or_default();
        if !blobs.is_empty() {
            let alts = content.options.get("altText").and_then(Value::as_array);
            let images: Vec<Value> = blobs
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let alt = alts.and_then(|a| a.get(i)).and_then(Value::as_str).unwrap_or("");
                    json!({"alt": alt, "image": b})
                })
                .collect();
            let is_video = blobs[0].get("mimeType").and_then(Value::as_str).is_some_and(|m| m.starts_with("video/"));
            record["embed"] = if is_video {
                let alt = alts.and_then(|a| a.first()).and_then(Value::as_str).unwrap_or("");
                json!({"$type": "app.bsky.embed.video", "video": blobs[0], "alt": alt})
            } else {
                json!({"$type": "app.bsky.embed.images", "images": images})
            };
        }
        let result = self
            .authed(call, "com.atproto.repo.createRecord", |s| {
                Request::Json(json!({"repo": s.did, "collection": COLLECTION, "rkey": rkey, "record": record}))
            })
            .await;
        let (session, a) = match result {
            Ok(r) => r,
            Err(AuthedError::Failure(f)) => return Err(f),
            Err(AuthedError::Http(HttpFailure::NotSent(d))) => return Err(transient(d)),
            Err(AuthedError::Http(HttpFailure::MaybeSent(d))) => return Err(Failure::Ambiguous { details: d }),
        };
        if a.status == 200 {
            return match a.body.get("uri").and_then(Value::as_str) {
                Some(uri) => Ok(Self::published(&session.handle, uri, a.body.get("cid").and_then(Value::as_str))),
                None => Err(Failure::Ambiguous { details: format!("createRecord answer lacks uri: {}", a.body) }),
            };
        }
        if a.status == 504 {
            // A gateway that gave up may hide a record the PDS did write: the rkey lookup decides.
            return Err(Failure::Ambiguous { details: format!("HTTP 504 from createRecord: {}", a.body) });
        }
        if a.status == 400 && error_name(&a.body) == "InvalidRequest" && a.body.to_string().to_lowercase().contains("already exists") {
            // Our record key is taken: an earlier attempt landed. Report that post, do not create another.
            return Err(Failure::Ambiguous { details: format!("record key {rkey} already exists") });
        }
        // Bluesky counts graphemes: the overage of a refused text is in graphemes too.
        Err(map_error(a.status, &a.body, &a.headers, crier_core::text_length::Unit::Graphemes.count(&content.text)))
    }

    async fn reconcile(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Reconciled {
        let (Some(rkey), Some(did)) = (step.get("rkey").and_then(Value::as_str), step.get("did").and_then(Value::as_str)) else {
            return Reconciled::Unknown;
        };
        match self.get_record(call, did, rkey).await {
            Ok(a) if a.status == 200 => {
                let handle = self.session(call).await.map(|s| s.handle).unwrap_or_else(|_| did.to_string());
                let uri = a.body.get("uri").and_then(Value::as_str).map(str::to_string)
                    .unwrap_or_else(|| format!("at://{did}/{COLLECTION}/{rkey}"));
                Reconciled::Published(Self::published(&handle, &uri, a.body.get("cid").and_then(Value::as_str)))
            }
            Ok(a) if a.status == 400 && error_name(&a.body) == "RecordNotFound" => Reconciled::NotPublished,
            _ => Reconciled::Unknown,
        }
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        let uri = native_id.to_string();
        let (_, body) = self.read(call, "app.bsky.feed.getPosts", Action::Analytics, |_| vec![("uris".into(), uri.clone())]).await?;
        match body.get("posts").and_then(Value::as_array).and_then(|p| p.first()) {
            Some(post) => Ok(metrics(post)),
            None => Err(ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, Platform::Bluesky).details(format!("Bluesky has no post {native_id}"))),
        }
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        let (_, p) = self.read(call, "app.bsky.actor.getProfile", Action::Analytics, |s| vec![("actor".into(), s.did.clone())]).await?;
        let n = |k: &str| p.get(k).cloned().unwrap_or(json!(0));
        Ok(json!({"handle": p.get("handle"), "displayName": p.get("displayName"), "followersCount": n("followersCount"), "followsCount": n("followsCount"), "postsCount": n("postsCount")}))
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let cursor = cursor.map(str::to_string);
        let (session, body) = self
            .read(call, "app.bsky.feed.getAuthorFeed", Action::History, |s| {
                let mut q = vec![("actor".to_string(), s.did.clone()), ("limit".to_string(), limit.clamp(1, 100).to_string())];
                if let Some(c) = &cursor {
                    q.push(("cursor".into(), c.clone()));
                }
                q
            })
            .await?;
        let posts = body
            .get("feed")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| item.get("post"))
            .map(|p| {
                let uri = p.get("uri").and_then(Value::as_str).unwrap_or_default();
                let mut v = json!({
                    "id": uri,
                    "post": p.pointer("/record/text"),
                    "postUrl": format!("https://bsky.app/profile/{}/post/{}", session.handle, rkey_of(uri).unwrap_or_default()),
                    "created": p.pointer("/record/createdAt"),
                });
                v["analytics"] = metrics(p);
                v
            })
            .collect();
        Ok(HistoryPage { posts, next: body.get("cursor").and_then(Value::as_str).map(str::to_string) })
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let Some(rkey) = rkey_of(native_id).map(str::to_string) else {
            return Err(Failure::Rejected(err(Code::NetworkRejected).details("not a Bluesky record uri")));
        };
        let (_, a) = self
            .authed(call, "com.atproto.repo.deleteRecord", |s| {
                Request::Json(json!({"repo": s.did, "collection": COLLECTION, "rkey": rkey}))
            })
            .await
            .map_err(AuthedError::into_prepare_failure)?;
        if a.status == 200 { Ok(()) } else { Err(map_error(a.status, &a.body, &a.headers, 0)) }
    }
}

fn failure_report(f: Failure) -> ErrorReport {
    match f {
        Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
        Failure::Ambiguous { details } => err(Code::NetworkUnavailable).details(details),
    }
}

fn metrics(post: &Value) -> Value {
    let n = |k: &str| post.get(k).cloned().unwrap_or(json!(0));
    json!({"likeCount": n("likeCount"), "repostCount": n("repostCount"), "replyCount": n("replyCount"), "quoteCount": n("quoteCount")})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tids_are_13_sortable_chars() {
        let a = new_tid();
        let b = new_tid();
        assert_eq!(a.len(), 13);
        assert!(a.chars().all(|c| "234567abcdefghijklmnopqrstuvwxyz".contains(c)));
        assert!(a[..10] <= b[..10]);
    }

    #[test]
    fn facets_use_byte_offsets() {
        let f = link_facets("héllo https://example.com/x. bye");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["index"]["byteStart"], 7);
        assert_eq!(f[0]["index"]["byteEnd"], 7 + "https://example.com/x".len());
    }
}
