//! Posts their owner holds back (ayrshare-api.md §8): `awaiting approval` until approved, and
//! `paused` until unpaused. A held post has no jobs at all — the workers cannot pick up what
//! does not exist, on any node — and releasing it creates them in the same transaction as the
//! status change.

use crate::{PostStatus, Result, Store};

/// What a hold request found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldChange {
    /// Done: the post has its new status.
    Changed,
    /// Nothing to do: it already was in the asked state.
    Unchanged,
    /// The post is not in a state that allows it (sent, being sent, deleted, not held…).
    Refused,
}

impl Store {
    /// Releases a held post (`from` = awaiting approval or paused): its queued deliveries get
    /// jobs due at its date, or now when the date has passed (or it had none).
    pub async fn release_hold(&self, post_id: &str, from: PostStatus) -> Result<HoldChange> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let row: Option<(String, Option<i64>)> = sqlx::query_as("SELECT status, schedule_ms FROM posts WHERE id = $1").bind(post_id).fetch_optional(&mut *tx).await?;
        let Some((status, schedule_ms)) = row else {
            tx.rollback().await?;
            return Ok(HoldChange::Refused);
        };
        if PostStatus::parse(&status) != Some(from) {
            tx.rollback().await?;
            return Ok(HoldChange::Refused);
        }
        let run_at = schedule_ms.unwrap_or(now).max(now);
        // A scheduled post stays `pending` until a worker takes it (at once when its date passed).
        let next = if schedule_ms.is_some() { PostStatus::Pending } else { PostStatus::Processing };
        let r = sqlx::query("UPDATE posts SET status = $2, updated_ms = $3 WHERE id = $1 AND status = $4")
            .bind(post_id)
            .bind(next.as_str())
            .bind(now)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(HoldChange::Refused);
        }
        sqlx::query(
            "INSERT INTO jobs (delivery_id, run_at_ms) SELECT id, $2 FROM deliveries \
             WHERE post_id = $1 AND state = 'queued' AND id NOT IN (SELECT delivery_id FROM jobs)",
        )
        .bind(post_id)
        .bind(run_at)
        .execute(&mut *tx)
        .await?;
        self.announce_jobs(&mut tx).await?;
        tx.commit().await?;
        Ok(HoldChange::Changed)
    }

    /// Pauses a scheduled post that has not started: its jobs are removed. Refused when any of
    /// its deliveries left the queue or a worker holds one of its jobs (it is being sent).
    pub async fn pause_post(&self, post_id: &str) -> Result<HoldChange> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM posts WHERE id = $1").bind(post_id).fetch_optional(&mut *tx).await?;
        match status.as_deref().and_then(PostStatus::parse) {
            Some(PostStatus::Paused) => {
                tx.rollback().await?;
                return Ok(HoldChange::Unchanged);
            }
            Some(PostStatus::Pending) => {}
            _ => {
                tx.rollback().await?;
                return Ok(HoldChange::Refused);
            }
        }
        // Deleting only jobs nobody leased: a leased one is running, and stays.
        sqlx::query("DELETE FROM jobs WHERE lease_owner IS NULL AND delivery_id IN (SELECT id FROM deliveries WHERE post_id = $1 AND state = 'queued')")
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deliveries d WHERE d.post_id = $1 AND (d.state NOT IN ('queued', 'failed', 'cancelled') \
             OR EXISTS (SELECT 1 FROM jobs j WHERE j.delivery_id = d.id))",
        )
        .bind(post_id)
        .fetch_one(&mut *tx)
        .await?;
        if busy > 0 {
            tx.rollback().await?;
            return Ok(HoldChange::Refused);
        }
        sqlx::query("UPDATE posts SET status = 'paused', updated_ms = $2 WHERE id = $1 AND status = 'pending'").bind(post_id).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(HoldChange::Changed)
    }
}
