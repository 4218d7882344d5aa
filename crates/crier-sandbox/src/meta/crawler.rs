//! Meta's media crawler: every `image_url`, `video_url`, `url` and `file_url`
//! handed to the emulator is really fetched, as Meta does ("we cURL media"),
//! with Meta's user agent and after reading the host's `/robots.txt`.
//!
//! The sandbox must never talk to the outside world, so the crawler connects
//! to loopback only ([`loopback_only`]): any other host counts as a failed
//! download without a connection attempt. Names are not resolved either,
//! except `localhost`, which maps to loopback without asking DNS; redirects
//! are checked the same way, and proxies from the environment are ignored.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Client, Url, redirect};

use super::robots::{PRODUCT, Robots};

/// The user agent Meta's crawler sends.
pub(crate) const USER_AGENT: &str =
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
/// robots.txt files larger than this are cut (RFC 9309 asks for ≥ 500 KiB).
const MAX_ROBOTS: usize = 512 * 1024;
const MAX_REDIRECTS: usize = 5;

/// Why a download failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FetchFailure {
    /// Not an absolute http(s) URL.
    InvalidUrl,
    /// The host is not loopback: nothing was attempted.
    NotLoopback(String),
    /// robots.txt disallows the path for Meta's crawler.
    Robots,
    /// The media host answered with a non-2xx status.
    Http(u16),
    /// No connection, or it broke.
    Connect(String),
    Timeout,
    /// Larger than the caller's limit.
    TooLarge,
}

impl FetchFailure {
    /// The cause as Meta words it in `error_user_msg`.
    pub(crate) fn cause(&self) -> String {
        match self {
            FetchFailure::InvalidUrl => "Invalid URI".into(),
            FetchFailure::NotLoopback(host) | FetchFailure::Connect(host) => {
                format!("Could not connect to {host}")
            }
            FetchFailure::Robots => "Restricted by robots.txt".into(),
            FetchFailure::Http(status) => format!("HTTP error code {status}"),
            FetchFailure::Timeout => "Timed out while downloading the media".into(),
            FetchFailure::TooLarge => "The media is too large".into(),
        }
    }
}

/// The one rule about where the crawler may connect: loopback addresses
/// (127.0.0.0/8, ::1) and the name `localhost`, over http(s). Everything
/// else is refused before any socket or DNS lookup is made.
pub(crate) fn loopback_only(url: &Url) -> Result<(), FetchFailure> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchFailure::InvalidUrl);
    }
    let Some(host) = url.host_str() else {
        return Err(FetchFailure::InvalidUrl);
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let allowed = match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    };
    if allowed {
        Ok(())
    } else {
        Err(FetchFailure::NotLoopback(host.to_owned()))
    }
}

/// Resolves `localhost` to loopback without DNS and refuses every other name
/// (a second guard behind [`loopback_only`]).
struct LoopbackResolver;

impl Resolve for LoopbackResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        Box::pin(async move {
            if host == "localhost" {
                let addrs = vec![
                    SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                    SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
                ];
                Ok(Box::new(addrs.into_iter()) as Addrs)
            } else {
                Err(
                    format!("the sandbox crawler resolves no name but localhost, not {host:?}")
                        .into(),
                )
            }
        })
    }
}

/// What a media download sniffed as (by content, not by extension or
/// Content-Type, like Meta's ingestion).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Mp4,
    QuickTime,
    Other,
}

impl MediaKind {
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            MediaKind::Jpeg
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            MediaKind::Png
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            MediaKind::Gif
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            MediaKind::Webp
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            if &bytes[8..12] == b"qt  " {
                MediaKind::QuickTime
            } else {
                MediaKind::Mp4
            }
        } else {
            MediaKind::Other
        }
    }

    pub(crate) fn is_image(self) -> bool {
        matches!(
            self,
            MediaKind::Jpeg | MediaKind::Png | MediaKind::Gif | MediaKind::Webp
        )
    }

    pub(crate) fn is_video(self) -> bool {
        matches!(self, MediaKind::Mp4 | MediaKind::QuickTime)
    }

    /// The name Meta uses in "media type … is unknown" texts.
    pub(crate) fn label(self) -> &'static str {
        match self {
            MediaKind::Jpeg => "image/jpeg",
            MediaKind::Png => "image/png",
            MediaKind::Gif => "image/gif",
            MediaKind::Webp => "image/webp",
            MediaKind::Mp4 => "video/mp4",
            MediaKind::QuickTime => "video/quicktime",
            MediaKind::Other => "unknown",
        }
    }
}

/// A successful download.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub kind: MediaKind,
}

/// The crawler; its HTTP client is built on first use.
pub(crate) struct Crawler {
    client: OnceLock<Option<Client>>,
}

