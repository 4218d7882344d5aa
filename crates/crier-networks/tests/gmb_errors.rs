//! Google Business Profile's error table, one row per recorded answer
//! (`tests/fixtures/gmb/<case>.json`).

mod common;
use crier_networks::Failure;
use crier_networks::gmb;
use std::time::Duration;

fn fixture(case: &str) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    common::fixture(&format!("gmb/{case}.json"), 0)
}

#[test]
fn gmb_table() {
    // (case, transient, code, retry after in seconds)
    let rows: &[(&str, bool, u16, Option<u64>)] = &[
        ("unauthenticated", false, 908, None),
        ("permission_denied", false, 915, None),
        ("unverified", false, 915, None),
        ("quota", true, 909, Some(30)),
        ("quota_no_header", true, 909, None),
        ("summary_too_long", false, 132, None),
        ("photo_fetch_failed", false, 136, None),
        ("photo_rejected", false, 182, None),
        // PHOTO_UPLOAD_FAILED naming the source URL is still about the photo, not the URL.
        ("photo_upload_failed", false, 182, None),
        ("invalid_argument", false, 915, None),
        ("not_found", false, 915, None),
        ("internal", true, 910, None),
        ("unavailable", true, 910, None),
    ];
    for (case, transient, code, after) in rows {
        let (status, headers, body) = fixture(case);
        let (t, n, retry, wait, details) = common::outcome(gmb::map_error(status, &headers, &body, 1600));
        assert_eq!((t, n), (*transient, *code), "gmb/{case}");
        assert_eq!(retry, n == 910, "gmb/{case}: retryAvailable only for transient unavailability");
        assert_eq!(wait.map(|d| d.as_secs()), *after, "gmb/{case}: retry after");
        match after {
            Some(secs) => assert_eq!(details, secs.to_string(), "gmb/{case}: seconds in details"),
            None => {
                let message = body["error"]["message"].as_str().unwrap();
                assert!(details.contains(message), "gmb/{case}: details carry Google's text: {details}");
                if let Some(detail) = body.pointer("/error/details/0/errorDetails/0/message").and_then(|m| m.as_str()) {
                    assert!(details.contains(detail), "gmb/{case}: details carry the ErrorDetail: {details}");
                }
            }
        }
    }
}

#[test]
fn summary_too_long_reports_limit_and_overage() {
    let (status, headers, body) = fixture("summary_too_long");
    let Failure::Rejected(e) = gmb::map_error(status, &headers, &body, 1600) else { panic!() };
    assert!(e.args.contains(&("limit".into(), "1500".into())));
    assert!(e.args.contains(&("overage".into(), "100".into())));
}

#[test]
fn quota_waits_for_retry_after() {
    let (status, headers, body) = fixture("quota");
    let Failure::Transient { retry_after, .. } = gmb::map_error(status, &headers, &body, 0) else { panic!() };
    assert_eq!(retry_after, Some(Duration::from_secs(30)));
}

#[test]
fn created_post_yields_name_and_search_url() {
    let (status, headers, body) = fixture("created");
    let p = gmb::create_outcome(status, &headers, &body, 5).unwrap();
    assert_eq!(p.id, "accounts/111/locations/222/localPosts/333");
    assert_eq!(p.url.as_deref(), Some("https://local.google.com/place?id=1&use=posts&lpsid=333"));
    assert_eq!(p.extras.get("state").and_then(|s| s.as_str()), Some("LIVE"));
}

#[test]
fn success_without_a_name_is_ambiguous() {
    let (status, headers, body) = fixture("no_name");
    assert!(matches!(gmb::create_outcome(status, &headers, &body, 5), Err(Failure::Ambiguous { .. })));
}
