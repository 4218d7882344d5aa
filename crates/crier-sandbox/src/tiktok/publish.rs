//! `creator_info/query` and Direct Post / inbox video `init` (photos: see
//! `photo`): checks in TikTok's order (rate limit, parameters, account
//! ban, privacy level, daily cap), then a publish record whose status
//! `status/fetch` reports.
//!
//! Media rules: videos are checked by content once in (MP4 or MOV; anything
//! else ends `FAILED` with `file_format_check_failed`); photos must be JPEG
//! or WebP (TikTok's photo spec: PNG, HEIC and AVIF end `FAILED` with
//! `file_format_check_failed`); a URL that cannot be downloaded ends
//! `video_pull_failed` / `photo_pull_failed`. These show in the status, as
//! on TikTok, not as init errors.

use serde_json::{Map, Value, json};

use super::error::{TtError, ok};
use super::{Call, Inner, pull};
use crate::SandboxState;
use crate::ledger::now_ms;
use crate::media_fetch::MediaFormat;
use crate::seed;

/// TikTok's per-file limits.
const MAX_CHUNK: u64 = 64 * 1024 * 1024;
const MAX_VIDEO: u64 = 4 * 1024 * 1024 * 1024;
const MAX_CHUNKS: u64 = 1000;
const MAX_VIDEO_TITLE: usize = 2200;

/// Where the media comes from.
#[derive(Debug)]
pub(crate) enum Source {
    /// FILE_UPLOAD: declared sizes and what arrived so far.
    Upload {
        size: u64,
        chunk: u64,
        chunks: u64,
        received: u64,
        head: Vec<u8>,
    },
    /// PULL_FROM_URL: downloaded at init; the bytes pulled.
    Pulled { bytes: u64 },
}

/// How processing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Settled {
    Complete { post_id: String },
    Inbox,
    Failed(String),
}

#[derive(Debug)]
pub(crate) struct Publish {
    pub publish_id: String,
    /// The number in `upload_url` (FILE_UPLOAD only).
    pub upload_id: u64,
    pub upload_token: String,
    pub photo: bool,
    pub inbox: bool,
    pub title: String,
    pub description: String,
    /// Media URLs, or `upload:<bytes>` for a file upload.
    pub media: Vec<String>,
    pub source: Source,
    /// Set when the media itself fails (format, download).
    pub media_failure: Option<&'static str>,
    /// Status fetches since the media was in.
    pub polls: u32,
    pub settled: Option<Settled>,
}

impl Publish {
    /// Whether all media is in (and processing polls count).
    pub(crate) fn media_in(&self) -> bool {
        match &self.source {
            Source::Upload { size, received, .. } => received >= size,
            Source::Pulled { .. } => true,
        }
    }
}

/// `POST /v2/post/publish/creator_info/query/`.
pub(crate) fn creator_info(inner: &Inner) -> axum::response::Response {
    ok(json!({
        "creator_avatar_url": "https://p16-sign.tiktokcdn.com/sandbox/avatar.jpeg",
        "creator_username": seed::TIKTOK_USERNAME,
        "creator_nickname": "Crier Sandbox",
        "privacy_level_options": inner.config.privacy_level_options,
        "comment_disabled": false,
        "duet_disabled": false,
        "stitch_disabled": false,
        "max_video_post_duration_sec": 600,
    }))
}

pub(super) fn object<'a>(
    body: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a Map<String, Value>, TtError> {
    body.get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| TtError::invalid_params(format!("{key} is required.")))
}

pub(super) fn string(map: &Map<String, Value>, key: &str) -> String {
    map.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn limit(text: &str, field: &str, max: usize) -> Result<(), TtError> {
    if text.chars().count() > max {
        return Err(TtError::invalid_params(format!(
            "{field} exceeds {max} characters."
        )));
    }
    Ok(())
}

/// Rate limit, ban, privacy level and daily cap, in that order (the
/// parameter checks run between the first two).
pub(super) fn gate(
    inner: &mut Inner,
    direct: bool,
    privacy: &str,
    params: impl FnOnce() -> Result<(), TtError>,
) -> Result<(), TtError> {
    let now = now_ms();
    let per_minute = inner.config.init_per_minute;
    if !inner.init_window.take(per_minute, now) {
        return Err(TtError::rate_limited());
    }
    params()?;
    if inner.account.banned {
        return Err(TtError::banned());
    }
    if direct {
        if !inner
            .config
            .privacy_level_options
            .iter()
            .any(|o| o == privacy)
        {
            return Err(TtError::privacy_mismatch());
        }
        let cap = inner.config.daily_posts;
        if !inner.day.take(cap, now) {
            return Err(TtError::too_many_posts());
        }
    }
    Ok(())
}

/// FILE_UPLOAD size rules of the media transfer guide.
fn check_chunks(size: u64, chunk: u64, chunks: u64, min_chunk: u64) -> Result<(), TtError> {
    if size == 0 || size > MAX_VIDEO {
        return Err(TtError::invalid_params("video_size is invalid."));
    }
    if size < min_chunk {
        if chunk != size || chunks != 1 {
            return Err(TtError::invalid_params(
                "A video smaller than the minimum chunk size must be uploaded as one chunk of its whole size.",
            ));
        }
        return Ok(());
    }
    if chunk < min_chunk || chunk > MAX_CHUNK {
        return Err(TtError::invalid_params("chunk_size is invalid."));
    }
    if chunks != size / chunk || chunks > MAX_CHUNKS {
        return Err(TtError::invalid_params("total_chunk_count is invalid."));
    }
    Ok(())
}

fn u64_of(map: &Map<String, Value>, key: &str) -> Result<u64, TtError> {
    map.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| TtError::invalid_params(format!("{key} is required.")))
}

