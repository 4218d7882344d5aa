//! Google's fetch of a post photo's `sourceUrl` ("sourceUrl is the only
//! supported data field for a LocalPost MediaItem"): the bytes are really
//! downloaded and sniffed, through the crate's shared, loopback-only
//! [`crate::media_fetch`] (redirects followed to loopback hosts only).

use std::time::Duration;

use crate::media_fetch::{FetchFailure, Fetched, MediaFetcher, MediaFormat};

/// User agent of the fetch (chosen; Google does not document one).
static FETCHER: MediaFetcher =
    MediaFetcher::new("Google-Business-Profile-Media-Fetcher (sandbox)", true);
const TIMEOUT: Duration = Duration::from_secs(20);

/// Google Business Profile takes JPG and PNG photos only
/// (https://support.google.com/business/answer/6103862).
pub(crate) fn accepted(format: MediaFormat) -> bool {
    matches!(format, MediaFormat::Jpeg | MediaFormat::Png)
}

/// The name of a format in the emulator's error texts (a video is just "video").
pub(crate) fn label(format: MediaFormat) -> &'static str {
    if format.is_video() {
        "video"
    } else {
        format.mime().unwrap_or("unknown")
    }
}

/// Downloads `raw`, reading at most `max_bytes` (one more fails).
pub(crate) async fn fetch(raw: &str, max_bytes: usize) -> Result<Fetched, FetchFailure> {
    FETCHER.fetch(raw, TIMEOUT, max_bytes).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_formats() {
        assert!(accepted(MediaFormat::Png) && !accepted(MediaFormat::Webp));
        assert_eq!(label(MediaFormat::QuickTime), "video");
        assert_eq!(label(MediaFormat::Heic), "image/heic");
        assert_eq!(label(MediaFormat::Other), "unknown");
    }
}
