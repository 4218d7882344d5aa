//! A media host for tests, served by the sandbox itself: `GET /robots.txt`
//! and `GET /media-host/{*path}`. Paths ending in `.jpg`/`.jpeg`/`.png` give
//! a small valid image, `.mp4`/`.mov` a small file with an ISO-BMFF `ftyp`
//! header; anything else is 404. `POST /_sandbox/media-host` sets the
//! robots.txt and per-path statuses, bodies and delays, so the crawler's
//! failure modes (robots disallow, 403, slow host, wrong content) can be
//! staged.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::SandboxState;
use crate::params::parse_urlencoded;

/// Media bodies are padded up to at most this many bytes (`?bytes=N`).
const MAX_PADDED: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MediaHostConfig {
    /// The robots.txt body; `None` serves 404 (everything allowed).
    pub robots: Option<String>,
    /// Path (e.g. `/media-host/forbidden.jpg`, or `/robots.txt`) → status.
    pub status: BTreeMap<String, u16>,
    /// Path → body served instead of the generated media (200, text/plain).
    pub bodies: BTreeMap<String, String>,
    /// Path → delay before answering.
    pub delay_ms: BTreeMap<String, u64>,
    /// The latest requests the host saw, oldest first, so a test can check
    /// what the crawler fetched and how it introduced itself.
    pub requests: Vec<SeenRequest>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SeenRequest {
    pub path: String,
    pub user_agent: String,
}

/// How many requests the log keeps.
const MAX_LOGGED: usize = 200;

/// Body of `POST /_sandbox/media-host`: given fields replace the current ones.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MediaHostPatch {
    robots: Option<String>,
    status: Option<BTreeMap<String, u16>>,
    bodies: Option<BTreeMap<String, String>>,
    delay_ms: Option<BTreeMap<String, u64>>,
}

impl MediaHostConfig {
    pub(crate) fn apply(&mut self, patch: MediaHostPatch) -> Result<(), String> {
        if let Some(status) = &patch.status
            && let Some((path, code)) = status.iter().find(|(_, c)| !(100..=999).contains(*c))
        {
            return Err(format!(
                "status {code} for {path} is not a valid HTTP status"
            ));
        }
        if let Some(robots) = patch.robots {
            self.robots = Some(robots);
        }
        if let Some(status) = patch.status {
            self.status = status;
        }
        if let Some(bodies) = patch.bodies {
            self.bodies = bodies;
        }
        if let Some(delay) = patch.delay_ms {
            self.delay_ms = delay;
        }
        Ok(())
    }
}

/// An 8×8 mid-grey baseline JPEG: one component, a one-code Huffman table
/// per class, and a single block whose DC and AC are both zero.
const JPEG: &[u8] = &[
    0xFF, 0xD8, // SOI
    0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00, // APP0 JFIF 1.1
    0xFF, 0xDB, 0x00, 0x43, 0x00, // DQT, table 0, 64 entries of 1
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, //
    0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11,
    0x00, // SOF0 8x8 grey
    0xFF, 0xC4, 0x00, 0x14, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00, // DHT DC0: one code "0" for category 0
    0xFF, 0xC4, 0x00, 0x14, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x00, // DHT AC0: one code "0" for EOB
    0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, // SOS
    0x3F, // DC "0", EOB "0", padded with ones
    0xFF, 0xD9, // EOI
];

/// An 8×8 blue RGB PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x02, 0x00, 0x00, 0x00, 0x4b, 0x6d, 0x29,
    0xdc, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x30, 0x4e, 0x3b, 0x83,
    0x15, 0x31, 0x0c, 0x2d, 0x09, 0x00, 0xb9, 0x86, 0x59, 0x41, 0x6e, 0x26, 0x84, 0xfc, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// An ISO-BMFF file: `ftyp` with the brand, then an empty `mdat`.
fn bmff(brand: &[u8; 4]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&[0, 0, 0, 0x18]);
    out.extend_from_slice(b"ftyp");
    out.extend_from_slice(brand);
    out.extend_from_slice(&[0, 0, 0x02, 0]);
    out.extend_from_slice(brand);
    out.extend_from_slice(if brand == b"qt  " { b"qt  " } else { b"mp41" });
    out.extend_from_slice(&[0, 0, 0, 8]);
    out.extend_from_slice(b"mdat");
    out
}

