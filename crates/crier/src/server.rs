//! `crier serve`: store, engine, API (and optionally the sandbox) in one process.

use crate::cfg::Config;
use crate::{http_serve, media, secrets, setup};
use crier_api::{AppState, app};
use crier_engine::{Engine, MediaPrep};
use crier_media::{ConvertLimits, Converter};
use crier_networks::{Endpoints, MediaSource, Networks};
use crier_sandbox::SandboxHandle;
use crier_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A started crier: its address, and the handles to stop it in order.
pub struct Running {
    pub addr: SocketAddr,
    /// Set in sandbox mode: the in-process emulators and the API key made for them.
    pub sandbox: Option<(SandboxHandle, String)>,
    stop: watch::Sender<bool>,
    http: JoinHandle<()>,
    worker: JoinHandle<()>,
    sweeper: JoinHandle<()>,
    store: Store,
    engine: Arc<Engine>,
}

pub async fn start(cfg: Config) -> Result<Running, BoxError> {
    let cipher = secrets::cipher(&cfg)?;
    let store = Store::open(cfg.database_url.as_deref(), &cfg.data_dir, cipher).await?;

    let mut settings = cfg.networks.settings();
    let mut allow_loopback = cfg.media.allow_loopback;
    let mut local_only = cfg.media.local_only;
    let sandbox = if cfg.sandbox {
        let handle = crier_sandbox::start(cfg.sandbox_listen).await?;
        settings.endpoints = Endpoints::sandbox(&handle.url);
        // The sandbox serves on loopback; media for it may too, and nothing real may be fetched.
        allow_loopback = true;
        local_only = true;
        Some(handle)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(cfg.listen).await?;
    let addr = listener.local_addr()?;
    let safe = media::safe_fetcher(cfg.media.fetch_policy(allow_loopback), local_only, &cfg.media.hosts);
    let media = cfg.media_settings(addr, safe.clone())?;
    let own = media::OwnMedia { store: store.clone(), staging: media.staging.clone(), public_base: media.public_base.clone() };
    let fetcher: Arc<dyn MediaSource> = Arc::new(media::Fetcher::new(safe, Some(own)));
    let networks = Networks::new(&settings, fetcher.clone());
    let prep = MediaPrep {
        source: fetcher,
        converter: Converter::new(ConvertLimits { max_input_bytes: cfg.media.max_bytes, ..ConvertLimits::default() }, cfg.media.convert_parallelism()),
        staging: media.staging.clone(),
        public_base: media.public_base.clone(),
        ttl: Duration::from_secs(cfg.media.converted_ttl_secs),
        max_bytes: cfg.media.max_bytes,
    };
    let engine = Engine::new(store.clone(), networks, cfg.engine_config(), cfg.link_settings(addr)?, Some(prep));
    // Apps that refresh linked accounts' tokens; under --sandbox, the sandbox's (oauth_cfg.rs).
    let oauth_apps = cfg.oauth.apps(sandbox.as_ref().map(|h| h.url.as_str()));
    engine.set_oauth_apps(oauth_apps.clone());
    // Webhook deliveries go through the media fetcher's SSRF guard and loopback rules.
    engine.set_webhooks(cfg.webhooks.sender(allow_loopback, local_only, &cfg.media.hosts)?);
    let mut state = AppState::new(engine.clone(), Duration::from_secs(cfg.wait_limit_secs), allow_loopback, media.clone())?
        .with_rate_limits(cfg.rate_limits())
        .with_cors(cfg.cors_settings()?)
        .with_linking(cfg.linking.settings(addr, oauth_apps)?);
    if cfg.metrics.enabled {
        state = state.with_metrics(crier_api::MetricsEndpoint { handle: crier_api::telemetry::install(), token: cfg.metrics.token.clone() });
    }

    let sandbox = match sandbox {
        Some(handle) => {
            let key = setup::sandbox_account(&store, &cfg.data_dir).await?;
            // Images crier converts are pulled by TikTok from crier's own host.
            handle.state.verify_tiktok_url_prefix(&format!("{}/media/", media.public_base.trim_end_matches('/')));
            Some((handle, key))
        }
        None => None,
    };

    let (stop, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(engine.clone().run(stop_rx.clone(), Duration::from_secs(cfg.shutdown_grace_secs)));
    let sweeper = {
        let (store, staging) = (store.clone(), media.staging.clone());
        tokio::spawn(async move {
            loop {
                if let Err(e) = crier_api::sweep_expired_media(&store, &staging).await {
                    tracing::warn!(error = %e, "media sweep failed");
                }
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
        })
    };
    let http = tokio::spawn(http_serve::serve(listener, app(state), cfg.http.limits(), stop_rx));
    Ok(Running { addr, sandbox, stop, http, worker, sweeper, store, engine })
}

impl Running {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The node's engine (tests drive its token sweep directly).
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Ends the delivery worker's task at once, as a crash of it would (readiness tests).
    pub fn abort_worker(&self) {
        self.worker.abort();
    }

    /// Stops taking requests, lets in-flight deliveries reach a persisted step, closes the store.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.http.await;
        let _ = self.worker.await;
        self.sweeper.abort();
        self.store.close().await;
        if let Some((sandbox, _)) = self.sandbox {
            sandbox.shutdown();
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler installs");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
