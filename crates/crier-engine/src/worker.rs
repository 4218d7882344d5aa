//! The loop that claims due jobs and runs them, and its orderly stop.

use crate::Engine;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Longest sleep between two looks at the queue (a backstop; wake-ups are normally notified).
const IDLE_POLL: Duration = Duration::from_millis(500);

impl Engine {
    /// Runs the worker until `stop` turns true, then lets in-flight deliveries finish
    /// (up to `grace`) so that none is cut between two persisted steps needlessly.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>, grace: Duration) {
        if self.store.single_node() {
            match self.store.release_all_leases().await {
                Ok(n) if n > 0 => tracing::info!(jobs = n, "took over jobs left by the previous run"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "could not release old leases"),
            }
        }
        // Other nodes' new jobs wake this worker at once (PostgreSQL); polling remains the backstop.
        let listener = {
            let engine = self.clone();
            tokio::spawn(async move { engine.store.listen_for_jobs(|| engine.wake()).await })
        };
        let slots = Arc::new(Semaphore::new(self.config.concurrency));
        let mut tasks = JoinSet::new();
        loop {
            if *stop.borrow() {
                break;
            }
            while tasks.try_join_next().is_some() {}
            let free = slots.available_permits() as i64;
            if free > 0 {
                match self.store.claim_due(&self.owner, self.config.lease.as_millis() as i64, free).await {
                    Ok(jobs) => {
                        for job in jobs {
                            let permit = slots.clone().acquire_owned().await.expect("semaphore is never closed");
                            let engine = self.clone();
                            tasks.spawn(async move {
                                engine.process(&job.delivery_id).await;
                                drop(permit);
                                engine.wake();
                            });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "claiming jobs failed"),
                }
            }
            let sleep = match self.store.next_wakeup_ms(&self.owner).await {
                Ok(Some(at)) => Duration::from_millis((at - self.store.now_ms()).clamp(0, IDLE_POLL.as_millis() as i64) as u64),
                _ => IDLE_POLL,
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
                _ = stop.changed() => {}
            }
        }
        listener.abort();
        tracing::info!(in_flight = tasks.len(), "worker stopping");
        let drained = tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            // What is still running stops here; each delivery is in a persisted state the next start resumes.
            tasks.abort_all();
        }
    }
}