/// Pads media to `target` bytes in a way that keeps it well formed: a JPEG
/// gets trailing bytes after EOI (decoders stop there), BMFF a `free` box.
fn pad(mut body: Vec<u8>, target: usize, bmff_file: bool) -> Vec<u8> {
    let target = target.min(MAX_PADDED);
    if target <= body.len() {
        return body;
    }
    let extra = target - body.len();
    if bmff_file && extra >= 8 && u32::try_from(extra).is_ok() {
        body.extend_from_slice(&(extra as u32).to_be_bytes());
        body.extend_from_slice(b"free");
        body.resize(target, 0);
    } else {
        body.resize(target, 0);
    }
    body
}

fn generated(path: &str) -> Option<(&'static str, Vec<u8>, bool)> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    match ext.as_str() {
        "jpg" | "jpeg" => Some(("image/jpeg", JPEG.to_vec(), false)),
        "png" => Some(("image/png", PNG.to_vec(), false)),
        "mp4" => Some(("video/mp4", bmff(b"isom"), true)),
        "mov" => Some(("video/quicktime", bmff(b"qt  "), true)),
        _ => None,
    }
}

/// Logs the request and returns the current setup.
fn seen(state: &SandboxState, path: &str, headers: &HeaderMap) -> MediaHostConfig {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut inner = state.inner.meta.lock();
    let host = &mut inner.media_host;
    host.requests.push(SeenRequest {
        path: path.to_owned(),
        user_agent,
    });
    if host.requests.len() > MAX_LOGGED {
        let excess = host.requests.len() - MAX_LOGGED;
        host.requests.drain(..excess);
    }
    host.clone()
}

async fn delay(cfg: &MediaHostConfig, path: &str) {
    if let Some(ms) = cfg.delay_ms.get(path).filter(|ms| **ms > 0) {
        tokio::time::sleep(Duration::from_millis(*ms)).await;
    }
}

fn plain(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn status_override(cfg: &MediaHostConfig, path: &str) -> Option<Response> {
    let code = *cfg.status.get(path)?;
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    Some(plain(status, format!("{code} {reason}\n")))
}

/// `GET /robots.txt`.
pub(crate) async fn robots_txt(State(state): State<SandboxState>, headers: HeaderMap) -> Response {
    let cfg = seen(&state, "/robots.txt", &headers);
    delay(&cfg, "/robots.txt").await;
    if let Some(response) = status_override(&cfg, "/robots.txt") {
        return response;
    }
    match cfg.robots {
        Some(robots) => plain(StatusCode::OK, robots),
        None => plain(StatusCode::NOT_FOUND, "Not Found\n".into()),
    }
}

/// `GET /media-host/{*path}` (`?bytes=N` pads the file to N bytes).
pub(crate) async fn media(
    State(state): State<SandboxState>,
    Path(rest): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let path = format!("/media-host/{rest}");
    let cfg = seen(&state, &path, &headers);
    delay(&cfg, &path).await;
    if let Some(response) = status_override(&cfg, &path) {
        return response;
    }
    if let Some(body) = cfg.bodies.get(&path) {
        return plain(StatusCode::OK, body.clone());
    }
    let Some((mime, body, is_bmff)) = generated(&path) else {
        return plain(StatusCode::NOT_FOUND, "Not Found\n".into());
    };
    let target = query
        .as_deref()
        .map(parse_urlencoded)
        .and_then(|q| {
            q.get("bytes")
                .and_then(|v| v.as_str()?.parse::<usize>().ok())
        })
        .unwrap_or(0);
    let body = pad(body, target, is_bmff);
    (StatusCode::OK, [(header::CONTENT_TYPE, mime)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media_fetch::MediaFormat;

    #[test]
    fn generated_media_sniff_right() {
        let kind = |p: &str| generated(p).map(|(_, b, _)| MediaFormat::sniff(&b));
        assert_eq!(kind("/media-host/a.JPG"), Some(MediaFormat::Jpeg));
        assert_eq!(kind("/media-host/a.png"), Some(MediaFormat::Png));
        assert_eq!(kind("/media-host/v/clip.mp4"), Some(MediaFormat::Mp4));
        assert_eq!(kind("/media-host/clip.mov"), Some(MediaFormat::QuickTime));
        assert_eq!(kind("/media-host/page.html"), None);
        assert_eq!(kind("/media-host/noext"), None);
        let padded = pad(bmff(b"isom"), 1000, true);
        assert_eq!(padded.len(), 1000);
        assert_eq!(&padded[36..40], b"free");
        assert!(JPEG.ends_with(&[0xFF, 0xD9]));
    }
}
