//! Facebook Pages publishing: `POST /{page}/feed` (text, link, multi-photo via
//! `attached_media`), `POST /{page}/photos`, `POST /{page}/videos`, the
//! `feed` listing, post/photo/video nodes and `DELETE` of them.

use std::collections::HashMap;

use axum::response::Response;
use reqwest::Url;
use serde_json::{Map, Value, json};

use super::auth::Account;
use super::error::GraphError;
use super::ids::timestamp;
use super::insights::numbers;
use super::request::Call;
use super::{ok, paginate, project};
use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::{FetchFailure, MediaFormat};

/// Photos above this are refused (Meta's documented cap for Page photos).
const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// Videos are only counted, never stored; this is a sanity cap.
const MAX_VIDEO_BYTES: usize = 4 * 1024 * 1024 * 1024;
/// Graph's limit on a post's message.
const MAX_MESSAGE_CHARS: usize = 63_206;
/// Scheduling window (current docs: 10 minutes to 30 days ahead).
const SCHEDULE_MIN_SECS: i64 = 10 * 60;
const SCHEDULE_MAX_SECS: i64 = 30 * 24 * 3600;
const PAGE_NAME: &str = "Crier Sandbox";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PostKind {
    Status,
    Link,
    Photo,
    Album,
    Video,
}

pub(crate) struct FbPost {
    pub id: String,
    pub page: String,
    pub message: String,
    pub link: Option<String>,
    pub kind: PostKind,
    pub created_ms: i64,
    /// Published now (false for scheduled and unpublished "dark" posts).
    pub published: bool,
    pub scheduled: Option<i64>,
    /// Media URLs (or `upload:<filename>`), in order.
    pub media: Vec<String>,
    pub photos: Vec<String>,
    pub video: Option<String>,
    pub ledger_seq: Option<u64>,
    pub deleted: bool,
}

pub(crate) struct FbPhoto {
    pub id: String,
    pub source: String,
    pub caption: String,
    pub created_ms: i64,
    /// The photo's own feed story (published photos only).
    pub post: Option<String>,
    /// The multi-photo post it was attached to.
    pub attached_to: Option<String>,
    pub deleted: bool,
}

pub(crate) struct FbVideo {
    pub id: String,
    pub source: String,
    pub title: String,
    pub description: String,
    pub created_ms: i64,
    pub post: Option<String>,
    pub ledger_seq: Option<u64>,
    pub deleted: bool,
}

#[derive(Default)]
pub(crate) struct FbStore {
    pub posts: HashMap<String, FbPost>,
    pub photos: HashMap<String, FbPhoto>,
    pub videos: HashMap<String, FbVideo>,
    /// Post ids in creation order.
    order: Vec<String>,
}

impl FbStore {
    /// Published, live posts of a page, newest first.
    pub(crate) fn feed(&self, page: &str) -> Vec<String> {
        self.order
            .iter()
            .rev()
            .filter(|id| {
                self.posts
                    .get(*id)
                    .is_some_and(|p| p.page == page && p.published && !p.deleted)
            })
            .cloned()
            .collect()
    }

    fn insert_post(&mut self, post: FbPost) {
        self.order.push(post.id.clone());
        self.posts.insert(post.id.clone(), post);
    }
}

fn page_id() -> &'static str {
    Account::Page.id()
}

pub(crate) fn get_page(call: &Call) -> Result<Response, GraphError> {
    let id = page_id();
    let mut full = Map::new();
    full.insert("id".into(), json!(id));
    full.insert("name".into(), json!(PAGE_NAME));
    full.insert("username".into(), json!("criersandbox"));
    full.insert(
        "link".into(),
        json!(format!("https://www.facebook.com/{id}")),
    );
    full.insert("category".into(), json!("Software"));
    full.insert("fan_count".into(), json!(1280));
    full.insert("followers_count".into(), json!(1342));
    full.insert(
        "about".into(),
        json!("The page crier's sandbox publishes to."),
    );
    ok(project(&full, call.fields(), &["name"], "Page")?)
}

