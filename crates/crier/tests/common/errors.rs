//! Assertions on the errors of crier's answers, alike for every network.

use super::Reply;
use serde_json::Value;

/// The first `errors[]` element of a post's answer.
pub fn first_error(r: &Reply) -> &Value {
    &r.body["errors"][0]
}

/// Asserts the answer's first error: `platform`, catalog `code`, the answer's HTTP status, and
/// `retryAvailable` — `true` when `retryable`, absent otherwise (crier never sends `false`).
/// Returns its details ("" when it has none).
#[track_caller]
pub fn assert_network_error(r: &Reply, platform: &str, code: i64, http: u16, retryable: bool) -> String {
    assert_eq!(r.status, http, "{}", r.body);
    let e = first_error(r);
    assert_eq!((e["code"].as_i64(), e["platform"].as_str()), (Some(code), Some(platform)), "{e}");
    if retryable {
        assert_eq!(e["retryAvailable"], true, "{e}");
    } else {
        assert!(e.get("retryAvailable").is_none(), "a retry cannot help here: {e}");
    }
    e["details"].as_str().unwrap_or("").to_string()
}

/// The `platform` of every `postIds` entry, sorted.
pub fn published_platforms(r: &Reply) -> Vec<String> {
    let ids = r.body["postIds"].as_array().unwrap_or_else(|| panic!("no postIds: {}", r.body));
    let mut names: Vec<String> = ids.iter().map(|p| p["platform"].as_str().unwrap_or_default().to_string()).collect();
    names.sort();
    names
}
