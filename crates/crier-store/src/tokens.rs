//! The token lifecycle of linked accounts: expiry and scopes beside the encrypted credentials,
//! the per-account refresh lease (one refresh at a time across nodes), persisting a refreshed
//! token set before it is used, and the `needs relink` state.

use crate::links::aad;
use crate::{Result, Store, StoreError};
use crier_core::Platform;
use serde_json::Value;
use sqlx::Row;

/// What crier knows about a linked account's tokens (never the tokens themselves).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenMeta {
    pub expires_ms: Option<i64>,
    pub refresh_expires_ms: Option<i64>,
    pub lifetime_ms: Option<i64>,
    pub scopes: Option<String>,
    /// Client id of the app that issued the tokens.
    pub app: Option<String>,
    pub refreshed_ms: Option<i64>,
    pub refresh_count: i64,
    /// Set when refreshing failed for good: only a new link helps.
    pub relink_reason: Option<String>,
    pub relink_ms: Option<i64>,
}

/// A token set just granted, as stored (times already absolute).
#[derive(Clone, Debug, Default)]
pub struct GrantedTokens<'a> {
    pub expires_ms: Option<i64>,
    pub refresh_expires_ms: Option<i64>,
    pub lifetime_ms: Option<i64>,
    pub scopes: Option<&'a str>,
    pub app: Option<&'a str>,
}

const META_COLUMNS: &str = "token_expires_ms, refresh_expires_ms, token_lifetime_ms, token_scopes, token_app, \
     token_refreshed_ms, refresh_count, relink_reason, relink_ms";

fn meta_from(r: &sqlx::any::AnyRow) -> Result<TokenMeta> {
    Ok(TokenMeta {
        expires_ms: r.try_get("token_expires_ms")?,
        refresh_expires_ms: r.try_get("refresh_expires_ms")?,
        lifetime_ms: r.try_get("token_lifetime_ms")?,
        scopes: r.try_get("token_scopes")?,
        app: r.try_get("token_app")?,
        refreshed_ms: r.try_get("token_refreshed_ms")?,
        refresh_count: r.try_get("refresh_count")?,
        relink_reason: r.try_get("relink_reason")?,
        relink_ms: r.try_get("relink_ms")?,
    })
}

impl Store {
    /// The decrypted credentials and token metadata of a linked account, read together.
    pub async fn token_state(&self, profile_id: &str, platform: Platform) -> Result<Option<(Value, TokenMeta)>> {
        let row = sqlx::query(sql!("SELECT credentials, {META_COLUMNS} FROM linked_networks WHERE profile_id = $1 AND platform = $2"))
            .bind(profile_id)
            .bind(platform.as_str())
            .fetch_optional(&self.read)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let blob: Vec<u8> = row.try_get("credentials")?;
        let plain = self.cipher.decrypt(&blob, &aad(profile_id, platform))?;
        let credentials = serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some((credentials, meta_from(&row)?)))
    }

    /// Links an account with OAuth tokens: the credentials (encrypted) and what was granted, and a
    /// `linked` event.
    pub async fn link_network_with_tokens(&self, profile_id: &str, platform: Platform, credentials: &Value, display_name: Option<&str>, granted: &GrantedTokens<'_>) -> Result<()> {
        self.link_network(profile_id, platform, credentials, display_name).await?;
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "UPDATE linked_networks SET token_expires_ms = $3, refresh_expires_ms = $4, token_lifetime_ms = $5, \
             token_scopes = $6, token_app = $7 WHERE profile_id = $1 AND platform = $2",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(granted.expires_ms)
        .bind(granted.refresh_expires_ms)
        .bind(granted.lifetime_ms)
        .bind(granted.scopes)
        .bind(granted.app)
        .execute(&mut *tx)
        .await?;
        self.insert_event(&mut tx, profile_id, platform, "linked", &serde_json::json!({"scopes": granted.scopes})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims the account's refresh lease for `lease_ms` (one atomic UPDATE: on PostgreSQL two
    /// nodes racing get exactly one winner). `false`: another refresh holds it, or no account.
    pub async fn claim_refresh(&self, profile_id: &str, platform: Platform, owner: &str, lease_ms: i64) -> Result<bool> {
        let now = self.now_ms();
        let r = sqlx::query(
            "UPDATE linked_networks SET refresh_lease_until = $3, refresh_lease_owner = $4 \
             WHERE profile_id = $1 AND platform = $2 AND refresh_lease_until < $5",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(now + lease_ms)
        .bind(owner)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Gives the lease back (only if `owner` still holds it).
    pub async fn release_refresh(&self, profile_id: &str, platform: Platform, owner: &str) -> Result<()> {
        sqlx::query(
            "UPDATE linked_networks SET refresh_lease_until = 0, refresh_lease_owner = NULL \
             WHERE profile_id = $1 AND platform = $2 AND refresh_lease_owner = $3",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(owner)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// Stores a refreshed token set (credentials re-encrypted) with a `refreshed` event, in one
    /// commit, and releases the lease. Called before the new access token is used: a rotated
    /// refresh token is never only in memory. Stored even if the lease ran out meanwhile (the
    /// tokens are real; dropping them could lose the account). `false`: the account was unlinked.
    pub async fn save_refreshed(&self, profile_id: &str, platform: Platform, owner: &str, credentials: &Value, granted: &GrantedTokens<'_>) -> Result<bool> {
        let blob = self.cipher.encrypt(credentials.to_string().as_bytes(), &aad(profile_id, platform));
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE linked_networks SET credentials = $3, token_expires_ms = $4, \
             refresh_expires_ms = COALESCE($5, refresh_expires_ms), token_lifetime_ms = $6, \
             token_scopes = COALESCE($7, token_scopes), token_refreshed_ms = $8, refresh_count = refresh_count + 1, \
             relink_reason = NULL, relink_ms = NULL, \
             refresh_lease_until = CASE WHEN refresh_lease_owner = $9 THEN 0 ELSE refresh_lease_until END \
             WHERE profile_id = $1 AND platform = $2",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(blob)
        .bind(granted.expires_ms)
        .bind(granted.refresh_expires_ms)
        .bind(granted.lifetime_ms)
        .bind(granted.scopes)
        .bind(now)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        self.insert_event(&mut tx, profile_id, platform, "refreshed", &serde_json::json!({"expiresMs": granted.expires_ms})).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Refreshing failed for good: the account needs a new link. Records a `refresh_failed`
    /// event with the reason (never a token) and releases the lease.
    pub async fn mark_needs_relink(&self, profile_id: &str, platform: Platform, reason: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let r = sqlx::query(
            "UPDATE linked_networks SET relink_reason = $3, relink_ms = $4, refresh_lease_until = 0, refresh_lease_owner = NULL \
             WHERE profile_id = $1 AND platform = $2",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(reason)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 1 {
            self.insert_event(&mut tx, profile_id, platform, "refresh_failed", &serde_json::json!({"reason": reason})).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
