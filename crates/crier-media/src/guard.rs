//! [`OutboundGuard`]: the media fetcher's SSRF guard for crier's other outbound requests (webhook
//! deliveries): the same URL checks, the same resolver hook refusing non-global addresses, no
//! proxy, no redirects followed. Registration checks a URL with [`OutboundGuard::check`]; every
//! delivery goes through [`OutboundGuard::client`], whose resolver checks each answer again (a DNS
//! answer that changed to a private address is refused at delivery).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use url::{Host, Url};

use crate::error::FetchError;
use crate::ip::is_loopback;
use crate::resolve::{GuardError, GuardedResolver, Resolve, check_ip, find_guard_error};
use crate::target;

#[derive(Clone)]
pub struct OutboundGuard {
    resolver: Arc<dyn Resolve>,
    /// Loopback addresses (and plain `http://` to them) allowed: tests and the local sandbox only.
    allow_loopback: bool,
    /// Sockets bound to the loopback interface (never leave this machine).
    loopback_only: bool,
}

impl std::fmt::Debug for OutboundGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboundGuard").field("allow_loopback", &self.allow_loopback).field("loopback_only", &self.loopback_only).finish()
    }
}

impl OutboundGuard {
    pub fn new(resolver: Arc<dyn Resolve>, allow_loopback: bool, loopback_only: bool) -> Self {
        OutboundGuard { resolver, allow_loopback, loopback_only }
    }

    /// `https` (plain `http` only to a loopback host when loopback is allowed), no user info, and
    /// every address the host resolves to global. Resolves the name (once).
    pub async fn check(&self, raw: &str) -> Result<Url, FetchError> {
        let url = target::parse_and_check(raw, self.allow_loopback)?;
        let host = url.host_str().unwrap_or_default().trim_matches(|c| c == '[' || c == ']').to_owned();
        let addrs: Vec<IpAddr> = match url.host() {
            Some(Host::Domain(name)) => self
                .resolver
                .resolve(name, 0)
                .await
                .map_err(|e| FetchError::Dns { host: host.clone(), reason: e.to_string() })?
                .into_iter()
                .map(|a| a.ip())
                .collect(),
            Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
            Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
            None => Vec::new(),
        };
        if addrs.is_empty() {
            return Err(FetchError::Dns { host, reason: "no addresses".into() });
        }
        for ip in &addrs {
            check_ip(*ip, self.allow_loopback).map_err(|reason| FetchError::BlockedAddress { ip: *ip, reason, host: Some(host.clone()) })?;
        }
        if url.scheme() != "https" && !(self.allow_loopback && addrs.iter().all(|ip| is_loopback(*ip))) {
            return Err(FetchError::BadScheme { scheme: format!("{} (https is required)", url.scheme()) });
        }
        Ok(url)
    }

    /// A client whose every connection is checked by the guard; redirects are never followed.
    pub fn client(&self, timeout: std::time::Duration, user_agent: &str) -> Result<reqwest::Client, String> {
        let guard = GuardedResolver { inner: self.resolver.clone(), allow_loopback: self.allow_loopback };
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .dns_resolver(guard)
            .timeout(timeout)
            .user_agent(user_agent);
        if self.loopback_only {
            builder = builder.local_address(IpAddr::V4(Ipv4Addr::LOCALHOST));
            #[cfg(target_os = "linux")]
            {
                builder = builder.interface("lo");
            }
        }
        builder.build().map_err(|e| e.to_string())
    }

    /// The guard's refusal inside a request error, as text (`None`: not the guard's doing).
    pub fn refusal(err: &reqwest::Error) -> Option<String> {
        find_guard_error(err).map(|g| match g {
            GuardError::Blocked { host, ip, reason } => FetchError::BlockedAddress { ip: *ip, reason: reason.clone(), host: Some(host.clone()) }.to_string(),
            GuardError::Dns { host, reason } => FetchError::Dns { host: host.clone(), reason: reason.clone() }.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Answers loopback first, then a private address: a DNS answer that changes after registration.
    struct Rebinding(AtomicUsize);

    impl Resolve for Rebinding {
        fn resolve(&self, _host: &str, port: u16) -> crate::BoxFuture<'static, io::Result<Vec<SocketAddr>>> {
            let ip: IpAddr = if self.0.fetch_add(1, Ordering::SeqCst) == 0 { "127.0.0.1".parse().unwrap() } else { "10.0.0.7".parse().unwrap() };
            Box::pin(async move { Ok(vec![SocketAddr::new(ip, port)]) })
        }
    }

    #[tokio::test]
    async fn an_answer_that_turns_private_is_refused_when_sending() {
        let guard = OutboundGuard::new(Arc::new(Rebinding(AtomicUsize::new(0))), true, true);
        guard.check("http://hooks.example.test:9/h").await.expect("loopback allowed at registration");
        let again = guard.check("http://hooks.example.test:9/h").await.unwrap_err();
        assert!(again.to_string().contains("private"), "{again}");
        let client = guard.client(std::time::Duration::from_secs(2), "t").unwrap();
        let err = client.post("http://hooks.example.test:9/h").send().await.unwrap_err();
        let why = OutboundGuard::refusal(&err).expect("the guard refused the connection");
        assert!(why.contains("10.0.0.7"), "{why}");
    }

    #[tokio::test]
    async fn https_is_required_except_to_loopback_when_allowed() {
        let guard = OutboundGuard::new(Arc::new(crate::LocalOnlyResolver), false, true);
        assert!(guard.check("http://127.0.0.1:8080/h").await.is_err());
        let open = OutboundGuard::new(Arc::new(crate::LocalOnlyResolver), true, true);
        open.check("http://localhost:8080/h").await.expect("loopback http in test settings");
        assert!(open.check("http://example.com/h").await.is_err(), "not resolved on a local-only machine");
    }
}
