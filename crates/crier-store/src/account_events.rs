//! Durable account events (`linked`, `refreshed`, `refresh_failed`, `unlinked`), written in the
//! same commit as the change they describe, for webhooks to deliver later.

use crate::{Result, Store, random_token};
use crier_core::Platform;
use serde_json::Value;
use sqlx::Row;

/// One stored event. `details` is JSON without secrets.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountEvent {
    pub id: String,
    pub profile_id: String,
    pub platform: String,
    pub kind: String,
    pub details: Value,
    pub created_ms: i64,
    pub delivered_ms: Option<i64>,
}

/// Event ids sort like the events: creation time, then a per-process counter (two events of one
/// millisecond keep their order), then randomness (unique across nodes).
fn event_id(now_ms: i64) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, Ordering::Relaxed) % 1_000_000_000;
    format!("{:013}{seq:09}{}", now_ms.max(0), random_token(8))
}

impl Store {
    pub(crate) async fn insert_event(&self, conn: &mut sqlx::AnyConnection, profile_id: &str, platform: Platform, kind: &str, details: &Value) -> Result<()> {
        let now = self.now_ms();
        sqlx::query("INSERT INTO account_events (id, profile_id, platform, kind, details, created_ms) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(event_id(now))
            .bind(profile_id)
            .bind(platform.as_str())
            .bind(kind)
            .bind(details.to_string())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        // The `social` webhook event, in the same transaction (webhook_outbox.rs).
        crate::webhook_outbox::account_event(conn, profile_id, platform, kind, details, now).await
    }

    /// Records an event on its own (e.g. `unlinked`, after the row is gone).
    pub async fn record_account_event(&self, profile_id: &str, platform: Platform, kind: &str, details: &Value) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        self.insert_event(&mut conn, profile_id, platform, kind, details).await
    }

    /// A profile's events, oldest first.
    pub async fn account_events(&self, profile_id: &str) -> Result<Vec<AccountEvent>> {
        let rows = sqlx::query(
            "SELECT id, profile_id, platform, kind, details, created_ms, delivered_ms FROM account_events \
             WHERE profile_id = $1 ORDER BY created_ms, id",
        )
        .bind(profile_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let details: Option<String> = r.try_get("details")?;
                Ok(AccountEvent {
                    id: r.try_get("id")?,
                    profile_id: r.try_get("profile_id")?,
                    platform: r.try_get("platform")?,
                    kind: r.try_get("kind")?,
                    details: details.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or(Value::Null),
                    created_ms: r.try_get("created_ms")?,
                    delivered_ms: r.try_get("delivered_ms")?,
                })
            })
            .collect()
    }
}
