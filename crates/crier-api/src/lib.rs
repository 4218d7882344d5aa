//! crier-api: the Ayrshare-compatible HTTP API. One file per endpoint group,
//! each exposing `router()`; this file assembles them.

mod auth;
pub mod openapi;
pub mod i18n;
mod query;
mod render;
mod routes;

pub use auth::Caller;
pub use routes::media::sweep_expired as sweep_expired_media;

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
        Ok(AppState { store: engine.store().clone(), engine, i18n: Arc::new(Translator::new()?), wait_limit, allow_loopback_media, clicks, media })
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

/// The whole API, every route under `/api/`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(routes::post::router())
        .merge(routes::history::router())
        .merge(routes::profiles::router())
        .merge(routes::analytics::router())
        .merge(routes::user::router())
        .merge(routes::links::router())
        .merge(routes::media::router())
        .route("/openapi.json", axum::routing::get(openapi::openapi_json));
    Router::new()
        .nest("/api", api)
        .merge(routes::links::redirect_router())
        .merge(routes::media::serve_router())
        .fallback(routes::fallback::not_found)
        .method_not_allowed_fallback(routes::fallback::method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(json_charset))
        .with_state(state)
}
