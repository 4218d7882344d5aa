//! crier-api: the Ayrshare-compatible HTTP API. One file per endpoint group,
//! each exposing `router()`; this file assembles them.

mod access;
mod auth;
mod cors;
pub mod openapi;
mod openapi_limits;
pub mod i18n;
mod query;
mod rate_limit;
mod render;
mod routes;
pub mod telemetry;

pub use access::REQUEST_ID;
pub use auth::Caller;
pub use routes::metrics::MetricsEndpoint;
pub use cors::CorsSettings;
pub use rate_limit::{RateLimiter, RateLimits};
pub use routes::media::sweep_expired as sweep_expired_media;
pub use routes::linking::LinkingSettings;

use axum::Router;
use crier_engine::Engine;
use crier_store::Store;
use i18n::Translator;
use std::sync::Arc;
use std::time::Duration;

/// Largest request body accepted (posts are JSON; media travel by URL).
pub const MAX_BODY_BYTES: usize = 1 << 20;

#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub store: Store,
    pub i18n: Arc<Translator>,
    /// How long `POST /post` waits for immediate deliveries before answering `pending`.
    pub wait_limit: Duration,
    /// Accept `http://` media URLs on loopback hosts (tests and the local sandbox only).
    pub allow_loopback_media: bool,
    pub clicks: crier_engine::ClickRecorder,
    pub media: MediaSettings,
    /// `None`: `/metrics` is off (404).
    pub metrics: Option<MetricsEndpoint>,
    /// crier's own API rate limit (Ayrshare's defaults until `with_rate_limits`).
    pub rate_limit: RateLimiter,
    /// Browser origins allowed by CORS (none until `with_cors`).
    pub cors: CorsSettings,
    /// The account-linking page and generateJWT (defaults until `with_linking`).
    pub linking: Arc<routes::linking::Linking>,
}

/// Where uploaded media is kept and how it is addressed.
#[derive(Clone, Debug)]
pub struct MediaSettings {
    pub staging: crier_media::Staging,
    /// Public base URL of this crier (`/media/{token}` is appended).
    pub public_base: String,
    pub upload_ttl: Duration,
    /// The SSRF-guarded fetcher, for `POST /media/urlExists`.
    pub fetcher: crier_media::SafeFetcher,
}

impl AppState {
    pub fn new(engine: Arc<Engine>, wait_limit: Duration, allow_loopback_media: bool, media: MediaSettings) -> Result<AppState, String> {
        let clicks = crier_engine::ClickRecorder::start(engine.store().clone());
        let (rate_limit, cors) = (RateLimiter::default(), CorsSettings::default());
        Ok(AppState { store: engine.store().clone(), engine, i18n: Arc::new(Translator::new()?), wait_limit, allow_loopback_media, clicks, media, metrics: None, rate_limit, cors, linking: Arc::new(routes::linking::Linking::new(LinkingSettings::default())) })
    }

    /// Serves `/metrics` from the process's recorder (installed by `telemetry::install`).
    pub fn with_metrics(mut self, endpoint: MetricsEndpoint) -> AppState {
        self.metrics = Some(endpoint);
        self
    }

    pub fn with_rate_limits(mut self, limits: RateLimits) -> AppState {
        self.rate_limit = RateLimiter::new(limits);
        self
    }

    pub fn with_cors(mut self, cors: CorsSettings) -> AppState {
        self.cors = cors;
        self
    }

    pub fn with_linking(mut self, settings: LinkingSettings) -> AppState {
        self.linking = Arc::new(routes::linking::Linking::new(settings));
        self
    }
}

/// Ayrshare answers `application/json; charset=utf-8`; some clients check for it.
async fn json_charset(mut resp: axum::response::Response) -> axum::response::Response {
    let ct = axum::http::header::CONTENT_TYPE;
    if resp.headers().get(&ct).is_some_and(|v| v == "application/json") {
        resp.headers_mut().insert(ct, axum::http::HeaderValue::from_static("application/json; charset=utf-8"));
    }
    resp
}

/// The whole API, every route under `/api/`; probes and metrics at the root.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(routes::post::router())
        .merge(routes::history::router())
        .merge(routes::auto_schedule::router())
        .merge(routes::profiles::router())
        .merge(routes::analytics::router())
        .merge(routes::user::router())
        .merge(routes::links::router())
        .merge(routes::media::router())
        .merge(routes::linking::api_router())
        .merge(routes::hooks::router())
        .route("/openapi.json", axum::routing::get(openapi::openapi_json));
    let routes = Router::new()
        .nest("/api", api)
        .merge(routes::links::redirect_router())
        .merge(routes::linking::page_router())
        .merge(routes::media::serve_router())
        .merge(routes::health::router())
        .merge(routes::metrics::router())
        .fallback(routes::fallback::not_found)
        .method_not_allowed_fallback(routes::fallback::method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(json_charset))
        .layer(axum::middleware::from_fn(rate_limit::headers));
    // CORS around every route and fallback: preflights are answered before auth, counting and
    // method dispatch (no 405/912), and every answer gets CORS headers. Outermost of all, the
    // access layer: every answer (errors, 404s, 429s, preflights) gets an id, a log line, metrics.
    cors::apply(routes, &state.cors).layer(axum::middleware::from_fn(access::observe)).with_state(state)
}
