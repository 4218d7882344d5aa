//! Deleting a post: cancel what was not sent, delete at the network what was published.

use crate::{ByoKeys, Engine};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, Failure};
use crier_store::{DeliveryState, PostRecord};

/// What happened to one network's copy of a deleted post.
pub enum Removal {
    /// Deleted at the network; carries the native id.
    Deleted(String),
    /// Never sent: cancelled in crier.
    Cancelled,
    Failed(ErrorReport),
}

impl Engine {
    /// Deletes `post`: unsent deliveries are cancelled (they will never run), published ones
    /// are deleted at their networks. Deliveries that failed have nothing to delete.
    /// `byo`: X app keys sent with the delete request, needed to delete a post on X.
    pub async fn delete_post(&self, post: &PostRecord, byo: Option<&ByoKeys>) -> crier_store::Result<Vec<(Platform, Removal)>> {
        self.store.mark_post_deleted(&post.id).await?;
        let mut out = Vec::new();
        for d in &post.deliveries {
            let removal = match d.state {
                DeliveryState::Queued | DeliveryState::Prepared => Removal::Cancelled,
                DeliveryState::Published => {
                    self.delete_at_network(&post.profile_id, d.platform, d.native_id.as_deref().unwrap_or(""), byo).await?
                }
                _ => continue,
            };
            out.push((d.platform, removal));
        }
        Ok(out)
    }

    async fn delete_at_network(&self, profile_id: &str, platform: Platform, native_id: &str, byo: Option<&ByoKeys>) -> crier_store::Result<Removal> {
        let error = |code: Code| ErrorReport::for_platform(code, Action::Delete, platform).arg("network", platform.display_name());
        let Some(mut credentials) = self.store.credentials(profile_id, platform).await? else {
            return Ok(Removal::Failed(error(Code::NotLinked)));
        };
        if let (Platform::Twitter, Some(keys)) = (platform, byo) {
            credentials = keys.apply(&credentials);
        }
        let Some(network) = self.networks.get(platform) else {
            return Ok(Removal::Failed(error(Code::DeleteNotSupported)));
        };
        let call = Call { http: &self.networks.http, credentials: &credentials };
        Ok(match network.delete(&call, native_id).await {
            Ok(()) => Removal::Deleted(native_id.to_string()),
            Err(Failure::Rejected(mut e) | Failure::Transient { error: mut e, .. }) => {
                e.action = Action::Delete;
                Removal::Failed(e)
            }
            Err(Failure::Ambiguous { details }) => {
                Removal::Failed(error(Code::NetworkUnavailable).details(details))
            }
        })
    }
}
