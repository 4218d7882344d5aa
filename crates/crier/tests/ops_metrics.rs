//! `/metrics`: the Prometheus series after real posts, the optional bearer token, and a real
//! Prometheus server (Debian's `prometheus`) scraping crier and answering queries about it.
//!
//! The recorder is process-wide and the tests of this file share it: assertions are on deltas,
//! or on series that only grow.

mod common;
use common::*;
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;

const TOKEN: &str = "scrape-secret-42";
const PROMETHEUS: &str = "/usr/bin/prometheus";

/// The text exposition, read with the token.
async fn scrape(h: &Harness) -> String {
    let r = h.http.get(format!("{}/metrics", h.base)).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    r.text().await.unwrap()
}

/// Sum of the samples of `name` whose labels include every one of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (n, set) = series.split_once('{').map_or((series, ""), |(n, rest)| (n, rest.strip_suffix('}').unwrap_or(rest)));
            let wanted = n == name && labels.iter().all(|(k, v)| set.split(',').any(|kv| kv == format!("{k}=\"{v}\"")));
            wanted.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

#[tokio::test]
async fn exposition_counts_requests_deliveries_retries_and_lookups() {
    let h = Harness::start_with(|c| c.metrics.token = Some(TOKEN.into())).await;
    let before = scrape(&h).await;

    // Telegram fails once transiently (a retry), Bluesky's answer is lost once (a lookup).
    h.fault(json!({"network": "telegram", "endpoint": "sendMessage", "status": 500, "times": 1}));
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "reset": "after", "times": 1}));
    let posted = h.post(json!({"post": text("metrics"), "platforms": ["telegram", "bluesky"]})).await;
    let settled = h.settled(&posted).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    // Bluesky refuses the next one: a failure with its catalog code.
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "status": 400,
        "body": {"error": "InvalidRequest", "message": "Record rejected by the sandbox"}}));
    let refused = h.post(json!({"post": text("metrics refused"), "platforms": ["bluesky"]})).await;
    let code = refused.body["errors"][0]["code"].as_i64().unwrap_or_else(|| panic!("{}", refused.body)).to_string();

    let after = scrape(&h).await;
    let grew = |name: &str, labels: &[(&str, &str)]| sample(&after, name, labels) - sample(&before, name, labels);
    let post_route = [("route", "/api/post"), ("method", "POST")];
    assert!(grew("crier_http_requests_total", &[post_route[0], post_route[1], ("status", "200")]) >= 1.0, "{after}");
    assert!(grew("crier_http_requests_total", &[post_route[0], post_route[1], ("status", "400")]) >= 1.0, "{after}");
    assert!(grew("crier_http_requests_total", &[("route", "/api/post/{id}"), ("method", "GET"), ("status", "200")]) >= 1.0, "{after}");
    assert!(grew("crier_http_request_duration_seconds_count", &post_route) >= 2.0, "{after}");
    assert!(grew("crier_http_request_duration_seconds_bucket", &[post_route[0], ("le", "+Inf")]) >= 2.0, "{after}");
    assert!(grew("crier_deliveries_total", &[("network", "telegram"), ("outcome", "published"), ("code", "none")]) >= 1.0, "{after}");
    assert!(grew("crier_deliveries_total", &[("network", "bluesky"), ("outcome", "published")]) >= 1.0, "{after}");
    assert!(grew("crier_deliveries_total", &[("network", "bluesky"), ("outcome", "failed"), ("code", &code)]) >= 1.0, "{after}");
    assert!(grew("crier_retries_total", &[("network", "telegram"), ("action", "post")]) >= 1.0, "{after}");
    assert!(grew("crier_reconciles_total", &[("network", "bluesky"), ("result", "published")]) >= 1.0, "{after}");
    let transient_publish = [("network", "telegram"), ("phase", "publish"), ("outcome", "transient")];
    assert!(grew("crier_network_call_duration_seconds_count", &transient_publish) >= 1.0, "{after}");
    assert!(grew("crier_network_call_duration_seconds_count", &[("network", "bluesky"), ("phase", "publish"), ("outcome", "ambiguous")]) >= 1.0);

    // Gauges sampled at the scrape, and every series described.
    for series in ["crier_jobs{state=\"due\"}", "crier_jobs{state=\"leased\"}", "crier_jobs{state=\"pending\"}", "crier_jobs_oldest_due_seconds", "crier_build_info{"] {
        assert!(after.contains(series), "{series} missing:\n{after}");
    }
    for help in ["crier_http_requests_total", "crier_deliveries_total", "crier_network_call_duration_seconds", "crier_retries_total", "crier_reconciles_total", "crier_jobs"] {
        assert!(after.contains(&format!("# HELP {help} ")), "no HELP for {help}");
    }
    assert!(after.contains("# TYPE crier_http_request_duration_seconds histogram"), "{after}");
}

