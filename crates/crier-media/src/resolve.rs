//! Name resolution: the injectable [`Resolve`] trait, the system resolver,
//! and the guard that plugs into reqwest and refuses non-global addresses.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::BoxFuture;

use crate::ip::{is_loopback, non_global_reason};

/// Turns a host name into socket addresses. Injected into
/// [`crate::SafeFetcher::with_resolver`]; tests use fakes.
///
/// When called by the HTTP connector, `port` is 0: the connector sets the
/// URL's port on the returned addresses itself.
pub trait Resolve: Send + Sync + 'static {
    fn resolve(&self, host: &str, port: u16) -> BoxFuture<'static, io::Result<Vec<SocketAddr>>>;
}

/// The operating system's resolver, through `tokio::net::lookup_host`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, host: &str, port: u16) -> BoxFuture<'static, io::Result<Vec<SocketAddr>>> {
        let host = host.to_owned();
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host.as_str(), port))
                .await?
                .collect())
        })
    }
}

/// A resolver for machines that must not leave loopback (tests, the local
/// sandbox): `localhost` resolves to the loopback addresses, every other name
/// is refused without any DNS query being sent.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalOnlyResolver;

impl Resolve for LocalOnlyResolver {
    fn resolve(&self, host: &str, port: u16) -> BoxFuture<'static, io::Result<Vec<SocketAddr>>> {
        let answer = if host.eq_ignore_ascii_case("localhost") {
            Ok(vec![SocketAddr::from(([127, 0, 0, 1], port)), SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port))])
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, format!("{host} is not resolved: this crier only fetches media on this machine")))
        };
        Box::pin(async move { answer })
    }
}

/// Why the guard stopped a connection; travels inside reqwest's error
/// chain and is turned back into a [`crate::FetchError`].
#[derive(Debug)]
pub(crate) enum GuardError {
    Blocked {
        host: String,
        ip: IpAddr,
        reason: String,
    },
    Dns {
        host: String,
        reason: String,
    },
}

impl fmt::Display for GuardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GuardError::Blocked { host, ip, reason } => {
                write!(f, "{host} resolves to {ip}, which is {reason}")
            }
            GuardError::Dns { host, reason } => write!(f, "could not resolve {host}: {reason}"),
        }
    }
}

impl StdError for GuardError {}

/// Checks one address against the policy; `Err(reason)` when refused.
pub(crate) fn check_ip(ip: IpAddr, allow_loopback: bool) -> Result<(), String> {
    if allow_loopback && is_loopback(ip) {
        return Ok(());
    }
    match non_global_reason(ip) {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// The reqwest DNS hook: resolves with the injected resolver and refuses
/// the whole answer if ANY address is not allowed. reqwest then connects
/// only to the addresses returned here, so there is no second lookup for a
/// rebinding attack to race.
pub(crate) struct GuardedResolver {
    pub(crate) inner: Arc<dyn Resolve>,
    pub(crate) allow_loopback: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let lookup = self.inner.resolve(&host, 0);
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let addrs = lookup.await.map_err(|e| GuardError::Dns {
                host: host.clone(),
                reason: e.to_string(),
            })?;
            if addrs.is_empty() {
                return Err(GuardError::Dns {
                    host,
                    reason: "no addresses".to_owned(),
                }
                .into());
            }
            for addr in &addrs {
                if let Err(reason) = check_ip(addr.ip(), allow_loopback) {
                    tracing::warn!(%host, ip = %addr.ip(), %reason, "media fetch refused by the SSRF guard");
                    return Err(GuardError::Blocked {
                        host,
                        ip: addr.ip(),
                        reason,
                    }
                    .into());
                }
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Finds a [`GuardError`] in an error's source chain.
pub(crate) fn find_guard_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a GuardError> {
    let mut current: Option<&'a (dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(g) = e.downcast_ref::<GuardError>() {
            return Some(g);
        }
        current = e.source();
    }
    None
}