/// Pulls one URL; `Err(fail_reason)` when it cannot be used.
pub(super) async fn pull_one(url: &str, photo: bool) -> Result<u64, &'static str> {
    let Some((format, bytes)) = pull::fetch(url).await else {
        return Err(if photo {
            "photo_pull_failed"
        } else {
            "video_pull_failed"
        });
    };
    let accepted = if photo {
        matches!(format, MediaFormat::Jpeg | MediaFormat::Webp)
    } else {
        format.is_video()
    };
    if accepted {
        Ok(bytes)
    } else {
        tracing::debug!(
            format = format.mime().unwrap_or("unknown"),
            "tiktok sandbox refuses the media format"
        );
        Err("file_format_check_failed")
    }
}

/// `POST /v2/post/publish/video/init/` and `…/inbox/video/init/`.
pub(crate) async fn video_init(
    state: &SandboxState,
    call: &Call,
    inbox: bool,
) -> Result<axum::response::Response, TtError> {
    let ts = &state.inner.tiktok;
    let body = call.json_object()?;
    let empty = Map::new();
    let post_info = if inbox {
        body.get("post_info")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
    } else {
        object(&body, "post_info").unwrap_or(&empty)
    };
    let title = string(post_info, "title");
    let privacy = string(post_info, "privacy_level");
    let mut source = None;
    let mut pull_url = None;
    {
        let mut inner = ts.lock();
        let min_chunk = inner.config.min_chunk_bytes;
        let prefixes = inner.config.verified_url_prefixes.clone();
        gate(&mut inner, !inbox, &privacy, || {
            if !inbox {
                object(&body, "post_info")?;
            }
            limit(&title, "title", MAX_VIDEO_TITLE)?;
            let source_info = object(&body, "source_info")?;
            match source_info.get("source").and_then(Value::as_str) {
                Some("FILE_UPLOAD") => {
                    let size = u64_of(source_info, "video_size")?;
                    let chunk = u64_of(source_info, "chunk_size")?;
                    let chunks = u64_of(source_info, "total_chunk_count")?;
                    check_chunks(size, chunk, chunks, min_chunk)?;
                    source = Some(Source::Upload {
                        size,
                        chunk,
                        chunks,
                        received: 0,
                        head: Vec::new(),
                    });
                }
                Some("PULL_FROM_URL") => {
                    let url = string(source_info, "video_url");
                    if url.is_empty() {
                        return Err(TtError::invalid_params("video_url is required."));
                    }
                    if !pull::verified(&url, &call.host, &prefixes) {
                        return Err(TtError::url_ownership_unverified());
                    }
                    pull_url = Some(url);
                }
                _ => {
                    return Err(TtError::invalid_params(
                        "source_info.source must be FILE_UPLOAD or PULL_FROM_URL.",
                    ));
                }
            }
            Ok(())
        })?;
    }
    let (source, media, media_failure) = match (source, pull_url) {
        (Some(source), _) => {
            let size = match &source {
                Source::Upload { size, .. } => *size,
                Source::Pulled { bytes } => *bytes,
            };
            let media = vec![format!("upload:{size}")];
            (source, media, None)
        }
        (None, Some(url)) => match pull_one(&url, false).await {
            Ok(bytes) => (Source::Pulled { bytes }, vec![url], None),
            Err(reason) => (Source::Pulled { bytes: 0 }, vec![url], Some(reason)),
        },
        (None, None) => return Err(TtError::internal()),
    };
    let seq = ts.next_seq();
    let upload = matches!(source, Source::Upload { .. });
    let kind = match (inbox, upload) {
        (false, true) => "v_pub_file~v2-1",
        (false, false) => "v_pub_url~v2-1",
        (true, true) => "v_inbox_file~v2",
        (true, false) => "v_inbox_url~v2",
    };
    let publish = Publish {
        publish_id: format!("{kind}.{}", 7_400_000_000_000_000_000u64 + seq),
        upload_id: seq,
        upload_token: format!("sbx{:016x}", rand::random::<u64>()),
        photo: false,
        inbox,
        title,
        description: String::new(),
        media,
        source,
        media_failure,
        polls: 0,
        settled: None,
    };
    let mut data = json!({"publish_id": publish.publish_id});
    if upload {
        data["upload_url"] = json!(format!(
            "http://{}/tiktok/upload/video/?upload_id={}&upload_token={}",
            call.host, publish.upload_id, publish.upload_token
        ));
    }
    ts.lock().publishes.push(publish);
    Ok(ok(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_rules() {
        let mb = 1024 * 1024;
        assert!(check_chunks(3 * mb, 3 * mb, 1, 5 * mb).is_ok());
        assert!(check_chunks(3 * mb, mb, 3, 5 * mb).is_err());
        assert!(check_chunks(23 * mb, 10 * mb, 2, 5 * mb).is_ok());
        assert!(check_chunks(23 * mb, 10 * mb, 3, 5 * mb).is_err());
        assert!(check_chunks(200 * mb, 100 * mb, 2, 5 * mb).is_err());
        assert!(check_chunks(0, 0, 0, 5 * mb).is_err());
    }
}