impl Crawler {
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
                    } else if loopback_only(attempt.url()).is_err() {
                        attempt.error("redirect to a host the sandbox crawler may not reach")
                    } else {
                        attempt.follow()
                    }
                });
                Client::builder()
                    .user_agent(USER_AGENT)
                    .no_proxy()
                    .redirect(policy)
                    .dns_resolver(LoopbackResolver)
                    .build()
                    .map_err(|err| tracing::error!("sandbox crawler client: {err}"))
                    .ok()
            })
            .as_ref()
    }

    /// Downloads `raw` as Meta's crawler would, reading at most `max_bytes`.
    pub(crate) async fn fetch(
        &self,
        raw: &str,
        timeout: Duration,
        max_bytes: usize,
    ) -> Result<Fetched, FetchFailure> {
        let url = Url::parse(raw.trim()).map_err(|_| FetchFailure::InvalidUrl)?;
        loopback_only(&url)?;
        let host = url.host_str().unwrap_or("").to_owned();
        let client = self
            .client()
            .ok_or_else(|| FetchFailure::Connect(host.clone()))?;
        let work = async {
            self.check_robots(client, &url, &host).await?;
            download(client, &url, &host, max_bytes).await
        };
        tokio::time::timeout(timeout, work)
            .await
            .unwrap_or(Err(FetchFailure::Timeout))
    }

    async fn check_robots(
        &self,
        client: &Client,
        url: &Url,
        host: &str,
    ) -> Result<(), FetchFailure> {
        let robots_url = url
            .join("/robots.txt")
            .map_err(|_| FetchFailure::InvalidUrl)?;
        let mut response = client
            .get(robots_url)
            .send()
            .await
            .map_err(|err| request_failure(&err, host))?;
        let status = response.status();
        if status.is_client_error() {
            // No robots.txt (or not for us to read): everything is allowed.
            return Ok(());
        }
        if !status.is_success() {
            // RFC 9309: an unreachable robots.txt (5xx) means complete disallow.
            return Err(FetchFailure::Robots);
        }
        let mut text = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| request_failure(&err, host))?
        {
            text.extend_from_slice(&chunk);
            if text.len() >= MAX_ROBOTS {
                text.truncate(MAX_ROBOTS);
                break;
            }
        }
        let robots = Robots::parse(&String::from_utf8_lossy(&text));
        let mut path = url.path().to_owned();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        if robots.allowed(PRODUCT, &path) {
            Ok(())
        } else {
            Err(FetchFailure::Robots)
        }
    }
}

async fn download(
    client: &Client,
    url: &Url,
    host: &str,
    max_bytes: usize,
) -> Result<Fetched, FetchFailure> {
    let mut response = client
        .get(url.clone())
        .header("accept", "*/*")
        .send()
        .await
        .map_err(|err| request_failure(&err, host))?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchFailure::Http(status.as_u16()));
    }
    // Only the head is needed to tell the type; the rest is counted.
    let mut head = Vec::new();
    let mut size = 0usize;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| request_failure(&err, host))?
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
        kind: MediaKind::sniff(&head),
    })
}

fn request_failure(err: &reqwest::Error, host: &str) -> FetchFailure {
    if err.is_timeout() {
        FetchFailure::Timeout
    } else if err.is_redirect() {
        FetchFailure::NotLoopback(
            err.url()
                .and_then(|u| u.host_str())
                .unwrap_or(host)
                .to_owned(),
        )
    } else {
        FetchFailure::Connect(host.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), FetchFailure> {
        loopback_only(&Url::parse(url).map_err(|_| FetchFailure::InvalidUrl)?)
    }

    #[test]
    fn only_loopback_is_reachable() {
        assert_eq!(check("http://127.0.0.1:8080/a.jpg"), Ok(()));
        assert_eq!(check("http://127.10.0.3/a.jpg"), Ok(()));
        assert_eq!(check("http://[::1]:9/a.jpg"), Ok(()));
        assert_eq!(check("https://localhost/a.jpg"), Ok(()));
        assert_eq!(check("http://LOCALHOST./a.jpg"), Ok(()));
        for outside in [
            "http://example.com/a.jpg",
            "http://10.0.0.1/a.jpg",
            "http://192.168.1.10/a.jpg",
            "http://0.0.0.0:80/a.jpg",
            "http://[::ffff:127.0.0.1]/a.jpg",
            "http://[2001:db8::1]/a.jpg",
            "http://localhost.example.com/a.jpg",
            "http://127.0.0.1.nip.io/a.jpg",
        ] {
            assert!(
                matches!(check(outside), Err(FetchFailure::NotLoopback(_))),
                "{outside}"
            );
        }
        assert_eq!(
            check("ftp://127.0.0.1/a.jpg"),
            Err(FetchFailure::InvalidUrl)
        );
        assert_eq!(check("file:///etc/passwd"), Err(FetchFailure::InvalidUrl));
    }

    #[test]
    fn sniffs_media() {
        assert_eq!(MediaKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), MediaKind::Jpeg);
        assert_eq!(
            MediaKind::sniff(b"\0\0\0\x18ftypisom\0\0\x02\0"),
            MediaKind::Mp4
        );
        assert_eq!(
            MediaKind::sniff(b"\0\0\0\x14ftypqt  \0\0\0\0"),
            MediaKind::QuickTime
        );
        assert_eq!(MediaKind::sniff(b"<html>"), MediaKind::Other);
        assert!(!MediaKind::Other.is_image() && !MediaKind::Other.is_video());
    }
}
