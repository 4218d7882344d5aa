//! What crier serves at `/media/{token}`: one row per staged object, with its expiry.

use crate::{Result, Store};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Clone, Debug)]
pub struct MediaObject {
    pub token: String,
    pub profile_id: String,
    pub object_key: String,
    pub mime: String,
    pub size_bytes: i64,
    pub file_name: Option<String>,
    pub description: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
}

const COLUMNS: &str = "token, profile_id, object_key, mime, size_bytes, file_name, description, created_ms, expires_ms";

fn from_row(r: &AnyRow) -> Result<MediaObject> {
    Ok(MediaObject {
        token: r.try_get("token")?,
        profile_id: r.try_get("profile_id")?,
        object_key: r.try_get("object_key")?,
        mime: r.try_get("mime")?,
        size_bytes: r.try_get("size_bytes")?,
        file_name: r.try_get("file_name")?,
        description: r.try_get("description")?,
        created_ms: r.try_get("created_ms")?,
        expires_ms: r.try_get("expires_ms")?,
    })
}

impl Store {
    pub async fn add_media_object(&self, m: &MediaObject) -> Result<()> {
        sqlx::query(sql!("INSERT INTO media_objects ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
            .bind(&m.token)
            .bind(&m.profile_id)
            .bind(&m.object_key)
            .bind(&m.mime)
            .bind(m.size_bytes)
            .bind(&m.file_name)
            .bind(&m.description)
            .bind(m.created_ms)
            .bind(m.expires_ms)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// A live (not expired) object by its token.
    pub async fn media_object(&self, token: &str) -> Result<Option<MediaObject>> {
        let row = sqlx::query(sql!("SELECT {COLUMNS} FROM media_objects WHERE token = $1 AND expires_ms > $2"))
            .bind(token)
            .bind(self.now_ms())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The profile's uploads that have not expired (not the images crier converted for networks).
    pub async fn list_media_objects(&self, profile_id: &str, limit: i64) -> Result<Vec<MediaObject>> {
        let rows = sqlx::query(sql!(
            "SELECT {COLUMNS} FROM media_objects WHERE profile_id = $1 AND expires_ms > $2 AND object_key LIKE 'uploads/%' \
             ORDER BY created_ms DESC, token LIMIT $3"
        ))
            .bind(profile_id)
            .bind(self.now_ms())
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Expired objects, at most `limit`, for the sweeper.
    pub async fn expired_media_objects(&self, limit: i64) -> Result<Vec<MediaObject>> {
        let rows = sqlx::query(sql!("SELECT {COLUMNS} FROM media_objects WHERE expires_ms <= $1 ORDER BY expires_ms LIMIT $2"))
            .bind(self.now_ms())
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn remove_media_object(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM media_objects WHERE token = $1").bind(token).execute(&self.write).await?;
        Ok(())
    }
}