/// The media fbids of `attached_media[n]={"media_fbid":"…"}` (form) or an
/// `attached_media` JSON array.
fn attached_media(call: &Call) -> Result<Vec<String>, GraphError> {
    let mut indexed: Vec<(usize, Value)> = Vec::new();
    for (key, value) in &call.params {
        let Some(inner) = key
            .strip_prefix("attached_media[")
            .and_then(|r| r.strip_suffix(']'))
        else {
            continue;
        };
        // `attached_media[0][media_fbid]=…` (PHP-style nesting) too.
        let (index, nested) = match inner.split_once("][") {
            Some((index, field)) => (index, Some(field)),
            None => (inner, None),
        };
        let index: usize = index
            .parse()
            .map_err(|_| GraphError::param(format!("Invalid parameter {key}")))?;
        let value = match nested {
            Some("media_fbid") => json!({ "media_fbid": value }),
            Some(_) => continue,
            None => value.clone(),
        };
        indexed.push((index, value));
    }
    indexed.sort_by_key(|(i, _)| *i);
    let mut items: Vec<Value> = indexed.into_iter().map(|(_, v)| v).collect();
    match call.json("attached_media")? {
        Some(Value::Array(list)) => items.extend(list),
        Some(other) => items.push(other),
        None => {}
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let object = match item {
                Value::String(s) => serde_json::from_str::<Value>(s).unwrap_or(Value::Null),
                other => other.clone(),
            };
            match object.get("media_fbid") {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                _ => Err(GraphError::param(format!(
                    "param attached_media[{i}] must be an object with a media_fbid"
                ))),
            }
        })
        .collect()
}

/// `scheduled_publish_time` as unix seconds (Graph takes a timestamp or ISO 8601).
fn scheduled_time(call: &Call) -> Result<Option<i64>, GraphError> {
    let Some(raw) = call.text("scheduled_publish_time") else {
        return Ok(None);
    };
    let parsed = raw.parse::<i64>().ok().or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&raw)
            .ok()
            .map(|t| t.timestamp())
    });
    parsed
        .map(Some)
        .ok_or_else(|| GraphError::param("The specified scheduled publish time is invalid."))
}

