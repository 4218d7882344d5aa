//! Reading back from the networks: post metrics, account metrics, the
//! account's own posts, and how much of a publishing cap is used. A read the network refuses
//! as expired is tried once more after one refresh (tokens.rs), as posting does.

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

    /// After the network refused `used` as expired or revoked: the credentials to try once more
    /// with (refreshed through tokens.rs, the path posting takes, with this request's X keys),
    /// or the error to report (the network's own, or the relink code when the grant is dead).
    async fn after_refusal(&self, profile_id: &str, platform: Platform, action: Action, used: &Value, refused: ErrorReport, byo: Option<&ByoKeys>) -> crier_store::Result<Result<Value, ErrorReport>> {
        if !crate::tokens::is_token_failure(platform, &refused) {
            return Ok(Err(refused));
        }
        Ok(match self.after_token_failure(profile_id, platform, action, used, &refused).await? {
            Ok(fresh) => Ok(match (platform, byo) {
                (Platform::Twitter, Some(keys)) => keys.apply(&fresh),
                _ => fresh,
            }),
            Err(crier_networks::Failure::Rejected(e) | crier_networks::Failure::Transient { error: e, .. }) => Err(e),
            Err(crier_networks::Failure::Ambiguous { details }) => Err(ErrorReport::for_platform(Code::NetworkUnavailable, action, platform).arg("network", platform.display_name()).details(details)),
        })
    }

    /// One read at the network with the linked account; a refusal as expired or revoked is
    /// refreshed once (tokens.rs) and the same read made once more.
    async fn read<T, F, Fut>(&self, profile_id: &str, platform: Platform, action: Action, byo: Option<&ByoKeys>, read: F) -> crier_store::Result<NetworkAnswer<T>>
    where
        F: Fn(Arc<dyn Network>, reqwest::Client, Value) -> Fut,
        Fut: Future<Output = NetworkAnswer<T>>,
    {
        let (credentials, network) = match self.linked(profile_id, platform, action, byo).await? {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let refused = match read(network.clone(), self.networks.http.clone(), credentials.clone()).await {
            Err(e) => e,
            answer => return Ok(answer),
        };
        let fresh = match self.after_refusal(profile_id, platform, action, &credentials, refused, byo).await? {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        Ok(read(network, self.networks.http.clone(), fresh).await)
    }

    /// Metrics of a published post on one network.
    pub async fn post_analytics(&self, profile_id: &str, platform: Platform, native_id: &str, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<Value>> {
        self.read(profile_id, platform, Action::Analytics, byo, |network, http, credentials| async move {
            network.post_analytics(&Call { http: &http, credentials: &credentials }, native_id).await
        })
        .await
    }

    /// Account-level metrics on one network.
    pub async fn account_analytics(&self, profile_id: &str, platform: Platform, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<Value>> {
        self.read(profile_id, platform, Action::Analytics, byo, |network, http, credentials| async move {
            network.account_analytics(&Call { http: &http, credentials: &credentials }).await
        })
        .await
    }

    /// The account's own posts at the network, newest first.
    pub async fn network_history(&self, profile_id: &str, platform: Platform, limit: usize, cursor: Option<&str>, byo: Option<&ByoKeys>) -> crier_store::Result<NetworkAnswer<HistoryPage>> {
        self.read(profile_id, platform, Action::History, byo, |network, http, credentials| async move {
            network.history(&Call { http: &http, credentials: &credentials }, limit, cursor).await
        })
        .await
    }

    /// `(used, limit)` of the publishing cap crier keeps for this linked account, if any.
    pub async fn cap_usage(&self, profile_id: &str, platform: Platform) -> crier_store::Result<Option<(i64, u32)>> {
        let Ok((credentials, network)) = self.linked(profile_id, platform, Action::Post, None).await? else { return Ok(None) };
        let Some(cap) = network.publish_cap(&credentials) else { return Ok(None) };
        let used = self.store.cap_used(&cap.key, cap.window.as_millis() as i64).await?;
        Ok(Some((used, cap.limit)))
    }
}
