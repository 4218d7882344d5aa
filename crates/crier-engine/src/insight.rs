//! Reading back from the networks: post metrics, account metrics, the
//! account's own posts, and how much of a publishing cap is used.

use crate::{ByoKeys, Engine};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, HistoryPage, Network};
use serde_json::Value;
use std::sync::Arc;

/// What one network answered.
pub type NetworkAnswer<T> = Result<T, ErrorReport>;

impl Engine {
    /// The linked account's credentials (with X's app keys of this request) and the network's
    /// module, or the catalog error why not.
    async fn linked(&self, profile_id: &str, platform: Platform, action: Action, byo: Option<&ByoKeys>) -> crier_store::Result<Result<(Value, Arc<dyn Network>), ErrorReport>> {
        let error = |code: Code| ErrorReport::for_platform(code, action, platform).arg("network", platform.display_name());
        let mut credentials = match self.fresh_credentials(profile_id, platform, action).await? {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(Err(error(Code::NotLinked))),
            Err(crier_networks::Failure::Rejected(e) | crier_networks::Failure::Transient { error: e, .. }) => return Ok(Err(e)),
            Err(crier_networks::Failure::Ambiguous { details }) => return Ok(Err(error(Code::NetworkUnavailable).details(details))),
        };
        if let (Platform::Twitter, Some(keys)) = (platform, byo) {
            credentials = keys.apply(&credentials);
        }
        match self.networks.get(platform) {
            Some(n) => Ok(Ok((credentials, n.clone()))),
            None => Ok(Err(error(Code::NetworkRejected).details("crier has no connector for this network yet"))),
        }
    }

    /// Metrics of a published post on one network.
    pub async fn post_analytics(&self, profile_id: &str, platform: Platform, native_id: &str, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<Value>> {
        let (credentials, network) = match self.linked(profile_id, platform, Action::Analytics, byo).await? {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let call = Call { http: &self.networks.http, credentials: &credentials };
        Ok(network.post_analytics(&call, native_id).await)
    }

    /// Account-level metrics on one network.
    pub async fn account_analytics(&self, profile_id: &str, platform: Platform, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<Value>> {
        let (credentials, network) = match self.linked(profile_id, platform, Action::Analytics, byo).await? {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let call = Call { http: &self.networks.http, credentials: &credentials };
        Ok(network.account_analytics(&call).await)
    }

    /// The account's own posts at the network, newest first.
    pub async fn network_history(&self, profile_id: &str, platform: Platform, limit: usize, cursor: Option<&str>, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<HistoryPage>> {
        let (credentials, network) = match self.linked(profile_id, platform, Action::History, byo).await? {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let call = Call { http: &self.networks.http, credentials: &credentials };
        Ok(network.history(&call, limit, cursor).await)
    }

    /// `(used, limit)` of the publishing cap crier keeps for this linked account, if any.
    pub async fn cap_usage(&self, profile_id: &str, platform: Platform) -> crier_store::Result<Option<(i64, u32)>> {
        let Ok((credentials, network)) = self.linked(profile_id, platform, Action::Post, None).await? else { return Ok(None) };
        let Some(cap) = network.publish_cap(&credentials) else { return Ok(None) };
        let used = self.store.cap_used(&cap.key, cap.window.as_millis() as i64).await?;
        Ok(Some((used, cap.limit)))
    }
}
