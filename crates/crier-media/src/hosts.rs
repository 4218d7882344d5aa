//! A hosts table in front of another resolver (crier's `media.hosts` setting): listed names resolve
//! to the listed addresses, which the guard then checks like any DNS answer. Deployments can pin a
//! CDN name; tests point names at private addresses and prove the guard refuses them before any
//! connection, without a DNS query.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::BoxFuture;
use crate::resolve::Resolve;

pub struct HostsResolver {
    table: HashMap<String, Vec<IpAddr>>,
    inner: Arc<dyn Resolve>,
}

impl HostsResolver {
    /// Names are matched case-insensitively.
    pub fn new(table: impl IntoIterator<Item = (String, Vec<IpAddr>)>, inner: Arc<dyn Resolve>) -> Self {
        let table = table.into_iter().map(|(name, ips)| (name.to_ascii_lowercase(), ips)).collect();
        HostsResolver { table, inner }
    }
}

impl Resolve for HostsResolver {
    fn resolve(&self, host: &str, port: u16) -> BoxFuture<'static, io::Result<Vec<SocketAddr>>> {
        match self.table.get(&host.to_ascii_lowercase()) {
            Some(ips) => {
                let addrs = ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect();
                Box::pin(async move { Ok(addrs) })
            }
            None => self.inner.resolve(host, port),
        }
    }
}
