//! Facebook Pages publishing: `POST /{page}/feed` (text, link, multi-photo via
//! `attached_media`), `POST /{page}/photos`, `POST /{page}/videos`, the
//! `feed` listing, post/photo/video nodes and `DELETE` of them.
//!
//! This module holds the stored objects, the page node and `DELETE`; each
//! kind of publish lives in its own submodule.

mod feed;
mod photos;
mod posts;
mod videos;

use std::collections::HashMap;

use axum::response::Response;
use serde_json::{Map, Value, json};

use super::auth::Account;
use super::error::GraphError;
use super::request::Call;
use super::{ok, project};
use crate::SandboxState;

pub(crate) use feed::post_feed;
pub(crate) use photos::{get_photo, post_photo};
pub(crate) use posts::{get_post, list_feed};
pub(crate) use videos::{get_video, post_video};

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
    // The Page's profile picture (https://developers.facebook.com/docs/graph-api/reference/page/picture/),
    // the one `/me/accounts` gives for this Page.
    full.insert(
        "picture".into(),
        json!({"data": {"height": 50, "is_silhouette": false,
            "url": "https://scontent.example/crier-sandbox-page.png", "width": 50}}),
    );
    full.insert("fan_count".into(), json!(1280));
    full.insert("followers_count".into(), json!(1342));
    full.insert(
        "about".into(),
        json!("The page crier's sandbox publishes to."),
    );
    ok(project(&full, call.fields(), &["name"], "Page")?)
}

fn crawler_timeout(state: &SandboxState) -> std::time::Duration {
    let ms = state.inner.meta.lock().config.crawler_timeout_ms;
    std::time::Duration::from_millis(ms)
}

fn non_empty(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        json!(text)
    }
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