fn is_web_url(raw: &str) -> bool {
    Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

pub(crate) fn post_feed(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let message = call.str("message").unwrap_or_default();
    let link = call.text("link");
    let published = call.bool("published")?.unwrap_or(true);
    let scheduled = scheduled_time(call)?;
    let attached = attached_media(call)?;
    if message.trim().is_empty() && link.is_none() && attached.is_empty() {
        return Err(GraphError::param("Missing message or attachment"));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        // Wording chosen: Graph's text for an over-long message is not documented.
        return Err(GraphError::param("Message is too long"));
    }
    if let Some(link) = &link
        && !is_web_url(link)
    {
        return Err(GraphError::param("link URL is not properly formatted"));
    }
    let now = now_ms();
    if let Some(at) = scheduled {
        if published {
            return Err(GraphError::param(
                "You cannot specify a scheduled publish time on a published post",
            ));
        }
        let ahead = at.saturating_sub(now / 1000);
        if !(SCHEDULE_MIN_SECS..=SCHEDULE_MAX_SECS).contains(&ahead) {
            return Err(GraphError::param(
                "The specified scheduled publish time is invalid.",
            ));
        }
    }
    let page = page_id();
    let meta = &state.inner.meta;
    let mut inner = meta.lock();
    let fb = &mut inner.fb;
    for (i, fbid) in attached.iter().enumerate() {
        let usable = fb
            .photos
            .get(fbid)
            .is_some_and(|p| !p.deleted && p.post.is_none() && p.attached_to.is_none());
        if !usable {
            // Wording chosen: an unknown, published or already used photo.
            return Err(GraphError::param(format!(
                "param attached_media[{i}] has an invalid media_fbid {fbid}"
            )));
        }
    }
    if published && !message.trim().is_empty() {
        let last = fb
            .feed(page)
            .first()
            .and_then(|id| fb.posts.get(id))
            .map(|p| p.message.trim().to_owned());
        if last.as_deref() == Some(message.trim()) {
            return Err(GraphError::new(506, "(#506) Duplicate status message")
                .sub(1455006)
                .transient(false)
                .user(
                    "Duplicate Status Update",
                    "This status update is identical to the last one you posted. Try posting something different, or delete your previous update.",
                ));
        }
    }
    let id = format!("{page}_{}", meta.ids.fb_object());
    let media: Vec<String> = attached
        .iter()
        .filter_map(|fbid| fb.photos.get(fbid).map(|p| p.source.clone()))
        .collect();
    for fbid in &attached {
        if let Some(photo) = fb.photos.get_mut(fbid) {
            photo.attached_to = Some(id.clone());
        }
    }
    let kind = if !attached.is_empty() {
        PostKind::Album
    } else if link.is_some() {
        PostKind::Link
    } else {
        PostKind::Status
    };
    let ledger_seq = published.then(|| {
        state.inner.ledger.push(LedgerEntry {
            network: "facebook".into(),
            account: page.into(),
            native_id: id.clone(),
            text: message.clone(),
            media: media.clone(),
            title: None,
            at_ms: now,
            deleted: false,
        })
    });
    fb.insert_post(FbPost {
        id: id.clone(),
        page: page.into(),
        message,
        link,
        kind,
        created_ms: now,
        published,
        scheduled,
        media,
        photos: attached,
        video: None,
        ledger_seq,
        deleted: false,
    });
    ok(json!({ "id": id }))
}

fn photo_failure(failure: &FetchFailure) -> GraphError {
    match failure {
        FetchFailure::TooLarge => GraphError::param(
            "Photos should be smaller than 4 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files.",
        )
        .sub(1366046),
        // Graph says no more than this when it cannot use the URL.
        _ => GraphError::new(324, "(#324) Missing or invalid image file"),
    }
}

pub(crate) async fn post_photo(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let url = call.text("url");
    let upload = call.uploads.iter().find(|u| u.name == "source");
    let caption = call
        .str("caption")
        .or_else(|| call.str("message"))
        .unwrap_or_default();
    let published = call.bool("published")?.unwrap_or(true);
    let meta = &state.inner.meta;
    let source = match (&url, upload) {
        (_, Some(upload)) => {
            if !MediaFormat::sniff(&upload.data).is_web_image() {
                return Err(GraphError::new(324, "(#324) Missing or invalid image file"));
            }
            if upload.data.len() > MAX_PHOTO_BYTES {
                return Err(photo_failure(&FetchFailure::TooLarge));
            }
            format!("upload:{}", upload.filename)
        }
        (Some(url), None) => {
            let timeout = crawler_timeout(state);
            let fetched = meta
                .crawler
                .fetch(url, timeout, MAX_PHOTO_BYTES)
                .await
                .map_err(|f| photo_failure(&f))?;
            if !fetched.format.is_web_image() {
                return Err(GraphError::new(324, "(#324) Missing or invalid image file"));
            }
            url.clone()
        }
        (None, None) => return Err(GraphError::new(324, "(#324) Requires upload file")),
    };
    let page = page_id();
    let now = now_ms();
    let mut inner = meta.lock();
    let photo_id = meta.ids.fb_object();
    let post_id = published.then(|| format!("{page}_{}", meta.ids.fb_object()));
    if let Some(post_id) = &post_id {
        let seq = state.inner.ledger.push(LedgerEntry {
            network: "facebook".into(),
            account: page.into(),
            native_id: post_id.clone(),
            text: caption.clone(),
            media: vec![source.clone()],
            title: None,
            at_ms: now,
            deleted: false,
        });
        inner.fb.insert_post(FbPost {
            id: post_id.clone(),
            page: page.into(),
            message: caption.clone(),
            link: None,
            kind: PostKind::Photo,
            created_ms: now,
            published: true,
            scheduled: None,
            media: vec![source.clone()],
            photos: vec![photo_id.clone()],
            video: None,
            ledger_seq: Some(seq),
            deleted: false,
        });
    }
    inner.fb.photos.insert(
        photo_id.clone(),
        FbPhoto {
            id: photo_id.clone(),
            source,
            caption,
            created_ms: now,
            post: post_id.clone(),
            attached_to: None,
            deleted: false,
        },
    );
    match post_id {
        Some(post_id) => ok(json!({ "id": photo_id, "post_id": post_id })),
        None => ok(json!({ "id": photo_id })),
    }
}

pub(crate) async fn post_video(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let file_url = call.text("file_url");
    let upload = call.uploads.iter().find(|u| u.name == "source");
    let title = call.str("title").unwrap_or_default();
    let description = call.str("description").unwrap_or_default();
    let published = call.bool("published")?.unwrap_or(true);
    let meta = &state.inner.meta;
    let unsupported = || {
        GraphError::new(
            352,
            "(#352) The video file you selected is in a format that we don't support.",
        )
    };
    let source = match (&file_url, upload) {
        (_, Some(upload)) => {
            if !MediaFormat::sniff(&upload.data).is_video() {
                return Err(unsupported());
            }
            format!("upload:{}", upload.filename)
        }
        (Some(url), None) => {
            let timeout = crawler_timeout(state);
            let fetched = meta
                .crawler
                .fetch(url, timeout, MAX_VIDEO_BYTES)
                .await
                .map_err(|_| {
                    GraphError::new(389, "(#389) Unable to fetch video file from URL.").sub(1363057)
                })?;
            if !fetched.format.is_video() {
                return Err(unsupported());
            }
            url.clone()
        }
        (None, None) => {
            return Err(GraphError::new(
                6000,
                "There was a problem uploading your video file. Please try again with another file.",
            ));
        }
    };
    let page = page_id();
    let now = now_ms();
    let mut inner = meta.lock();
    let video_id = meta.ids.fb_object();
    let text = if description.trim().is_empty() {
        title.clone()
    } else {
        description.clone()
    };
    let (post, ledger_seq) = if published {
        let post_id = format!("{page}_{video_id}");
        let seq = state.inner.ledger.push(LedgerEntry {
            network: "facebook".into(),
            account: page.into(),
            native_id: video_id.clone(),
            text: text.clone(),
            media: vec![source.clone()],
            title: None,
            at_ms: now,
            deleted: false,
        });
        inner.fb.insert_post(FbPost {
            id: post_id.clone(),
            page: page.into(),
            message: text,
            link: None,
            kind: PostKind::Video,
            created_ms: now,
            published: true,
            scheduled: None,
            media: vec![source.clone()],
            photos: Vec::new(),
            video: Some(video_id.clone()),
            // The ledger entry belongs to the video; deleting either marks it.
            ledger_seq: Some(seq),
            deleted: false,
        });
        (Some(post_id), Some(seq))
    } else {
        (None, None)
    };
    inner.fb.videos.insert(
        video_id.clone(),
        FbVideo {
            id: video_id.clone(),
            source,
            title,
            description,
            created_ms: now,
            post,
            ledger_seq,
            deleted: false,
        },
    );
    ok(json!({ "id": video_id }))
}

fn crawler_timeout(state: &SandboxState) -> std::time::Duration {
    let ms = state.inner.meta.lock().config.crawler_timeout_ms;
    std::time::Duration::from_millis(ms)
}

fn permalink(post: &FbPost) -> String {
    let (page, number) = post.id.split_once('_').unwrap_or((&post.page, &post.id));
    format!("https://www.facebook.com/{page}/posts/{number}")
}

fn post_fields(post: &FbPost, fb: &FbStore) -> Map<String, Value> {
    let status_type = match post.kind {
        PostKind::Status => "mobile_status_update",
        PostKind::Link => "shared_story",
        PostKind::Photo | PostKind::Album => "added_photos",
        PostKind::Video => "added_video",
    };
    let picture = match post.kind {
        PostKind::Photo | PostKind::Album => post.media.first().cloned(),
        _ => None,
    };
    let attachments: Vec<Value> = post
        .photos
        .iter()
        .filter_map(|id| fb.photos.get(id))
        .map(|p| json!({"media_type": "photo", "target": {"id": p.id}, "url": p.source}))
        .collect();
    // The same numbers the post's insights report.
    let n = numbers(&post.id, post.created_ms, now_ms());
    let mut full = Map::new();
    full.insert("id".into(), json!(post.id));
    full.insert("message".into(), non_empty(&post.message));
    full.insert("created_time".into(), json!(timestamp(post.created_ms)));
    full.insert("updated_time".into(), json!(timestamp(post.created_ms)));
    full.insert("permalink_url".into(), json!(permalink(post)));
    full.insert("is_published".into(), json!(post.published));
    full.insert("status_type".into(), json!(status_type));
    full.insert("full_picture".into(), json!(picture));
    full.insert("link".into(), json!(post.link));
    full.insert("scheduled_publish_time".into(), json!(post.scheduled));
    full.insert("from".into(), json!({"name": PAGE_NAME, "id": post.page}));
    // Graph leaves `shares` out until someone shared the post.
    full.insert(
        "shares".into(),
        if n.shares == 0 {
            Value::Null
        } else {
            json!({ "count": n.shares })
        },
    );
    full.insert(
        "reactions".into(),
        json!({"data": [], "summary": {"total_count": n.likes + n.likes / 4, "viewer_reaction": "NONE"}}),
    );
    full.insert(
        "likes".into(),
        json!({"data": [], "summary": {"total_count": n.likes, "can_like": true, "has_liked": false}}),
    );
    full.insert(
        "comments".into(),
        json!({"data": [], "summary": {"order": "ranked", "total_count": n.comments, "can_comment": true}}),
    );
    full.insert(
        "attachments".into(),
        if attachments.is_empty() {
            Value::Null
        } else {
            json!({ "data": attachments })
        },
    );
    full
}

fn non_empty(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        json!(text)
    }
}

