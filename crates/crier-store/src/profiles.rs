//! Profiles of an account. The primary profile is selected by the API key
//! alone; others by the `Profile-Key` header, whose secret is stored hashed.

use crate::{Account, Result, Store, StoreError, hash_secret, random_token};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub id: String,
    pub account_id: String,
    pub title: String,
    pub ref_id: String,
    pub is_primary: bool,
    pub created_ms: i64,
}

/// `GET /profiles` filters (Ayrshare's `refId`, `title`, `limit`, `cursor`).
#[derive(Clone, Debug, Default)]
pub struct ProfileFilter {
    pub ref_id: Option<String>,
    pub title: Option<String>,
    pub limit: i64,
    /// `(created_ms, id)` of the last profile already seen.
    pub after: Option<(i64, String)>,
}

const COLUMNS: &str = "id, account_id, title, ref_id, is_primary, created_ms";

fn from_row(r: &AnyRow) -> Result<Profile> {
    Ok(Profile {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        title: r.try_get("title")?,
        ref_id: r.try_get("ref_id")?,
        is_primary: r.try_get::<i64, _>("is_primary")? != 0,
        created_ms: r.try_get("created_ms")?,
    })
}

impl Store {
    /// Creates a profile; returns it with its profile key (shown once).
    pub async fn create_profile(&self, account: &Account, title: &str) -> Result<(Profile, String)> {
        let key = (0..4).map(|_| random_token(7)).collect::<Vec<_>>().join("-");
        let profile = Profile {
            id: random_token(20),
            account_id: account.id.clone(),
            title: title.to_string(),
            ref_id: random_token(32),
            is_primary: false,
            created_ms: self.now_ms(),
        };
        let res = sqlx::query(
            "INSERT INTO profiles (id, account_id, title, ref_id, key_hash, is_primary, created_ms) \
             VALUES ($1, $2, $3, $4, $5, 0, $6)",
        )
        .bind(&profile.id)
        .bind(&profile.account_id)
        .bind(&profile.title)
        .bind(&profile.ref_id)
        .bind(hash_secret(&key))
        .bind(profile.created_ms)
        .execute(&self.write)
        .await;
        match res {
            Ok(_) => Ok((profile, key)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Conflict("profile title already exists"))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn primary_profile(&self, account: &Account) -> Result<Profile> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM profiles WHERE account_id = $1 AND is_primary = 1"))
            .bind(&account.id)
            .fetch_one(&self.read)
            .await?;
        from_row(&row)
    }

    /// The profile with this key, only if it belongs to `account` (a foreign key finds nothing).
    pub async fn profile_by_key(&self, account: &Account, key: &str) -> Result<Option<Profile>> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM profiles WHERE account_id = $1 AND key_hash = $2"))
            .bind(&account.id)
            .bind(hash_secret(key))
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn list_profiles(&self, account: &Account) -> Result<Vec<Profile>> {
        let rows = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM profiles WHERE account_id = $1 ORDER BY created_ms, id"
        ))
        .bind(&account.id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// A page of the account's non-primary profiles, oldest first, after the cursor
    /// (`created_ms`, `id` of the last profile of the previous page). The bool: more follow.
    /// Served by the `(account_id, title)` unique index; an account has few profiles.
    pub async fn profiles_page(&self, account: &Account, f: &ProfileFilter) -> Result<(Vec<Profile>, bool)> {
        let mut sql = format!("SELECT {COLUMNS} FROM profiles WHERE account_id = $1 AND is_primary = 0");
        let mut binds: Vec<String> = Vec::new();
        let mut next = |col: &str, v: &str, sql: &mut String| {
            binds.push(v.to_string());
            sql.push_str(&format!(" AND {col} = ${}", binds.len() + 1));
        };
        if let Some(r) = &f.ref_id {
            next("ref_id", r, &mut sql);
        }
        if let Some(t) = &f.title {
            next("title", t, &mut sql);
        }
        let after = f.after.as_ref();
        if after.is_some() {
            let n = binds.len() + 2;
            sql.push_str(&format!(" AND (created_ms > ${n} OR (created_ms = ${n} AND id > ${}))", n + 1));
        }
        sql.push_str(&format!(" ORDER BY created_ms, id LIMIT {}", f.limit.max(1) + 1));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&account.id);
        for b in binds {
            q = q.bind(b);
        }
        if let Some((ms, id)) = after {
            q = q.bind(*ms).bind(id.clone());
        }
        let rows = q.fetch_all(&self.read).await?;
        let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
        let more = out.len() as i64 > f.limit.max(1);
        out.truncate(f.limit.max(1) as usize);
        Ok((out, more))
    }

    /// Deletes a non-primary profile of `account` and its linked networks. Returns it if it existed.
    pub async fn delete_profile(&self, account: &Account, key: &str) -> Result<Option<Profile>> {
        let Some(profile) = self.profile_by_key(account, key).await? else { return Ok(None) };
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM linked_networks WHERE profile_id = $1")
            .bind(&profile.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM profiles WHERE id = $1 AND account_id = $2 AND is_primary = 0")
            .bind(&profile.id)
            .bind(&account.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(profile))
    }

    /// Renames a profile of `account` (found by its key). `Ok(None)`: no such profile.
    pub async fn rename_profile(&self, account: &Account, key: &str, title: &str) -> Result<Option<Profile>> {
        let Some(mut profile) = self.profile_by_key(account, key).await? else { return Ok(None) };
        let r = sqlx::query("UPDATE profiles SET title = $3 WHERE id = $1 AND account_id = $2")
            .bind(&profile.id)
            .bind(&account.id)
            .bind(title)
            .execute(&self.write)
            .await;
        match r {
            Ok(_) => {
                profile.title = title.to_string();
                Ok(Some(profile))
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict("profile title already exists")),
            Err(e) => Err(e.into()),
        }
    }

    /// Looks a profile up by its refId within an account (CLI use).
    pub async fn profile_by_ref(&self, account: &Account, ref_id: &str) -> Result<Option<Profile>> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM profiles WHERE account_id = $1 AND ref_id = $2"))
            .bind(&account.id)
            .bind(ref_id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(from_row).transpose()
    }
}
