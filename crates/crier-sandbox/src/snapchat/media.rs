//! Media objects of the Public Profile API: Create Media (type, name and the
//! AES-256-CBC key/iv the file is encrypted with), multipart upload of the
//! encrypted parts (`action=ADD`, `part_number` 1–35, ≤ 32 MB each), and
//! `action=FINALIZE`, which joins, decrypts and sniffs the file
//! (https://developers.snap.com/api/marketing-api/Public-Profile-API/ProfileAssetManagement).
//! The cipher is aws-lc-rs's AES-256-CBC with PKCS#7 padding (what `openssl enc
//! -aes-256-cbc` writes).

use std::collections::BTreeMap;

use aws_lc_rs::cipher::{AES_256, DecryptionContext, PaddedBlockDecryptingKey, UnboundCipherKey};
use aws_lc_rs::iv::FixedLength;
use base64::Engine;
use serde_json::{Map, Value, json};

use super::error::{SnapError, request_id};
use crate::media_fetch::MediaFormat;
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

/// What decrypted media bytes are, by content, as a MIME type.
fn sniff(bytes: &[u8]) -> &'static str {
    MediaFormat::sniff(bytes)
        .mime()
        .unwrap_or("application/octet-stream")
}

/// Decrypts AES-256-CBC and strips PKCS#7 padding; `None` when the ciphertext
/// is not whole blocks or the padding is wrong (a wrong key or iv).
pub(crate) fn decrypt_cbc(key: &[u8; 32], iv: &[u8; 16], sealed: &[u8]) -> Option<Vec<u8>> {
    let cipher_key = UnboundCipherKey::new(&AES_256, key).ok()?;
    let opener = PaddedBlockDecryptingKey::cbc_pkcs7(cipher_key).ok()?;
    let mut buf = sealed.to_vec();
    let context = DecryptionContext::Iv128(FixedLength::from(*iv));
    let plain_len = opener.decrypt(&mut buf, context).ok()?.len();
    buf.truncate(plain_len);
    Some(buf)
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
    let Some(plain) = decrypt_cbc(&media.key, &media.iv, &sealed) else {
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

    use aws_lc_rs::cipher::{EncryptionContext, PaddedBlockEncryptingKey};

    /// What a client uploads: `openssl enc -aes-256-cbc` of `plain`.
    fn encrypt_cbc(key: &[u8; 32], iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
        let cipher_key = UnboundCipherKey::new(&AES_256, key).unwrap();
        let sealer = PaddedBlockEncryptingKey::cbc_pkcs7(cipher_key).unwrap();
        let mut buf = plain.to_vec();
        let context = EncryptionContext::Iv128(FixedLength::from(*iv));
        sealer.less_safe_encrypt(&mut buf, context).unwrap();
        buf
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// NIST SP 800-38A F.2.5/F.2.6 (CBC-AES256), first two blocks; openssl
    /// appends a padding block to block-aligned input.
    #[test]
    fn cbc_known_answer() {
        let key: [u8; 32] = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
            .try_into()
            .unwrap();
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let sealed = encrypt_cbc(&key, &iv, &plain);
        let nist = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        assert_eq!(sealed[..32], nist[..]);
        assert_eq!(decrypt_cbc(&key, &iv, &sealed), Some(plain));
    }

    #[test]
    fn cbc_round_trip_and_bad_input() {
        let (key, iv) = ([7u8; 32], [9u8; 16]);
        for len in [0, 1, 15, 16, 17, 100] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let sealed = encrypt_cbc(&key, &iv, &data);
            assert_eq!(sealed.len(), (len / 16 + 1) * 16);
            assert_eq!(decrypt_cbc(&key, &iv, &sealed), Some(data));
        }
        let sealed = encrypt_cbc(&key, &iv, b"hello");
        assert_eq!(
            decrypt_cbc(&[8u8; 32], &iv, &sealed),
            None,
            "wrong key: bad padding"
        );
        assert_eq!(
            decrypt_cbc(&key, &iv, &sealed[..15]),
            None,
            "not whole blocks"
        );
        assert_eq!(decrypt_cbc(&key, &iv, &[]), None);
    }

    #[test]
    fn finalize_decrypts_and_checks() {
        let body =
            json!({"type": "IMAGE", "name": "a", "key": "07".repeat(32), "iv": "09".repeat(16)});
        let mut media = create(body.as_object().unwrap(), 0).unwrap();
        let sealed = encrypt_cbc(&[7u8; 32], &[9u8; 16], b"\x89PNG\r\n\x1a\nrest");
        let (a, b) = sealed.split_at(10);
        add_part(&mut media, Some("2"), Some(b.to_vec())).unwrap();
        add_part(&mut media, Some("1"), Some(a.to_vec())).unwrap();
        assert!(add_part(&mut media, Some("36"), Some(vec![1])).is_err());
        finalize(&mut media).unwrap();
        assert_eq!(media.format, Some("image/png"));
        assert!(finalize(&mut media).is_err());
    }
}
