//! `[webhooks]`: how crier delivers webhook events (crier-engine webhooks/). Env overrides use
//! `CRIER_WEBHOOKS__<KEY>`, e.g. `CRIER_WEBHOOKS__RETRY_SCHEDULE_SECS="[0.2, 0.2]"` (test runs
//! compress the schedule).

use crier_media::{HostsResolver, LocalOnlyResolver, OutboundGuard, Resolve, SystemResolver};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Seconds before each retry after a failed delivery; as many retries as entries, each with
    /// ±20 % jitter, a receiver's `Retry-After` honoured up to twice the delay. Default Svix's:
    /// `[5, 300, 1800, 7200, 18000, 36000, 36000]` (8 attempts over about 27.5 hours).
    pub retry_schedule_secs: Vec<f64>,
    /// Seconds a receiver has to answer with a 2xx. Default 10 (as Ayrshare).
    pub timeout_secs: f64,
    /// Seconds of failing deliveries (no 2xx in between) after which a registration is disabled,
    /// with the reason shown by `GET /api/hook/webhook`. Default 432000 (5 days, as Svix).
    pub disable_after_secs: f64,
    /// Deliveries this node sends at once. Default 8.
    pub concurrency: usize,
    /// Days delivered, failed and unreceived events and their attempts are kept
    /// (`GET /api/hook/deliveries`, replay). Default 30.
    pub retention_days: f64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        let d = crier_engine::WebhookSettings::default();
        WebhooksConfig {
            retry_schedule_secs: d.schedule.iter().map(Duration::as_secs_f64).collect(),
            timeout_secs: d.timeout.as_secs_f64(),
            disable_after_secs: d.disable_after.as_secs_f64(),
            concurrency: d.concurrency,
            retention_days: d.retention.as_secs_f64() / 86_400.0,
        }
    }
}

fn secs(v: f64) -> Duration {
    Duration::try_from_secs_f64(v.max(0.0)).unwrap_or(Duration::MAX)
}

impl WebhooksConfig {
    pub fn settings(&self) -> crier_engine::WebhookSettings {
        crier_engine::WebhookSettings {
            schedule: self.retry_schedule_secs.iter().copied().map(secs).collect(),
            timeout: secs(self.timeout_secs).max(Duration::from_millis(100)),
            disable_after: secs(self.disable_after_secs),
            concurrency: self.concurrency.max(1),
            retention: secs(self.retention_days * 86_400.0),
        }
    }

    /// The sender, behind the media fetcher's SSRF guard with the same resolver and loopback rules:
    /// `local_only` (tests, the sandbox) never leaves this machine; `hosts` is consulted before DNS.
    pub fn sender(&self, allow_loopback: bool, local_only: bool, hosts: &BTreeMap<String, Vec<IpAddr>>) -> Result<crier_engine::WebhookSender, String> {
        let dns: Arc<dyn Resolve> = if local_only { Arc::new(LocalOnlyResolver) } else { Arc::new(SystemResolver) };
        let resolver = Arc::new(HostsResolver::new(hosts.clone(), dns));
        crier_engine::WebhookSender::new(self.settings(), OutboundGuard::new(resolver, allow_loopback, local_only))
    }
}
