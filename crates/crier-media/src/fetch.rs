//! [`SafeFetcher`]: downloads user-given media behind the SSRF guard.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use url::Url;

use crate::error::{FetchError, TimeoutKind};
use crate::policy::FetchPolicy;
use crate::resolve::{GuardError, GuardedResolver, Resolve, SystemResolver, find_guard_error};
use crate::sniff::{MediaKind, sniff};
use crate::target;

/// Bytes preallocated at most from a declared Content-Length.
const MAX_PREALLOC: usize = 1024 * 1024;

/// A downloaded body and what it really is.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// From the magic bytes, never from the URL or Content-Type.
    pub kind: MediaKind,
    /// The URL the body came from, after redirects.
    pub final_url: String,
}

/// Fetches media URLs without letting them reach crier's own network.
/// Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct SafeFetcher {
    policy: FetchPolicy,
    /// A build failure (TLS backend setup) is reported by `fetch` instead of
    /// panicking in the constructor.
    client: Result<reqwest::Client, String>,
}

impl SafeFetcher {
    /// A fetcher using the system resolver.
    pub fn new(policy: FetchPolicy) -> Self {
        Self::with_resolver(policy, Arc::new(SystemResolver))
    }

    /// A fetcher using `resolver` for host names (tests inject fakes).
    pub fn with_resolver(policy: FetchPolicy, resolver: Arc<dyn Resolve>) -> Self {
        Self::build(policy, resolver, false)
    }

    /// Like [`SafeFetcher::with_resolver`], and every socket is also bound
    /// to the loopback interface (`lo`, Linux) with source address
    /// 127.0.0.1 for IPv4, so that not even a bug in the guard could send
    /// a packet off this machine. For tests and the local sandbox; it only
    /// restricts, never widens, what the guard allows.
    pub fn loopback_only(policy: FetchPolicy, resolver: Arc<dyn Resolve>) -> Self {
        Self::build(policy, resolver, true)
    }

    fn build(policy: FetchPolicy, resolver: Arc<dyn Resolve>, loopback_only: bool) -> Self {
        let guard = GuardedResolver {
            inner: resolver,
            allow_loopback: policy.allow_loopback,
        };
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .dns_resolver(guard)
            .connect_timeout(policy.connect_timeout)
            .read_timeout(policy.read_timeout)
            .user_agent(concat!("crier-media/", env!("CARGO_PKG_VERSION")));
        if loopback_only {
            builder = builder.local_address(IpAddr::V4(Ipv4Addr::LOCALHOST));
            #[cfg(target_os = "linux")]
            {
                builder = builder.interface("lo");
            }
        }
        let client = builder.build().map_err(|e| error_chain(&e));
        Self { policy, client }
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Downloads `url`, following redirects, and sniffs the body. The body
    /// limit is the smaller of `max_bytes` and the policy's `max_bytes`.
    pub async fn fetch(&self, url: &str, max_bytes: usize) -> Result<Fetched, FetchError> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| FetchError::ClientInit(e.clone()))?;
        let limit = max_bytes.min(self.policy.max_bytes);
        let total = self.policy.total_timeout;
        match tokio::time::timeout(total, self.fetch_within(client, url, limit)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(TimeoutKind::Total(total))),
        }
    }

    async fn fetch_within(
        &self,
        client: &reqwest::Client,
        url: &str,
        limit: usize,
    ) -> Result<Fetched, FetchError> {
        let allow_loopback = self.policy.allow_loopback;
        let mut current = target::parse_and_check(url, allow_loopback)?;
        let mut redirects = 0;
        loop {
            let resp = client
                .get(current.clone())
                .send()
                .await
                .map_err(|e| self.map_error(&e, &current))?;
            let status = resp.status();
            if is_redirect(status) {
                if redirects >= self.policy.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        max: self.policy.max_redirects,
                    });
                }
                let next = redirect_target(&current, &resp)?;
                tracing::debug!(from = %current, to = %next, "following media redirect");
                current = target::check(next, allow_loopback)?;
                redirects += 1;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::HttpStatus {
                    status: status.as_u16(),
                });
            }
            let bytes = self.read_body(resp, &current, limit).await?;
            return Ok(Fetched {
                kind: sniff(&bytes),
                bytes,
                final_url: current.into(),
            });
        }
    }

    /// Reads the body: refused up front when Content-Length is over
    /// `limit`, aborted as soon as the streamed bytes pass it.
    async fn read_body(
        &self,
        mut resp: reqwest::Response,
        url: &Url,
        limit: usize,
    ) -> Result<Vec<u8>, FetchError> {
        let declared = resp.content_length();
        if let Some(length) = declared
            && length > limit as u64
        {
            return Err(FetchError::TooLargeDeclared { length, limit });
        }
        let prealloc = declared.map_or(0, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let mut bytes = Vec::with_capacity(prealloc.min(limit).min(MAX_PREALLOC));
        let read_timeout = self.policy.read_timeout;
        loop {
            let chunk = match tokio::time::timeout(read_timeout, resp.chunk()).await {
                Err(_) => return Err(FetchError::Timeout(TimeoutKind::Read(read_timeout))),
                Ok(Err(e)) => return Err(self.map_error(&e, url)),
                Ok(Ok(None)) => return Ok(bytes),
                Ok(Ok(Some(chunk))) => chunk,
            };
            if chunk.len() > limit - bytes.len() {
                return Err(FetchError::TooLargeStreamed { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
    }

    fn map_error(&self, err: &reqwest::Error, url: &Url) -> FetchError {
        if let Some(guard) = find_guard_error(err) {
            return match guard {
                GuardError::Blocked { host, ip, reason } => FetchError::BlockedAddress {
                    ip: *ip,
                    reason: reason.clone(),
                    host: Some(host.clone()),
                },
                GuardError::Dns { host, reason } => FetchError::Dns {
                    host: host.clone(),
                    reason: reason.clone(),
                },
            };
        }
        if err.is_timeout() {
            return FetchError::Timeout(if err.is_connect() {
                TimeoutKind::Connect(self.policy.connect_timeout)
            } else {
                TimeoutKind::Read(self.policy.read_timeout)
            });
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        let reason = error_chain(err);
        if err.is_connect() {
            FetchError::Connect { host, reason }
        } else {
            FetchError::Transport { host, reason }
        }
    }
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

fn redirect_target(current: &Url, resp: &reqwest::Response) -> Result<Url, FetchError> {
    let status = resp.status().as_u16();
    let raw = resp
        .headers()
        .get(LOCATION)
        .ok_or(FetchError::RedirectWithoutLocation { status })?;
    let location = raw.to_str().map_err(|_| FetchError::BadRedirectLocation {
        location: String::from_utf8_lossy(raw.as_bytes()).into_owned(),
        reason: "it is not plain ASCII".to_owned(),
    })?;
    current
        .join(location)
        .map_err(|e| FetchError::BadRedirectLocation {
            location: location.to_owned(),
            reason: e.to_string(),
        })
}

/// The messages of an error's sources, without the outermost one (which
/// for reqwest repeats the whole URL).
fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = err.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}
