//! Accounts and their API keys. A key is shown once at creation and only its hash is kept.

use crate::{Result, Store, random_token};
use sha2::{Digest, Sha256};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: String,
}

/// SHA-256 hex of a high-entropy secret (API key or profile key).
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `XXXXXXX-XXXXXXX-XXXXXXX-XXXXXXX`, Ayrshare's key shape (28 random alphanumerics ≈ 166 bits).
fn new_key() -> String {
    (0..4).map(|_| random_token(7)).collect::<Vec<_>>().join("-")
}

impl Store {
    /// Creates an account with its primary profile.
    pub async fn create_account(&self) -> Result<Account> {
        let id = random_token(20);
        let now = self.now_ms();
        let mut tx = self.write.begin().await?;
        sqlx::query("INSERT INTO accounts (id, created_ms) VALUES ($1, $2)")
            .bind(&id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO profiles (id, account_id, title, ref_id, key_hash, is_primary, created_ms) \
             VALUES ($1, $2, 'Primary Profile', $3, NULL, 1, $4)",
        )
        .bind(random_token(20))
        .bind(&id)
        .bind(random_token(32))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Account { id })
    }

    /// Returns the new key in clear: the only time it exists outside the caller's hands.
    pub async fn create_api_key(&self, account: &Account, label: Option<&str>) -> Result<String> {
        let key = new_key();
        sqlx::query("INSERT INTO api_keys (key_hash, account_id, label, created_ms) VALUES ($1, $2, $3, $4)")
            .bind(hash_secret(&key))
            .bind(&account.id)
            .bind(label)
            .bind(self.now_ms())
            .execute(&self.write)
            .await?;
        Ok(key)
    }

    pub async fn account_for_key(&self, key: &str) -> Result<Option<Account>> {
        let id: Option<String> = sqlx::query_scalar("SELECT account_id FROM api_keys WHERE key_hash = $1")
            .bind(hash_secret(key))
            .fetch_optional(&self.read)
            .await?;
        Ok(id.map(|id| Account { id }))
    }

    /// The first account ever created, if any (used by `crier account link` and the sandbox setup).
    pub async fn first_account(&self) -> Result<Option<Account>> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM accounts ORDER BY created_ms, id LIMIT 1")
            .fetch_optional(&self.read)
            .await?;
        Ok(id.map(|id| Account { id }))
    }
}
