//! The one retry policy every network call goes through (docs/delivery.md).

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Failed attempts at most, of any phase, before the delivery settles.
    pub max_attempts: u32,
    /// First backoff; doubled each failure, with up to 25 % jitter.
    pub base: Duration,
    /// No automatic retry is scheduled later than this after the delivery was first due.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 5, base: Duration::from_secs(2), deadline: Duration::from_secs(600) }
    }
}

impl RetryPolicy {
    /// Delay before the next attempt after the `failures`-th failure, or `None` when retrying is over.
    /// `hint` is the network's own wait signal (Retry-After): honoured, never shortened.
    /// `elapsed` is the time since the delivery was first due; `jitter` a draw in [0, 1).
    pub fn next_delay(&self, failures: u32, hint: Option<Duration>, elapsed: Duration, jitter: f64) -> Option<Duration> {
        if failures >= self.max_attempts {
            return None;
        }
        let exp = self.base.saturating_mul(1u32 << failures.clamp(1, 16).saturating_sub(1));
        let backoff = exp + exp.mul_f64(jitter.clamp(0.0, 1.0) * 0.25);
        let delay = hint.map_or(backoff, |h| h.max(backoff));
        (elapsed + delay <= self.deadline).then_some(delay)
    }

    /// Network calls one delivery may make in the phases the policy paces (prepare, publish,
    /// lookups, delete) before it settles: every failure is counted, each ambiguous publish adds
    /// at most two lookups that are not failures (one at once, one when its window has passed).
    pub fn call_bound(&self) -> u64 {
        let n = self.max_attempts as u64;
        // failures (n) + successful prepare and publish (2) + two free lookups per publish attempt.
        n + 2 + 2 * n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_and_stops() {
        let p = RetryPolicy { max_attempts: 3, base: Duration::from_secs(1), deadline: Duration::from_secs(60) };
        let d1 = p.next_delay(1, None, Duration::ZERO, 0.0).unwrap();
        let d2 = p.next_delay(2, None, Duration::ZERO, 0.99).unwrap();
        assert_eq!(d1, Duration::from_secs(1));
        assert!(d2 >= Duration::from_secs(2) && d2 < Duration::from_millis(2500), "{d2:?}");
        assert_eq!(p.next_delay(3, None, Duration::ZERO, 0.0), None);
        // A Retry-After beyond the deadline means: do not wait, fail now.
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(120)), Duration::ZERO, 0.0), None);
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(5)), Duration::ZERO, 0.0), Some(Duration::from_secs(5)));
        // A wait signal shorter than the backoff does not shorten it.
        assert_eq!(p.next_delay(2, Some(Duration::from_millis(1)), Duration::ZERO, 0.0), Some(Duration::from_secs(2)));
    }
}
