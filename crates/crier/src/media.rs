//! Media bytes for networks that upload them (Bluesky), fetched through crier-media's SSRF guard.

use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport};
use crier_media::{FetchPolicy, SafeFetcher};
use crier_networks::{FetchedMedia, MediaSource};

pub struct Fetcher {
    inner: SafeFetcher,
}

impl Fetcher {
    /// `local_only`: never leave this machine — names other than `localhost` are not resolved and
    /// sockets are bound to the loopback interface (tests and the sandbox, where nothing real exists).
    pub fn new(allow_loopback: bool, max_bytes: usize, local_only: bool) -> Fetcher {
        let policy = FetchPolicy { allow_loopback, max_bytes, ..FetchPolicy::default() };
        let inner = if local_only {
            SafeFetcher::loopback_only(policy, std::sync::Arc::new(crier_media::LocalOnlyResolver))
        } else {
            SafeFetcher::new(policy)
        };
        Fetcher { inner }
    }
}

#[async_trait]
impl MediaSource for Fetcher {
    async fn fetch(&self, url: &str, max_bytes: usize) -> Result<FetchedMedia, ErrorReport> {
        match self.inner.fetch(url, max_bytes).await {
            Ok(f) => Ok(FetchedMedia { bytes: f.bytes, mime: f.kind.mime() }),
            Err(e) => Err(ErrorReport::new(Code::ImageDownload, Action::Post).details(format!("{url}: {e}"))),
        }
    }
}
