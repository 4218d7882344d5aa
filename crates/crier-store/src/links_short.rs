//! Short links of crier's own shortener and their clicks.

use crate::{Result, Store, StoreError, random_token};
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct ShortLink {
    pub code: String,
    pub profile_id: String,
    pub original_url: String,
    pub created_ms: i64,
}

#[derive(Clone, Debug, Default)]
pub struct ClickStats {
    pub total: i64,
    /// (referer host or "direct", clicks), most first.
    pub by_referer: Vec<(String, i64)>,
    pub by_browser: Vec<(String, i64)>,
}

impl Store {
    /// Makes a short link; the code is 7 random alphanumerics (retried on the rare collision).
    pub async fn create_short_link(&self, profile_id: &str, url: &str, platform: Option<&str>) -> Result<ShortLink> {
        for _ in 0..5 {
            let link = ShortLink { code: random_token(7), profile_id: profile_id.to_string(), original_url: url.to_string(), created_ms: self.now_ms() };
            let r = sqlx::query("INSERT INTO short_links (code, profile_id, original_url, platform, created_ms) VALUES ($1, $2, $3, $4, $5)")
                .bind(&link.code)
                .bind(&link.profile_id)
                .bind(&link.original_url)
                .bind(platform)
                .bind(link.created_ms)
                .execute(&self.write)
                .await;
            match r {
                Ok(_) => return Ok(link),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict("could not find a free short code"))
    }

    pub async fn short_link(&self, code: &str) -> Result<Option<ShortLink>> {
        let row = sqlx::query("SELECT code, profile_id, original_url, created_ms FROM short_links WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| {
            Ok(ShortLink { code: r.try_get("code")?, profile_id: r.try_get("profile_id")?, original_url: r.try_get("original_url")?, created_ms: r.try_get("created_ms")? })
        })
        .transpose()
    }

    /// The profile's short links, newest first.
    pub async fn list_short_links(&self, profile_id: &str, limit: i64) -> Result<Vec<ShortLink>> {
        let rows = sqlx::query("SELECT code, profile_id, original_url, created_ms FROM short_links WHERE profile_id = $1 ORDER BY created_ms DESC, code LIMIT $2")
            .bind(profile_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| Ok(ShortLink { code: r.try_get("code")?, profile_id: r.try_get("profile_id")?, original_url: r.try_get("original_url")?, created_ms: r.try_get("created_ms")? }))
            .collect()
    }

    pub async fn record_clicks(&self, clicks: &[(String, i64, Option<String>, Option<String>)]) -> Result<()> {
        let mut tx = self.write.begin().await?;
        for (code, at, referer, browser) in clicks {
            sqlx::query("INSERT INTO link_clicks (code, at_ms, referer, browser) VALUES ($1, $2, $3, $4)")
                .bind(code)
                .bind(at)
                .bind(referer)
                .bind(browser)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn click_stats(&self, code: &str) -> Result<ClickStats> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM link_clicks WHERE code = $1").bind(code).fetch_one(&self.read).await?;
        let group = |col: &'static str| {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT COALESCE({col}, 'direct') AS k, COUNT(*) AS n FROM link_clicks WHERE code = $1 GROUP BY COALESCE({col}, 'direct') ORDER BY n DESC, k"
            ));
            sqlx::query(sql).bind(code.to_string()).fetch_all(&self.read)
        };
        let pairs = |rows: Vec<sqlx::any::AnyRow>| -> Result<Vec<(String, i64)>> { rows.iter().map(|r| Ok((r.try_get("k")?, r.try_get("n")?))).collect() };
        Ok(ClickStats { total, by_referer: pairs(group("referer").await?)?, by_browser: pairs(group("browser").await?)? })
    }
}
