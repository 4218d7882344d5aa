//! Requests `/post` refused before anything was sent are kept as failed posts, so the answer
//! has an `id` like Ayrshare's and history shows them: each network's refusal on a failed
//! delivery (never queued), refusals of the request itself (an unknown network, a malformed
//! field) under `crierRefusal` in the stored request. Nothing can run: no job, retry spent.

use crate::{Result, Store, random_token};
use crier_core::{ErrorReport, Platform};
use serde_json::{Value, json};

/// The key of the stored request holding the refusals no network owns.
pub const REFUSAL_KEY: &str = "crierRefusal";

impl Store {
    /// Stores a refused request as a post in status `error`; returns its id.
    pub async fn record_refused_post(&self, profile_id: &str, mut request: Value, text: &str, media_urls: &[String], errors: &[ErrorReport]) -> Result<String> {
        let now = self.now_ms();
        let id = random_token(20);
        let per_network: Vec<(Platform, &ErrorReport)> =
            errors.iter().filter_map(|e| e.platform.map(|p| (p, e))).collect();
        let general: Vec<&ErrorReport> = errors.iter().filter(|e| e.platform.is_none()).collect();
        if !general.is_empty() {
            if !request.is_object() {
                request = json!({"request": request});
            }
            request[REFUSAL_KEY] = serde_json::to_value(&general).unwrap_or_default();
        }
        let mut platforms: Vec<&str> = Vec::new();
        for (p, _) in &per_network {
            if !platforms.contains(&p.as_str()) {
                platforms.push(p.as_str());
            }
        }
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO posts (id, profile_id, request, text, platforms, media_urls, schedule_ms, kind, status, retried, notes, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, 'now', 'error', 1, NULL, $7, $7)",
        )
        .bind(&id)
        .bind(profile_id)
        .bind(request.to_string())
        .bind(text)
        .bind(serde_json::to_string(&platforms).unwrap_or_default())
        .bind(serde_json::to_string(media_urls).unwrap_or_default())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut seen = Vec::new();
        for (p, e) in per_network {
            // One delivery per network; its first refusal (the answer lists them all).
            if seen.contains(&p) {
                continue;
            }
            seen.push(p);
            sqlx::query("INSERT INTO deliveries (id, post_id, platform, state, error, attempts, updated_ms) VALUES ($1, $2, $3, 'failed', $4, 0, $5)")
                .bind(random_token(20))
                .bind(&id)
                .bind(p.as_str())
                .bind(serde_json::to_string(e).unwrap_or_default())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}
