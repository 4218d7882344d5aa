//! Recorded upstream answers (`tests/fixtures/<network>/<case>.json`) and what a mapping made of them.
#![allow(dead_code)]

use crier_networks::Failure;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use std::time::Duration;

/// A recorded answer. `RESET` in a fixture becomes "now + `reset_in` seconds" (rate-limit reset headers).
pub fn fixture(path: &str, reset_in: i64) -> (u16, HeaderMap, Value) {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let reset = (chrono::Utc::now().timestamp() + reset_in).to_string();
    let v: Value = serde_json::from_str(&text.replace("RESET", &reset)).unwrap();
    let mut headers = HeaderMap::new();
    for (k, val) in v["headers"].as_object().into_iter().flatten() {
        headers.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(val.as_str().unwrap()).unwrap());
    }
    (v["status"].as_u64().unwrap() as u16, headers, v["body"].clone())
}

/// (transient?, code, retryAvailable, retry after, details)
pub fn outcome(f: Failure) -> (bool, u16, bool, Option<Duration>, String) {
    match f {
        Failure::Rejected(e) => (false, e.code, e.retry_available, None, e.details.unwrap_or_default()),
        Failure::Transient { error, retry_after } => (true, error.code, error.retry_available, retry_after, error.details.unwrap_or_default()),
        Failure::Ambiguous { .. } => panic!("an error answer is never ambiguous"),
    }
}
