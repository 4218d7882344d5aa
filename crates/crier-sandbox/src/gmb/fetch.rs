//! Google's fetch of a post photo's `sourceUrl` ("sourceUrl is the only
//! supported data field for a LocalPost MediaItem"): the bytes are really
//! downloaded and sniffed.
//!
//! Like the Meta crawler, this fetcher connects to loopback only: any other
//! host fails as an unreachable URL without a connection attempt, proxies
//! from the environment are ignored, and redirects are followed only to
//! loopback hosts. (The Meta crawler module is private to `meta`, so this is
//! a small copy of its rule rather than a reuse.)

use std::net::{IpAddr, Ipv6Addr};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Client, Url, redirect};

/// User agent of the fetch (chosen; Google does not document one).
const USER_AGENT: &str = "Google-Business-Profile-Media-Fetcher (sandbox)";
const MAX_REDIRECTS: usize = 5;
const TIMEOUT: Duration = Duration::from_secs(20);

/// What the photo bytes sniff as (by content, not by extension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PhotoKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Heic,
    Avif,
    Video,
    Other,
}

impl PhotoKind {
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return PhotoKind::Jpeg;
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return PhotoKind::Png;
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return PhotoKind::Gif;
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return PhotoKind::Webp;
        }
        if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            return match &bytes[8..12] {
                b"avif" | b"avis" => PhotoKind::Avif,
                b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                    PhotoKind::Heic
                }
                _ => PhotoKind::Video,
            };
        }
        PhotoKind::Other
    }

    /// Google Business Profile takes JPG and PNG photos only
    /// (https://support.google.com/business/answer/6103862).
    pub(crate) fn accepted(self) -> bool {
        matches!(self, PhotoKind::Jpeg | PhotoKind::Png)
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            PhotoKind::Jpeg => "image/jpeg",
            PhotoKind::Png => "image/png",
            PhotoKind::Gif => "image/gif",
            PhotoKind::Webp => "image/webp",
            PhotoKind::Heic => "image/heic",
            PhotoKind::Avif => "image/avif",
            PhotoKind::Video => "video",
            PhotoKind::Other => "unknown",
        }
    }
}

/// A downloaded photo.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub kind: PhotoKind,
    pub size: usize,
}

/// Why a download failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FetchFailure {
    /// Not an http(s) URL, or a host the sandbox may not reach.
    Unreachable,
    /// The host answered a non-2xx status.
    Http(u16),
    /// Larger than the caller's limit.
    TooLarge,
}

/// Loopback addresses and `localhost`, over http(s); nothing else.
pub(crate) fn loopback_only(url: &Url) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

pub(crate) struct Fetcher {
    client: OnceLock<Option<Client>>,
}

impl Fetcher {
    pub(crate) fn new() -> Self {
        Self {
            client: OnceLock::new(),
        }
    }

    fn client(&self) -> Option<&Client> {
        self.client
            .get_or_init(|| {
                let policy = redirect::Policy::custom(|attempt| {
                    if attempt.previous().len() >= MAX_REDIRECTS {
                        attempt.error("too many redirects")
                    } else if !loopback_only(attempt.url()) {
                        attempt.error("redirect to a host the sandbox may not reach")
                    } else {
                        attempt.follow()
                    }
                });
                Client::builder()
                    .user_agent(USER_AGENT)
                    .no_proxy()
                    .redirect(policy)
                    .timeout(TIMEOUT)
                    .build()
                    .map_err(|err| tracing::error!("gmb fetcher client: {err}"))
                    .ok()
            })
            .as_ref()
    }

    /// Downloads `raw`, reading at most `max_bytes` (one more fails).
    pub(crate) async fn fetch(&self, raw: &str, max_bytes: usize) -> Result<Fetched, FetchFailure> {
        let url = Url::parse(raw.trim()).map_err(|_| FetchFailure::Unreachable)?;
        if !loopback_only(&url) {
            return Err(FetchFailure::Unreachable);
        }
        let client = self.client().ok_or(FetchFailure::Unreachable)?;
        let mut response = client
            .get(url)
            .send()
            .await
            .map_err(|_| FetchFailure::Unreachable)?;
        if !response.status().is_success() {
            return Err(FetchFailure::Http(response.status().as_u16()));
        }
        let mut head = Vec::new();
        let mut size = 0usize;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| FetchFailure::Unreachable)?
        {
            size += chunk.len();
            if size > max_bytes {
                return Err(FetchFailure::TooLarge);
            }
            if head.len() < 64 {
                let take = (64 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
        }
        Ok(Fetched {
            kind: PhotoKind::sniff(&head),
            size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_guards() {
        assert_eq!(PhotoKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), PhotoKind::Jpeg);
        assert_eq!(PhotoKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), PhotoKind::Webp);
        assert_eq!(
            PhotoKind::sniff(b"\0\0\0\x18ftypheic\0\0\0\0"),
            PhotoKind::Heic
        );
        assert_eq!(
            PhotoKind::sniff(b"\0\0\0\x18ftypavif\0\0\0\0"),
            PhotoKind::Avif
        );
        assert_eq!(
            PhotoKind::sniff(b"\0\0\0\x18ftypisom\0\0\0\0"),
            PhotoKind::Video
        );
        assert!(!PhotoKind::Webp.accepted() && PhotoKind::Png.accepted());
        let ok = |u: &str| loopback_only(&Url::parse(u).unwrap());
        assert!(ok("http://127.0.0.1:9/a.jpg") && ok("http://localhost/a.png"));
        assert!(!ok("http://example.com/a.jpg") && !ok("ftp://127.0.0.1/a"));
    }
}
