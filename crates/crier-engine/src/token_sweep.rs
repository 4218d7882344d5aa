//! Refreshing idle accounts before their grant dies (oauth-and-webhooks.md §11.3): Threads'
//! long-lived tokens end 60 days after the last refresh, Pinterest's continuous refresh tokens
//! after 60 days unused, TikTok's refresh tokens on a fixed date, Google's after 6 months unused.
//! An account nobody posts to is never refreshed just in time, so a periodic sweep
//! (`engine.token_sweep_secs`, hourly by default) refreshes the OAuth-linked accounts whose
//!
//! - access token (when it lives at least two sweeps) expires within the just-in-time margin,
//!   or within two sweeps;
//! - refresh token expires within `engine.token_sweep_margin_secs` (7 days by default) plus a sweep;
//! - last refresh (or link) is older than [`IDLE_REFRESH`] (Google states no expiry at all).
//!
//! Each refresh takes the same single-flight path as a publish (tokens.rs, the per-account
//! lease): two nodes sweeping at once refresh an account once.

use crate::Engine;
use crate::tokens::skew_ms;
use crier_core::{Action, Code, ErrorReport};
use crier_networks::oauth;
use crier_store::TokenTimes;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Refresh an account not refreshed for this long: well inside Google's 6 months unused and
/// Pinterest's and Threads' 60 days.
pub const IDLE_REFRESH: Duration = Duration::from_secs(30 * 86_400);

/// Whether the sweep should refresh this account now.
pub fn due(t: &TokenTimes, now_ms: i64, every: Duration, refresh_margin: Duration) -> bool {
    let every_ms = every.as_millis() as i64;
    let access = match (t.expires_ms, t.lifetime_ms) {
        // Short-lived tokens (Google, Reddit: 1 h) are refreshed on use; the sweep would only
        // refresh them every time it runs.
        (Some(exp), Some(life)) if life >= 2 * every_ms => exp - now_ms <= skew_ms(Some(life)).max(2 * every_ms).min(life / 2),
        _ => false,
    };
    let refresh = t.refresh_expires_ms.is_some_and(|exp| exp - now_ms <= refresh_margin.as_millis() as i64 + every_ms);
    let idle = now_ms - t.fresh_since_ms >= IDLE_REFRESH.as_millis() as i64;
    access || refresh || idle
}

impl Engine {
    /// Sweeps every `engine.token_sweep_secs` until `stop` (0: never).
    pub(crate) async fn sweep_tokens_until(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let every = self.config.token_sweep;
        if every.is_zero() {
            return;
        }
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                return;
            }
            if let Err(e) = self.sweep_tokens().await {
                tracing::warn!(error = %e, "token sweep failed");
            }
        }
    }

    /// One sweep: refreshes the accounts [`due`] now; returns how many were refreshed.
    pub async fn sweep_tokens(&self) -> crier_store::Result<usize> {
        let now = self.store.now_ms();
        let mut refreshed = 0;
        for t in self.store.oauth_token_times().await? {
            if !due(&t, now, self.config.token_sweep, self.config.token_sweep_margin) {
                continue;
            }
            let Some((credentials, meta)) = self.store.token_state(&t.profile_id, t.platform).await? else { continue };
            let has_refresh = credentials.get("refreshToken").and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty());
            // Only what tokens.rs would refresh (never a Meta Page token: it would be marked).
            if meta.relink_reason.is_some() || !oauth::refreshable(t.platform, &credentials) || !(has_refresh || meta.expires_ms.is_some()) {
                continue;
            }
            // "The token in hand is to be replaced": refreshed under the lease unless another
            // node (or a publish) already replaced it.
            let why = ErrorReport::for_platform(Code::TokenInvalid, Action::Post, t.platform).details("refreshed ahead by the token sweep");
            match self.after_token_failure(&t.profile_id, t.platform, Action::Post, &credentials, &why).await? {
                Ok(_) => refreshed += 1,
                Err(f) => tracing::warn!(network = t.platform.as_str(), failure = ?f, "idle token refresh failed"),
            }
        }
        if refreshed > 0 {
            tracing::info!(refreshed, "token sweep refreshed idle accounts");
        }
        Ok(refreshed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crier_core::Platform;

    const DAY: i64 = 86_400_000;
    const HOUR: Duration = Duration::from_secs(3600);
    const WEEK: Duration = Duration::from_secs(7 * 86_400);

    fn times(expires: Option<i64>, lifetime: Option<i64>, refresh_expires: Option<i64>, fresh_since: i64) -> TokenTimes {
        TokenTimes { profile_id: "p".into(), platform: Platform::Threads, expires_ms: expires, refresh_expires_ms: refresh_expires, lifetime_ms: lifetime, fresh_since_ms: fresh_since }
    }

    #[test]
    fn a_threads_token_is_refreshed_after_a_month_or_in_its_last_six_days() {
        let now = 100 * DAY;
        assert!(!due(&times(Some(now + 40 * DAY), Some(60 * DAY), None, now - 20 * DAY), now, HOUR, WEEK));
        assert!(due(&times(Some(now + 29 * DAY), Some(60 * DAY), None, now - 31 * DAY), now, HOUR, WEEK), "idle for a month");
        // Granted with less than its full lifetime left (linked late in a token's life).
        assert!(!due(&times(Some(now + 7 * DAY), Some(60 * DAY), None, now - DAY), now, HOUR, WEEK));
        assert!(due(&times(Some(now + 5 * DAY), Some(60 * DAY), None, now - DAY), now, HOUR, WEEK));
    }

    #[test]
    fn hour_long_tokens_are_left_to_just_in_time_refresh() {
        let now = 100 * DAY;
        assert!(!due(&times(Some(now + 60_000), Some(3_600_000), None, now - 3_540_000), now, HOUR, WEEK));
    }

    #[test]
    fn a_refresh_token_about_to_end_and_an_idle_google_grant_are_refreshed() {
        let now = 100 * DAY;
        assert!(due(&times(Some(now + 20 * DAY), Some(30 * DAY), Some(now + 6 * DAY), now - 10 * DAY), now, HOUR, WEEK), "Pinterest, 6 days left");
        assert!(!due(&times(Some(now + 20 * DAY), Some(30 * DAY), Some(now + 50 * DAY), now - 10 * DAY), now, HOUR, WEEK));
        assert!(due(&times(Some(now + 1_000), Some(3_600_000), None, now - 31 * DAY), now, HOUR, WEEK), "Google unused for a month");
    }

    #[test]
    fn short_sandbox_lifetimes_with_a_short_sweep() {
        let s = Duration::from_secs(1);
        assert!(!due(&times(Some(20_000), Some(20_000), None, 0), 5_000, s, WEEK), "15 s of 20 left");
        assert!(due(&times(Some(20_000), Some(20_000), None, 0), 11_000, s, WEEK), "9 s of 20 left");
    }
}
