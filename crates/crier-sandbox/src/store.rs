//! The state of one emulated network: its data behind a mutex, and a
//! sequence that feeds its ids and survives `reset`, so ids never repeat
//! within a sandbox's life.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

pub(crate) struct NetworkStore<I> {
    inner: Mutex<I>,
    seq: AtomicU64,
}

impl<I: Default> NetworkStore<I> {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(I::default()),
            seq: AtomicU64::new(1),
        }
    }

    /// The data; a panic while it was held does not lock the sandbox up.
    pub(crate) fn lock(&self) -> MutexGuard<'_, I> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// 1, 2, 3, … across resets.
    pub(crate) fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Forgets everything but the id sequence.
    pub(crate) fn reset(&self) {
        *self.lock() = I::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_keeps_the_sequence() {
        let store: NetworkStore<Vec<u8>> = NetworkStore::new();
        store.lock().push(1);
        assert_eq!(store.next_seq(), 1);
        store.reset();
        assert!(store.lock().is_empty());
        assert_eq!(store.next_seq(), 2);
    }
}
