//! Webhook registrations (Ayrshare's `POST/GET/DELETE /hook/webhook`) and the delivery side of the
//! outbox (webhook_outbox.rs): claiming due events with a lease (like jobs; `SKIP LOCKED` on
//! PostgreSQL so no event goes out from two nodes at once), recording every attempt, disabling a
//! registration that keeps failing, listing attempts and replaying an event.

use crate::{Dialect, Result, Store, StoreError, random_token};
use serde_json::Value;
use sqlx::Row;

/// One registration. `secret` and `signing_key` are decrypted (the row holds them encrypted).
#[derive(Clone, Debug)]
pub struct WebhookRegistration {
    pub profile_id: String,
    pub action: String,
    pub url: String,
    /// The caller's secret for Ayrshare's `X-Authorization-Content-SHA256`.
    pub secret: Option<String>,
    /// crier's Standard Webhooks key (32 random bytes; shown as `whsec_` + base64).
    pub signing_key: Vec<u8>,
    pub updated_ms: i64,
    pub failing_since_ms: Option<i64>,
    pub disabled_ms: Option<i64>,
    pub disabled_reason: Option<String>,
}

/// A claimed outbox event.
#[derive(Clone, Debug)]
pub struct WebhookEvent {
    pub id: String,
    pub profile_id: String,
    pub action: String,
    pub payload: Value,
    /// Attempts made before this one.
    pub attempts: i64,
    pub created_ms: i64,
}

/// One recorded attempt (`GET /hook/deliveries`).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookAttempt {
    pub id: String,
    pub event_id: String,
    pub action: String,
    pub url: Option<String>,
    pub at_ms: i64,
    /// `delivered` | `failed` (will be retried) | `exhausted` | `disabled` | `refused` (SSRF guard) …
    pub outcome: String,
    pub http_code: Option<i64>,
    pub latency_ms: Option<i64>,
    /// Already redacted by the caller.
    pub error: Option<String>,
    pub next_try_ms: Option<i64>,
}

/// What becomes of the event after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum EventNext {
    Delivered,
    Retry { at_ms: i64 },
    /// No more attempts (schedule exhausted, 410, registration disabled).
    Failed,
    /// No registration for the action (profile nor primary profile): nothing to send.
    Dropped,
}

/// What becomes of the registration after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum RegistrationNext {
    Unchanged,
    /// A 2xx: the failure streak ends.
    Healthy,
    /// A failure: the streak starts (if it had not).
    Failing,
    Disable { reason: String },
}

const REG_COLUMNS: &str = "profile_id, action, url, secret, signing_key, updated_ms, failing_since_ms, disabled_ms, disabled_reason";
const ATTEMPT_COLUMNS: &str = "id, event_id, action, url, at_ms, outcome, http_code, latency_ms, error, next_try_ms";

fn aad(profile_id: &str, action: &str, what: &str) -> String {
    format!("webhook:{profile_id}:{action}:{what}")
}

impl Store {
    fn registration_from_row(&self, r: &sqlx::any::AnyRow) -> Result<WebhookRegistration> {
        let (profile_id, action): (String, String) = (r.try_get("profile_id")?, r.try_get("action")?);
        let secret = match r.try_get::<Option<Vec<u8>>, _>("secret")? {
            Some(blob) => Some(String::from_utf8(self.cipher.decrypt(&blob, &aad(&profile_id, &action, "secret"))?).map_err(|_| StoreError::Decrypt)?),
            None => None,
        };
        let signing_key = self.cipher.decrypt(&r.try_get::<Vec<u8>, _>("signing_key")?, &aad(&profile_id, &action, "key"))?;
        Ok(WebhookRegistration {
            url: r.try_get("url")?,
            secret,
            signing_key,
            updated_ms: r.try_get("updated_ms")?,
            failing_since_ms: r.try_get("failing_since_ms")?,
            disabled_ms: r.try_get("disabled_ms")?,
            disabled_reason: r.try_get("disabled_reason")?,
            profile_id,
            action,
        })
    }

