//! PULL_FROM_URL: TikTok downloads media only from domains or URL prefixes
//! the developer verified (`url_ownership_unverified` otherwise,
//! https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide).
//! In the sandbox the sandbox itself is always verified (the `Host` the
//! client reached it by), so media comes from its own `/media-host/...`;
//! further URL prefixes can be verified through the control API
//! (`verifiedUrlPrefixes`), as a developer verifies them in TikTok's portal.
//! The download really happens, over loopback only, and the bytes are
//! sniffed (the crate's shared [`crate::media_fetch`]; no redirects).

use std::time::Duration;

use reqwest::Url;

use crate::media_fetch::{MediaFetcher, MediaFormat, loopback_only};

static FETCHER: MediaFetcher =
    MediaFetcher::new("TikTok-ContentPosting-Fetcher/1.0 (crier sandbox)", false);
/// Downloads larger than this fail (`video_pull_failed`/`photo_pull_failed`).
const MAX_PULL: usize = 256 * 1024 * 1024;
const PULL_TIMEOUT: Duration = Duration::from_secs(15);

/// Whether `raw` is on the sandbox's own host (`host` as in a `Host`
/// header) or starts with one of the verified `prefixes`; loopback only.
pub(crate) fn verified(raw: &str, host: &str, prefixes: &[String]) -> bool {
    let Ok(url) = Url::parse(raw.trim()) else {
        return false;
    };
    let by_prefix = prefixes
        .iter()
        .any(|p| !p.is_empty() && raw.trim().starts_with(p.as_str()));
    let Some(url_host) = url.host_str() else {
        return false;
    };
    let authority = match url.port() {
        Some(port) => format!("{url_host}:{port}"),
        None => url_host.to_owned(),
    };
    (by_prefix || authority.eq_ignore_ascii_case(host)) && loopback_only(&url).is_ok()
}

/// Downloads a verified URL (see [`verified`]); `None` when the download
/// fails. Returns the sniffed format and the size.
pub(crate) async fn fetch(raw: &str) -> Option<(MediaFormat, u64)> {
    let fetched = FETCHER.fetch(raw, PULL_TIMEOUT, MAX_PULL).await.ok()?;
    Some((fetched.format, fetched.size as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sandbox_host_and_verified_prefixes_are_verified() {
        let none: &[String] = &[];
        assert!(verified(
            "http://127.0.0.1:4000/media-host/a.mp4",
            "127.0.0.1:4000",
            none
        ));
        assert!(!verified(
            "http://127.0.0.1:4001/media-host/a.mp4",
            "127.0.0.1:4000",
            none
        ));
        assert!(!verified(
            "https://cdn.example.com/a.mp4",
            "cdn.example.com",
            none
        ));
        assert!(!verified("not a url", "127.0.0.1:4000", none));
        assert!(verified("http://localhost:9/x.jpg", "localhost:9", none));
        let prefixes = ["http://127.0.0.1:4001/media/".to_owned()];
        assert!(verified(
            "http://127.0.0.1:4001/media/abc",
            "127.0.0.1:4000",
            &prefixes
        ));
        assert!(!verified(
            "http://127.0.0.1:4001/other/abc",
            "127.0.0.1:4000",
            &prefixes
        ));
        let remote = ["https://cdn.example.com/".to_owned()];
        assert!(
            !verified("https://cdn.example.com/a.jpg", "127.0.0.1:4000", &remote),
            "downloads stay on loopback"
        );
    }
}
