//! `FILE_UPLOAD`: the fallback when TikTok refuses to pull a video URL whose domain is not verified
//! for the app (`url_ownership_unverified`; the refused init published nothing). crier fetches the
//! bytes itself (SSRF-guarded `MediaSource`), inits with `source_info{source: FILE_UPLOAD,
//! video_size, chunk_size, total_chunk_count}` and `PUT`s the chunks in order to `upload_url` with
//! `Content-Range: bytes first-last/total`. Chunks are 10 MiB (TikTok: 5–64 MiB; a video under
//! 5 MiB goes whole; the last chunk takes the trailing bytes, up to 128 MiB)
//! (https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide).
//!
//! TikTok publishes only once the last byte is in: a failure before the last chunk publishes
//! nothing (transient); a lost answer to the last chunk is ambiguous.

use super::errors::{Answer, err, map_error, unavailable};
use super::{Tiktok, body::Init};
use crate::{Call, Failure, HttpFailure, classify_send_error};
use crier_core::{Code, ErrorReport, Platform};
use serde_json::{Value, json};

const CHUNK: usize = 10 << 20;
const SINGLE_CHUNK_BELOW: usize = 5 << 20;
/// Largest video crier downloads to re-upload (TikTok accepts up to 4 GB; crier keeps it in memory).
const MAX_VIDEO_BYTES: usize = 1 << 30;

/// TikTok refused the pull because the URL's domain is not verified for the app.
pub fn pull_refused(e: &ErrorReport) -> bool {
    e.code == Code::MediaUrlInvalid.number() && e.details.as_deref().is_some_and(|d| d.starts_with("url_ownership_unverified"))
}

/// `(chunk_size, total_chunk_count)` for a video of `size` bytes.
pub fn chunking(size: usize) -> (usize, usize) {
    let chunk = if size < SINGLE_CHUNK_BELOW { size } else { CHUNK.min(size) };
    (chunk, (size / chunk.max(1)).max(1))
}

/// The byte range of chunk `i` (the last one takes the trailing bytes).
pub fn chunk_range(i: usize, chunk: usize, count: usize, size: usize) -> std::ops::Range<usize> {
    let start = i * chunk;
    let end = if i + 1 == count { size } else { start + chunk };
    start..end
}

pub struct FileUpload<'a> {
    pub api: &'a Tiktok,
    pub call: &'a Call<'a>,
    pub token: &'a str,
    pub url: &'a str,
}

impl FileUpload<'_> {
    /// Sends the video of `pull` (the refused `PULL_FROM_URL` init) as a file; returns the publish id.
    pub async fn publish(&self, pull: &Init) -> Result<String, Failure> {
        let media = self.api.media.fetch(self.url, MAX_VIDEO_BYTES).await.map_err(|mut e| {
            e.platform = Some(Platform::Tiktok);
            Failure::Rejected(e.arg("network", "TikTok"))
        })?;
        let size = media.bytes.len();
        if size == 0 {
            return Err(Failure::Rejected(err(Code::MediaRules).details("the video is empty")));
        }
        let (chunk, count) = chunking(size);
        let mut body = pull.body.clone();
        body["source_info"] = json!({"source": "FILE_UPLOAD", "video_size": size, "chunk_size": chunk, "total_chunk_count": count});
        // The init alone publishes nothing: TikTok waits for the bytes.
        let a = self.api.post(self.call, self.token, pull.path, &body).await.map_err(|h| match h {
            HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => unavailable(d),
        })?;
        if !a.ok() {
            return Err(map_error(&a, pull.scope, self.api.daily_limit));
        }
        let (Some(publish_id), Some(upload_url)) = (a.data_str("publish_id"), a.data_str("upload_url")) else {
            return Err(unavailable(format!("{} answer without publish_id or upload_url: {}", pull.path, a.body)));
        };
        for i in 0..count {
            let range = chunk_range(i, chunk, count, size);
            let last = i + 1 == count;
            let req = self
                .call
                .http
                .put(upload_url)
                .header("content-type", media.mime)
                .header("content-range", format!("bytes {}-{}/{size}", range.start, range.end - 1))
                .body(media.bytes[range].to_vec());
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    return Err(match classify_send_error(&e) {
                        HttpFailure::MaybeSent(d) if last => Failure::Ambiguous { details: d },
                        HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => unavailable(d),
                    });
                }
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let bytes = match resp.bytes().await {
                Ok(b) => b,
                Err(e) if last && (200..300).contains(&status) => return Err(Failure::Ambiguous { details: crate::describe(&e) }),
                Err(e) => return Err(unavailable(crate::describe(&e))),
            };
            if !(200..300).contains(&status) {
                let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                return Err(map_error(&Answer { status, headers, body }, pull.scope, self.api.daily_limit));
            }
        }
        Ok(publish_id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_tiktoks_rules() {
        // Under 5 MiB: one chunk of the whole video.
        assert_eq!(chunking(1_000), (1_000, 1));
        // 5–10 MiB: one chunk.
        assert_eq!(chunking(7 << 20), (7 << 20, 1));
        // The trailing bytes ride on the last chunk.
        let size = 50_000_123;
        let (chunk, count) = chunking(size);
        assert_eq!((chunk, count), (CHUNK, size / CHUNK));
        assert_eq!(chunk_range(0, chunk, count, size), 0..CHUNK);
        let last = chunk_range(count - 1, chunk, count, size);
        assert_eq!(last.end, size);
        assert!(last.len() >= CHUNK && last.len() < 2 * CHUNK);
    }

    #[test]
    fn only_an_unverified_domain_triggers_the_file_upload() {
        let refused = err(Code::MediaUrlInvalid).details("url_ownership_unverified: Please review our URL ownership verification rules");
        assert!(pull_refused(&refused));
        assert!(!pull_refused(&err(Code::MediaUrlInvalid).details("invalid_params: video_url is invalid")));
        assert!(!pull_refused(&err(Code::NetworkRejected).details("url_ownership_unverified")));
    }
}
