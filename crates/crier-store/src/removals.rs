//! Deleting a post durably: cancel what was never sent, give each published copy a delete job,
//! and record each network's outcome (docs/delivery.md, "Delete").

use crate::posts::{DELIVERY_COLUMNS, deliveries_in, delivery_from_row, insert_job};
use crate::{Affinity, DeliveryRecord, DeliveryState, Dialect, Result, Store};
use crier_core::{Action, Code, ErrorReport, Platform};
use serde_json::Value;

impl Store {
    /// Deleting a post, durably: deliveries never sent are cancelled (918), their jobs removed
    /// and any cap slot given back; each published delivery whose copy is not yet deleted gets
    /// `removal = {"state": "requested"}` and a job, run by the workers under the retry policy
    /// (docs/delivery.md). `pin`: X deliveries wait a while for the node holding the request's keys.
    /// A delivery still at the network (`publishing`, `accepted`) is left to settle.
    pub async fn request_removal(&self, post_id: &str, pin: Option<(Platform, &Affinity)>) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let rows = sqlx::query(sql!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE post_id = $1"))
            .bind(post_id)
            .fetch_all(&mut *tx)
            .await?;
        for row in &rows {
            let d = delivery_from_row(row)?;
            match d.state {
                DeliveryState::Queued | DeliveryState::Prepared => {
                    let err = ErrorReport::for_platform(Code::Cancelled, Action::Post, d.platform).arg("network", d.platform.display_name());
                    sqlx::query("UPDATE deliveries SET state = 'cancelled', error = $2, updated_ms = $3 WHERE id = $1 AND state IN ('queued', 'prepared')")
                        .bind(&d.id)
                        .bind(serde_json::to_string(&err).unwrap_or_default())
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM jobs WHERE delivery_id = $1").bind(&d.id).execute(&mut *tx).await?;
                    // Never sent: a cap slot it took before its first call is free again.
                    sqlx::query("DELETE FROM rate_ledger WHERE delivery_id = $1").bind(&d.id).execute(&mut *tx).await?;
                }
                DeliveryState::Published => {
                    if matches!(d.removal_state(), Some("deleted" | "unsupported" | "requested")) {
                        continue;
                    }
                    let removal = serde_json::json!({"state": "requested", "requestedMs": now});
                    sqlx::query("UPDATE deliveries SET removal = $2, failures = 0, updated_ms = $3 WHERE id = $1")
                        .bind(&d.id)
                        .bind(removal.to_string())
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    insert_job(&mut tx, &d, now, pin).await?;
                }
                _ => {}
            }
        }
        // Nothing left at any network (all failed, unknown or cancelled): deleted at once.
        mark_deleted_if_nothing_held(&mut tx, post_id, now).await?;
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records what became of this network's copy of a deleted post, and the calls made.
    /// `again_at`: the removal is tried again then (its job stays); `None`: it is over (job removed),
    /// and the post becomes `deleted` once no network holds it any more.
    pub async fn save_removal(&self, d: &DeliveryRecord, removal: &Value, again_at: Option<i64>) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query("UPDATE deliveries SET removal = $2, calls = $3, failures = $4, updated_ms = $5 WHERE id = $1")
            .bind(&d.id)
            .bind(removal.to_string())
            .bind(d.calls.to_json())
            .bind(d.failures)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if let Some(at) = again_at {
            return self.release_job(tx, &d.id, at).await;
        }
        sqlx::query("DELETE FROM jobs WHERE delivery_id = $1").bind(&d.id).execute(&mut *tx).await?;
        if self.dialect == Dialect::Postgres {
            // Two networks' removals can end at once on different connections: without the post's
            // row lock each sees the other still held and neither marks the post deleted (as
            // `settle` does for publication).
            sqlx::query("SELECT id FROM posts WHERE id = $1 FOR UPDATE").bind(&d.post_id).fetch_one(&mut *tx).await?;
        }
        mark_deleted_if_nothing_held(&mut tx, &d.post_id, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The post becomes `deleted` once no network holds a copy crier could still delete.
async fn mark_deleted_if_nothing_held(tx: &mut sqlx::AnyConnection, post_id: &str, now: i64) -> Result<()> {
    let deliveries = deliveries_in(&mut *tx, post_id).await?;
    if deliveries.iter().all(DeliveryRecord::holds_nothing) {
        sqlx::query("UPDATE posts SET status = 'deleted', updated_ms = $2 WHERE id = $1")
            .bind(post_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
