//! Snapchat through Snap's Public Profile API (Marketing API family, host
//! `https://businessapi.snapchat.com`, `Authorization: Bearer`).
//!
//! Based on:
//! - `developers.snap.com/api/marketing-api/Public-Profile-API/Introduction` (content types:
//!   Stories for 24 h, Saved Stories kept on the profile, Spotlight videos);
//! - `developers.snap.com/api/marketing-api/Public-Profile-API/ProfileAssetManagement` (media:
//!   AES-256-CBC encryption, Create Media `POST /v1/public_profiles/{profile_id}/media`
//!   `{type, name, key, iv}`, multipart upload in ≤ 32 MB parts, media valid 24 h) — see
//!   `upload.rs`;
//! - Ayrshare's Snapchat page (`ayrshare.com/docs/apis/post/social-networks/snapchat`):
//!   `snapChatOptions.savedStory` / `snapChatOptions.spotlight` choose the surface (a Story
//!   otherwise), one image or video per post; Spotlight descriptions ≤ 160 characters.
//!
//! Snap's reference pages for posting were not readable in full. Where they are silent crier
//! follows what public clients send and the sandbox's contract
//! (`crates/crier-sandbox/readme/snapchat.md`):
//! - Story: `POST /v1/public_profiles/{pid}/stories` `{"media_id"}`;
//! - Saved Story: `POST …/saved_stories` `{"saved_stories":[{"title","snap_sources":[{"media_id"}]}]}`
//!   (title: `snapChatOptions.title`, else the post text);
//! - Spotlight: `POST …/spotlights` `{"media_id","description","locale","skip_save_to_profile":false}`
//!   (a public client sends exactly these fields); video only;
//! - answers `{"<plural>":[{"sub_request_status","<singular>":{"id","media_id",…}}]}` (the
//!   Marketing API's entity envelope); reads `GET …/{plural}?limit=&cursor=` with
//!   `paging.next_cursor`; delete `DELETE …/{plural}/{id}` (not described by Snap: a real
//!   refusal is reported as the network's refusal).
//!
//! The published id is `<plural>/<id>` (e.g. `spotlights/…`) so delete knows the collection;
//! the postIds entry adds `type` (story / saved_story / spotlight), `mediaId` and `snapStatus`
//! (the entity's `status`). Snap's answers carry no link to the post, so there is no `postUrl`.
//! Never twice: each post uses a media object uploaded for it, so a lost answer is settled by
//! looking for that `media_id` in the collection. Analytics are not offered (no documented read
//! fits the per-post shape).

mod errors;
mod post;
mod upload;

pub use errors::{DESCRIPTION_LIMIT, Sent, TITLE_LIMIT, item_error, map_error};
pub use post::{Surface, media_type, post_body, post_outcome, entities};
pub use upload::{MediaPaths, encrypt_cbc_pkcs7, media_paths};

use post::{published, uses_media};

use crate::{Call, Content, Failure, HistoryPage, HttpFailure, MediaSource, Network, Published, Reconciled, classify_send_error};
use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use errors::{err, error_code, transient, with_action};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::sync::Arc;
use upload::success;

/// The largest media crier fetches for Snapchat (held in memory while encrypting).
pub const MAX_MEDIA_BYTES: usize = 256 * 1024 * 1024;
/// Pages of a collection reconcile reads before giving up.
const RECONCILE_PAGES: usize = 3;

struct Creds<'a> {
    token: &'a str,
    profile_id: &'a str,
}

fn creds(v: &Value) -> Result<Creds<'_>, Failure> {
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    match (field("accessToken"), field("profileId")) {
        (Some(token), Some(profile_id)) if is_id(profile_id) => Ok(Creds { token, profile_id }),
        _ => Err(Failure::Rejected(err(Code::TokenInvalid).details("linked Snapchat account lacks accessToken or profileId"))),
    }
}

/// Snap ids are UUIDs; anything else must not reach a URL path.
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 100 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub struct Snapchat {
    base: String,
    media: Arc<dyn MediaSource>,
}

impl Snapchat {
    pub fn new(base: &str, media: Arc<dyn MediaSource>) -> Self {
        Snapchat { base: base.trim_end_matches('/').to_string(), media }
    }

    /// Fetches the post's one media item and uploads it as a new media object.
    async fn upload_media(&self, call: &Call<'_>, c: &Creds<'_>, content: &Content, surface: Surface) -> Result<String, Failure> {
        let Some(url) = content.media_urls.first() else {
            return Err(Failure::Rejected(
                ErrorReport::for_platform(Code::MissingField, Action::Post, Platform::Snapchat).details("Snapchat posts need one image or video in mediaUrls"),
            ));
        };
        let fetched = self.media.fetch(url, MAX_MEDIA_BYTES).await.map_err(|mut e| {
            e.platform = Some(Platform::Snapchat);
            Failure::Rejected(e.arg("network", "Snapchat"))
        })?;
        let kind = media_type(fetched.mime, surface).map_err(|why| Failure::Rejected(err(Code::MediaRules).details(format!("{url}: {why}"))))?;
        upload::upload(call, &self.base, c.token, c.profile_id, kind, &fetched.bytes).await
    }

