//! Reading posts: the page's `feed` listing and post nodes with their fields.

use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::SandboxState;
use crate::ledger::now_ms;
use crate::meta::error::GraphError;
use crate::meta::ids::timestamp;
use crate::meta::insights::numbers;
use crate::meta::request::Call;
use crate::meta::{ok, paginate, project};

use super::{FbPost, FbStore, PAGE_NAME, PostKind, non_empty, page_id};

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
