//! Deterministic simulation of the delivery engine (docs/delivery.md, "Proof by simulation").
//!
//! The real engine and the real store (SQLite; PostgreSQL too when `CRIER_TEST_DATABASE_URL` is
//! set) drive posts through simulated networks that implement the `Network` trait. Time is the
//! store's manual clock, moved only by this driver; every fault comes from one seeded generator:
//! answers lost after the request was processed, requests that land late (after the client gave
//! up) or never, resets before processing, 5xx, 429 with a wait signal, refusals, lookups that
//! fail, and a process crash in the middle of any network call (the engine is dropped and a new
//! one resumes from the store). After each seed the invariants are checked.
//!
//! `CRIER_SIM_SEEDS=N` sets how many seeds run (default 1500 on SQLite, 500 on PostgreSQL);
//! `CRIER_SIM_SEED=S` replays one seed exactly. A failing seed prints itself.

use async_trait::async_trait;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_engine::{Engine, EngineConfig, LinkSettings, Provider, RetryPolicy};
use crier_networks::{Call, Confirmed, Content, Failure, Network, Networks, Poll, PublishCap, Published, Reconciled, Settings};
use crier_store::{Cipher, Clock, DeliveryState, NewDelivery, NewPost, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

const HTTP_TIMEOUT_MS: i64 = 10_000;
const LEASE_MS: i64 = 120_000;
/// Simulated networks: their names, whether they offer a lookup, their processing lag, a cap, and
/// whether an accepted publish is confirmed later (TikTok-like: processing, then live or refused).
const NETWORKS: [(Platform, bool, i64, Option<u32>, bool); 5] = [
    (Platform::Bluesky, true, 5_000, None, false),
    (Platform::Linkedin, true, 30_000, None, false),
    (Platform::Instagram, true, 30_000, Some(3), false),
    (Platform::Telegram, false, 0, None, false),
    (Platform::Tiktok, false, 60_000, None, true),
];

/// What the simulated networks know: what they published, what is still to land, and the calls made.
struct World {
    clock: Clock,
    rng: StdRng,
    /// (platform, text) → native ids published (more than one is a duplicate).
    published: HashMap<(Platform, String), Vec<String>>,
    /// Requests processed after the client stopped waiting: (when, platform, text).
    landing: Vec<(i64, Platform, String)>,
    /// Calls per (platform, text), as the network saw them.
    calls: HashMap<(Platform, String), u64>,
    /// Crashes per (platform, text): each may cost calls the engine could not count.
    crashes: HashMap<(Platform, String), u64>,
    next_id: u64,
    crash: Arc<Notify>,
}

impl World {
    fn land_due(&mut self) {
        let now = self.clock.now_ms();
        let (due, later): (Vec<_>, Vec<_>) = self.landing.drain(..).partition(|(at, _, _)| *at <= now);
        self.landing = later;
        for (_, p, text) in due {
            self.publish_now(p, &text);
        }
    }

    fn publish_now(&mut self, p: Platform, text: &str) -> String {
        self.next_id += 1;
        let id = format!("{}-{}", p.as_str(), self.next_id);
        self.published.entry((p, text.to_string())).or_default().push(id.clone());
        id
    }

    fn held(&self, p: Platform, text: &str) -> Option<&String> {
        self.published.get(&(p, text.to_string())).and_then(|ids| ids.first())
    }

    /// Begins a call: time for it to land, and one more call on the count.
    fn enter(&mut self, p: Platform, text: &str) -> f64 {
        self.land_due();
        *self.calls.entry((p, text.to_string())).or_default() += 1;
        self.rng.random::<f64>()
    }

    /// A call that hangs until crier's timeout: time passes.
    fn wait_timeout(&self) {
        self.clock.advance_to(self.clock.now_ms() + HTTP_TIMEOUT_MS);
    }

    fn crash_now(&mut self, p: Platform, text: &str) {
        *self.crashes.entry((p, text.to_string())).or_default() += 1;
        self.crash.notify_one();
    }
}

struct SimNet {
    platform: Platform,
    lookup: bool,
    lag_ms: i64,
    cap: Option<u32>,
    confirms: bool,
    world: Arc<Mutex<World>>,
}

fn error(p: Platform, code: Code) -> ErrorReport {
    ErrorReport::for_platform(code, Action::Post, p).arg("network", p.display_name())
}

fn transient(p: Platform, retry_after: Option<Duration>) -> Failure {
    Failure::Transient { error: error(p, Code::NetworkUnavailable).details("HTTP 503"), retry_after }
}

impl SimNet {
    /// What the network does with a publish request; `None`: the process dies mid-call.
    fn publish_outcome(&self, text: &str) -> Option<Result<Published, Failure>> {
        let (p, text) = (self.platform, text.to_string());
        let mut w = self.world.lock().unwrap();
        let roll = w.enter(p, &text);
        let sent_at = w.clock.now_ms();
        let lost = || Failure::Ambiguous { details: "connection reset; the answer was lost".into() };
        Some(match roll {
            // Processed, then the answer is lost.
            r if r < 0.10 => {
                w.publish_now(p, &text);
                Err(lost())
            }
            // Hangs past the timeout; lands later (within the network's lag), or never.
            r if r < 0.22 => {
                w.wait_timeout();
                if w.rng.random::<f64>() < 0.7 {
                    let at = sent_at + w.rng.random_range(0..=HTTP_TIMEOUT_MS + self.lag_ms);
                    w.landing.push((at, p, text));
                    w.land_due();
                }
                Err(Failure::Ambiguous { details: "timed out waiting for the answer".into() })
            }
            // Reset before the network processed anything.
            r if r < 0.30 => Err(lost()),
            r if r < 0.38 => Err(transient(p, None)),
            r if r < 0.43 => {
                let wait = Duration::from_secs(w.rng.random_range(1..=30));
                Err(Failure::Transient { error: error(p, Code::NetworkRateLimited), retry_after: Some(wait) })
            }
            r if r < 0.45 => Err(Failure::Rejected(error(p, Code::NetworkRejected).details("refused"))),
            // The process dies mid-call: the request was processed, lands late, or never arrived.
            r if r < 0.53 => {
                match w.rng.random_range(0..3) {
                    0 => {
                        w.publish_now(p, &text);
                    }
                    1 => {
                        let at = sent_at + w.rng.random_range(0..=HTTP_TIMEOUT_MS + self.lag_ms);
                        w.landing.push((at, p, text));
                    }
                    _ => {}
                }
                return None;
            }
            _ => {
                let id = w.publish_now(p, &text);
                Ok(Published { id, url: None, extras: Default::default() })
            }
        })
    }

    /// Never returns: the process died in the middle of this call.
    async fn crash(&self, text: &str) -> ! {
        self.world.lock().unwrap().crash_now(self.platform, text);
        std::future::pending::<()>().await;
        unreachable!()
    }
}

#[async_trait]
impl Network for SimNet {
    fn platform(&self) -> Platform {
        self.platform
    }

    fn landing_lag(&self) -> Duration {
        Duration::from_millis(self.lag_ms as u64)
    }

    async fn prepare(&self, _call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        let roll = self.world.lock().unwrap().enter(self.platform, &content.text);
        match roll {
            r if r < 0.04 => self.crash(&content.text).await,
            r if r < 0.12 => Err(transient(self.platform, None)),
            r if r < 0.16 => {
                self.world.lock().unwrap().wait_timeout();
                Err(Failure::Ambiguous { details: "timed out creating the container".into() })
            }
            r if r < 0.17 => Err(Failure::Rejected(error(self.platform, Code::NetworkRejected))),
            _ => Ok(json!({"container": content.text})),
        }
    }

    async fn poll(&self, _call: &Call<'_>, content: &Content, step: &Value) -> Result<Poll, Failure> {
        let roll = self.world.lock().unwrap().rng.random::<f64>();
        if roll < 0.05 {
            return Ok(Poll::Pending { step: step.clone(), retry_in: Duration::from_secs(1) });
        }
        let _ = content;
        Ok(Poll::Ready(step.clone()))
    }

    async fn publish(&self, _call: &Call<'_>, content: &Content, _step: &Value) -> Result<Published, Failure> {
        match self.publish_outcome(&content.text) {
            Some(answer) => answer,
            None => self.crash(&content.text).await,
        }
    }

    async fn reconcile(&self, _call: &Call<'_>, content: &Content, _step: &Value) -> Reconciled {
        if !self.lookup {
            return Reconciled::NoLookup;
        }
        let answer = {
            let mut w = self.world.lock().unwrap();
            let roll = w.enter(self.platform, &content.text);
            match roll {
                r if r < 0.03 => None,
                r if r < 0.15 => Some(Reconciled::Unknown),
                _ => Some(match w.held(self.platform, &content.text) {
                    Some(id) => Reconciled::Published(Published { id: id.clone(), url: None, extras: Default::default() }),
                    None => Reconciled::NotPublished,
                }),
            }
        };
        match answer {
            Some(a) => a,
            None => self.crash(&content.text).await,
        }
    }

    async fn confirm(&self, _call: &Call<'_>, content: &Content, published: &Published) -> Result<Confirmed, Failure> {
        if !self.confirms {
            return Ok(Confirmed::Done(published.clone()));
        }
        let answer = {
            // Confirmations are bounded by the confirm deadline, not the retry policy: not counted.
            let mut w = self.world.lock().unwrap();
            w.land_due();
            let roll = w.rng.random::<f64>();
            match roll {
                r if r < 0.03 => None,
                r if r < 0.08 => Some(Err(transient(self.platform, None))),
                // Moderation refused what it accepted: nothing stays visible.
                r if r < 0.13 => {
                    w.published.remove(&(self.platform, content.text.clone()));
                    Some(Err(Failure::Rejected(error(self.platform, Code::NetworkRejected).details("taken down"))))
                }
                r if r < 0.6 => Some(Ok(Confirmed::Pending { retry_in: Duration::from_secs(5) })),
                _ => Some(Ok(Confirmed::Done(published.clone()))),
            }
        };
        match answer {
            Some(a) => a,
            None => self.crash(&content.text).await,
        }
    }

    async fn delete(&self, _call: &Call<'_>, _native_id: &str) -> Result<(), Failure> {
        Ok(())
    }

    fn publish_cap(&self, credentials: &Value) -> Option<PublishCap> {
        let limit = self.cap?;
        let account = credentials.get("account").and_then(Value::as_str).unwrap_or_default();
        Some(PublishCap {
            key: format!("{}:{account}", self.platform.as_str()),
            limit,
            window: Duration::from_secs(24 * 3600),
            error: error(self.platform, Code::InstagramRateLimit),
        })
    }
}

fn engine_config(seed: u64) -> EngineConfig {
    EngineConfig {
        concurrency: 1,
        lease: Duration::from_millis(LEASE_MS as u64),
        retry: RetryPolicy { max_attempts: 4, base: Duration::from_secs(2), deadline: Duration::from_secs(900) },
        jitter_seed: Some(seed),
        ..EngineConfig::default()
    }
}

/// What one seed did, for the summary and the failure message.
#[derive(Default, Debug)]
struct Tally {
    published: u32,
    failed: u32,
    unknown: u32,
    crashes: u64,
    /// What happened, delivery by delivery: equal for two runs of one seed.
    trace: Vec<String>,
}

/// Runs one seed on `store` and checks the invariants. Err: what broke.
async fn run_seed(store: &Store, clock: &Clock, seed: u64) -> Result<Tally, String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let crash = Arc::new(Notify::new());
    let world = Arc::new(Mutex::new(World {
        clock: clock.clone(),
        rng: StdRng::seed_from_u64(seed ^ 0x5eed),
        published: HashMap::new(),
        landing: Vec::new(),
        calls: HashMap::new(),
        crashes: HashMap::new(),
        next_id: 0,
        crash: crash.clone(),
    }));
    let settings = Settings { http_timeout: Duration::from_millis(HTTP_TIMEOUT_MS as u64), ..Settings::default() };
    let nets: Vec<Arc<dyn Network>> = NETWORKS
        .iter()
        .map(|&(platform, lookup, lag_ms, cap, confirms)| Arc::new(SimNet { platform, lookup, lag_ms, cap, confirms, world: world.clone() }) as Arc<dyn Network>)
        .collect();
    let networks = Networks::from_parts(&settings, nets);
    let new_engine = || {
        let links = LinkSettings { base_url: "http://127.0.0.1:9/l".into(), provider: Provider::Internal };
        Engine::new(store.clone(), networks.clone(), engine_config(seed), links, None)
    };

    // One account per seed; its capped network allows 3 posts a day and gets up to 4.
    let account = store.create_account().await.map_err(|e| e.to_string())?;
    let profile = store.primary_profile(&account).await.map_err(|e| e.to_string())?;
    for (p, ..) in NETWORKS {
        store.link_network(&profile.id, p, &json!({"account": format!("seed-{seed}")}), None).await.map_err(|e| e.to_string())?;
    }
    let posts = rng.random_range(1..=4);
    let mut post_ids = Vec::new();
    for i in 0..posts {
        let text = format!("seed {seed} post {i}");
        let chosen: Vec<Platform> = NETWORKS.iter().map(|n| n.0).filter(|_| rng.random_bool(0.6)).collect();
        let chosen = if chosen.is_empty() { vec![Platform::Bluesky] } else { chosen };
        let names: Vec<&str> = chosen.iter().map(|p| p.as_str()).collect();
        let new = NewPost {
            profile_id: profile.id.clone(),
            request: json!({"post": text, "platforms": names}),
            text: text.clone(),
            deliveries: chosen.iter().map(|&platform| NewDelivery { platform, text: None, failed: None, pinned: false }).collect(),
            media_urls: vec![],
            schedule_ms: None,
            notes: None,
            idempotency: None,
            affinity: None,
            awaiting_approval: false,
        };
        match store.create_post(new).await.map_err(|e| e.to_string())? {
            crier_store::CreatedPost::Created(id) => post_ids.push(id),
            other => return Err(format!("post not created: {other:?}")),
        }
    }
    // Deliveries in a fixed order (the store's ids are random): the driver picks by this order.
    let mut order: Vec<String> = Vec::new();
    for id in &post_ids {
        let post = store.post_by_id(id).await.map_err(|e| e.to_string())?.ok_or("post vanished")?;
        order.extend(post.deliveries.iter().map(|d| d.id.clone()));
    }

    let mut engine = new_engine();
    let mut steps = 0;
    loop {
        steps += 1;
        if steps > 5_000 {
            return Err("no end after 5000 steps".into());
        }
        let due = store.due_job_ids().await.map_err(|e| e.to_string())?;
        let Some(next) = order.iter().find(|id| due.contains(id)).cloned() else {
            match store.next_wakeup_ms("sim").await.map_err(|e| e.to_string())? {
                Some(at) => {
                    clock.advance_to(at.max(clock.now_ms() + 1));
                    continue;
                }
                None => break,
            }
        };
        tokio::select! {
            biased;
            _ = crash.notified() => {
                // The process died mid-call: what it held in memory is gone. A new process starts
                // on the same store: on SQLite it releases every lease at start (one node), on
                // PostgreSQL it takes the job over when the lease runs out.
                engine = new_engine();
                if store.single_node() {
                    store.release_all_leases().await.map_err(|e| e.to_string())?;
                } else {
                    clock.advance_to(clock.now_ms() + LEASE_MS + 1);
                }
            }
            r = engine.run_job(&next) => { r.map_err(|e| format!("store error: {e}"))?; }
        }
    }
    drop(engine);

    // Everything still in flight lands, however late.
    {
        let mut w = world.lock().unwrap();
        clock.advance_to(clock.now_ms() + 3_600_000);
        w.land_due();
    }
    let (published, all_calls, all_crashes) = {
        let w = world.lock().unwrap();
        (w.published.clone(), w.calls.clone(), w.crashes.clone())
    };
    let mut tally = Tally { crashes: all_crashes.values().sum(), ..Tally::default() };
    let bound = engine_config(seed).retry.call_bound();
    for id in &post_ids {
        let post = store.post_by_id(id).await.map_err(|e| e.to_string())?.ok_or("post vanished")?;
        for d in &post.deliveries {
            let key = (d.platform, post.text.clone());
            let held = published.get(&key).cloned().unwrap_or_default();
            let what = format!("{} on {}: state {:?}, error {:?}, network holds {:?}", post.text, d.platform.as_str(), d.state, d.error.as_ref().map(|e| e.code), held);
            if held.len() > 1 {
                return Err(format!("published twice: {what}"));
            }
            let calls = all_calls.get(&key).copied().unwrap_or(0);
            let crashes = all_crashes.get(&key).copied().unwrap_or(0);
            if calls > bound + crashes {
                return Err(format!("{calls} calls, over the policy's bound {bound} + {crashes} crashes: {what}"));
            }
            let holds_slot = store.holds_cap_slot(&d.id).await.map_err(|e| e.to_string())?;
            tally.trace.push(format!("{what}; calls {calls}; crier {:?} {:?}", d.native_id, d.calls));
            match d.state {
                DeliveryState::Published => {
                    tally.published += 1;
                    if held.first() != d.native_id.as_ref() {
                        return Err(format!("published with id {:?}: {what}", d.native_id));
                    }
                }
                DeliveryState::Failed => {
                    tally.failed += 1;
                    if !held.is_empty() {
                        return Err(format!("reported failed but published: {what}"));
                    }
                    if holds_slot {
                        return Err(format!("a failed delivery holds a cap slot: {what}"));
                    }
                }
                DeliveryState::Unknown => {
                    tally.unknown += 1;
                    if d.error.as_ref().is_none_or(|e| e.retry_available || e.code != Code::OutcomeUnknown.entry().code) {
                        return Err(format!("unknown without 905 or with retryAvailable: {what}"));
                    }
                }
                other => return Err(format!("not terminal ({other:?}): {what}")),
            }
            if d.error.as_ref().is_some_and(|e| e.retry_available) && !held.is_empty() {
                return Err(format!("retryAvailable although the network holds the post: {what}"));
            }
        }
    }
    Ok(tally)
}

