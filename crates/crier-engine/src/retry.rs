//! When a transient failure is tried again automatically.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts at most, counting the first.
    pub max_attempts: u32,
    /// First backoff; doubled each attempt, with jitter.
    pub base: Duration,
    /// No automatic retry is scheduled later than this after the first attempt's failure.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 5, base: Duration::from_secs(2), deadline: Duration::from_secs(600) }
    }
}

impl RetryPolicy {
    /// Delay before attempt `attempts + 1`, or `None` when retrying is over.
    /// `hint` is the network's own Retry-After; `elapsed` the time since the delivery first ran.
    pub fn next_delay(&self, attempts: u32, hint: Option<Duration>, elapsed: Duration) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let exp = self.base.saturating_mul(1u32 << attempts.min(16).saturating_sub(1));
        let jitter = exp.mul_f64(rand::random::<f64>() * 0.25);
        let delay = hint.unwrap_or(exp + jitter);
        (elapsed + delay <= self.deadline).then_some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_and_stops() {
        let p = RetryPolicy { max_attempts: 3, base: Duration::from_secs(1), deadline: Duration::from_secs(60) };
        let d1 = p.next_delay(1, None, Duration::ZERO).unwrap();
        let d2 = p.next_delay(2, None, Duration::ZERO).unwrap();
        assert!(d1 >= Duration::from_secs(1) && d1 < Duration::from_secs(2));
        assert!(d2 >= Duration::from_secs(2));
        assert_eq!(p.next_delay(3, None, Duration::ZERO), None);
        // A Retry-After beyond the deadline means: do not wait, fail now.
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(120)), Duration::ZERO), None);
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(5)), Duration::ZERO), Some(Duration::from_secs(5)));
    }
}
