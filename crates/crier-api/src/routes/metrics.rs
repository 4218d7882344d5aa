//! `GET /metrics`: the Prometheus text exposition of the process's series (`telemetry`), behind
//! an optional bearer token. Job-queue gauges are sampled from the store at each scrape.

use crate::AppState;
use crate::auth::{bearer, lang_of};
use crate::render::flat_error;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use crier_core::{Action, Code, ErrorReport};
use sha2::{Digest, Sha256};

/// How `/metrics` is served (`AppState::with_metrics`).
#[derive(Clone)]
pub struct MetricsEndpoint {
    pub handle: &'static metrics_exporter_prometheus::PrometheusHandle,
    /// Required as `Authorization: Bearer <token>` when set.
    pub token: Option<String>,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// Compares digests, so the time taken does not tell how much of the token was right.
fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

async fn scrape(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let Some(m) = &s.metrics else {
        return super::fallback::not_found(State(s.clone()), headers, axum::http::Method::GET, "/metrics".parse().expect("static path")).await;
    };
    if let Some(token) = &m.token
        && !bearer(&headers).is_some_and(|given| same_secret(given, token))
    {
        let e = ErrorReport::new(Code::InvalidApiKey, Action::Auth).details("the metrics token is missing or wrong");
        return flat_error(&s.i18n, lang_of(&headers), &e);
    }
    if let Err(e) = crier_engine::telemetry::sample_jobs(&s.store).await {
        tracing::warn!(error = %e, "metrics: the job queue could not be sampled");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], m.handle.render()).into_response()
}