async fn campaign(store: Store, clock: Clock, seeds: std::ops::Range<u64>) {
    let mut total = Tally::default();
    let n = seeds.end - seeds.start;
    for seed in seeds {
        match run_seed(&store, &clock, seed).await {
            Ok(t) => {
                total.published += t.published;
                total.failed += t.failed;
                total.unknown += t.unknown;
                total.crashes += t.crashes;
            }
            Err(e) => panic!("seed {seed} broke an invariant: {e}\nreplay: CRIER_SIM_SEED={seed} cargo test -p crier-engine --test simulation"),
        }
    }
    eprintln!(
        "simulated {n} seeds ({:?}): published {}, failed {}, unknown {}, crashes {}",
        store.dialect(),
        total.published,
        total.failed,
        total.unknown,
        total.crashes
    );
    // The schedule must reach every outcome, or the invariants were checked on too little.
    if n >= 200 {
        assert!(total.published > 0 && total.failed > 0 && total.unknown > 0 && total.crashes > 0, "{total:?}");
    }
}

fn seeds(default: u64) -> std::ops::Range<u64> {
    if let Some(s) = std::env::var("CRIER_SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        return s..s + 1;
    }
    let n = std::env::var("CRIER_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    0..n
}

/// A seed is the whole schedule: run twice on two fresh stores, it does exactly the same.
#[tokio::test(flavor = "current_thread")]
async fn a_seed_replays_exactly() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::manual(1_800_000_000_000);
        let store = Store::open_sqlite(dir.path(), Cipher::new([7; 32])).await.unwrap().with_clock(clock.clone());
        let mut traces = Vec::new();
        for seed in 0..40 {
            traces.push(run_seed(&store, &clock, seed).await.unwrap().trace);
        }
        runs.push(traces);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].iter().flatten().count() >= 40);
}

/// On SQLite by default; on PostgreSQL when `CRIER_TEST_DATABASE_URL` is set (the README's test
/// command runs the suite once per backend).
#[tokio::test(flavor = "current_thread")]
async fn the_engine_holds_its_invariants_under_seeded_faults() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(1_800_000_000_000);
    let cipher = Cipher::new([7; 32]);
    match std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin) => {
            let url = Store::fresh_postgres_database(&admin).await.unwrap();
            let store = Store::open_postgres(&url, cipher).await.unwrap().with_clock(clock.clone());
            campaign(store, clock, seeds(500)).await;
        }
        None => {
            let store = Store::open_sqlite(dir.path(), cipher).await.unwrap().with_clock(clock.clone());
            campaign(store, clock, seeds(1500)).await;
        }
    }
}
