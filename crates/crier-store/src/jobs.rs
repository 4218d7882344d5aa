//! The durable job queue and the delivery state transitions the engine makes.
//! Every transition is committed before the next network call.

use crate::posts::{DELIVERY_COLUMNS, deliveries_in, delivery_from_row, derive_status};
use crate::{DeliveryRecord, DeliveryState, Dialect, PostStatus, Result, Store, StoreError, now_ms};
use crier_core::ErrorReport;
use serde_json::Value;
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct ClaimedJob {
    pub delivery_id: String,
}

/// A rolling-window publishing cap crier enforces itself (e.g. Instagram's 50 per 24 h).
#[derive(Clone, Debug)]
pub struct Cap {
    pub key: String,
    pub limit: i64,
    pub window_ms: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum PublishStart {
    /// The delivery is `publishing`; `used` counts slots in the window including this one.
    Started { used: Option<i64> },
    /// Cancelled, already moved on, or taken by another worker: send nothing.
    NotReady,
    /// The cap is reached; nothing was changed.
    CapReached { used: i64, frees_in_ms: i64 },
}

/// How a delivery ended.
pub enum Settlement<'a> {
    Published { native_id: &'a str, url: Option<&'a str>, extras: Option<&'a Value> },
    Failed(&'a ErrorReport),
    Unknown(&'a ErrorReport),
}

impl Store {
    /// Leases up to `limit` due jobs to `owner`. A job whose lease expired is due again.
    pub async fn claim_due(&self, owner: &str, lease_ms: i64, limit: i64) -> Result<Vec<ClaimedJob>> {
        let now = now_ms();
        // On PostgreSQL several nodes claim at once: rows another node is claiming are skipped, not waited for.
        let sql = match self.dialect {
            Dialect::Sqlite => {
                "UPDATE jobs SET lease_owner = $1, lease_until_ms = $2 WHERE delivery_id IN ( \
                   SELECT delivery_id FROM jobs WHERE run_at_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
                   AND (affinity IS NULL OR affinity = $1 OR affinity_until_ms < $3) \
                   ORDER BY run_at_ms LIMIT $4) RETURNING delivery_id"
            }
            Dialect::Postgres => {
                "UPDATE jobs SET lease_owner = $1, lease_until_ms = $2 WHERE delivery_id IN ( \
                   SELECT delivery_id FROM jobs WHERE run_at_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
                   AND (affinity IS NULL OR affinity = $1 OR affinity_until_ms < $3) \
                   ORDER BY run_at_ms LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING delivery_id"
            }
        };
        let rows = sqlx::query(sql).bind(owner).bind(now + lease_ms).bind(now).bind(limit).fetch_all(&self.write).await?;
        rows.iter().map(|r| Ok(ClaimedJob { delivery_id: r.try_get("delivery_id")? })).collect()
    }

    /// Keeps a running job's lease alive. False when the lease is no longer ours.
    pub async fn extend_lease(&self, delivery_id: &str, owner: &str, lease_ms: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE jobs SET lease_until_ms = $3 WHERE delivery_id = $1 AND lease_owner = $2")
            .bind(delivery_id)
            .bind(owner)
            .bind(now_ms() + lease_ms)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// At start on a single node, every lease belongs to a process that is gone.
    pub async fn release_all_leases(&self) -> Result<u64> {
        let r = sqlx::query("UPDATE jobs SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner IS NOT NULL")
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected())
    }

    /// When the next job this node may take becomes due (or its lease, or another node's pin, runs out).
    pub async fn next_wakeup_ms(&self, owner: &str) -> Result<Option<i64>> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(CASE \
               WHEN affinity IS NOT NULL AND affinity <> $1 AND affinity_until_ms > run_at_ms THEN affinity_until_ms \
               WHEN lease_until_ms IS NULL OR lease_until_ms < run_at_ms THEN run_at_ms \
               ELSE lease_until_ms END) FROM jobs",
        )
        .bind(owner)
        .fetch_one(&self.read)
        .await?;
        Ok(v)
    }

