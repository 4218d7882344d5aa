//! Reads and deletes: `GET`/`DELETE /v5/pins/{id}`, `GET /v5/boards`,
//! `GET /v5/boards/{id}`, `GET /v5/boards/{id}/pins` and
//! `GET /v5/user_account`, and the JSON of Pins and boards (the Pin object's
//! shape as `POST /v5/pins` returns it on Pinterest, e.g.
//! https://github.com/pinterest/api-quickstart/issues/78).
//!
//! Lists are `{"items": [...], "bookmark": "<opaque>"|null}`; `page_size` is
//! 1–250 (default 25), newest Pin first; a bookmark that Pinterest did not
//! hand out answers 400.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::Call;
use super::error::PinError;
use super::pins::{Pin, PinMedia};
use crate::SandboxState;
use crate::seed;

const DEFAULT_PAGE: usize = 25;
const MAX_PAGE: usize = 250;
/// The seeded board's name.
const BOARD_NAME: &str = "Crier Sandbox";

pub(crate) fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// The `images` map Pinterest returns for an image (its CDN, sizes fixed).
fn images(key: &str) -> Value {
    let mut map = serde_json::Map::new();
    for (size, w, h) in [
        ("150x150", 150, 150),
        ("400x300", 400, 300),
        ("600x", 600, 600),
        ("1200x", 1200, 1200),
        ("originals", 1200, 1200),
    ] {
        map.insert(
            size.into(),
            json!({"width": w, "height": h, "url": format!("https://i.pinimg.com/{size}/{key}.jpg")}),
        );
    }
    Value::Object(map)
}

fn media_json(pin: &Pin) -> (Value, &'static str) {
    match &pin.media {
        PinMedia::Image { .. } => (
            json!({"media_type": "image", "images": images(&pin.id)}),
            "REGULAR",
        ),
        PinMedia::Carousel(items) => {
            let items: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    json!({
                        "title": item.title,
                        "description": item.description,
                        "link": item.link,
                        "images": images(&format!("{}-{i}", pin.id)),
                    })
                })
                .collect();
            (
                json!({"media_type": "multiple_images", "items": items}),
                "CAROUSEL",
            )
        }
        PinMedia::Video { .. } => (
            json!({
                "media_type": "video",
                "cover_image_url": format!("https://i.pinimg.com/videos/thumbnails/originals/{}.jpg", pin.id),
                "video_url": null,
                "duration": 0,
                "width": 1080,
                "height": 1920,
            }),
            "VIDEO",
        ),
    }
}

pub(crate) fn pin_json(pin: &Pin) -> Value {
    let (media, creative_type) = media_json(pin);
    json!({
        "id": pin.id,
        "created_at": iso(pin.created_ms),
        "link": pin.link,
        "title": pin.title,
        "description": pin.description,
        "dominant_color": pin.dominant_color.clone().unwrap_or_else(|| "#6E7874".into()),
        "alt_text": pin.alt_text,
        "creative_type": creative_type,
        "board_id": pin.board_id,
        "board_section_id": pin.board_section_id,
        "board_owner": {"username": seed::PINTEREST_USERNAME},
        "is_owner": true,
        "is_standard": true,
        "has_been_promoted": false,
        "parent_pin_id": null,
        "note": "",
        "pin_metrics": null,
        "media": media,
    })
}

fn board_json(pin_count: usize, created_ms: i64) -> Value {
    json!({
        "id": seed::PINTEREST_BOARD_ID,
        "name": BOARD_NAME,
        "description": "",
        "owner": {"username": seed::PINTEREST_USERNAME},
        "privacy": "PUBLIC",
        "created_at": iso(created_ms),
        "board_pins_modified_at": iso(created_ms),
        "pin_count": pin_count,
        "follower_count": 0,
        "collaborator_count": 0,
        "media": {"image_cover_url": null, "pin_thumbnail_urls": []},
    })
}

/// When the seeded board was made (fixed: 2024-01-01).
const BOARD_CREATED_MS: i64 = 1_704_067_200_000;

fn live_pin_count(state: &SandboxState) -> usize {
    state
        .inner
        .pinterest
        .lock()
        .pins
        .iter()
        .filter(|p| !p.deleted)
        .count()
}