#[tokio::test]
async fn a_token_guards_metrics_with_a_catalog_401() {
    let h = Harness::start_with(|c| c.metrics.token = Some(TOKEN.into())).await;
    let url = format!("{}/metrics", h.base);
    for token in [None, Some("wrong"), Some("scrape-secret-4"), Some("scrape-secret-420")] {
        let mut req = h.http.get(&url).header("x-request-id", "scrape-1");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401, "{token:?}");
        assert_eq!(r.headers()["x-request-id"], "scrape-1");
        let body: Value = r.json().await.unwrap();
        assert_eq!((body["code"].as_i64(), body["status"].as_str()), (Some(102), Some("error")), "{body}");
    }
    assert!(scrape(&h).await.contains("crier_http_requests_total"));
    // /health and /ready stay open.
    assert_eq!(h.http.get(format!("{}/health", h.base)).send().await.unwrap().status().as_u16(), 200);
}

#[tokio::test]
async fn metrics_can_be_turned_off() {
    let h = Harness::start_with(|c| c.metrics.enabled = false).await;
    let r = h.http.get(format!("{}/metrics", h.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 912, "{body}");
}

/// A loopback port free a moment ago (Prometheus binds it itself).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The first sample of a Prometheus instant query, once the query returns one.
async fn query(http: &reqwest::Client, prometheus: &str, promql: &str) -> Option<f64> {
    let r = http.get(format!("{prometheus}/api/v1/query")).query(&[("query", promql)]).send().await.ok()?;
    let body: Value = r.json().await.ok()?;
    body["data"]["result"][0]["value"][1].as_str()?.parse().ok()
}

#[tokio::test]
async fn a_real_prometheus_scrapes_crier_and_answers_queries() {
    if !std::path::Path::new(PROMETHEUS).exists() {
        eprintln!("SKIPPED a_real_prometheus_scrapes_crier_and_answers_queries: {PROMETHEUS} is absent (apt-get install -y --no-install-recommends prometheus)");
        return;
    }
    let h = Harness::start_with(|c| c.metrics.token = Some(TOKEN.into())).await;
    let posted = h.post(json!({"post": text("prometheus"), "platforms": ["telegram"]})).await;
    assert_eq!(h.settled(&posted).await.body["status"], "success");

    let dir = tempfile::tempdir().unwrap();
    let target = h.base.trim_start_matches("http://");
    // Two jobs on the same crier: one with the token, one with a wrong one (refused: `up` = 0).
    let job = |name: &str, token: &str| {
        format!("  - job_name: {name}\n    authorization:\n      type: Bearer\n      credentials: {token}\n    static_configs:\n      - targets: ['{target}']\n")
    };
    let config = format!(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n{}{}",
        job("crier", TOKEN),
        job("crier-wrong-token", "not-the-token")
    );
    std::fs::write(dir.path().join("prometheus.yml"), config).unwrap();
    let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
    let port = free_port();
    let mut prometheus = tokio::process::Command::new(PROMETHEUS)
        .arg(format!("--config.file={}", dir.path().join("prometheus.yml").display()))
        .arg(format!("--storage.tsdb.path={}", dir.path().join("tsdb").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");

    let expected = [
        ("up{job=\"crier\"}", 1.0),
        ("up{job=\"crier-wrong-token\"}", 0.0),
        ("sum(crier_deliveries_total{network=\"telegram\",outcome=\"published\",job=\"crier\"})", 1.0),
        ("sum(crier_http_requests_total{route=\"/api/post\",method=\"POST\",status=\"200\",job=\"crier\"})", 1.0),
        ("sum(crier_network_call_duration_seconds_count{network=\"telegram\",phase=\"publish\",job=\"crier\"})", 1.0),
        // The wrong token's scrapes, as crier counted them.
        ("sum(crier_http_requests_total{route=\"/metrics\",status=\"401\",job=\"crier\"})", 1.0),
        ("count(crier_jobs{job=\"crier\"})", 3.0),
    ];
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    let mut missing = Vec::new();
    loop {
        missing.clear();
        for (promql, at_least) in expected {
            let got = query(&http, &base, promql).await;
            // `up` of the refused job must be exactly 0; the others at least their value.
            let good = match got {
                Some(v) if at_least == 0.0 => v == 0.0,
                Some(v) => v >= at_least,
                None => false,
            };
            if !good {
                missing.push(format!("{promql} = {got:?}"));
            }
        }
        if missing.is_empty() {
            break;
        }
        let exited = prometheus.try_wait().unwrap();
        if exited.is_some() || tokio::time::Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.path().join("prometheus.log")).unwrap_or_default();
            panic!("Prometheus ({exited:?}) never showed: {missing:?}\n--- prometheus log (tail) ---\n{}", &log[log.len().saturating_sub(4000)..]);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
