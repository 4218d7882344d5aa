//! Request counters behind the networks' rate limits and daily caps.

/// A fixed window that starts with its first request after the previous
/// one ran out (Bitly's hour and minute, Google's per-minute quota).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FixedWindow {
    start: i64,
    used: u32,
}

impl FixedWindow {
    /// Counts one call at `now` (seconds) in a window of `len` seconds;
    /// `false` (nothing counted) when `limit` calls were already made in it.
    pub(crate) fn take(&mut self, limit: u32, len: i64, now: i64) -> bool {
        if now >= self.start + len {
            self.start = now;
            self.used = 0;
        }
        if self.used >= limit {
            return false;
        }
        self.used += 1;
        true
    }
}

/// Things done per UTC day (LinkedIn's member posts, TikTok's direct posts).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DayCounter {
    day: i64,
    count: u32,
}

impl DayCounter {
    /// Counts one at `now_ms` (unix ms) if fewer than `cap` were counted
    /// that day; a new day starts from 0.
    pub(crate) fn take(&mut self, cap: u32, now_ms: i64) -> bool {
        let today = now_ms.div_euclid(86_400_000);
        if self.day != today {
            *self = Self {
                day: today,
                count: 0,
            };
        }
        if self.count >= cap {
            return false;
        }
        self.count += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_days() {
        let mut w = FixedWindow::default();
        assert!(w.take(1, 60, 1000));
        assert!(!w.take(1, 60, 1059));
        assert!(w.take(1, 60, 1060));
        let mut day = DayCounter::default();
        assert!(day.take(1, 5));
        assert!(!day.take(1, 86_399_999));
        assert!(day.take(1, 86_400_000));
    }
}
