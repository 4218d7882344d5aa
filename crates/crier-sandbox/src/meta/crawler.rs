//! Meta's media crawler: every `image_url`, `video_url`, `url` and `file_url`
//! handed to the emulator is really fetched, as Meta does ("we cURL media"),
//! with Meta's user agent and after reading the host's `/robots.txt`.
//!
//! The download itself, its loopback-only rule and the sniffing are the
//! crate's shared [`crate::media_fetch`]; robots.txt is Meta's own layer.

use std::time::Duration;

use reqwest::{Client, Url};

use super::robots::{PRODUCT, Robots};
use crate::media_fetch::{
    FetchFailure, Fetched, MediaFetcher, download, loopback_url, no_client, request_failure,
};

/// The user agent Meta's crawler sends.
pub(crate) const USER_AGENT: &str =
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
/// robots.txt files larger than this are cut (RFC 9309 asks for ≥ 500 KiB).
const MAX_ROBOTS: usize = 512 * 1024;

/// The crawler; it follows redirects (to loopback hosts only).
pub(crate) struct Crawler {
    fetcher: MediaFetcher,
}

impl Crawler {
    pub(crate) fn new() -> Self {
        Self {
            fetcher: MediaFetcher::new(USER_AGENT, true),
        }
    }

    /// Downloads `raw` as Meta's crawler would, reading at most `max_bytes`;
    /// `timeout` covers robots.txt and the download.
    pub(crate) async fn fetch(
        &self,
        raw: &str,
        timeout: Duration,
        max_bytes: usize,
    ) -> Result<Fetched, FetchFailure> {
        let url = loopback_url(raw)?;
        let client = self.fetcher.client().ok_or_else(|| no_client(&url))?;
        let work = async {
            check_robots(client, &url).await?;
            download(client, &url, max_bytes).await
        };
        tokio::time::timeout(timeout, work)
            .await
            .unwrap_or(Err(FetchFailure::Timeout))
    }
}

async fn check_robots(client: &Client, url: &Url) -> Result<(), FetchFailure> {
    let host = url.host_str().unwrap_or("");
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
