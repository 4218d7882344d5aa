//! After the upload: `thumbnails.set` (custom cover image) and `playlistItems.insert`.
//! Both need the video to exist on the sandbox channel; written from the Data API
//! reference (`/upload/youtube/v3/thumbnails/set`, `/youtube/v3/playlistItems`).

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::GError;
use super::{Call, Inner};
use crate::seed;

fn video_exists(inner: &Inner, id: &str) -> bool {
    inner.videos.iter().any(|v| v.id == id && !v.deleted)
}

fn video_not_found(id: &str) -> GError {
    GError::new(
        404,
        "youtube.video",
        "videoNotFound",
        format!(
            "The video identified by the <code>videoId</code> parameter, {id}, could not be found."
        ),
    )
}

/// `POST /upload/youtube/v3/thumbnails/set?videoId=…` with the image as the body (≤ 2 MB, JPEG/PNG).
pub(crate) fn set_thumbnail(inner: &mut Inner, call: &Call) -> Result<Response, GError> {
    let id = call
        .query_value("videoId")
        .ok_or_else(|| GError::required_parameter("videoId"))?
        .to_owned();
    if !video_exists(inner, &id) {
        return Err(video_not_found(&id));
    }
    let b = &call.body;
    let image = b.starts_with(&[0xff, 0xd8, 0xff]) || b.starts_with(b"\x89PNG\r\n\x1a\n");
    if !image || b.len() > 2 * 1024 * 1024 {
        return Err(GError::new(
            400,
            "youtube.thumbnail",
            "invalidImage",
            "The provided image content is invalid.",
        ));
    }
    inner.thumbnails.insert(id.clone(), b.len());
    Ok(Json(json!({"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": format!("https://i.ytimg.com/vi/{id}/default.jpg"), "width": 120, "height": 90}}]})).into_response())
}

/// `POST /youtube/v3/playlistItems?part=snippet` `{snippet: {playlistId, resourceId: {kind, videoId}}}`.
pub(crate) fn insert_playlist_item(inner: &mut Inner, call: &Call) -> Result<Response, GError> {
    let body: Value = serde_json::from_slice(&call.body)
        .map_err(|e| GError::bad_request(format!("Invalid JSON payload received. {e}")))?;
    let playlist = body
        .pointer("/snippet/playlistId")
        .and_then(Value::as_str)
        .ok_or_else(|| GError::required_parameter("snippet.playlistId"))?;
    let video = body
        .pointer("/snippet/resourceId/videoId")
        .and_then(Value::as_str)
        .ok_or_else(|| GError::required_parameter("snippet.resourceId"))?;
    if playlist != seed::YOUTUBE_PLAYLIST_ID {
        return Err(GError::new(
            404,
            "youtube.playlistItem",
            "playlistNotFound",
            "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.",
        ));
    }
    if !video_exists(inner, video) {
        return Err(video_not_found(video));
    }
    inner
        .playlist_items
        .push((playlist.to_owned(), video.to_owned()));
    let id = format!("PLI{}", inner.playlist_items.len());
    Ok(Json(json!({"kind": "youtube#playlistItem", "id": id, "snippet": {"playlistId": playlist, "position": inner.playlist_items.len() - 1,
        "resourceId": {"kind": "youtube#video", "videoId": video}}})).into_response())
}
