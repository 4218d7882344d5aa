//! The Prometheus recorder behind `/metrics`, and the HTTP series.
//!
//! The `metrics` recorder is process-wide: it is installed once, and every crier server in the
//! process (tests run several) records into it and renders it.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;

/// Counter {route, method, status}: answered requests; `route` is the matched route template
/// (`/api/post/{id}`), `unmatched` for paths no route knows.
pub const HTTP_REQUESTS: &str = "crier_http_requests_total";
/// Histogram {route, method, status}: time to the answer's headers.
pub const HTTP_SECONDS: &str = "crier_http_request_duration_seconds";
/// Gauge: requests being handled now.
pub const HTTP_IN_FLIGHT: &str = "crier_http_requests_in_flight";
/// Gauge {version} = 1: which crier runs.
pub const BUILD_INFO: &str = "crier_build_info";

/// Histogram buckets for every `_seconds` series: from a fast read (5 ms) to a slow upload or a
/// `POST /post` that waits for its networks (up to two minutes).
const SECONDS_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0];

/// How often histogram samples are folded into their buckets when nobody scrapes (bounds memory).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process's Prometheus recorder on first call; later calls return the same handle.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new().set_buckets(SECONDS_BUCKETS).expect("bucket list is not empty");
        let handle = match builder.install_recorder() {
            Ok(h) => h,
            Err(e) => {
                // Another recorder owns the process (an embedding program): render an empty one.
                tracing::warn!(error = %e, "metrics recorder not installed; /metrics will be empty");
                PrometheusBuilder::new().build_recorder().handle()
            }
        };
        describe();
        metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        let upkeep = handle.clone();
        // A plain thread: the recorder outlives any one tokio runtime (tests start many).
        let _ = std::thread::Builder::new().name("crier-metrics-upkeep".into()).spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by matched route, method and status.");
    describe_histogram!(HTTP_SECONDS, Unit::Seconds, "Time to answer an HTTP request (headers), by matched route, method and status.");
    describe_gauge!(HTTP_IN_FLIGHT, "HTTP requests being handled.");
    describe_gauge!(BUILD_INFO, "Always 1; the version label says which crier runs.");
    crier_engine::telemetry::describe();
}
