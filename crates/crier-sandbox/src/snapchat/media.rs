//! Media objects of the Public Profile API: Create Media (type, name and the
//! AES-256-CBC key/iv the file is encrypted with), multipart upload of the
//! encrypted parts (`action=ADD`, `part_number` 1–35, ≤ 32 MB each), and
//! `action=FINALIZE`, which joins, decrypts and sniffs the file
//! (https://developers.snap.com/api/marketing-api/Public-Profile-API/ProfileAssetManagement).

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::{Map, Value, json};

use super::aes;
use super::error::{SnapError, request_id};
use crate::seed;

/// Largest part (documented: split files larger than 32 MB).
pub(crate) const MAX_PART: usize = 32 * 1024 * 1024;
/// Part numbers run 1..=35.
const MAX_PARTS: u32 = 35;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaType {
    Image,
    Video,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaStatus {
    PendingUpload,
    Ready,
}

pub(crate) struct Media {
    pub id: String,
    pub media_type: MediaType,
    key: [u8; 32],
    iv: [u8; 16],
    parts: BTreeMap<u32, Vec<u8>>,
    pub status: MediaStatus,
    /// Post attempts still answered `MEDIA_PROCESSING`.
    pub processing_left: u32,
    pub expired: bool,
    /// What the decrypted file sniffed as, once finalized.
    pub format: Option<&'static str>,
    pub size: usize,
}

/// A random version-4 UUID, the shape of Snap's ids.
pub(crate) fn uuid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A key or iv, base64 (standard or URL-safe) or hex.
fn decode_secret<const N: usize>(raw: &str) -> Option<[u8; N]> {
    let raw = raw.trim();
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::URL_SAFE,
    ];
    for engine in engines {
        if let Ok(bytes) = engine.decode(raw)
            && let Ok(out) = <[u8; N]>::try_from(bytes.as_slice())
        {
            return Some(out);
        }
    }
    if raw.len() == 2 * N && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        let bytes: Vec<u8> = (0..N)
            .filter_map(|i| u8::from_str_radix(&raw[2 * i..2 * i + 2], 16).ok())
            .collect();
        return bytes.try_into().ok();
    }
    None
}

/// `POST /v1/public_profiles/{pid}/media`.
pub(crate) fn create(body: &Map<String, Value>, processing_posts: u32) -> Result<Media, SnapError> {
    let media_type = match body.get("type").and_then(Value::as_str) {
        Some("IMAGE") => MediaType::Image,
        Some("VIDEO") => MediaType::Video,
        Some(other) => {
            return Err(SnapError::invalid(format!(
                "Invalid media type {other}; expected IMAGE or VIDEO"
            )));
        }
        None => return Err(SnapError::invalid("type is required")),
    };
    let key = body
        .get("key")
        .and_then(Value::as_str)
        .and_then(decode_secret::<32>)
        .ok_or_else(|| SnapError::invalid("key must be a 32-byte AES key, base64-encoded"))?;
    let iv = body
        .get("iv")
        .and_then(Value::as_str)
        .and_then(decode_secret::<16>)
        .ok_or_else(|| {
            SnapError::invalid("iv must be a 16-byte initialization vector, base64-encoded")
        })?;
    Ok(Media {
        id: uuid(),
        media_type,
        key,
        iv,
        parts: BTreeMap::new(),
        status: MediaStatus::PendingUpload,
        processing_left: processing_posts,
        expired: false,
        format: None,
        size: 0,
    })
}

fn upload_base(media_id: &str) -> String {
    format!(
        "/v1/public_profiles/{}/media/{media_id}/multipart-upload-v2",
        seed::SNAPCHAT_PROFILE_ID
    )
}

pub(crate) fn created_json(media: &Media) -> Value {
    let base = upload_base(&media.id);
    json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        "media_id": media.id,
        "add_path": format!("{base}?action=ADD"),
        "finalize_path": format!("{base}/finalize?action=FINALIZE"),
    })
}

