//! What the engine's token sweep looks at: every account linked through OAuth (an app is
//! recorded) that is not waiting for a relink, with its token times. Never the tokens.

use crate::{Result, Store};
use crier_core::Platform;
use sqlx::Row;

/// One OAuth-linked account's token times, for deciding whether to refresh it while idle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenTimes {
    pub profile_id: String,
    pub platform: Platform,
    pub expires_ms: Option<i64>,
    pub refresh_expires_ms: Option<i64>,
    pub lifetime_ms: Option<i64>,
    /// The last refresh, else when the account was linked.
    pub fresh_since_ms: i64,
}

impl Store {
    /// Accounts linked through OAuth and not marked for relinking.
    pub async fn oauth_token_times(&self) -> Result<Vec<TokenTimes>> {
        let rows = sqlx::query(
            "SELECT profile_id, platform, token_expires_ms, refresh_expires_ms, token_lifetime_ms, token_refreshed_ms, created_ms \
             FROM linked_networks WHERE token_app IS NOT NULL AND relink_reason IS NULL ORDER BY profile_id, platform",
        )
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let name: String = r.try_get("platform")?;
            let Some(platform) = Platform::parse(&name) else { continue };
            let refreshed: Option<i64> = r.try_get("token_refreshed_ms")?;
            let created: i64 = r.try_get("created_ms")?;
            out.push(TokenTimes {
                profile_id: r.try_get("profile_id")?,
                platform,
                expires_ms: r.try_get("token_expires_ms")?,
                refresh_expires_ms: r.try_get("refresh_expires_ms")?,
                lifetime_ms: r.try_get("token_lifetime_ms")?,
                fresh_since_ms: refreshed.unwrap_or(created),
            });
        }
        Ok(out)
    }
}
