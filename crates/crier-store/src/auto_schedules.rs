//! Auto-schedules per profile (`/auto-schedule`), and the slots the profile's posts hold.

use crate::{Result, Store, StoreError};
use serde_json::Value;
use sqlx::Row;

impl Store {
    /// Creates or replaces the profile's auto-schedule named `title`.
    pub async fn set_auto_schedule(&self, profile_id: &str, title: &str, schedule: &Value) -> Result<()> {
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM auto_schedules WHERE profile_id = $1 AND title = $2").bind(profile_id).bind(title).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO auto_schedules (profile_id, title, schedule, created_ms) VALUES ($1, $2, $3, $4)")
            .bind(profile_id)
            .bind(title)
            .bind(schedule.to_string())
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The profile's auto-schedules by title (each as stored).
    pub async fn auto_schedules(&self, profile_id: &str) -> Result<Vec<(String, Value)>> {
        let rows = sqlx::query("SELECT title, schedule FROM auto_schedules WHERE profile_id = $1 ORDER BY title").bind(profile_id).fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("schedule")?;
                Ok((r.try_get("title")?, serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?))
            })
            .collect()
    }

    /// Deletes one; false when the profile has none by that title.
    pub async fn delete_auto_schedule(&self, profile_id: &str, title: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM auto_schedules WHERE profile_id = $1 AND title = $2").bind(profile_id).bind(title).execute(&self.write).await?;
        Ok(r.rows_affected() > 0)
    }

    /// Dates (ms) at or after `from_ms` that the profile's posts not yet sent hold.
    pub async fn held_schedule_times(&self, profile_id: &str, from_ms: i64) -> Result<Vec<i64>> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT schedule_ms FROM posts WHERE profile_id = $1 AND schedule_ms >= $2 AND status IN ('pending', 'paused', 'awaiting approval')",
        )
        .bind(profile_id)
        .bind(from_ms)
        .fetch_all(&self.read)
        .await?;
        Ok(times)
    }
}
