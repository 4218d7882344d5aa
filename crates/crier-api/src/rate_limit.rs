//! crier's own API rate limit, per API key and per profile (Ayrshare: 300 requests per profile
//! and 5-minute window). Requests are counted only once the API key is known good (a stranger
//! cannot fill a victim's bucket), in the store, so every node on one PostgreSQL shares the counts.
//!
//! Every authenticated answer carries the tighter limit's numbers (the one with fewer requests
//! left; once over, the one that frees up last):
//! - `x-ratelimit-limit` / `x-ratelimit-max`: requests allowed per window;
//! - `x-ratelimit-remaining`: requests left in the current window;
//! - `x-ratelimit-count`: requests counted in the current window (this one included);
//! - `x-ratelimit-reset`: milliseconds until the window ends (Ayrshare's unit);
//! - over the limit: HTTP 429, code 903, and `Retry-After` in seconds (rounded up).

use crate::AppState;
use crate::i18n::Lang;
use crate::render::flat_error;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use crier_core::{Action, Code, ErrorReport};
use crier_store::{Profile, hash_secret};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The limits in force. A limit of 0 switches that bucket off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    pub enabled: bool,
    pub per_key: u32,
    pub per_profile: u32,
    pub window: Duration,
}

impl Default for RateLimits {
    /// Ayrshare's published limit per profile (300 per 5 minutes); Ayrshare publishes none per key,
    /// crier's default lets one key run ten profiles at full speed.
    fn default() -> Self {
        RateLimits { enabled: true, per_key: 3_000, per_profile: 300, window: Duration::from_secs(300) }
    }
}

/// The limits plus this node's pruning schedule.
#[derive(Clone, Debug, Default)]
pub struct RateLimiter {
    limits: RateLimits,
    /// When this node next deletes ended windows (once per window length is plenty).
    next_prune_ms: Arc<AtomicI64>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter { limits, next_prune_ms: Arc::default() }
    }

    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    fn window_ms(&self) -> i64 {
        (self.limits.window.as_millis() as i64).max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Key,
    Profile,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Key => "API key",
            Scope::Profile => "profile",
        }
    }
}

/// One bucket's standing after the current request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Quota {
    scope: Scope,
    limit: u64,
    used: u64,
    reset_ms: u64,
}

impl Quota {
    fn exceeded(&self) -> bool {
        self.used > self.limit
    }

    fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    fn retry_after_secs(&self) -> u64 {
        self.reset_ms.div_ceil(1000).max(1)
    }
}

/// The quota an answer shows: over a limit, the one that ends last (a retry must wait for it);
/// otherwise the one with the fewest requests left.
fn tighter(quotas: &[Quota]) -> Option<Quota> {
    let over = quotas.iter().filter(|q| q.exceeded()).max_by_key(|q| q.reset_ms);
    over.or_else(|| quotas.iter().min_by_key(|q| (q.remaining(), q.limit))).copied()
}

fn write_headers(headers: &mut HeaderMap, q: &Quota) {
    let mut set = |name: &'static str, value: u64| {
        headers.insert(name, HeaderValue::from(value));
    };
    set("x-ratelimit-limit", q.limit);
    set("x-ratelimit-max", q.limit);
    set("x-ratelimit-remaining", q.remaining());
    set("x-ratelimit-count", q.used);
    set("x-ratelimit-reset", q.reset_ms);
    if q.exceeded() {
        set("retry-after", q.retry_after_secs());
    }
}

/// Where the extractor leaves the request's quota for the answer's headers.
#[derive(Clone, Default)]
pub(crate) struct QuotaSlot(Arc<OnceLock<Quota>>);

/// Middleware: puts the headers of the quota counted for this request (if it was) on its answer,
/// whatever the handler answered.
pub async fn headers(mut req: Request, next: Next) -> Response {
    let slot = QuotaSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut resp = next.run(req).await;
    if let Some(q) = slot.0.get() {
        write_headers(resp.headers_mut(), q);
    }
    resp
}