    /// Registers (or replaces) the profile's URL for `action`. A replaced registration keeps its
    /// signing key and is enabled again.
    pub async fn set_webhook(&self, profile_id: &str, action: &str, url: &str, secret: Option<&str>) -> Result<WebhookRegistration> {
        let now = self.now_ms();
        let mut key = [0u8; 32];
        {
            use rand::Rng;
            rand::rng().fill(&mut key);
        }
        let secret = secret.map(|s| self.cipher.encrypt(s.as_bytes(), &aad(profile_id, action, "secret")));
        let key = self.cipher.encrypt(&key, &aad(profile_id, action, "key"));
        sqlx::query(
            "INSERT INTO webhook_registrations (profile_id, action, url, secret, signing_key, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (profile_id, action) DO UPDATE SET url = $3, secret = $4, \
             updated_ms = $6, failing_since_ms = NULL, disabled_ms = NULL, disabled_reason = NULL",
        )
        .bind(profile_id)
        .bind(action)
        .bind(url)
        .bind(secret)
        .bind(key)
        .bind(now)
        .execute(&self.write)
        .await?;
        self.webhooks(profile_id).await?.into_iter().find(|r| r.action == action).ok_or(StoreError::Conflict("registration vanished"))
    }

    /// The profile's own registrations, by action.
    pub async fn webhooks(&self, profile_id: &str) -> Result<Vec<WebhookRegistration>> {
        let rows = sqlx::query(sql!("SELECT {REG_COLUMNS} FROM webhook_registrations WHERE profile_id = $1 ORDER BY action"))
            .bind(profile_id)
            .fetch_all(&self.write)
            .await?;
        rows.iter().map(|r| self.registration_from_row(r)).collect()
    }

