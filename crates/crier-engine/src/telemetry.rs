//! The engine's Prometheus series (through the `metrics` facade: no-ops until the binary installs
//! a recorder). Names, labels and meanings are listed once here; `describe` gives them their HELP.

use crier_core::Platform;
use crier_networks::{Failure, Reconciled};
use crier_store::{JobCounts, Phase, Store};
use metrics::{counter, gauge, histogram};
use std::future::Future;
use std::time::{Duration, Instant};

/// Counter {network, outcome, code}: deliveries settled; outcome `published|failed|unknown`,
/// code the catalog code of a failed or unknown one (`none` when published).
pub const DELIVERIES: &str = "crier_deliveries_total";
/// Histogram {network, phase, outcome}: one network call of a delivery (all its HTTP requests);
/// phase `prepare|poll|publish|confirm|lookup|delete`, outcome `ok|rejected|transient|ambiguous`
/// (lookups: `published|not_published|unknown|no_lookup`).
pub const NETWORK_CALL_SECONDS: &str = "crier_network_call_duration_seconds";
/// Counter {network, action}: automatic retries scheduled after a transient failure (`post|delete`).
pub const RETRIES: &str = "crier_retries_total";
/// Counter {network, result}: lookups made to settle a publish whose answer was lost.
pub const RECONCILES: &str = "crier_reconciles_total";
/// Counter {format, outcome}: images converted to JPEG for a network (`format`: the source's).
pub const CONVERSIONS: &str = "crier_media_conversions_total";
/// Histogram {format, outcome}: time to convert one image.
pub const CONVERSION_SECONDS: &str = "crier_media_conversion_duration_seconds";
/// Gauge {state}: jobs in the queue, `due|leased|pending` (sampled at scrape time; cluster-wide).
pub const JOBS: &str = "crier_jobs";
/// Gauge: seconds the longest-waiting due job has waited for a worker (0 when none waits).
pub const JOBS_OLDEST_DUE_SECONDS: &str = "crier_jobs_oldest_due_seconds";

/// Registers the HELP text of every engine series with the installed recorder.
pub fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(DELIVERIES, "Deliveries settled, by network, outcome (published, failed, unknown) and catalog code.");
    describe_histogram!(NETWORK_CALL_SECONDS, Unit::Seconds, "Duration of each network call of a delivery, by network, phase and outcome.");
    describe_counter!(RETRIES, "Automatic retries scheduled after a transient failure, by network and action (post, delete).");
    describe_counter!(RECONCILES, "Lookups made to settle a publish whose answer was lost, by network and result.");
    describe_counter!(CONVERSIONS, "Images converted to JPEG for a network, by source format and outcome.");
    describe_histogram!(CONVERSION_SECONDS, Unit::Seconds, "Duration of one image conversion, by source format and outcome.");
    describe_gauge!(JOBS, "Jobs in the queue: due (waiting for a worker), leased (running), pending (not due yet).");
    describe_gauge!(JOBS_OLDEST_DUE_SECONDS, Unit::Seconds, "How long the longest-waiting due job has waited for a worker.");
}

pub(crate) fn settled(platform: Platform, outcome: &'static str, code: Option<u16>) {
    let code = code.map_or_else(|| "none".to_string(), |c| c.to_string());
    counter!(DELIVERIES, "network" => platform.as_str(), "outcome" => outcome, "code" => code).increment(1);
}

pub(crate) fn retry(platform: Platform, action: &'static str) {
    counter!(RETRIES, "network" => platform.as_str(), "action" => action).increment(1);
}

fn call(platform: Platform, phase: Phase, outcome: &'static str, took: Duration) {
    histogram!(NETWORK_CALL_SECONDS, "network" => platform.as_str(), "phase" => phase.as_str(), "outcome" => outcome).record(took.as_secs_f64());
}

fn failure_label(f: &Failure) -> &'static str {
    match f {
        Failure::Rejected(_) => "rejected",
        Failure::Transient { .. } => "transient",
        Failure::Ambiguous { .. } => "ambiguous",
    }
}

/// Runs one network call of `phase` and records its duration and outcome.
pub(crate) async fn timed<T>(platform: Platform, phase: Phase, work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    let started = Instant::now();
    let result = work.await;
    call(platform, phase, result.as_ref().err().map_or("ok", failure_label), started.elapsed());
    result
}

/// Runs one lookup (reconcile) and records it as a call and as a reconcile by its result.
pub(crate) async fn timed_lookup(platform: Platform, work: impl Future<Output = Reconciled>) -> Reconciled {
    let started = Instant::now();
    let result = work.await;
    let label = match &result {
        Reconciled::Published(_) => "published",
        Reconciled::NotPublished => "not_published",
        Reconciled::Unknown => "unknown",
        Reconciled::NoLookup => "no_lookup",
    };
    call(platform, Phase::Lookup, label, started.elapsed());
    counter!(RECONCILES, "network" => platform.as_str(), "result" => label).increment(1);
    result
}

/// Records one image conversion from `mime` (e.g. `image/heic`).
pub(crate) fn conversion(mime: &str, ok: bool, took: Duration) {
    let format = mime.strip_prefix("image/").unwrap_or(mime).to_string();
    let outcome = if ok { "ok" } else { "error" };
    counter!(CONVERSIONS, "format" => format.clone(), "outcome" => outcome).increment(1);
    histogram!(CONVERSION_SECONDS, "format" => format, "outcome" => outcome).record(took.as_secs_f64());
}

/// Samples the job queue into the `crier_jobs*` gauges (called when metrics are scraped).
pub async fn sample_jobs(store: &Store) -> crier_store::Result<JobCounts> {
    let counts = store.job_counts().await?;
    gauge!(JOBS, "state" => "due").set(counts.due as f64);
    gauge!(JOBS, "state" => "leased").set(counts.leased as f64);
    gauge!(JOBS, "state" => "pending").set(counts.pending as f64);
    let waited_ms = counts.oldest_due_ms.map_or(0, |at| (store.now_ms() - at).max(0));
    gauge!(JOBS_OLDEST_DUE_SECONDS).set(waited_ms as f64 / 1000.0);
    Ok(counts)
}