pub(crate) fn list_feed(state: &SandboxState, call: &Call) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let ids = inner.fb.feed(page_id());
    let fields = call.fields();
    paginate(call, &ids, |id| match inner.fb.posts.get(id) {
        Some(post) => project(
            &post_fields(post, &inner.fb),
            fields.clone(),
            &["created_time", "message"],
            "Post",
        ),
        None => Ok(Value::Null),
    })
}

pub(crate) fn get_post(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let post = inner
        .fb
        .posts
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    ok(project(
        &post_fields(post, &inner.fb),
        call.fields(),
        &["created_time", "message"],
        "Post",
    )?)
}

pub(crate) fn get_photo(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let photo = inner
        .fb
        .photos
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let mut full = Map::new();
    full.insert("id".into(), json!(photo.id));
    full.insert("name".into(), non_empty(&photo.caption));
    full.insert("created_time".into(), json!(timestamp(photo.created_ms)));
    full.insert(
        "link".into(),
        json!(format!(
            "https://www.facebook.com/photo.php?fbid={}",
            photo.id
        )),
    );
    full.insert(
        "page_story_id".into(),
        json!(photo.post.clone().or(photo.attached_to.clone())),
    );
    full.insert(
        "published".into(),
        json!(photo.post.is_some() || photo.attached_to.is_some()),
    );
    full.insert(
        "images".into(),
        json!([{"height": 8, "width": 8, "source": photo.source}]),
    );
    full.insert("from".into(), json!({"name": PAGE_NAME, "id": page_id()}));
    ok(project(
        &full,
        call.fields(),
        &["created_time", "name"],
        "Photo",
    )?)
}

