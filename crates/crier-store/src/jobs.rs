//! The durable job queue and the delivery state transitions the engine makes.
//! Every transition is committed before the next network call.

use crate::posts::{DELIVERY_COLUMNS, deliveries_in, delivery_from_row, derive_status};
use crate::{DeliveryRecord, DeliveryState, Dialect, PostStatus, Result, Store, StoreError};
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
pub enum CapReservation {
    /// The delivery holds a slot; `used` counts slots in the window including it.
    Held { used: i64 },
    /// The cap is reached; nothing was changed.
    Reached { used: i64, frees_in_ms: i64 },
}

/// The job queue at one instant, for metrics. The three counts are disjoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobCounts {
    /// Due and held by no live lease: waiting for a worker.
    pub due: i64,
    /// Held by a worker (of any node) whose lease has not run out.
    pub leased: i64,
    /// Not due yet (scheduled posts, backoffs, later confirmations).
    pub pending: i64,
    /// When the longest-waiting due job became due.
    pub oldest_due_ms: Option<i64>,
}

/// How a delivery ended.
pub enum Settlement<'a> {
    Published { native_id: &'a str, url: Option<&'a str>, extras: Option<&'a Value> },
    Failed(&'a ErrorReport),
    Unknown(&'a ErrorReport),
}

/// Leases due jobs to `$1` until `$2` (now `$3`, at most `$4`), soonest first.
pub const CLAIM_SQLITE_SQL: &str = "UPDATE jobs SET lease_owner = $1, lease_until_ms = $2 WHERE delivery_id IN ( \
       SELECT delivery_id FROM jobs WHERE run_at_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
       AND (affinity IS NULL OR affinity = $1 OR affinity_until_ms < $3) \
       ORDER BY run_at_ms, delivery_id LIMIT $4) RETURNING delivery_id";
/// The same on PostgreSQL, where several nodes claim at once: rows another node is claiming are
/// skipped, not waited for.
pub const CLAIM_POSTGRES_SQL: &str = "UPDATE jobs SET lease_owner = $1, lease_until_ms = $2 WHERE delivery_id IN ( \
       SELECT delivery_id FROM jobs WHERE run_at_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
       AND (affinity IS NULL OR affinity = $1 OR affinity_until_ms < $3) \
       ORDER BY run_at_ms, delivery_id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING delivery_id";

/// The earliest run time of a job nobody leased and no node pinned.
pub const NEXT_FREE_SQL: &str = "SELECT run_at_ms FROM jobs WHERE lease_until_ms IS NULL AND affinity IS NULL ORDER BY run_at_ms LIMIT 1";
/// When a leased or pinned job may next be taken by `$1`: its run time, the end of another
/// node's pin, or the end of its lease, whichever governs.
pub const NEXT_HELD_SQL: &str = "SELECT MIN(CASE \
       WHEN affinity IS NOT NULL AND affinity <> $1 AND affinity_until_ms > run_at_ms THEN affinity_until_ms \
       WHEN lease_until_ms IS NULL OR lease_until_ms < run_at_ms THEN run_at_ms \
       ELSE lease_until_ms END) FROM jobs WHERE lease_until_ms IS NOT NULL OR affinity IS NOT NULL";

impl Store {
    /// Leases up to `limit` due jobs to `owner`. A job whose lease expired is due again.
    pub async fn claim_due(&self, owner: &str, lease_ms: i64, limit: i64) -> Result<Vec<ClaimedJob>> {
        let now = self.now_ms();
        // On PostgreSQL several nodes claim at once: rows another node is claiming are skipped, not waited for.
        let sql = match self.dialect {
            Dialect::Sqlite => CLAIM_SQLITE_SQL,
            Dialect::Postgres => CLAIM_POSTGRES_SQL,
        };
        let rows = sqlx::query(sql).bind(owner).bind(now + lease_ms).bind(now).bind(limit).fetch_all(&self.write).await?;
        rows.iter().map(|r| Ok(ClaimedJob { delivery_id: r.try_get("delivery_id")? })).collect()
    }

    /// Jobs due now that nobody holds (ignoring node pins), soonest first. For drivers that pick
    /// the order themselves (the engine's deterministic simulation).
    pub async fn due_job_ids(&self) -> Result<Vec<String>> {
        let now = self.now_ms();
        let ids = sqlx::query_scalar(
            "SELECT delivery_id FROM jobs WHERE run_at_ms <= $1 AND (lease_until_ms IS NULL OR lease_until_ms < $1) ORDER BY run_at_ms, delivery_id",
        )
        .bind(now)
        .fetch_all(&self.read)
        .await?;
        Ok(ids)
    }

    /// Counts the queue's jobs by what they wait for (sampled when metrics are scraped).
    pub async fn job_counts(&self) -> Result<JobCounts> {
        let row = sqlx::query(
            "SELECT \
               COUNT(CASE WHEN lease_until_ms >= $1 THEN 1 END) AS leased, \
               COUNT(CASE WHEN (lease_until_ms IS NULL OR lease_until_ms < $1) AND run_at_ms <= $1 THEN 1 END) AS due, \
               COUNT(CASE WHEN (lease_until_ms IS NULL OR lease_until_ms < $1) AND run_at_ms > $1 THEN 1 END) AS pending, \
               MIN(CASE WHEN (lease_until_ms IS NULL OR lease_until_ms < $1) AND run_at_ms <= $1 THEN run_at_ms END) AS oldest_due \
             FROM jobs",
        )
        .bind(self.now_ms())
        .fetch_one(&self.read)
        .await?;
        Ok(JobCounts { due: row.try_get("due")?, leased: row.try_get("leased")?, pending: row.try_get("pending")?, oldest_due_ms: row.try_get("oldest_due")? })
    }

    /// Leases one due job to `owner`. False when it is not due or another holds it.
    pub async fn claim_job(&self, delivery_id: &str, owner: &str, lease_ms: i64) -> Result<bool> {
        let now = self.now_ms();
        let r = sqlx::query(
            "UPDATE jobs SET lease_owner = $2, lease_until_ms = $3 WHERE delivery_id = $1 AND run_at_ms <= $4 \
             AND (lease_until_ms IS NULL OR lease_until_ms < $4)",
        )
        .bind(delivery_id)
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Keeps a running job's lease alive. False when the lease is no longer ours.
    pub async fn extend_lease(&self, delivery_id: &str, owner: &str, lease_ms: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE jobs SET lease_until_ms = $3 WHERE delivery_id = $1 AND lease_owner = $2")
            .bind(delivery_id)
            .bind(owner)
            .bind(self.now_ms() + lease_ms)
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
        // Free jobs (no lease, no pin) are due at their run time: the first entry of their
        // partial index (0016). The few leased or pinned ones are read through the other one.
        let free: Option<i64> = sqlx::query_scalar(NEXT_FREE_SQL).fetch_optional(&self.read).await?;
        let held: Option<i64> = sqlx::query_scalar(NEXT_HELD_SQL).bind(owner).fetch_one(&self.read).await?;
        Ok(match (free, held) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
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
            .bind(self.now_ms())
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records finished preparation. False if the delivery moved on meanwhile (e.g. cancelled).
    pub async fn save_prepared(&self, d: &DeliveryRecord, step: &Value) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE deliveries SET state = 'prepared', step = $2, calls = $3, failures = $4, updated_ms = $5 \
             WHERE id = $1 AND state IN ('queued', 'prepared')",
        )
        .bind(&d.id)
        .bind(step.to_string())
        .bind(d.calls.to_json())
        .bind(d.failures)
        .bind(self.now_ms())
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Takes one slot of a rolling-window cap for the delivery before its first network call; a
    /// delivery that already holds one keeps it. The slot is given back only when the delivery
    /// settles as certainly not published (failed or cancelled).
    pub async fn reserve_cap(&self, delivery_id: &str, cap: &Cap) -> Result<CapReservation> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
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
        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_ledger WHERE delivery_id = $1")
            .bind(delivery_id)
            .fetch_one(&mut *tx)
            .await?;
        if held > 0 {
            tx.rollback().await?;
            return Ok(CapReservation::Held { used });
        }
        if used >= cap.limit {
            let oldest: Option<i64> = row.try_get("oldest")?;
            tx.rollback().await?;
            let frees_in_ms = oldest.map(|o| (o + cap.window_ms - now).max(0)).unwrap_or(0);
            return Ok(CapReservation::Reached { used, frees_in_ms });
        }
        sqlx::query("INSERT INTO rate_ledger (ledger_key, at_ms, delivery_id) VALUES ($1, $2, $3)")
            .bind(&cap.key)
            .bind(now)
            .bind(delivery_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CapReservation::Held { used: used + 1 })
    }

    /// Marks the delivery `publishing` and in doubt — the point after which the network may have
    /// the post — recording when this attempt began. False: cancelled (post deleted) or moved on.
    pub async fn begin_publish(&self, d: &DeliveryRecord) -> Result<bool> {
        let now = self.now_ms();
        let r = sqlx::query(
            "UPDATE deliveries SET state = 'publishing', attempts = attempts + 1, in_doubt = 1, publish_started_ms = $2, \
             calls = $3, failures = $4, updated_ms = $2 \
             WHERE id = $1 AND state IN ('queued', 'prepared') \
             AND EXISTS (SELECT 1 FROM posts WHERE posts.id = deliveries.post_id AND posts.status <> 'deleted')",
        )
        .bind(&d.id)
        .bind(now)
        .bind(d.calls.to_json())
        .bind(d.failures)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Slots used in the rolling window of `key`.
    pub async fn cap_used(&self, key: &str, window_ms: i64) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_ledger WHERE ledger_key = $1 AND at_ms > $2")
            .bind(key)
            .bind(self.now_ms() - window_ms)
            .fetch_one(&self.read)
            .await?;
        Ok(n)
    }

    /// Whether the delivery holds a slot of a cap crier enforces.
    pub async fn holds_cap_slot(&self, delivery_id: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_ledger WHERE delivery_id = $1")
            .bind(delivery_id)
            .fetch_one(&self.read)
            .await?;
        Ok(n > 0)
    }

    /// Records the network's answer to a publish before anything else is asked (the confirmation):
    /// a crash from here on resumes by confirming, never by looking up or sending again. The state
    /// stays `publishing` (with the native id) until the confirmation says live or still processing.
    pub async fn record_acceptance(&self, d: &DeliveryRecord, accepted: Settlement<'_>) -> Result<()> {
        let mut tx = self.write.begin().await?;
        self.write_answer(&mut tx, d, accepted, DeliveryState::Publishing).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that the network accepted the publish but is still processing it; the job runs again
    /// at `run_at_ms` to ask (never to send). Also used to push the next check back.
    pub async fn accept(&self, d: &DeliveryRecord, accepted: Settlement<'_>, run_at_ms: i64) -> Result<()> {
        let mut tx = self.write.begin().await?;
        self.write_answer(&mut tx, d, accepted, DeliveryState::Accepted).await?;
        self.release_job(tx, &d.id, run_at_ms).await
    }

    /// The network's answer to a publish (its id, URL, extras): no longer in doubt, in `state`.
    async fn write_answer(&self, conn: &mut sqlx::AnyConnection, d: &DeliveryRecord, accepted: Settlement<'_>, state: DeliveryState) -> Result<()> {
        let Settlement::Published { native_id, url, extras } = accepted else {
            return Err(StoreError::Corrupt("a publish answer carries the network's id".into()));
        };
        sqlx::query(
            "UPDATE deliveries SET state = $2, native_id = $3, post_url = $4, extras = $5, in_doubt = 0, calls = $6, updated_ms = $7 \
             WHERE id = $1 AND state IN ('publishing', 'accepted')",
        )
        .bind(&d.id)
        .bind(state.as_str())
        .bind(native_id)
        .bind(url)
        .bind(extras.map(Value::to_string))
        .bind(d.calls.to_json())
        .bind(self.now_ms())
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Frees the delivery's job (no lease) to run again at `run_at_ms`, announces it, and commits `tx`.
    pub(crate) async fn release_job(&self, mut tx: sqlx::Transaction<'_, sqlx::Any>, id: &str, run_at_ms: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET run_at_ms = $2, lease_owner = NULL, lease_until_ms = NULL WHERE delivery_id = $1")
            .bind(id)
            .bind(run_at_ms)
            .execute(&mut *tx)
            .await?;
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the delivery's progress (state, failures, calls, doubt, last error) and runs its job
    /// again at `run_at_ms`: another attempt (`queued`, `prepared`) or another look (`publishing`).
    /// A delivery settled meanwhile (cancelled) is left as it is.
    pub async fn requeue(&self, d: &DeliveryRecord, state: DeliveryState, run_at_ms: i64, last_error: Option<&ErrorReport>) -> Result<()> {
        debug_assert!(matches!(state, DeliveryState::Queued | DeliveryState::Prepared | DeliveryState::Publishing));
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE deliveries SET state = $2, error = $3, failures = $4, calls = $5, in_doubt = $6, updated_ms = $7, \
             publish_started_ms = COALESCE(publish_started_ms, $8) \
             WHERE id = $1 AND state NOT IN ('published', 'failed', 'unknown', 'cancelled')",
        )
        .bind(&d.id)
        .bind(state.as_str())
        .bind(last_error.map(|e| serde_json::to_string(e).unwrap_or_default()))
        .bind(d.failures)
        .bind(d.calls.to_json())
        .bind(d.in_doubt as i64)
        .bind(self.now_ms())
        .bind(d.publish_started_ms)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(());
        }
        self.release_job(tx, &d.id, run_at_ms).await
    }

    /// Settles a delivery, drops its job and updates the post's status, atomically. Returns the post id.
    /// A delivery that ends certainly unpublished (failed) gives its cap slot back.
    pub async fn settle(&self, d: &DeliveryRecord, how: Settlement<'_>) -> Result<String> {
        let now = self.now_ms();
        let (state, native_id, url, extras, error) = match how {
            Settlement::Published { native_id, url, extras } => {
                (DeliveryState::Published, Some(native_id.to_string()), url.map(str::to_string), extras.map(Value::to_string), None)
            }
            Settlement::Failed(e) => (DeliveryState::Failed, None, None, None, Some(e)),
            Settlement::Unknown(e) => (DeliveryState::Unknown, None, None, None, Some(e)),
        };
        if state == DeliveryState::Failed && d.in_doubt {
            return Err(StoreError::Conflict("a delivery in doubt cannot settle as failed"));
        }
        let in_doubt = state == DeliveryState::Unknown && d.in_doubt;
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE deliveries SET state = $2, native_id = $3, post_url = $4, extras = $5, error = $6, failures = $7, calls = $8, \
             in_doubt = $9, updated_ms = $10 WHERE id = $1 AND state NOT IN ('published', 'failed', 'unknown', 'cancelled')",
        )
        .bind(&d.id)
        .bind(state.as_str())
        .bind(native_id)
        .bind(url)
        .bind(extras)
        .bind(error.map(|e| serde_json::to_string(e).unwrap_or_default()))
        .bind(d.failures)
        .bind(d.calls.to_json())
        .bind(in_doubt as i64)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 1 && state == DeliveryState::Failed {
            sqlx::query("DELETE FROM rate_ledger WHERE delivery_id = $1").bind(&d.id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM jobs WHERE delivery_id = $1").bind(&d.id).execute(&mut *tx).await?;
        let post_id = d.post_id.clone();
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
        // Webhook outbox, in this transaction (webhook_outbox.rs): TikTok's late publication, the post's outcome.
        if let (1, Settlement::Published { native_id, url, .. }) = (r.rows_affected(), &how)
            && crate::webhook_outbox::is_late_confirmation(d)
        {
            crate::webhook_outbox::tiktok_published(&mut tx, d, native_id, *url, now).await?;
        }
        if crate::webhook_outbox::finishes(current, status) {
            crate::webhook_outbox::post_settled(&mut tx, &post_id, status, &deliveries, now).await?;
        }
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
            .bind(self.now_ms())
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