    pub async fn delete_webhook(&self, profile_id: &str, action: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM webhook_registrations WHERE profile_id = $1 AND action = $2")
            .bind(profile_id)
            .bind(action)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Who receives `action` events of `profile_id`: its own registration, else its account's
    /// primary profile's (Ayrshare's scope rule).
    pub async fn webhook_target(&self, profile_id: &str, action: &str) -> Result<Option<WebhookRegistration>> {
        let row = sqlx::query(sql!(
            "SELECT {} FROM webhook_registrations r JOIN profiles p ON p.id = r.profile_id WHERE r.action = $2 AND \
             (r.profile_id = $1 OR (p.is_primary = 1 AND p.account_id = (SELECT account_id FROM profiles WHERE id = $1))) \
             ORDER BY CASE WHEN r.profile_id = $1 THEN 0 ELSE 1 END LIMIT 1",
            REG_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(profile_id)
        .bind(action)
        .fetch_optional(&self.write)
        .await?;
        row.as_ref().map(|r| self.registration_from_row(r)).transpose()
    }

    /// Leases up to `limit` due events to `owner` (an expired lease makes an event due again).
    pub async fn claim_webhook_events(&self, owner: &str, lease_ms: i64, limit: i64) -> Result<Vec<WebhookEvent>> {
        let now = self.now_ms();
        let lock = if self.dialect == Dialect::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let rows = sqlx::query(sql!(
            "UPDATE webhook_events SET lease_owner = $1, lease_until_ms = $2 WHERE id IN ( \
               SELECT id FROM webhook_events WHERE state = 'pending' AND run_at_ms <= $3 \
               AND (lease_until_ms IS NULL OR lease_until_ms < $3) ORDER BY run_at_ms, id LIMIT $4{lock}) \
             RETURNING id, profile_id, action, payload, attempts, created_ms"
        ))
        .bind(owner)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&self.write)
        .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                Ok(WebhookEvent {
                    id: r.try_get("id")?,
                    profile_id: r.try_get("profile_id")?,
                    action: r.try_get("action")?,
                    payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(format!("webhook payload: {e}")))?,
                    attempts: r.try_get("attempts")?,
                    created_ms: r.try_get("created_ms")?,
                })
            })
            .collect()
    }

    /// At start on a single node, every webhook lease belongs to a process that is gone.
    pub async fn release_webhook_leases(&self) -> Result<u64> {
        let r = sqlx::query("UPDATE webhook_events SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner IS NOT NULL")
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected())
    }

    /// Forgets settled events (delivered, failed, dropped) and attempts older than `before_ms`.
    pub async fn prune_webhook_history(&self, before_ms: i64) -> Result<u64> {
        let events = sqlx::query("DELETE FROM webhook_events WHERE state <> 'pending' AND updated_ms < $1").bind(before_ms).execute(&self.write).await?;
        let attempts = sqlx::query("DELETE FROM webhook_attempts WHERE at_ms < $1").bind(before_ms).execute(&self.write).await?;
        Ok(events.rows_affected() + attempts.rows_affected())
    }

    /// When the next pending event becomes due (or its lease runs out).
    pub async fn next_webhook_wakeup_ms(&self) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(CASE WHEN lease_until_ms IS NULL OR lease_until_ms < run_at_ms THEN run_at_ms ELSE lease_until_ms END) \
             FROM webhook_events WHERE state = 'pending'",
        )
        .fetch_one(&self.read)
        .await?)
    }

    /// Records an attempt (`None`: no attempt was made, e.g. dropped), moves the event on and updates
    /// the registration `reg` (profile, action), in one transaction, if `owner` still holds the lease.
    pub async fn finish_webhook_event(
        &self,
        event: &WebhookEvent,
        owner: &str,
        attempt: Option<&WebhookAttempt>,
        next: &EventNext,
        reg: Option<(&str, &str, &RegistrationNext)>,
    ) -> Result<bool> {
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let (state, run_at) = match next {
            EventNext::Delivered => ("delivered", None),
            EventNext::Retry { at_ms } => ("pending", Some(*at_ms)),
            EventNext::Failed => ("failed", None),
            EventNext::Dropped => ("dropped", None),
        };
        let made = attempt.is_some() as i64;
        let r = sqlx::query(
            "UPDATE webhook_events SET state = $3, run_at_ms = $4, attempts = attempts + $5, lease_owner = NULL, lease_until_ms = NULL, \
             updated_ms = $6 WHERE id = $1 AND lease_owner = $2",
        )
        .bind(&event.id)
        .bind(owner)
        .bind(state)
        .bind(run_at)
        .bind(made)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(a) = attempt {
            sqlx::query(sql!("INSERT INTO webhook_attempts ({ATTEMPT_COLUMNS}, profile_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"))
                .bind(&a.id)
                .bind(&a.event_id)
                .bind(&a.action)
                .bind(&a.url)
                .bind(a.at_ms)
                .bind(&a.outcome)
                .bind(a.http_code)
                .bind(a.latency_ms)
                .bind(&a.error)
                .bind(a.next_try_ms)
                .bind(&event.profile_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((profile_id, action, change)) = reg {
            match change {
                RegistrationNext::Unchanged => {}
                RegistrationNext::Healthy => {
                    sqlx::query("UPDATE webhook_registrations SET failing_since_ms = NULL WHERE profile_id = $1 AND action = $2")
                        .bind(profile_id)
                        .bind(action)
                        .execute(&mut *tx)
                        .await?;
                }
                RegistrationNext::Failing => {
                    sqlx::query("UPDATE webhook_registrations SET failing_since_ms = COALESCE(failing_since_ms, $3) WHERE profile_id = $1 AND action = $2")
                        .bind(profile_id)
                        .bind(action)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                RegistrationNext::Disable { reason } => {
                    sqlx::query(
                        "UPDATE webhook_registrations SET disabled_ms = $3, disabled_reason = $4 WHERE profile_id = $1 AND action = $2 AND disabled_ms IS NULL",
                    )
                    .bind(profile_id)
                    .bind(action)
                    .bind(now)
                    .bind(reason.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The latest attempts for events of the profile, newest first.
    pub async fn webhook_attempts(&self, profile_id: &str, limit: i64) -> Result<Vec<WebhookAttempt>> {
        let rows = sqlx::query(sql!("SELECT {ATTEMPT_COLUMNS} FROM webhook_attempts WHERE profile_id = $1 ORDER BY at_ms DESC, id DESC LIMIT $2"))
            .bind(profile_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(WebhookAttempt {
                    id: r.try_get("id")?,
                    event_id: r.try_get("event_id")?,
                    action: r.try_get("action")?,
                    url: r.try_get("url")?,
                    at_ms: r.try_get("at_ms")?,
                    outcome: r.try_get("outcome")?,
                    http_code: r.try_get("http_code")?,
                    latency_ms: r.try_get("latency_ms")?,
                    error: r.try_get("error")?,
                    next_try_ms: r.try_get("next_try_ms")?,
                })
            })
            .collect()
    }

    /// The state of one event of the profile (`pending`, `delivered`, …), for tests and replay.
    pub async fn webhook_event_state(&self, profile_id: &str, event_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT state FROM webhook_events WHERE id = $1 AND profile_id = $2")
            .bind(event_id)
            .bind(profile_id)
            .fetch_optional(&self.read)
            .await?)
    }

    /// Sends the profile's event again now, with the same `webhook-id`. False: no such event of the profile.
    pub async fn replay_webhook_event(&self, profile_id: &str, event_id: &str) -> Result<bool> {
        let now = self.now_ms();
        let r = sqlx::query(
            "UPDATE webhook_events SET state = 'pending', run_at_ms = $3, lease_owner = NULL, lease_until_ms = NULL, updated_ms = $3 \
             WHERE id = $1 AND profile_id = $2",
        )
        .bind(event_id)
        .bind(profile_id)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }
}

/// An attempt id (sortable by time within a process is not needed: rows sort by `at_ms`).
pub fn attempt_id() -> String {
    format!("att_{}", random_token(20))
}
