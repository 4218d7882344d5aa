//! `POST /{page}/photos` (by URL or multipart `source`) and photo nodes.

use axum::response::Response;
use serde_json::{Map, json};

use crate::SandboxState;
use crate::ledger::{LedgerEntry, now_ms};
use crate::media_fetch::{FetchFailure, MediaFormat};
use crate::meta::error::GraphError;
use crate::meta::ids::timestamp;
use crate::meta::request::Call;
use crate::meta::{ok, project};

use super::{FbPhoto, FbPost, PAGE_NAME, PostKind, crawler_timeout, non_empty, page_id};

/// Photos above this are refused (Meta's documented cap for Page photos).
const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

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