/// `GET /v5/pins/{id}`.
pub(crate) fn get(state: &SandboxState, id: &str) -> Result<Response, PinError> {
    let inner = state.inner.pinterest.lock();
    let pin = inner
        .pins
        .iter()
        .find(|p| p.id == id && !p.deleted)
        .ok_or_else(PinError::pin_not_found)?;
    Ok(axum::Json(pin_json(pin)).into_response())
}

/// `DELETE /v5/pins/{id}`: 204 without a body.
pub(crate) fn delete(state: &SandboxState, id: &str) -> Result<Response, PinError> {
    let seq = {
        let mut inner = state.inner.pinterest.lock();
        let pin = inner
            .pins
            .iter_mut()
            .find(|p| p.id == id && !p.deleted)
            .ok_or_else(PinError::pin_not_found)?;
        pin.deleted = true;
        pin.ledger_seq
    };
    state.inner.ledger.mark_deleted(seq);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v5/boards?page_size=&bookmark=&privacy=`: the one seeded board
/// (https://developers.pinterest.com/docs/api/v5/boards-list); `page_size`
/// is checked as on `/boards/{id}/pins`, and no bookmark is handed out.
pub(crate) fn boards_list(state: &SandboxState, call: &Call) -> Result<Response, PinError> {
    page_size(call)?;
    if call.query_value("bookmark").is_some_and(|b| !b.is_empty()) {
        return Err(PinError::invalid(
            "Invalid parameters: bookmark is not valid.",
        ));
    }
    let board = board_json(live_pin_count(state), BOARD_CREATED_MS);
    Ok(axum::Json(json!({"items": [board], "bookmark": null})).into_response())
}

/// `GET /v5/boards/{id}`.
pub(crate) fn board_get(state: &SandboxState, id: &str) -> Result<Response, PinError> {
    if id != seed::PINTEREST_BOARD_ID {
        return Err(PinError::board_not_found());
    }
    Ok(axum::Json(board_json(live_pin_count(state), BOARD_CREATED_MS)).into_response())
}

fn page_size(call: &Call) -> Result<usize, PinError> {
    match call.query_value("page_size") {
        None => Ok(DEFAULT_PAGE),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                PinError::invalid(format!(
                    "Invalid parameters: page_size must be between 1 and {MAX_PAGE}."
                ))
            }),
    }
}

fn encode_bookmark(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("crier-sandbox:{offset}"))
}

fn decode_bookmark(raw: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("crier-sandbox:")?
        .parse()
        .ok()
}

/// `GET /v5/boards/{id}/pins?page_size=&bookmark=`: newest first.
pub(crate) fn board_pins(
    state: &SandboxState,
    call: &Call,
    id: &str,
) -> Result<Response, PinError> {
    if id != seed::PINTEREST_BOARD_ID {
        return Err(PinError::board_not_found());
    }
    let size = page_size(call)?;
    let offset = match call.query_value("bookmark").filter(|b| !b.is_empty()) {
        None => 0,
        Some(raw) => decode_bookmark(raw)
            .ok_or_else(|| PinError::invalid("Invalid parameters: bookmark is not valid."))?,
    };
    let inner = state.inner.pinterest.lock();
    let live: Vec<&Pin> = inner.pins.iter().rev().filter(|p| !p.deleted).collect();
    let items: Vec<Value> = live
        .iter()
        .skip(offset)
        .take(size)
        .map(|p| pin_json(p))
        .collect();
    let next = offset + items.len();
    let bookmark = (next < live.len()).then(|| encode_bookmark(next));
    Ok(axum::Json(json!({"items": items, "bookmark": bookmark})).into_response())
}

/// `GET /v5/user_account`.
pub(crate) fn user_account() -> Value {
    json!({
        "account_type": "BUSINESS",
        "id": "1000000000000000100",
        "username": seed::PINTEREST_USERNAME,
        "business_name": BOARD_NAME,
        "profile_image": "https://i.pinimg.com/600x600_R/00/00/00/crier-sandbox.jpg",
        "website_url": null,
        "board_count": 1,
        "pin_count": 0,
        "follower_count": 0,
        "following_count": 0,
        "monthly_views": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmarks_round_trip() {
        assert_eq!(decode_bookmark(&encode_bookmark(25)), Some(25));
        assert_eq!(decode_bookmark("garbage!"), None);
        assert_eq!(decode_bookmark(&URL_SAFE_NO_PAD.encode("other:3")), None);
    }
}
