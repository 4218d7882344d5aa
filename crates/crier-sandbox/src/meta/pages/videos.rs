//! `POST /{page}/videos` (by `file_url` or multipart `source`) and video nodes.

use axum::response::Response;
use serde_json::{Map, json};

use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::MediaFormat;
use crate::meta::error::GraphError;
use crate::meta::ids::timestamp;
use crate::meta::request::Call;
use crate::meta::{ok, project};

use super::{FbPost, FbVideo, PAGE_NAME, PostKind, crawler_timeout, non_empty, page_id};

/// Videos are only counted, never stored; this is a sanity cap.
const MAX_VIDEO_BYTES: usize = 4 * 1024 * 1024 * 1024;

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
