//! The loop that claims due jobs and runs them, and its orderly stop.

use crate::Engine;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Longest sleep between two looks at the queue (a backstop; wake-ups are normally notified).
const IDLE_POLL: Duration = Duration::from_millis(500);

/// A loop that has not turned for this long is taken as stuck (it turns at least every IDLE_POLL
/// unless the store hangs).
const STALE_AFTER: Duration = Duration::from_secs(30);

/// When the worker loop last turned; `None` while no loop runs (not started, stopped, aborted).
#[derive(Default)]
pub(crate) struct Beat(Mutex<Option<Instant>>);

impl Beat {
    fn set(&self, at: Option<Instant>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

/// Clears the beat when the loop ends, however it ends (stop, panic, task aborted).
struct Alive<'a>(&'a Beat);

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.set(None);
    }
}

impl Engine {
    /// Runs the worker until `stop` turns true, then lets in-flight deliveries finish
    /// (up to `grace`) so that none is cut between two persisted steps needlessly.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>, grace: Duration) {
        self.beat.set(Some(Instant::now()));
        let _alive = Alive(&self.beat);
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
        // Idle OAuth accounts are refreshed before their grant dies (token_sweep.rs).
        let sweeper = tokio::spawn(self.clone().sweep_tokens_until(stop.clone()));
        // The webhook outbox is sent next to the jobs (webhooks/).
        let hooks = tokio::spawn(self.clone().deliver_webhooks_until(stop.clone()));
        let slots = Arc::new(Semaphore::new(self.config.concurrency));
        let mut tasks = JoinSet::new();
        loop {
            if *stop.borrow() {
                break;
            }
            self.beat.set(Some(Instant::now()));
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
        sweeper.abort();
        let _ = hooks.await;
        self.beat.set(None);
        tracing::info!(in_flight = tasks.len(), "worker stopping");
        let drained = tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            // What is still running stops here; each delivery is in a persisted state the next start resumes.
            tasks.abort_all();
        }
    }
}

impl Engine {
    /// Whether this process's worker loop runs and turns; `Err` says why not (readiness).
    pub fn worker_health(&self) -> Result<(), String> {
        match *self.beat.0.lock().unwrap_or_else(|e| e.into_inner()) {
            None => Err("the delivery worker is not running".into()),
            Some(at) if at.elapsed() > STALE_AFTER => Err(format!("the delivery worker loop has not turned for {} s", at.elapsed().as_secs())),
            Some(_) => Ok(()),
        }
    }
}
