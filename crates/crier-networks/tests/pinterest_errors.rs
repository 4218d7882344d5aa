//! Pinterest's error-mapping table, one row per recorded answer (`tests/fixtures/pinterest/<case>.json`).

mod common;
use common::outcome;
use crier_networks::Failure;
use crier_networks::pinterest::map_error;
use std::time::Duration;

fn mapped(case: &str, reset_in: i64, text_len: usize) -> (bool, u16, bool, Option<Duration>, String, serde_json::Value, Failure) {
    let (status, headers, body) = common::fixture(&format!("pinterest/{case}.json"), reset_in);
    let f = map_error(status, &headers, &body, text_len);
    let (t, c, r, after, details) = outcome(f.clone());
    (t, c, r, after, details, body, f)
}

#[test]
fn pinterest_table() {
    // (case, transient, code)
    let rows: &[(&str, bool, u16)] = &[
        ("unauthorized", false, 908),
        ("rate_limited", true, 909),
        ("rate_limited_retry_after", true, 909),
        ("board_not_found", false, 915),
        ("board_forbidden", false, 915),
        ("image_too_small", false, 182),
        ("image_not_fetched", false, 136),
        ("invalid_link", false, 915),
        ("description_too_long", false, 132),
        ("server_error", true, 910),
        ("unavailable", true, 910),
    ];
    for (case, transient, code) in rows {
        let (t, c, retry, after, details, body, _) = mapped(case, 120, 620);
        assert_eq!((t, c), (*transient, *code), "pinterest/{case}");
        assert_eq!(retry, c == 910, "pinterest/{case}: retryAvailable only for transient unavailability");
        assert_eq!(after.is_some(), c == 909, "pinterest/{case}: a wait only for the rate limit");
        if c != 909 {
            let message = body["message"].as_str().unwrap();
            assert!(details.contains(message), "pinterest/{case}: details carry Pinterest's text: {details}");
        }
    }
}

#[test]
fn rate_limit_waits_for_the_reset() {
    let (_, _, _, after, details, _, _) = mapped("rate_limited", 120, 0);
    let secs = after.unwrap().as_secs();
    assert!((100..=120).contains(&secs), "wait until X-RateLimit-Reset: {secs}");
    assert_eq!(details, secs.to_string(), "seconds in details");
    let (_, _, _, after, details, _, _) = mapped("rate_limited_retry_after", 0, 0);
    assert_eq!((after, details.as_str()), (Some(Duration::from_secs(17)), "17"), "Retry-After wins");
}

#[test]
fn too_long_reports_limit_and_overage() {
    let (_, _, _, _, _, _, f) = mapped("description_too_long", 0, 620);
    let Failure::Rejected(e) = f else { panic!() };
    assert!(e.args.contains(&("limit".into(), "500".into())));
    assert!(e.args.contains(&("overage".into(), "120".into())));
}