    pub async fn delivery(&self, id: &str) -> Result<Option<DeliveryRecord>> {
        let row = sqlx::query(sql!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.write)
            .await?;
        row.as_ref().map(delivery_from_row).transpose()
    }

    /// Records the media URLs and thumbnail this delivery sends when crier converted and staged
    /// them (`None`: the post's own). False if the delivery moved on meanwhile.
    pub async fn save_delivery_media(&self, id: &str, urls: Option<&[String]>, thumbnail: Option<&str>) -> Result<bool> {
        let r = sqlx::query("UPDATE deliveries SET media_urls = $2, thumbnail_url = $3, updated_ms = $4 WHERE id = $1 AND state = 'queued'")
            .bind(id)
            .bind(urls.map(|u| serde_json::to_string(u).unwrap_or_default()))
            .bind(thumbnail)
            .bind(now_ms())
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records finished preparation. False if the delivery moved on meanwhile (e.g. cancelled).
    pub async fn save_prepared(&self, id: &str, step: &Value) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE deliveries SET state = 'prepared', step = $2, updated_ms = $3 WHERE id = $1 AND state IN ('queued', 'prepared')",
        )
        .bind(id)
        .bind(step.to_string())
        .bind(now_ms())
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Marks the delivery `publishing` — the point after which the network may have the post —
    /// and, under a cap crier enforces itself, takes one slot of the rolling window, atomically.
    pub async fn begin_publish(&self, id: &str, cap: Option<&Cap>) -> Result<PublishStart> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE deliveries SET state = 'publishing', attempts = attempts + 1, updated_ms = $2 \
             WHERE id = $1 AND state IN ('queued', 'prepared') \
             AND EXISTS (SELECT 1 FROM posts WHERE posts.id = deliveries.post_id AND posts.status <> 'deleted')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(PublishStart::NotReady);
        }
        let Some(cap) = cap else {
            tx.commit().await?;
            return Ok(PublishStart::Started { used: None });
        };
        if self.dialect == Dialect::Postgres {
            // Serialise every node's count-then-take for this account until commit.
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(&cap.key).execute(&mut *tx).await?;
        }
        let since = now - cap.window_ms;
        let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at_ms) AS oldest FROM rate_ledger WHERE ledger_key = $1 AND at_ms > $2")
            .bind(&cap.key)
            .bind(since)
            .fetch_one(&mut *tx)
            .await?;
        let used: i64 = row.try_get("n")?;
        if used >= cap.limit {
            let oldest: Option<i64> = row.try_get("oldest")?;
            tx.rollback().await?;
            let frees_in_ms = oldest.map(|o| (o + cap.window_ms - now).max(0)).unwrap_or(0);
            return Ok(PublishStart::CapReached { used, frees_in_ms });
        }
        sqlx::query("INSERT INTO rate_ledger (ledger_key, at_ms, delivery_id) VALUES ($1, $2, $3)")
            .bind(&cap.key)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(PublishStart::Started { used: Some(used + 1) })
    }

    /// Gives back the slot a delivery took when the network certainly did not publish.
    pub async fn release_cap_slot(&self, delivery_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM rate_ledger WHERE delivery_id = $1").bind(delivery_id).execute(&self.write).await?;
        Ok(())
    }

    /// Slots used in the rolling window of `key`.
    pub async fn cap_used(&self, key: &str, window_ms: i64) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_ledger WHERE ledger_key = $1 AND at_ms > $2")
            .bind(key)
            .bind(now_ms() - window_ms)
            .fetch_one(&self.read)
            .await?;
        Ok(n)
    }

    /// Records that the network accepted the publish but is still processing it; the job runs again
    /// at `run_at_ms` to ask (never to send). Also used to push the next check back.
    pub async fn accept(&self, id: &str, accepted: Settlement<'_>, run_at_ms: i64) -> Result<()> {
        let Settlement::Published { native_id, url, extras } = accepted else {
            return Err(StoreError::Corrupt("accept takes the network's acceptance".into()));
        };
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE deliveries SET state = 'accepted', native_id = $2, post_url = $3, extras = $4, updated_ms = $5 \
             WHERE id = $1 AND state IN ('publishing', 'accepted')",
        )
        .bind(id)
        .bind(native_id)
        .bind(url)
        .bind(extras.map(Value::to_string))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        self.release_job(tx, id, run_at_ms).await
    }

    /// Frees the delivery's job (no lease) to run again at `run_at_ms`, announces it, and commits `tx`.
    async fn release_job(&self, mut tx: sqlx::Transaction<'_, sqlx::Any>, id: &str, run_at_ms: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET run_at_ms = $2, lease_owner = NULL, lease_until_ms = NULL WHERE delivery_id = $1")
            .bind(id)
            .bind(run_at_ms)
            .execute(&mut *tx)
            .await?;
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends the delivery back to the queue for another attempt at `run_at_ms`.
    pub async fn requeue(&self, id: &str, state: DeliveryState, run_at_ms: i64, last_error: Option<&ErrorReport>) -> Result<()> {
        debug_assert!(matches!(state, DeliveryState::Queued | DeliveryState::Prepared));
        let mut tx = self.write.begin().await?;
        sqlx::query("UPDATE deliveries SET state = $2, error = $3, updated_ms = $4 WHERE id = $1")
            .bind(id)
            .bind(state.as_str())
            .bind(last_error.map(|e| serde_json::to_string(e).unwrap_or_default()))
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        self.release_job(tx, id, run_at_ms).await
    }

    /// Settles a delivery, drops its job and updates the post's status, atomically. Returns the post id.
    pub async fn settle(&self, id: &str, how: Settlement<'_>) -> Result<String> {
        let now = now_ms();
        let (state, native_id, url, extras, error) = match how {
            Settlement::Published { native_id, url, extras } => {
                (DeliveryState::Published, Some(native_id.to_string()), url.map(str::to_string), extras.map(Value::to_string), None)
            }
            Settlement::Failed(e) => (DeliveryState::Failed, None, None, None, Some(e)),
            Settlement::Unknown(e) => (DeliveryState::Unknown, None, None, None, Some(e)),
        };
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE deliveries SET state = $2, native_id = $3, post_url = $4, extras = $5, error = $6, updated_ms = $7 WHERE id = $1",
        )
        .bind(id)
        .bind(state.as_str())
        .bind(native_id)
        .bind(url)
        .bind(extras)
        .bind(error.map(|e| serde_json::to_string(e).unwrap_or_default()))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM jobs WHERE delivery_id = $1").bind(id).execute(&mut *tx).await?;
        let post_id: String = sqlx::query_scalar("SELECT post_id FROM deliveries WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if self.dialect == Dialect::Postgres {
            // Deliveries of one post settle on different connections (and nodes): take the post's row
            // lock so the last one to settle sees all the others and derives the final status.
            sqlx::query("SELECT id FROM posts WHERE id = $1 FOR UPDATE").bind(&post_id).fetch_one(&mut *tx).await?;
        }
        let row = sqlx::query("SELECT status, schedule_ms FROM posts WHERE id = $1")
            .bind(&post_id)
            .fetch_one(&mut *tx)
            .await?;
        let current: String = row.try_get("status")?;
        let schedule_ms: Option<i64> = row.try_get("schedule_ms")?;
        let deliveries = deliveries_in(&mut tx, &post_id).await?;
        let current = PostStatus::parse(&current).ok_or_else(|| StoreError::Corrupt(current.clone()))?;
        let status = derive_status(current, &deliveries, now, schedule_ms);
        sqlx::query("UPDATE posts SET status = $2, updated_ms = $3 WHERE id = $1")
            .bind(&post_id)
            .bind(status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(post_id)
    }

    /// Marks a scheduled post `processing` once its time has come.
    pub async fn mark_processing(&self, post_id: &str) -> Result<()> {
        sqlx::query("UPDATE posts SET status = 'processing', updated_ms = $2 WHERE id = $1 AND status = 'pending'")
            .bind(post_id)
            .bind(now_ms())
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
