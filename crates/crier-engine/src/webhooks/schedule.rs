//! When a failed webhook delivery is tried again: Svix's schedule (configurable), ±20 % jitter,
//! `Retry-After` honoured within [delay, 2 × delay] (as Svix clamps it).

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// Delay before each retry after a failure; its length is the number of retries
    /// (default Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — 8 attempts over ~27.5 h).
    pub schedule: Vec<Duration>,
    /// A receiver must answer within this (default 10 s, as Ayrshare).
    pub timeout: Duration,
    /// A registration whose deliveries all fail for this long is disabled (default 5 days, as Svix).
    pub disable_after: Duration,
    /// Deliveries sent at once by this process (default 8).
    pub concurrency: usize,
    /// Settled events and attempts are forgotten after this (default 30 days).
    pub retention: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        let s = Duration::from_secs;
        WebhookSettings {
            schedule: vec![s(5), s(300), s(1800), s(7200), s(18_000), s(36_000), s(36_000)],
            timeout: s(10),
            disable_after: s(5 * 86_400),
            concurrency: 8,
            retention: s(30 * 86_400),
        }
    }
}

/// The delay before the retry that follows failed attempt number `attempts` (1-based); `None`
/// when the schedule is exhausted. `unit` in [0, 1) draws the jitter; `retry_after` is the
/// receiver's wish.
pub(crate) fn next_delay(settings: &WebhookSettings, attempts: i64, unit: f64, retry_after: Option<Duration>) -> Option<Duration> {
    let base = *settings.schedule.get(usize::try_from(attempts - 1).ok()?)?;
    let jittered = base.mul_f64(0.8 + 0.4 * unit.clamp(0.0, 1.0));
    Some(match retry_after {
        Some(wish) => wish.clamp(jittered, jittered * 2),
        None => jittered,
    })
}

/// `Retry-After` in seconds (an HTTP date is not worth parsing here: the schedule applies).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svix_schedule_with_jitter_and_retry_after() {
        let s = WebhookSettings::default();
        assert_eq!(next_delay(&s, 1, 0.5, None), Some(Duration::from_secs(5)));
        assert_eq!(next_delay(&s, 2, 0.0, None), Some(Duration::from_secs(240)));
        assert_eq!(next_delay(&s, 7, 0.5, None), Some(Duration::from_secs(36_000)));
        assert_eq!(next_delay(&s, 8, 0.5, None), None, "8 attempts, then exhausted");
        assert_eq!(next_delay(&s, 1, 0.5, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
        assert_eq!(next_delay(&s, 1, 0.5, Some(Duration::from_secs(3600))), Some(Duration::from_secs(10)), "clamped to twice the delay");
        assert_eq!(next_delay(&s, 1, 0.5, Some(Duration::from_secs(1))), Some(Duration::from_secs(5)), "never sooner than scheduled");
    }
}
