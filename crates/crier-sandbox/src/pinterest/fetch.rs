//! Downloads the image URLs a Pin names, as Pinterest's servers do, and
//! sniffs what the bytes are (the crate's shared, loopback-only
//! [`crate::media_fetch`]; Pinterest follows no redirects).

use std::time::Duration;

use reqwest::Url;

use crate::media_fetch::{FetchFailure, MediaFetcher, MediaFormat};

/// How Pinterest's fetcher introduces itself.
static FETCHER: MediaFetcher =
    MediaFetcher::new("Pinterest/0.2 (+https://www.pinterest.com/bot.html)", false);
const TIMEOUT: Duration = Duration::from_secs(10);
/// Pinterest takes images up to 20 MB (documented for Pins); larger is refused.
const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// Image types Pinterest takes for Pins (BMP, GIF, JPEG, PNG, TIFF, WebP);
/// HEIC and AVIF are not among them.
pub(crate) fn is_pin_image(format: MediaFormat) -> bool {
    format.is_web_image() || matches!(format, MediaFormat::Bmp | MediaFormat::Tiff)
}

/// The name of a format in Pinterest's error texts.
pub(crate) fn label(format: MediaFormat) -> &'static str {
    format.mime().unwrap_or("unknown")
}

/// Downloads `raw` (loopback only) and sniffs it; `Err` says why it could
/// not be fetched.
pub(crate) async fn fetch(raw: &str) -> Result<MediaFormat, String> {
    match FETCHER.fetch(raw, TIMEOUT, MAX_IMAGE_BYTES).await {
        Ok(fetched) => Ok(fetched.format),
        Err(failure) => Err(why(raw, &failure)),
    }
}

fn why(raw: &str, failure: &FetchFailure) -> String {
    match failure {
        // A URL that parses but is no http(s) URL with a host is as
        // unreachable as an outside host.
        FetchFailure::InvalidUrl => match Url::parse(raw.trim()) {
            Ok(url) => format!("could not reach {}", url.host_str().unwrap_or("the host")),
            Err(_) => "invalid URL".into(),
        },
        FetchFailure::NotLoopback(host) => format!("could not reach {host}"),
        FetchFailure::Http(status) => format!("HTTP error code {status}"),
        FetchFailure::Connect { detail, .. } => format!("download failed: {detail}"),
        FetchFailure::Timeout => "download failed: operation timed out".into(),
        FetchFailure::TooLarge => "the file is larger than 20 MB".into(),
        FetchFailure::Robots => failure.cause(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_images_and_failure_texts() {
        assert!(is_pin_image(MediaFormat::Webp) && is_pin_image(MediaFormat::Tiff));
        assert!(!is_pin_image(MediaFormat::Heic) && !is_pin_image(MediaFormat::Mp4));
        assert_eq!(label(MediaFormat::Other), "unknown");
        assert_eq!(why("::", &FetchFailure::InvalidUrl), "invalid URL");
        assert_eq!(
            why("ftp://127.0.0.1/a", &FetchFailure::InvalidUrl),
            "could not reach 127.0.0.1"
        );
        assert_eq!(
            why("x", &FetchFailure::NotLoopback("example.com".into())),
            "could not reach example.com"
        );
    }
}