/// `action=ADD`: stores one encrypted part.
pub(crate) fn add_part(
    media: &mut Media,
    part_number: Option<&str>,
    file: Option<Vec<u8>>,
) -> Result<Value, SnapError> {
    if media.status == MediaStatus::Ready {
        return Err(SnapError::invalid("Media upload is already finalized"));
    }
    let number = part_number
        .and_then(|n| n.trim().parse::<u32>().ok())
        .filter(|n| (1..=MAX_PARTS).contains(n))
        .ok_or_else(|| {
            SnapError::invalid(format!("part_number must be between 1 and {MAX_PARTS}"))
        })?;
    let file = file.ok_or_else(|| SnapError::invalid("file is required"))?;
    if file.is_empty() {
        return Err(SnapError::invalid("file is empty"));
    }
    if file.len() > MAX_PART {
        return Err(SnapError::invalid("A part may not exceed 32 MB"));
    }
    media.parts.insert(number, file);
    Ok(json!({"request_status": "SUCCESS", "request_id": request_id()}))
}

/// What decrypted media bytes are, by content.
fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        match &bytes[8..12] {
            b"qt  " => "video/quicktime",
            b"avif" | b"avis" => "image/avif",
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                "image/heic"
            }
            _ => "video/mp4",
        }
    } else {
        "application/octet-stream"
    }
}

/// `action=FINALIZE`: joins the parts in order, decrypts and checks the format.
pub(crate) fn finalize(media: &mut Media) -> Result<Value, SnapError> {
    if media.status == MediaStatus::Ready {
        return Err(SnapError::invalid("Media upload is already finalized"));
    }
    if media.parts.is_empty() {
        return Err(SnapError::invalid("No parts were uploaded"));
    }
    let expected: Vec<u32> = (1..=media.parts.len() as u32).collect();
    if media.parts.keys().copied().collect::<Vec<_>>() != expected {
        return Err(SnapError::invalid(
            "Parts must be numbered from 1 without gaps",
        ));
    }
    let sealed: Vec<u8> = media.parts.values().flatten().copied().collect();
    let Some(plain) = aes::decrypt_cbc(&media.key, &media.iv, &sealed) else {
        media.parts.clear();
        return Err(SnapError::invalid_media(
            "The media could not be decrypted with the key and iv given at creation",
        ));
    };
    let format = sniff(&plain);
    let accepted = match media.media_type {
        MediaType::Image => matches!(format, "image/jpeg" | "image/png"),
        MediaType::Video => format == "video/mp4",
    };
    media.parts.clear();
    if !accepted {
        return Err(SnapError::invalid_media(format!(
            "Unsupported media format {format} for {} media; use JPEG or PNG images and MP4 videos",
            match media.media_type {
                MediaType::Image => "IMAGE",
                MediaType::Video => "VIDEO",
            }
        )));
    }
    media.format = Some(format);
    media.size = plain.len();
    media.status = MediaStatus::Ready;
    Ok(json!({
        "request_status": "SUCCESS",
        "request_id": request_id(),
        "media_id": media.id,
        "media_status": "READY",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_sniffing() {
        let b64 = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert_eq!(decode_secret::<32>(&b64), Some([1u8; 32]));
        assert_eq!(decode_secret::<16>(&"0a".repeat(16)), Some([10u8; 16]));
        assert_eq!(decode_secret::<16>("short"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom"), "video/mp4");
        assert_eq!(sniff(b"\0\0\0\x18ftypheic"), "image/heic");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBP"), "image/webp");
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn finalize_decrypts_and_checks() {
        let body =
            json!({"type": "IMAGE", "name": "a", "key": "07".repeat(32), "iv": "09".repeat(16)});
        let mut media = create(body.as_object().unwrap(), 0).unwrap();
        let sealed = aes::encrypt_cbc(&[7u8; 32], &[9u8; 16], b"\x89PNG\r\n\x1a\nrest");
        let (a, b) = sealed.split_at(10);
        add_part(&mut media, Some("2"), Some(b.to_vec())).unwrap();
        add_part(&mut media, Some("1"), Some(a.to_vec())).unwrap();
        assert!(add_part(&mut media, Some("36"), Some(vec![1])).is_err());
        finalize(&mut media).unwrap();
        assert_eq!(media.format, Some("image/png"));
        assert!(finalize(&mut media).is_err());
    }
}
