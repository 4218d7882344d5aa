//! The `state` of OAuth consents started on a linking page: single use, short-lived, bound to
//! one linking session and one network. PKCE verifier and page token are stored encrypted.

use crate::{Result, Store, StoreError, hash_secret, random_token};
use crier_core::Platform;
use serde_json::{Value, json};
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct OAuthState {
    pub token_hash: String,
    pub platform: Platform,
    pub verifier: String,
    /// The linking page's URL token (to send the browser back to it).
    pub token: String,
    pub expires_ms: i64,
    /// What the step that made this state handed to the next one (an account choice's targets).
    pub extra: Value,
}

fn aad(state_hash: &str) -> String {
    format!("linking_oauth_states:{state_hash}")
}

impl Store {
    /// A new consent for `platform` from the session behind `token`: returns `(state, pkce_verifier)`.
    pub async fn create_oauth_state(&self, token: &str, platform: Platform, expires_ms: i64) -> Result<(String, String)> {
        let (state, verifier) = (random_token(32), random_token(64));
        self.create_oauth_state_with(token, platform, &state, &verifier, Value::Null, expires_ms).await?;
        Ok((state, verifier))
    }

    /// A single-use step of a linking session under a `state` the caller chose (X's request
    /// token; an account choice's id), with a secret and extra JSON kept encrypted until taken.
    pub async fn create_oauth_state_with(&self, token: &str, platform: Platform, state: &str, verifier: &str, extra: Value, expires_ms: i64) -> Result<()> {
        let state_hash = hash_secret(state);
        let secrets = self.cipher.encrypt(json!({"verifier": verifier, "token": token, "extra": extra}).to_string().as_bytes(), &aad(&state_hash));
        sqlx::query(
            "INSERT INTO linking_oauth_states (state_hash, token_hash, platform, secrets, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&state_hash)
        .bind(hash_secret(token))
        .bind(platform.as_str())
        .bind(secrets)
        .bind(self.now_ms())
        .bind(expires_ms)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Spends a `state`: `None` if unknown, already used or expired. Atomic across nodes.
    pub async fn take_oauth_state(&self, state: &str) -> Result<Option<OAuthState>> {
        let state_hash = hash_secret(state);
        let now = self.now_ms();
        let r = sqlx::query("UPDATE linking_oauth_states SET used_ms = $1 WHERE state_hash = $2 AND used_ms IS NULL AND expires_ms > $1")
            .bind(now)
            .bind(&state_hash)
            .execute(&self.write)
            .await?;
        if r.rows_affected() != 1 {
            return Ok(None);
        }
        let row = sqlx::query("SELECT token_hash, platform, secrets, expires_ms FROM linking_oauth_states WHERE state_hash = $1")
            .bind(&state_hash)
            .fetch_one(&self.write)
            .await?;
        let platform: String = row.try_get("platform")?;
        let secrets: Vec<u8> = row.try_get("secrets")?;
        let plain: Value = serde_json::from_slice(&self.cipher.decrypt(&secrets, &aad(&state_hash))?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let field = |k: &str| plain.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        Ok(Some(OAuthState {
            token_hash: row.try_get("token_hash")?,
            platform: Platform::parse(&platform).ok_or_else(|| StoreError::Corrupt(format!("platform {platform:?}")))?,
            verifier: field("verifier"),
            token: field("token"),
            expires_ms: row.try_get("expires_ms")?,
            extra: plain.get("extra").cloned().unwrap_or(Value::Null),
        }))
    }
}