/// Counts an authenticated request against its key and (when it resolved) its profile; the 903
/// answer when a limit is exceeded. The store failing lets the request through (logged): the limit
/// protects the service, and a store that cannot count will fail the request anyway if it matters.
pub(crate) async fn admit(state: &AppState, extensions: &axum::http::Extensions, api_key: &str, profile: Option<&Profile>, lang: Lang) -> Result<(), Response> {
    let limiter = &state.rate_limit;
    let limits = &limiter.limits;
    if !limits.enabled {
        return Ok(());
    }
    let key_bucket = format!("key:{}", hash_secret(api_key));
    let profile_bucket = profile.map(|p| format!("profile:{}", p.id));
    // Keys before profiles: every statement locks its rows in the same order.
    let mut buckets: Vec<(Scope, u32, &str)> = Vec::new();
    if limits.per_key > 0 {
        buckets.push((Scope::Key, limits.per_key, &key_bucket));
    }
    if let (Some(b), true) = (&profile_bucket, limits.per_profile > 0) {
        buckets.push((Scope::Profile, limits.per_profile, b));
    }
    if buckets.is_empty() {
        return Ok(());
    }
    let window_ms = limiter.window_ms();
    let names: Vec<&str> = buckets.iter().map(|(_, _, b)| *b).collect();
    let (now, windows) = match state.store.count_request(&names, window_ms).await {
        Ok(counted) => counted,
        Err(e) => {
            tracing::warn!(error = %e, "rate limit not counted; request let through");
            return Ok(());
        }
    };
    prune_now_and_then(state, now, window_ms);
    let quotas: Vec<Quota> = buckets
        .iter()
        .zip(&windows)
        .map(|((scope, limit, _), w)| Quota {
            scope: *scope,
            limit: u64::from(*limit),
            used: w.hits.max(0) as u64,
            reset_ms: (w.window_start_ms + window_ms - now).clamp(0, window_ms) as u64,
        })
        .collect();
    let Some(shown) = tighter(&quotas) else { return Ok(()) };
    if let Some(slot) = extensions.get::<QuotaSlot>() {
        let _ = slot.0.set(shown);
    }
    if !shown.exceeded() {
        return Ok(());
    }
    let details = format!(
        "{} requests per {} s per {}; retry in {} s",
        shown.limit,
        limiter.limits.window.as_secs(),
        shown.scope.as_str(),
        shown.retry_after_secs()
    );
    let mut resp = flat_error(&state.i18n, lang, &ErrorReport::new(Code::RateLimited, Action::Auth).details(details));
    write_headers(resp.headers_mut(), &shown);
    Err(resp)
}

/// Deletes ended windows at most once per window length on this node, off the request's path.
fn prune_now_and_then(state: &AppState, now: i64, window_ms: i64) {
    let next = &state.rate_limit.next_prune_ms;
    let due = next.load(Ordering::Relaxed);
    if now < due || next.compare_exchange(due, now + window_ms, Ordering::Relaxed, Ordering::Relaxed).is_err() {
        return;
    }
    let store = state.store.clone();
    tokio::spawn(async move {
        if let Err(e) = store.prune_rate_windows(window_ms).await {
            tracing::warn!(error = %e, "pruning rate-limit windows failed");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(scope: Scope, limit: u64, used: u64, reset_ms: u64) -> Quota {
        Quota { scope, limit, used, reset_ms }
    }

    #[test]
    fn the_tighter_limit_is_shown() {
        let key = q(Scope::Key, 3000, 10, 100_000);
        let profile = q(Scope::Profile, 300, 10, 200_000);
        assert_eq!(tighter(&[key, profile]), Some(profile), "fewer left");
        let key = q(Scope::Key, 3000, 2999, 100_000);
        assert_eq!(tighter(&[key, profile]), Some(key), "fewer left");
        // Both over: the request can pass only once both reset.
        let key = q(Scope::Key, 3000, 3001, 100_000);
        let profile = q(Scope::Profile, 300, 301, 200_000);
        assert_eq!(tighter(&[key, profile]), Some(profile));
        // One over: that one, even if the other ends later.
        let profile = q(Scope::Profile, 300, 5, 250_000);
        assert_eq!(tighter(&[key, profile]), Some(key));
        assert_eq!(tighter(&[]), None);
    }

    #[test]
    fn headers_and_retry_after_in_their_units() {
        let mut h = HeaderMap::new();
        write_headers(&mut h, &q(Scope::Profile, 300, 12, 61_001));
        assert_eq!(h["x-ratelimit-limit"], "300");
        assert_eq!(h["x-ratelimit-max"], "300");
        assert_eq!(h["x-ratelimit-remaining"], "288");
        assert_eq!(h["x-ratelimit-count"], "12");
        assert_eq!(h["x-ratelimit-reset"], "61001");
        assert!(h.get("retry-after").is_none());
        write_headers(&mut h, &q(Scope::Profile, 300, 301, 61_001));
        assert_eq!(h["x-ratelimit-remaining"], "0");
        assert_eq!(h["retry-after"], "62", "seconds, rounded up");
        write_headers(&mut h, &q(Scope::Profile, 300, 301, 0));
        assert_eq!(h["retry-after"], "1", "never 0");
    }
}
