//! The store's notion of now. Production reads the system clock; simulations of the engine set
//! time themselves, so a fault schedule replays exactly from its seed.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands still at `start_ms` until it is moved.
    pub fn manual(start_ms: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(start_ms))))
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Some(t) => t.load(Ordering::SeqCst),
            None => crate::now_ms(),
        }
    }

    /// Moves a manual clock forward to `to_ms` (never back). No effect on the system clock.
    pub fn advance_to(&self, to_ms: i64) {
        if let Some(t) = &self.0 {
            t.fetch_max(to_ms, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_forward() {
        let c = Clock::manual(1_000);
        c.advance_to(500);
        assert_eq!(c.now_ms(), 1_000);
        c.advance_to(2_000);
        assert_eq!(c.now_ms(), 2_000);
        assert!(Clock::system().now_ms() > 1_600_000_000_000);
    }
}
