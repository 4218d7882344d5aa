//! Media bytes for the engine and for networks that upload them, fetched through crier-media's SSRF
//! guard — except crier's own staged files (`<public base>/media/<token>`), read from the staging
//! store directly: crier's own address is often private, and the guard would rightly refuse it.

use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport};
use crier_media::{FetchPolicy, HostsResolver, Resolve, SafeFetcher, Staging};
use crier_networks::{FetchedMedia, MediaSource};
use crier_store::Store;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

/// The SSRF-guarded fetcher of user URLs. `local_only`: never leave this machine — names other than
/// `localhost` are not resolved and sockets are bound to the loopback interface (tests and the
/// sandbox, where nothing real exists). `hosts`: names resolved from this table before DNS.
pub fn safe_fetcher(policy: FetchPolicy, local_only: bool, hosts: &BTreeMap<String, Vec<IpAddr>>) -> SafeFetcher {
    let dns: Arc<dyn Resolve> = if local_only { Arc::new(crier_media::LocalOnlyResolver) } else { Arc::new(crier_media::SystemResolver) };
    let resolver = Arc::new(HostsResolver::new(hosts.clone(), dns));
    if local_only { SafeFetcher::loopback_only(policy, resolver) } else { SafeFetcher::with_resolver(policy, resolver) }
}

pub struct Fetcher {
    inner: SafeFetcher,
    own: Option<OwnMedia>,
}

/// Where crier's own staged files live.
pub struct OwnMedia {
    pub store: Store,
    pub staging: Staging,
    pub public_base: String,
}

impl Fetcher {
    pub fn new(inner: SafeFetcher, own: Option<OwnMedia>) -> Fetcher {
        Fetcher { inner, own }
    }

    async fn own_file(&self, own: &OwnMedia, url: &str, token: &str, max_bytes: usize) -> Result<FetchedMedia, ErrorReport> {
        let failed = |why: String| ErrorReport::new(Code::ImageDownload, Action::Post).details(format!("{url}: {why}"));
        let object = match own.store.media_object(token).await {
            Ok(Some(o)) if o.expires_ms > crier_store::now_ms() => o,
            Ok(_) => return Err(failed("no such media, or it expired".into())),
            Err(e) => {
                // The database's text stays in the log: details are shown to callers.
                tracing::error!(error = %e, %token, "crier's own media could not be looked up");
                return Err(failed("crier's media store could not be read".into()));
            }
        };
        let bytes = own.staging.get(&object.object_key).await.map_err(|e| failed(e.to_string()))?;
        if bytes.len() > max_bytes {
            return Err(failed(format!("{} bytes, more than {max_bytes}", bytes.len())));
        }
        let mime = crier_media::sniff(&bytes).mime();
        Ok(FetchedMedia { bytes, mime })
    }
}

#[async_trait]
impl MediaSource for Fetcher {
    async fn fetch(&self, url: &str, max_bytes: usize) -> Result<FetchedMedia, ErrorReport> {
        if let Some(own) = &self.own
            && let Some(token) = url.strip_prefix(&format!("{}/media/", own.public_base.trim_end_matches('/')))
            && !token.is_empty()
            && token.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return self.own_file(own, url, token, max_bytes).await;
        }
        match self.inner.fetch(url, max_bytes).await {
            Ok(f) => Ok(FetchedMedia { bytes: f.bytes, mime: f.kind.mime() }),
            Err(e) => Err(ErrorReport::new(Code::ImageDownload, Action::Post).details(format!("{url}: {e}"))),
        }
    }
}
