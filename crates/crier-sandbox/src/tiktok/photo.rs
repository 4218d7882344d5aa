//! Photo posts: `POST /v2/post/publish/content/init/` with `media_type:
//! "PHOTO"`, `post_mode` `DIRECT_POST` or `MEDIA_UPLOAD`, and PULL_FROM_URL
//! `photo_images` (https://developers.tiktok.com/doc/content-posting-api-reference-photo-post).
//! JPEG and WebP only; other formats end `FAILED` with
//! `file_format_check_failed` in the status.

use serde_json::{Map, Value, json};

use super::error::{TtError, ok};
use super::publish::{Publish, Source, gate, limit, object, pull_one, string};
use super::{Call, pull};
use crate::SandboxState;

const MAX_PHOTO_TITLE: usize = 90;
const MAX_PHOTO_DESCRIPTION: usize = 4000;
const MAX_PHOTOS: usize = 35;

/// `POST /v2/post/publish/content/init/` (photos).
pub(crate) async fn content_init(
    state: &SandboxState,
    call: &Call,
) -> Result<axum::response::Response, TtError> {
    let ts = &state.inner.tiktok;
    let body = call.json_object()?;
    let empty = Map::new();
    let post_info = body
        .get("post_info")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let title = string(post_info, "title");
    let description = string(post_info, "description");
    let privacy = string(post_info, "privacy_level");
    let mode = string(&body, "post_mode");
    let inbox = mode == "MEDIA_UPLOAD";
    let mut urls: Vec<String> = Vec::new();
    {
        let mut inner = ts.lock();
        let prefixes = inner.config.verified_url_prefixes.clone();
        gate(&mut inner, !inbox, &privacy, || {
            if string(&body, "media_type") != "PHOTO" {
                return Err(TtError::invalid_params("media_type must be PHOTO."));
            }
            if !matches!(mode.as_str(), "DIRECT_POST" | "MEDIA_UPLOAD") {
                return Err(TtError::invalid_params(
                    "post_mode must be DIRECT_POST or MEDIA_UPLOAD.",
                ));
            }
            object(&body, "post_info")?;
            limit(&title, "title", MAX_PHOTO_TITLE)?;
            limit(&description, "description", MAX_PHOTO_DESCRIPTION)?;
            let source_info = object(&body, "source_info")?;
            if source_info.get("source").and_then(Value::as_str) != Some("PULL_FROM_URL") {
                return Err(TtError::invalid_params(
                    "source_info.source must be PULL_FROM_URL for photos.",
                ));
            }
            urls = source_info
                .get("photo_images")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            if urls.is_empty() || urls.len() > MAX_PHOTOS {
                return Err(TtError::invalid_params(format!(
                    "photo_images must hold 1 to {MAX_PHOTOS} URLs."
                )));
            }
            let cover = source_info
                .get("photo_cover_index")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            if cover as usize >= urls.len() {
                return Err(TtError::invalid_params(
                    "photo_cover_index is out of range.",
                ));
            }
            if urls
                .iter()
                .any(|u| !pull::verified(u, &call.host, &prefixes))
            {
                return Err(TtError::url_ownership_unverified());
            }
            Ok(())
        })?;
    }
    let mut bytes = 0;
    let mut media_failure = None;
    for url in &urls {
        match pull_one(url, true).await {
            Ok(n) => bytes += n,
            Err(reason) => {
                media_failure = Some(reason);
                break;
            }
        }
    }
    let seq = ts.next_seq();
    let kind = if inbox {
        "p_inbox_url~v2"
    } else {
        "p_pub_url~v2"
    };
    let publish = Publish {
        publish_id: format!("{kind}.{}", 7_400_000_000_000_000_000u64 + seq),
        upload_id: seq,
        upload_token: String::new(),
        photo: true,
        inbox,
        title,
        description,
        media: urls,
        source: Source::Pulled { bytes },
        media_failure,
        polls: 0,
        settled: None,
    };
    let data = json!({"publish_id": publish.publish_id});
    ts.lock().publishes.push(publish);
    Ok(ok(data))
}