    async fn send(&self, token: &str, req: reqwest::RequestBuilder) -> Result<(u16, HeaderMap, Value), HttpFailure> {
        let resp = req.bearer_auth(token).send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        Ok((status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    /// A read: Snap's JSON, or the failure.
    async fn read(&self, call: &Call<'_>, c: &Creds<'_>, path: &str, query: &[(&str, String)]) -> Result<Value, Failure> {
        let req = call.http.get(format!("{}/v1/public_profiles/{}/{path}", self.base, c.profile_id)).query(query);
        let (status, headers, body) = self.send(c.token, req).await.map_err(|h| {
            let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = h;
            transient(d)
        })?;
        if success(status, &body) { Ok(body) } else { Err(map_error(status, &headers, &body, &Sent::default())) }
    }

    async fn list(&self, call: &Call<'_>, c: &Creds<'_>, surface: Surface, limit: usize, cursor: Option<&str>) -> Result<Value, Failure> {
        let mut q = vec![("limit", limit.clamp(1, 50).to_string())];
        if let Some(cursor) = cursor {
            q.push(("cursor", cursor.to_string()));
        }
        self.read(call, c, surface.plural(), &q).await
    }

    /// Posts `media_id`; `Ok(None)` when Snap says the media object expired (upload again).
    async fn post(&self, call: &Call<'_>, c: &Creds<'_>, surface: Surface, media_id: &str, content: &Content) -> Result<Option<Published>, Failure> {
        let (body, sent) = post_body(surface, media_id, content)?;
        let url = format!("{}/v1/public_profiles/{}/{}", self.base, c.profile_id, surface.plural());
        let (status, headers, answer) = match self.send(c.token, call.http.post(url).json(&body)).await {
            Ok(a) => a,
            Err(HttpFailure::NotSent(d)) => return Err(transient(d)),
            Err(HttpFailure::MaybeSent(d)) => return Err(Failure::Ambiguous { details: d }),
        };
        if error_code(&answer) == "MEDIA_EXPIRED" {
            return Ok(None);
        }
        post_outcome(surface, media_id, status, &headers, &answer, &sent).map(Some)
    }
}

fn next_cursor(body: &Value) -> Option<String> {
    body.pointer("/paging/next_cursor").and_then(Value::as_str).filter(|c| !c.is_empty()).map(str::to_string)
}

#[async_trait]
impl Network for Snapchat {
    fn platform(&self) -> Platform {
        Platform::Snapchat
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let c = creds(call.credentials)?;
        let surface = Surface::of(content)?;
        // Refuse option problems before uploading anything.
        post_body(surface, "pending", content)?;
        let media_id = self.upload_media(call, &c, content, surface).await?;
        Ok(json!({"surface": surface.plural(), "mediaId": media_id, "preparedAt": chrono::Utc::now().timestamp()}))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        let c = creds(call.credentials)?;
        let surface = Surface::of(content)?;
        let media_id = match step.get("mediaId").and_then(Value::as_str).filter(|m| is_id(m)) {
            Some(m) => m.to_string(),
            None => self.upload_media(call, &c, content, surface).await?,
        };
        if let Some(p) = self.post(call, &c, surface, &media_id, content).await? {
            return Ok(p);
        }
        // The media outlived its 24 h (e.g. a long retry): upload it again and post once more.
        let fresh = self.upload_media(call, &c, content, surface).await?;
        self.post(call, &c, surface, &fresh, content)
            .await?
            .ok_or_else(|| transient(format!("Snapchat says the fresh media {fresh} expired")))
    }

    async fn reconcile(&self, call: &Call<'_>, _content: &Content, step: &Value) -> Reconciled {
        let (Ok(c), Some(surface), Some(media_id)) = (
            creds(call.credentials),
            step.get("surface").and_then(Value::as_str).and_then(Surface::from_plural),
            step.get("mediaId").and_then(Value::as_str),
        ) else {
            return Reconciled::Unknown;
        };
        let mut cursor: Option<String> = None;
        for _ in 0..RECONCILE_PAGES {
            let Ok(page) = self.list(call, &c, surface, 50, cursor.as_deref()).await else { return Reconciled::Unknown };
            if let Some(e) = entities(surface, &page).into_iter().find(|e| uses_media(e, media_id)) {
                return published(surface, e, media_id).map(Reconciled::Published).unwrap_or(Reconciled::Unknown);
            }
            cursor = next_cursor(&page);
            if cursor.is_none() {
                return Reconciled::NotPublished;
            }
        }
        Reconciled::Unknown
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        let c = creds(call.credentials)?;
        let parsed = native_id.split_once('/').and_then(|(kind, id)| Some((Surface::from_plural(kind)?, id))).filter(|(_, id)| is_id(id));
        let Some((surface, id)) = parsed else {
            let mut e = err(Code::NetworkRejected).details(format!("{native_id:?} is not a crier Snapchat post id"));
            e.action = Action::Delete;
            return Err(Failure::Rejected(e));
        };
        let url = format!("{}/v1/public_profiles/{}/{}/{id}", self.base, c.profile_id, surface.plural());
        let (status, headers, body) = self.send(c.token, call.http.delete(url)).await.map_err(|h| {
            let (HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d)) = h;
            transient(d)
        })?;
        if success(status, &body) {
            return Ok(());
        }
        Err(match map_error(status, &headers, &body, &Sent::default()) {
            f @ Failure::Rejected(_) => Failure::Rejected(with_action(f, Action::Delete)),
            other => other,
        })
    }

    /// Stories, then Saved Stories, then Spotlights; the cursor is `<collection>|<Snap's cursor>`.
    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        let c = creds(call.credentials).map_err(|f| with_action(f, Action::History))?;
        let (surface, snap_cursor) = match cursor.and_then(|s| s.split_once('|')) {
            Some((kind, rest)) => (Surface::from_plural(kind).unwrap_or(Surface::Story), Some(rest).filter(|r| !r.is_empty())),
            None => (Surface::Story, None),
        };
        let page = self.list(call, &c, surface, limit, snap_cursor).await.map_err(|f| with_action(f, Action::History))?;
        let posts = entities(surface, &page)
            .into_iter()
            .filter_map(|e| {
                let id = e.get("id").and_then(Value::as_str)?;
                Some(json!({
                    "id": format!("{}/{id}", surface.plural()),
                    "post": e.get("description").or_else(|| e.get("title")).cloned().unwrap_or(json!("")),
                    "type": surface.singular(),
                    "created": e.get("created_at"),
                    "status": e.get("status"),
                }))
            })
            .collect();
        let next = match next_cursor(&page) {
            Some(n) => Some(format!("{}|{n}", surface.plural())),
            None => Surface::ALL.iter().skip_while(|s| **s != surface).nth(1).map(|s| format!("{}|", s.plural())),
        };
        Ok(HistoryPage { posts, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(text: &str, options: Value) -> Content {
        Content { text: text.into(), media_urls: vec!["https://cdn.example.com/v.mp4".into()], is_video: true, options: options.as_object().cloned().unwrap_or_default() }
    }

    #[test]
    fn surface_from_options() {
        assert_eq!(Surface::of(&content("", json!({}))).unwrap(), Surface::Story);
        assert_eq!(Surface::of(&content("", json!({"savedStory": true}))).unwrap(), Surface::SavedStory);
        assert_eq!(Surface::of(&content("", json!({"spotlight": true}))).unwrap(), Surface::Spotlight);
        assert!(Surface::of(&content("", json!({"spotlight": true, "savedStory": true}))).is_err());
    }

    #[test]
    fn bodies_per_surface() {
        let (b, _) = post_body(Surface::Story, "m1", &content("ignored", json!({}))).unwrap();
        assert_eq!(b, json!({"media_id": "m1"}));
        let (b, sent) = post_body(Surface::SavedStory, "m1", &content("text", json!({"savedStory": true, "title": "My title"}))).unwrap();
        assert_eq!(b, json!({"saved_stories": [{"title": "My title", "snap_sources": [{"media_id": "m1"}]}]}));
        assert_eq!(sent.title_chars, 8);
        let (b, _) = post_body(Surface::SavedStory, "m1", &content("fallback", json!({"savedStory": true}))).unwrap();
        assert_eq!(b["saved_stories"][0]["title"], "fallback");
        assert!(post_body(Surface::SavedStory, "m1", &content(" ", json!({"savedStory": true}))).is_err());
        let (b, sent) = post_body(Surface::Spotlight, "m1", &content("Nice #tag", json!({"spotlight": true}))).unwrap();
        assert_eq!(b, json!({"media_id": "m1", "description": "Nice #tag", "locale": "en_US", "skip_save_to_profile": false}));
        assert_eq!(sent.description_chars, 9);
    }

    #[test]
    fn media_types() {
        assert_eq!(media_type("image/png", Surface::Story), Ok("IMAGE"));
        assert_eq!(media_type("video/mp4", Surface::Spotlight), Ok("VIDEO"));
        assert!(media_type("image/jpeg", Surface::Spotlight).is_err());
        assert!(media_type("image/webp", Surface::Story).is_err());
    }

    #[test]
    fn reconcile_matches_the_uploaded_media() {
        let page = json!({"saved_stories": [
            {"sub_request_status": "SUCCESS", "saved_story": {"id": "s1", "media_ids": ["other"]}},
            {"sub_request_status": "SUCCESS", "saved_story": {"id": "s2", "media_ids": ["m1"], "status": "LIVE"}}
        ]});
        let found = entities(Surface::SavedStory, &page).into_iter().find(|e| uses_media(e, "m1")).unwrap();
        let p = published(Surface::SavedStory, found, "m1").unwrap();
        assert_eq!(p.id, "saved_stories/s2");
        assert_eq!((p.extras.get("snapStatus"), p.extras.get("status")), (Some(&json!("LIVE")), None), "postIds' own status stays crier's");
    }
}
