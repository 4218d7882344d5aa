//! crier-engine: takes stored deliveries to the networks and back.
//!
//! A worker claims due jobs from the store, and drives each delivery through
//! `queued → prepared → publishing → published | failed | unknown`, persisting
//! every step before the next network call. A delivery found in `publishing`
//! (its worker died, or the answer was lost) is reconciled with the network,
//! never blindly re-sent. The rules are written down in docs/delivery.md.

mod byo;
mod delivery;
mod insight;
mod media_prep;
mod removal;
mod retry;
mod shortener;
pub mod telemetry;
pub mod token_sweep;
pub mod tokens;
mod webhooks;
mod worker;

pub use byo::ByoKeys;
pub use insight::NetworkAnswer;
pub use media_prep::MediaPrep;
pub use removal::Removal;
pub use retry::RetryPolicy;
pub use webhooks::{WebhookSender, WebhookSettings, whsec};
pub use shortener::{Click, ClickRecorder, LinkSettings, Provider, find_links};

use crier_networks::Networks;
use crier_store::{DeliveryState, PostRecord, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Deliveries sent at once by this process.
    pub concurrency: usize,
    /// How long a claimed job belongs to this process before another may take it over.
    pub lease: Duration,
    pub retry: RetryPolicy,
    /// How long an X delivery waits for the node holding its request's app keys before
    /// another node may take it (and, without the keys, fail it with 419).
    pub byo_affinity: Duration,
    /// How long after a post was due crier keeps asking a network that accepted it whether it went
    /// live (TikTok moderation can take hours). After that the delivery settles as unknown (905).
    pub confirm_deadline: Duration,
    /// Seeds the backoff jitter (simulations replay a schedule exactly); `None`: from the OS.
    pub jitter_seed: Option<u64>,
    /// How long a request for an immediate post waits for its answer (`wait_limit_secs`). A
    /// network's wait signal (Retry-After) that would outlast it settles the delivery with the
    /// network's error at once instead of waiting (scheduled and retried posts still wait).
    /// `None`: always wait (within `retry.deadline`).
    pub answer_wait: Option<Duration>,
    /// How often idle OAuth accounts are checked for a refresh (token_sweep.rs); zero: never.
    pub token_sweep: Duration,
    /// Refresh tokens ending within this margin are refreshed by the sweep.
    pub token_sweep_margin: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            concurrency: 16,
            lease: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            byo_affinity: Duration::from_secs(60),
            confirm_deadline: Duration::from_secs(48 * 3600),
            jitter_seed: None,
            answer_wait: None,
            token_sweep: Duration::from_secs(3600),
            token_sweep_margin: Duration::from_secs(7 * 86_400),
        }
    }
}

pub struct Engine {
    store: Store,
    networks: Networks,
    config: EngineConfig,
    /// Identifies this process's leases.
    owner: String,
    wake: Notify,
    settled: broadcast::Sender<String>,
    byo: byo::ByoVault,
    links: LinkSettings,
    /// Converting and staging images a network refuses; `None`: media go out as sent.
    media: Option<Arc<media_prep::MediaPrep>>,
    jitter: std::sync::Mutex<rand::rngs::StdRng>,
    /// The worker loop's sign of life (readiness).
    beat: worker::Beat,
    /// OAuth apps that refresh linked accounts' tokens (tokens.rs); set at start-up.
    oauth: std::sync::RwLock<Arc<tokens::OAuthApps>>,
    /// Webhook delivery (webhooks/); set at start-up, off until then.
    webhooks: std::sync::OnceLock<Arc<webhooks::WebhookSender>>,
}

impl Engine {
    /// `media`: converting and staging images a network refuses; `None` sends media as given.
    pub fn new(store: Store, networks: Networks, config: EngineConfig, links: LinkSettings, media: Option<MediaPrep>) -> Arc<Engine> {
        let (settled, _) = broadcast::channel(1024);
        let jitter = {
            use rand::SeedableRng;
            match config.jitter_seed {
                Some(seed) => rand::rngs::StdRng::seed_from_u64(seed),
                None => rand::rngs::StdRng::from_os_rng(),
            }
        };
        Arc::new(Engine {
            store,
            networks,
            config,
            owner: crier_store::random_token(16),
            wake: Notify::new(),
            settled,
            byo: byo::ByoVault::default(),
            links,
            media: media.map(Arc::new),
            jitter: std::sync::Mutex::new(jitter),
            beat: worker::Beat::default(),
            oauth: Default::default(),
            webhooks: Default::default(),
        })
    }

    /// Pins deliveries needing this node's in-memory X keys to this node, from `start_ms`.
    pub fn affinity_from(&self, start_ms: i64) -> crier_store::Affinity {
        crier_store::Affinity { node: self.owner.clone(), until_ms: start_ms + self.config.byo_affinity.as_millis() as i64 }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn networks(&self) -> &Networks {
        &self.networks
    }

    /// Claims the job of `delivery_id` if it is due and free, and runs it to its next persisted
    /// step. For drivers that choose the order of jobs themselves (the deterministic simulation);
    /// the worker loop (`run`) is the production driver. False: not due, or held by another.
    pub async fn run_job(self: &Arc<Self>, delivery_id: &str) -> crier_store::Result<bool> {
        if !self.store.claim_job(delivery_id, &self.owner, self.config.lease.as_millis() as i64).await? {
            return Ok(false);
        }
        use tracing::Instrument;
        self.try_process(delivery_id).instrument(delivery::delivery_span(delivery_id)).await?;
        Ok(true)
    }

    /// Tells the worker that new jobs may be due.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until every delivery of the post is settled, or `limit` passes.
    /// Returns the post as it stands then.
    pub async fn wait_settled(&self, post_id: &str, limit: Duration) -> crier_store::Result<Option<PostRecord>> {
        self.wait_until(post_id, limit, PostRecord::is_settled).await
    }

    /// Like `wait_settled`, but also returns once every delivery not settled was accepted by its
    /// network and is only being confirmed (TikTok): the caller can be told `pending` right away.
    pub async fn wait_answered(&self, post_id: &str, limit: Duration) -> crier_store::Result<Option<PostRecord>> {
        self.wait_until(post_id, limit, |p| p.is_settled() || p.deliveries.iter().all(|d| d.state.is_settled() || d.state == DeliveryState::Accepted))
            .await
    }

    pub(crate) async fn wait_until(&self, post_id: &str, limit: Duration, done: impl Fn(&PostRecord) -> bool) -> crier_store::Result<Option<PostRecord>> {
        let deadline = tokio::time::Instant::now() + limit;
        let mut rx = self.settled.subscribe();
        loop {
            let post = self.store.post_by_id(post_id).await?;
            match &post {
                Some(p) if !done(p) => {}
                _ => return Ok(post),
            }
            // Settlements are announced; the periodic re-read covers ones made by another process.
            let tick = tokio::time::Instant::now() + Duration::from_secs(1);
            // Only this post's settlement wakes the reader (not every post's: with many requests
            // waiting, each settlement would make all of them read their posts again).
            let this_post = async {
                loop {
                    match rx.recv().await {
                        Ok(id) if id == post_id => break,
                        Ok(_) => continue,
                        // Missed announcements: read again, one of them may have been ours.
                        Err(broadcast::error::RecvError::Lagged(_)) => break,
                        Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
                    }
                }
            };
            tokio::select! {
                _ = this_post => {}
                _ = tokio::time::sleep_until(tick.min(deadline)) => {}
            }
            if tokio::time::Instant::now() >= deadline {
                return self.store.post_by_id(post_id).await;
            }
        }
    }
}
