//! Linking sessions (the page behind `generateJWT`'s URL) and unlinking.
//! Only hashes of the URL token and of the browser's cookie secret are stored.

use crate::{Result, Store, hash_secret, random_token};
use crier_core::Platform;
use sqlx::Row;

/// What `generateJWT` asked for.
#[derive(Clone, Debug)]
pub struct NewLinkingSession {
    pub profile_id: String,
    pub allowed: Vec<Platform>,
    pub redirect: Option<String>,
    pub logout: bool,
    pub expires_ms: i64,
}

#[derive(Clone, Debug)]
pub struct LinkingSession {
    pub token_hash: String,
    pub profile_id: String,
    pub allowed: Vec<Platform>,
    pub redirect: Option<String>,
    pub logout: bool,
    pub csrf: String,
    pub browser_hash: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub consumed_ms: Option<i64>,
}

impl Store {
    /// Records a session; returns the URL token (shown once, ~238 random bits).
    pub async fn create_linking_session(&self, s: &NewLinkingSession) -> Result<String> {
        let token = random_token(40);
        let allowed: Vec<&str> = s.allowed.iter().map(|p| p.as_str()).collect();
        sqlx::query(
            "INSERT INTO linking_sessions (token_hash, profile_id, allowed, redirect, logout, csrf, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(hash_secret(&token))
        .bind(&s.profile_id)
        .bind(serde_json::to_string(&allowed).unwrap_or_else(|_| "[]".into()))
        .bind(s.redirect.as_deref())
        .bind(s.logout as i64)
        .bind(random_token(32))
        .bind(self.now_ms())
        .bind(s.expires_ms)
        .execute(&self.write)
        .await?;
        Ok(token)
    }

    pub async fn linking_session(&self, token: &str) -> Result<Option<LinkingSession>> {
        self.linking_session_by_hash(&hash_secret(token)).await
    }

    pub async fn linking_session_by_hash(&self, token_hash: &str) -> Result<Option<LinkingSession>> {
        let row = sqlx::query(
            "SELECT token_hash, profile_id, allowed, redirect, logout, csrf, browser_hash, created_ms, expires_ms, consumed_ms \
             FROM linking_sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.write)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let allowed: String = r.try_get("allowed")?;
        let allowed: Vec<String> = serde_json::from_str(&allowed).unwrap_or_default();
        Ok(Some(LinkingSession {
            token_hash: r.try_get("token_hash")?,
            profile_id: r.try_get("profile_id")?,
            allowed: allowed.iter().filter_map(|a| Platform::parse(a)).collect(),
            redirect: r.try_get("redirect")?,
            logout: r.try_get::<i64, _>("logout")? != 0,
            csrf: r.try_get("csrf")?,
            browser_hash: r.try_get("browser_hash")?,
            created_ms: r.try_get("created_ms")?,
            expires_ms: r.try_get("expires_ms")?,
            consumed_ms: r.try_get("consumed_ms")?,
        }))
    }

    /// Binds a never-opened, live session to the browser holding `browser_secret` and extends
    /// it to `until_ms`. Atomic: of two browsers opening the same URL, exactly one wins.
    pub async fn open_linking_session(&self, token_hash: &str, browser_secret: &str, until_ms: i64) -> Result<bool> {
        let now = self.now_ms();
        let r = sqlx::query(
            "UPDATE linking_sessions SET browser_hash = $1, expires_ms = $2 \
             WHERE token_hash = $3 AND browser_hash IS NULL AND consumed_ms IS NULL AND expires_ms > $4",
        )
        .bind(hash_secret(browser_secret))
        .bind(until_ms)
        .bind(token_hash)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Ends a session (Done / log out): its URL and forms stop working.
    pub async fn consume_linking_session(&self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("UPDATE linking_sessions SET consumed_ms = $1 WHERE token_hash = $2 AND consumed_ms IS NULL")
            .bind(self.now_ms())
            .bind(token_hash)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Forgets sessions and OAuth states that ended more than a day ago.
    pub async fn sweep_linking_sessions(&self) -> Result<u64> {
        let before = self.now_ms() - 86_400_000;
        let r = sqlx::query("DELETE FROM linking_sessions WHERE expires_ms < $1").bind(before).execute(&self.write).await?;
        let o = sqlx::query("DELETE FROM linking_oauth_states WHERE expires_ms < $1").bind(before).execute(&self.write).await?;
        Ok(r.rows_affected() + o.rows_affected())
    }

    /// The title of a profile by its internal id, `None` once it was deleted.
    pub async fn profile_title(&self, profile_id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT title FROM profiles WHERE id = $1").bind(profile_id).fetch_optional(&self.write).await?)
    }

    /// Removes a linked network and its credentials; `false` if it was not linked.
    pub async fn unlink_network(&self, profile_id: &str, platform: Platform) -> Result<bool> {
        let r = sqlx::query("DELETE FROM linked_networks WHERE profile_id = $1 AND platform = $2")
            .bind(profile_id)
            .bind(platform.as_str())
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() >= 1)
    }
}

/// A fresh browser secret for the session cookie.
pub fn browser_secret() -> String {
    random_token(32)
}

impl Store {
    /// `generateJWT` with `logout: true`: earlier pages of the profile stop working.
    pub async fn end_linking_sessions_of(&self, profile_id: &str) -> Result<u64> {
        let r = sqlx::query("UPDATE linking_sessions SET consumed_ms = $1 WHERE profile_id = $2 AND consumed_ms IS NULL")
            .bind(self.now_ms())
            .bind(profile_id)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected())
    }
}
