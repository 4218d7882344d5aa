//! PULL_FROM_URL: TikTok downloads media only from domains or URL prefixes
//! the developer verified (`url_ownership_unverified` otherwise,
//! https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide).
//! In the sandbox the sandbox itself is always verified (the `Host` the
//! client reached it by), so media comes from its own `/media-host/...`;
//! further URL prefixes can be verified through the control API
//! (`verifiedUrlPrefixes`), as a developer verifies them in TikTok's portal.
//! The download really happens, over loopback only, and the bytes are
//! sniffed.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Client, Url, redirect};

use crate::linkedin::sniff::Format;

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
    matches!(url.scheme(), "http" | "https")
        && (by_prefix || authority.eq_ignore_ascii_case(host))
        && is_loopback(url_host)
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

fn client() -> Option<&'static Client> {
    static CLIENT: OnceLock<Option<Client>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            Client::builder()
                .user_agent("TikTok-ContentPosting-Fetcher/1.0 (crier sandbox)")
                .no_proxy()
                .redirect(redirect::Policy::none())
                .timeout(PULL_TIMEOUT)
                .build()
                .map_err(|err| tracing::error!("tiktok sandbox fetcher: {err}"))
                .ok()
        })
        .as_ref()
}

/// Downloads a verified URL (see [`verified`]); `None` when the download
/// fails. Returns the sniffed format and the size.
pub(crate) async fn fetch(raw: &str) -> Option<(Format, u64)> {
    let url = Url::parse(raw.trim()).ok()?;
    if !url.host_str().is_some_and(is_loopback) {
        return None;
    }
    let mut response = client()?.get(url).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let mut head = Vec::new();
    let mut size = 0usize;
    while let Some(chunk) = response.chunk().await.ok()? {
        size += chunk.len();
        if size > MAX_PULL {
            return None;
        }
        if head.len() < 64 {
            let take = (64 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
    }
    Some((Format::sniff(&head), size as u64))
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
