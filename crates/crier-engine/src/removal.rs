//! Deleting a post, durably: cancel what was not sent, and give each network that published it a
//! delete job the workers run under the retry policy (docs/delivery.md). The post is `deleted`
//! only once no network holds it; until then it stays deletable.

use crate::{ByoKeys, Engine};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::{Call, Failure};
use crier_store::{DeliveryRecord, DeliveryState, Phase, PostRecord};
use serde_json::{Value, json};
use std::time::Duration;

/// What happened to one network's copy of a deleted post.
pub enum Removal {
    /// Deleted at the network (now or by an earlier request); carries the native id.
    Deleted(String),
    /// Never sent: cancelled in crier.
    Cancelled,
    /// Still being published, or its delete is still being retried: ask again later.
    InFlight,
    Failed(ErrorReport),
}

impl Engine {
    /// Deletes `post`: unsent deliveries are cancelled (they will never run); each published copy
    /// not deleted yet gets a delete job. Waits up to `wait` for the jobs, then reports each
    /// network. `byo`: X app keys sent with the delete request, needed to delete a post on X.
    pub async fn delete_post(&self, post: &PostRecord, byo: Option<&ByoKeys>, wait: Duration) -> crier_store::Result<Vec<(Platform, Removal)>> {
        let affinity = self.affinity_from(self.store.now_ms());
        if let Some(keys) = byo {
            self.remember_byo(&post.id, keys.clone());
        }
        let pin = byo.map(|_| (Platform::Twitter, &affinity));
        self.store.request_removal(&post.id, pin).await?;
        self.wake();
        let requested = |p: &PostRecord| p.deliveries.iter().any(|d| d.state == DeliveryState::Published && d.removal_state() == Some("requested"));
        let post = match self.wait_until(&post.id, wait, |p| !requested(p)).await? {
            Some(p) => p,
            None => return Ok(Vec::new()),
        };
        let removals = post.deliveries.iter().filter_map(|d| {
            let removal = match (d.state, d.removal_state()) {
                (DeliveryState::Cancelled, _) => Removal::Cancelled,
                (DeliveryState::Published, Some("deleted")) => Removal::Deleted(d.native_id.clone().unwrap_or_default()),
                (DeliveryState::Published, Some("failed" | "unsupported")) => Removal::Failed(stored_error(d)),
                (DeliveryState::Published | DeliveryState::Publishing | DeliveryState::Accepted, _) => Removal::InFlight,
                // Failed or unknown: nothing crier could delete.
                _ => return None,
            };
            Some((d.platform, removal))
        });
        Ok(removals.collect())
    }

    /// Runs one delete job: one counted call; a transient failure is tried again under the
    /// policy (from when the delete was requested), anything else ends the job.
    pub(crate) async fn run_removal(&self, d: &mut DeliveryRecord, post: &PostRecord) -> crier_store::Result<()> {
        let platform = d.platform;
        let error = |code: Code| ErrorReport::for_platform(code, Action::Delete, platform).arg("network", platform.display_name());
        let requested_ms = d.removal.as_ref().and_then(|r| r.get("requestedMs")).and_then(Value::as_i64).unwrap_or(post.created_ms);
        let outcome = match (self.fresh_credentials(&post.profile_id, platform, Action::Delete).await?, self.networks.get(platform).cloned()) {
            (Err(f), _) => Err(f),
            (Ok(None), _) => Err(Failure::Rejected(error(Code::NotLinked))),
            (_, None) => Err(Failure::Rejected(error(Code::DeleteNotSupported))),
            (Ok(Some(mut credentials)), Some(network)) => {
                if platform == Platform::Twitter
                    && let Some(keys) = self.byo_for(&post.id)
                {
                    credentials = keys.apply(&credentials);
                }
                d.calls.count(Phase::Delete);
                let native_id = d.native_id.clone().unwrap_or_default();
                let call = Call { http: &self.networks.http, credentials: &credentials };
                match crate::telemetry::timed(platform, Phase::Delete, network.delete(&call, &native_id)).await {
                    // The token expired: refreshed once (tokens.rs, as posting does), deleted once more.
                    Err(Failure::Rejected(e)) if crate::tokens::is_token_failure(platform, &e) => {
                        match self.after_token_failure(&post.profile_id, platform, Action::Delete, &credentials, &e).await? {
                            Ok(mut fresh) => {
                                if platform == Platform::Twitter
                                    && let Some(keys) = self.byo_for(&post.id)
                                {
                                    fresh = keys.apply(&fresh);
                                }
                                d.calls.count(Phase::Delete);
                                let call = Call { http: &self.networks.http, credentials: &fresh };
                                crate::telemetry::timed(platform, Phase::Delete, network.delete(&call, &native_id)).await
                            }
                            Err(f) => Err(f),
                        }
                    }
                    other => other,
                }
            }
        };
        let attempts = d.calls.get(Phase::Delete);
        let (stored, again_at) = match outcome {
            Ok(()) => (json!({"state": "deleted", "attempts": attempts}), None),
            Err(Failure::Rejected(mut e)) => {
                e.action = Action::Delete;
                let state = if e.code == Code::DeleteNotSupported.entry().code { "unsupported" } else { "failed" };
                (json!({"state": state, "error": e, "attempts": attempts}), None)
            }
            // Deleting twice is harmless (a gone post answers "not found", taken as deleted).
            Err(Failure::Transient { error: mut e, retry_after: hint }) => {
                e.action = Action::Delete;
                self.removal_retry(d, e, hint, requested_ms, attempts)
            }
            Err(Failure::Ambiguous { details }) => self.removal_retry(d, error(Code::NetworkUnavailable).details(details), None, requested_ms, attempts),
        };
        self.store.save_removal(d, &stored, again_at).await?;
        let state = stored.get("state").and_then(|s| s.as_str()).unwrap_or("");
        tracing::info!(state, attempts, "removal step done");
        if again_at.is_none() && platform == Platform::Twitter {
            self.forget_byo(&post.id);
        }
        let _ = self.settled.send(post.id.clone());
        Ok(())
    }

    fn removal_retry(&self, d: &mut DeliveryRecord, e: ErrorReport, hint: Option<Duration>, requested_ms: i64, attempts: i64) -> (Value, Option<i64>) {
        d.failures += 1;
        match self.next_delay(d.failures, requested_ms, hint) {
            Some(delay) => {
                crate::telemetry::retry(d.platform, "delete");
                let at = self.store.now_ms() + delay.as_millis() as i64;
                (json!({"state": "requested", "requestedMs": requested_ms, "error": e, "attempts": attempts}), Some(at))
            }
            None => (json!({"state": "failed", "error": e, "attempts": attempts}), None),
        }
    }
}

/// The error a removal ended with, as stored on the delivery.
fn stored_error(d: &DeliveryRecord) -> ErrorReport {
    d.removal
        .as_ref()
        .and_then(|r| r.get("error"))
        .and_then(|e| serde_json::from_value(e.clone()).ok())
        .unwrap_or_else(|| ErrorReport::for_platform(Code::Internal, Action::Delete, d.platform))
}
