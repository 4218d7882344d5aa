//! Deleting a post: cancel what was not sent, delete at each network what was published, and
//! remember per network what happened, so a failed delete can be sent again (docs/delivery.md).

use crate::{ByoKeys, Engine};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, Failure};
use crier_store::{DeliveryRecord, DeliveryState, Phase, PostRecord};
use serde_json::{Value, json};

/// What happened to one network's copy of a deleted post.
pub enum Removal {
    /// Deleted at the network (now or by an earlier request); carries the native id.
    Deleted(String),
    /// Never sent: cancelled in crier.
    Cancelled,
    /// Still being published (or confirmed): delete again once it has settled.
    InFlight,
    Failed(ErrorReport),
}

/// A delivery's stored delete state: `deleted`, `unsupported` (917: nothing more to do), `failed`.
fn removal_state(d: &DeliveryRecord) -> Option<&str> {
    d.removal.as_ref().and_then(|r| r.get("state")).and_then(Value::as_str)
}

impl Engine {
    /// Deletes `post`: unsent deliveries are cancelled (they will never run), published ones are
    /// deleted at their networks unless an earlier request already did. The post is `deleted`
    /// once no network holds it any more (or the network cannot delete: 917); until then it stays
    /// deletable. `byo`: X app keys sent with the delete request, needed to delete a post on X.
    pub async fn delete_post(&self, post: &PostRecord, byo: Option<&ByoKeys>) -> crier_store::Result<Vec<(Platform, Removal)>> {
        self.store.cancel_unsent(&post.id).await?;
        let Some(post) = self.store.post_by_id(&post.id).await? else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        let mut done = true;
        for d in &post.deliveries {
            let removal = match (d.state, removal_state(d)) {
                (DeliveryState::Cancelled, _) => Removal::Cancelled,
                (DeliveryState::Published, Some("deleted")) => Removal::Deleted(d.native_id.clone().unwrap_or_default()),
                (DeliveryState::Published, _) => {
                    let removal = self.delete_at_network(&post.profile_id, d, byo).await?;
                    done &= matches!(removal, Removal::Deleted(_))
                        || matches!(&removal, Removal::Failed(e) if e.code == Code::DeleteNotSupported.entry().code);
                    removal
                }
                (DeliveryState::Publishing | DeliveryState::Accepted, _) => {
                    done = false;
                    Removal::InFlight
                }
                // Failed or unknown: nothing crier could delete.
                _ => continue,
            };
            out.push((d.platform, removal));
        }
        if done {
            self.store.mark_post_deleted(&post.id).await?;
        }
        Ok(out)
    }

    /// One counted delete call; its outcome is stored on the delivery.
    async fn delete_at_network(&self, profile_id: &str, d: &DeliveryRecord, byo: Option<&ByoKeys>) -> crier_store::Result<Removal> {
        let platform = d.platform;
        let native_id = d.native_id.as_deref().unwrap_or("");
        let error = |code: Code| ErrorReport::for_platform(code, Action::Delete, platform).arg("network", platform.display_name());
        let mut d = d.clone();
        let attempts = d.calls.get(Phase::Delete) + 1;
        let removal = match self.store.credentials(profile_id, platform).await? {
            None => Removal::Failed(error(Code::NotLinked)),
            Some(mut credentials) => match self.networks.get(platform) {
                None => Removal::Failed(error(Code::DeleteNotSupported)),
                Some(network) => {
                    if let (Platform::Twitter, Some(keys)) = (platform, byo) {
                        credentials = keys.apply(&credentials);
                    }
                    let call = Call { http: &self.networks.http, credentials: &credentials };
                    d.calls.count(Phase::Delete);
                    match network.delete(&call, native_id).await {
                        Ok(()) => Removal::Deleted(native_id.to_string()),
                        Err(Failure::Rejected(mut e) | Failure::Transient { error: mut e, .. }) => {
                            e.action = Action::Delete;
                            Removal::Failed(e)
                        }
                        Err(Failure::Ambiguous { details }) => Removal::Failed(error(Code::NetworkUnavailable).details(details)),
                    }
                }
            },
        };
        let stored = match &removal {
            Removal::Deleted(id) => json!({"state": "deleted", "id": id, "attempts": attempts}),
            Removal::Failed(e) if e.code == Code::DeleteNotSupported.entry().code => json!({"state": "unsupported", "error": e, "attempts": attempts}),
            Removal::Failed(e) => json!({"state": "failed", "error": e, "attempts": attempts}),
            Removal::Cancelled | Removal::InFlight => return Ok(removal),
        };
        self.store.save_removal(&d, &stored).await?;
        Ok(removal)
    }
}
