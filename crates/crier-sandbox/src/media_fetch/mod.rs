//! Downloading media by URL, as the networks that pull media do (Meta's
//! crawler, Pinterest, Google Business Profile, TikTok's PULL_FROM_URL),
//! and sniffing what the bytes are ([`MediaFormat`]).
//!
//! The sandbox must never talk to the outside world, so every fetch is
//! loopback only ([`loopback_only`]): any other host fails without a
//! connection attempt. Names are not resolved either, except `localhost`,
//! which maps to loopback without asking DNS; redirects (for fetchers that
//! follow them) are checked the same way, and proxies from the environment
//! are ignored. Each network brings its own User-Agent, redirect rule, time
//! and size limits, and words the failures itself.

mod sniff;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Client, Url, redirect};

pub(crate) use sniff::MediaFormat;

/// Redirect hops a following fetcher takes before giving up.
const MAX_REDIRECTS: usize = 5;
/// Bytes kept from the start of a download: enough for every sniff.
const HEAD_BYTES: usize = 64;

/// Why a download failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FetchFailure {
    /// Not an absolute http(s) URL.
    InvalidUrl,
    /// The host is not loopback: nothing was attempted.
    NotLoopback(String),
    /// The host's robots.txt disallows the path (crawlers that read it).
    Robots,
    /// The host answered with a non-2xx status.
    Http(u16),
    /// No connection, or it broke: the host and the HTTP client's words.
    Connect {
        host: String,
        detail: String,
    },
    Timeout,
    /// Larger than the caller's limit.
    TooLarge,
}

impl FetchFailure {
    /// The cause in a sentence (Meta's wording in `error_user_msg`).
    pub(crate) fn cause(&self) -> String {
        match self {
            FetchFailure::InvalidUrl => "Invalid URI".into(),
            FetchFailure::NotLoopback(host) | FetchFailure::Connect { host, .. } => {
                format!("Could not connect to {host}")
            }
            FetchFailure::Robots => "Restricted by robots.txt".into(),
            FetchFailure::Http(status) => format!("HTTP error code {status}"),
            FetchFailure::Timeout => "Timed out while downloading the media".into(),
            FetchFailure::TooLarge => "The media is too large".into(),
        }
    }
}

/// A successful download: what it sniffed as and how many bytes it had.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub format: MediaFormat,
    pub size: usize,
}

/// The one rule about where a fetch may connect: loopback addresses
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

/// Parses `raw` and checks it against [`loopback_only`].
pub(crate) fn loopback_url(raw: &str) -> Result<Url, FetchFailure> {
    let url = Url::parse(raw.trim()).map_err(|_| FetchFailure::InvalidUrl)?;
    loopback_only(&url)?;
    Ok(url)
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
                    format!("the sandbox fetcher resolves no name but localhost, not {host:?}")
                        .into(),
                )
            }
        })
    }
}

/// One network's media fetcher; its HTTP client is built on first use, so
/// it can live in a `static`.
pub(crate) struct MediaFetcher {
    user_agent: &'static str,
    follow_redirects: bool,
    client: OnceLock<Option<Client>>,
}

impl MediaFetcher {
    /// `follow_redirects`: up to five hops, to loopback hosts only; without
    /// it a 3xx answer is a failed download ([`FetchFailure::Http`]).
    pub(crate) const fn new(user_agent: &'static str, follow_redirects: bool) -> Self {
        Self {
            user_agent,
            follow_redirects,
            client: OnceLock::new(),
        }
    }

    /// The client (`None` only if it could not be built; logged).
    pub(crate) fn client(&self) -> Option<&Client> {
        self.client
            .get_or_init(|| {
                let policy = if self.follow_redirects {
                    redirect::Policy::custom(|attempt| {
                        if attempt.previous().len() >= MAX_REDIRECTS {
                            attempt.error("too many redirects")
                        } else if loopback_only(attempt.url()).is_err() {
                            attempt.error("redirect to a host the sandbox may not reach")
                        } else {
                            attempt.follow()
                        }
                    })
                } else {
                    redirect::Policy::none()
                };
                Client::builder()
                    .user_agent(self.user_agent)
                    .no_proxy()
                    .redirect(policy)
                    .dns_resolver(LoopbackResolver)
                    .build()
                    .map_err(|err| tracing::error!("sandbox media fetcher client: {err}"))
                    .ok()
            })
            .as_ref()
    }

    /// Downloads `raw` (loopback only) within `timeout`, reading at most
    /// `max_bytes` (one more fails), and sniffs it.
    pub(crate) async fn fetch(
        &self,
        raw: &str,
        timeout: Duration,
        max_bytes: usize,
    ) -> Result<Fetched, FetchFailure> {
        let url = loopback_url(raw)?;
        let client = self.client().ok_or_else(|| no_client(&url))?;
        tokio::time::timeout(timeout, download(client, &url, max_bytes))
            .await
            .unwrap_or(Err(FetchFailure::Timeout))
    }
}

/// What a missing client counts as: no connection to the URL's host.
pub(crate) fn no_client(url: &Url) -> FetchFailure {
    FetchFailure::Connect {
        host: url.host_str().unwrap_or("").to_owned(),
        detail: "no HTTP client".into(),
    }
}

/// GETs `url` (already checked) and sniffs the body, counting its size
/// against `max_bytes`; only the head is kept.
pub(crate) async fn download(
    client: &Client,
    url: &Url,
    max_bytes: usize,
) -> Result<Fetched, FetchFailure> {
    let host = url.host_str().unwrap_or("");
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
        if head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
    }
    Ok(Fetched {
        format: MediaFormat::sniff(&head),
        size,
    })
}

/// A client error as a [`FetchFailure`]: a refused redirect names the host
/// it pointed at.
pub(crate) fn request_failure(err: &reqwest::Error, host: &str) -> FetchFailure {
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
        FetchFailure::Connect {
            host: host.to_owned(),
            detail: err.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_reachable() {
        for inside in [
            "http://127.0.0.1:8080/a.jpg",
            "http://127.10.0.3/a.jpg",
            "http://[::1]:9/a.jpg",
            "https://localhost/a.jpg",
            "http://LOCALHOST./a.jpg",
        ] {
            assert!(loopback_url(inside).is_ok(), "{inside}");
        }
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
                matches!(loopback_url(outside), Err(FetchFailure::NotLoopback(_))),
                "{outside}"
            );
        }
        for invalid in ["ftp://127.0.0.1/a.jpg", "file:///etc/passwd", "not a url"] {
            assert_eq!(
                loopback_url(invalid),
                Err(FetchFailure::InvalidUrl),
                "{invalid}"
            );
        }
    }

    #[tokio::test]
    async fn refuses_outside_hosts_without_connecting() {
        static FETCHER: MediaFetcher = MediaFetcher::new("test", false);
        let failure = FETCHER
            .fetch("http://example.com/a.jpg", Duration::from_secs(5), 10)
            .await
            .unwrap_err();
        assert_eq!(failure, FetchFailure::NotLoopback("example.com".into()));
        assert_eq!(failure.cause(), "Could not connect to example.com");
    }
}
