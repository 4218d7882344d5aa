//! Request counts for crier's own API rate limit, kept in the store so that every node on one
//! PostgreSQL counts against the same numbers. A bucket (an API key, a profile) has one window at a
//! time: it starts with the bucket's first request and, once `window_ms` have passed, the next
//! request starts a fresh one. One upsert per request counts it in all its buckets and reads the
//! counts back, atomically on both engines (`INSERT … ON CONFLICT DO UPDATE … RETURNING`).

use crate::{Result, Store};

/// One bucket's window after a request was counted in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateWindow {
    pub bucket: String,
    pub window_start_ms: i64,
    /// Requests in this window, the one just counted included.
    pub hits: i64,
}

/// Rows per request are few (a key and a profile); more would be a caller's mistake.
const MAX_BUCKETS: usize = 8;

impl Store {
    /// Counts one request in each of `buckets` (distinct names) and returns their windows, in the
    /// order given, with the store's now. A bucket whose window began `window_ms` or more ago
    /// starts a new one with this request.
    pub async fn count_request(&self, buckets: &[&str], window_ms: i64) -> Result<(i64, Vec<RateWindow>)> {
        let now = self.now_ms();
        let buckets = &buckets[..buckets.len().min(MAX_BUCKETS)];
        if buckets.is_empty() {
            return Ok((now, Vec::new()));
        }
        let (now_at, ended_at) = (buckets.len() + 1, buckets.len() + 2);
        let values: Vec<String> = (1..=buckets.len()).map(|i| format!("(${i}, ${now_at}, 1)")).collect();
        // The SET expressions read the row as it was, so both columns see the same old window.
        // Buckets are locked in the order given (callers give keys before profiles): no deadlock.
        let statement = sql!(
            "INSERT INTO api_rate_windows (bucket, window_start_ms, hits) VALUES {values} \
             ON CONFLICT (bucket) DO UPDATE SET \
               hits = CASE WHEN api_rate_windows.window_start_ms <= ${ended_at} THEN 1 ELSE api_rate_windows.hits + 1 END, \
               window_start_ms = CASE WHEN api_rate_windows.window_start_ms <= ${ended_at} \
                 THEN excluded.window_start_ms ELSE api_rate_windows.window_start_ms END \
             RETURNING bucket, window_start_ms, hits",
            values = values.join(", ")
        );
        let mut query = sqlx::query_as::<_, (String, i64, i64)>(statement);
        for b in buckets {
            query = query.bind(*b);
        }
        let rows = query.bind(now).bind(now - window_ms).fetch_all(&self.write).await?;
        // RETURNING's row order is not promised: put them back in the caller's order.
        let windows = buckets
            .iter()
            .filter_map(|b| rows.iter().find(|(name, ..)| name == b))
            .map(|(bucket, window_start_ms, hits)| RateWindow { bucket: bucket.clone(), window_start_ms: *window_start_ms, hits: *hits })
            .collect();
        Ok((now, windows))
    }

    /// Deletes the windows that ended `window_ms` or more ago (their buckets start afresh anyway).
    pub async fn prune_rate_windows(&self, window_ms: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM api_rate_windows WHERE window_start_ms <= $1")
            .bind(self.now_ms() - window_ms)
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }
}
