//! Network accounts linked to a profile, with their credentials encrypted at rest.

use crate::{Result, Store, StoreError};
use crier_core::Platform;
use serde_json::Value;

pub(crate) fn aad(profile_id: &str, platform: Platform) -> String {
    format!("linked_networks:{profile_id}:{platform}")
}

/// A linked network of a profile as `GET /user` shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkedAccount {
    pub platform: Platform,
    pub display_name: Option<String>,
    pub created_ms: i64,
    /// Set when the network refused to refresh the grant for good: the user must link again.
    pub relink_reason: Option<String>,
    pub token_expires_ms: Option<i64>,
    /// The account's picture (an https URL from the network), when the link read one.
    pub picture_url: Option<String>,
}

impl Store {
    /// Links (or re-links) `platform` to the profile with these credentials.
    pub async fn link_network(
        &self,
        profile_id: &str,
        platform: Platform,
        credentials: &Value,
        display_name: Option<&str>,
    ) -> Result<()> {
        let blob = self.cipher.encrypt(credentials.to_string().as_bytes(), &aad(profile_id, platform));
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM linked_networks WHERE profile_id = $1 AND platform = $2")
            .bind(profile_id)
            .bind(platform.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO linked_networks (profile_id, platform, credentials, display_name, created_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(profile_id)
        .bind(platform.as_str())
        .bind(blob)
        .bind(display_name)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the linked account's picture (only http(s) URLs; anything else is dropped).
    pub async fn set_account_picture(&self, profile_id: &str, platform: Platform, url: Option<&str>) -> Result<()> {
        let url = url.filter(|u| (u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 2048);
        sqlx::query("UPDATE linked_networks SET picture_url = $1 WHERE profile_id = $2 AND platform = $3")
            .bind(url)
            .bind(profile_id)
            .bind(platform.as_str())
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn linked_platforms(&self, profile_id: &str) -> Result<Vec<Platform>> {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT platform FROM linked_networks WHERE profile_id = $1 ORDER BY platform")
                .bind(profile_id)
                .fetch_all(&self.read)
                .await?;
        Ok(names.iter().filter_map(|n| Platform::parse(n)).collect())
    }

    /// Linked networks with their display names, link time and token health, for `GET /user` and
    /// the linking page.
    pub async fn linked_accounts(&self, profile_id: &str) -> Result<Vec<LinkedAccount>> {
        let rows = sqlx::query(
            "SELECT platform, display_name, created_ms, relink_reason, token_expires_ms, picture_url FROM linked_networks WHERE profile_id = $1 ORDER BY platform",
        )
        .bind(profile_id)
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            use sqlx::Row;
            let name: String = r.try_get("platform")?;
            if let Some(platform) = Platform::parse(&name) {
                out.push(LinkedAccount {
                    platform,
                    display_name: r.try_get("display_name")?,
                    created_ms: r.try_get("created_ms")?,
                    relink_reason: r.try_get("relink_reason")?,
                    token_expires_ms: r.try_get("token_expires_ms")?,
                    picture_url: r.try_get("picture_url")?,
                });
            }
        }
        Ok(out)
    }

    pub async fn credentials(&self, profile_id: &str, platform: Platform) -> Result<Option<Value>> {
        let blob: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT credentials FROM linked_networks WHERE profile_id = $1 AND platform = $2")
                .bind(profile_id)
                .bind(platform.as_str())
                .fetch_optional(&self.read)
                .await?;
        let Some(blob) = blob else { return Ok(None) };
        let plain = self.cipher.decrypt(&blob, &aad(profile_id, platform))?;
        serde_json::from_slice(&plain).map(Some).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}