pub(crate) fn get_video(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, GraphError> {
    let inner = state.inner.meta.lock();
    let video = inner
        .fb
        .videos
        .get(id)
        .ok_or_else(|| GraphError::unsupported(&call.method, id))?;
    let mut full = Map::new();
    full.insert("id".into(), json!(video.id));
    full.insert("title".into(), non_empty(&video.title));
    full.insert("description".into(), non_empty(&video.description));
    full.insert("created_time".into(), json!(timestamp(video.created_ms)));
    full.insert("updated_time".into(), json!(timestamp(video.created_ms)));
    // Graph really returns this one relative.
    full.insert(
        "permalink_url".into(),
        json!(format!("/{}/videos/{}/", page_id(), video.id)),
    );
    full.insert("published".into(), json!(video.post.is_some()));
    full.insert("source".into(), json!(video.source));
    full.insert(
        "status".into(),
        json!({"video_status": "ready", "processing_progress": 100}),
    );
    full.insert("post_id".into(), json!(video.post));
    full.insert("from".into(), json!({"name": PAGE_NAME, "id": page_id()}));
    ok(project(
        &full,
        call.fields(),
        &["description", "updated_time"],
        "Video",
    )?)
}

/// `DELETE /{post|photo|video id}` → `{"success":true}`; the ledger entry of
/// what disappeared is marked deleted.
pub(crate) fn delete(state: &SandboxState, call: &Call, id: &str) -> Result<Response, GraphError> {
    let mut inner = state.inner.meta.lock();
    let fb = &mut inner.fb;
    let mut posts = Vec::new();
    let mut seqs = Vec::new();
    if let Some(photo) = fb.photos.get_mut(id) {
        photo.deleted = true;
        posts.extend(photo.post.clone());
    } else if let Some(video) = fb.videos.get_mut(id) {
        video.deleted = true;
        posts.extend(video.post.clone());
        seqs.extend(video.ledger_seq);
    } else if fb.posts.contains_key(id) {
        posts.push(id.to_owned());
    } else {
        return Err(GraphError::unsupported(&call.method, id));
    }
    for post_id in posts {
        if let Some(post) = fb.posts.get_mut(&post_id) {
            post.deleted = true;
            seqs.extend(post.ledger_seq);
            let (photos, video) = (post.photos.clone(), post.video.clone());
            for photo in photos {
                if let Some(p) = fb.photos.get_mut(&photo) {
                    // A multi-photo post's photos stay; a photo story's photo goes.
                    if p.post.as_deref() == Some(post_id.as_str()) {
                        p.deleted = true;
                    }
                }
            }
            if let Some(v) = video.and_then(|v| fb.videos.get_mut(&v)) {
                v.deleted = true;
            }
        }
    }
    drop(inner);
    for seq in seqs {
        state.inner.ledger.mark_deleted(seq);
    }
    ok(json!({ "success": true }))
}
