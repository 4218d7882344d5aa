//! Meta's error-mapping tables (Facebook, Instagram, Threads), one row per recorded answer.

mod common;
use common::outcome;
use crier_core::Action;
use crier_networks::meta::{Answer, GraphError, facebook, instagram, threads};
use std::time::Duration;

fn answer(path: &str) -> Answer {
    let (status, headers, body) = common::fixture(path, 0);
    Answer { status, body, headers }
}

#[test]
fn facebook_table() {
    for (case, transient, code) in [
        ("duplicate", false, 107),
        ("password_changed", false, 161),
        ("expired", false, 161),
        ("revoked", false, 161),
        ("permission", false, 161),
        ("page_throttle", true, 909),
        ("unknown_transient", true, 910),
        ("invalid_parameter", false, 107),
    ] {
        let a = answer(&format!("facebook/{case}.json"));
        let (t, c, _, _, details) = outcome(facebook::map_error(&GraphError::from_answer(&a), Action::Post));
        assert_eq!((t, c), (transient, code), "facebook/{case}");
        assert!(details.contains(a.body["error"]["message"].as_str().unwrap()), "facebook/{case}: {details}");
    }
    // The same 80001 on analytics is the seed's 444, with no automatic retry.
    let a = answer("facebook/page_throttle.json");
    let (t, c, _, _, _) = outcome(facebook::map_error(&GraphError::from_answer(&a), Action::Analytics));
    assert_eq!((t, c), (false, 444));
    let (_, _, _, after, _) = outcome(facebook::map_error(&GraphError::from_answer(&a), Action::Post));
    assert_eq!(after, Some(Duration::from_secs(7 * 60)), "minutes to regain access");
}

#[test]
fn instagram_table() {
    for (case, transient, code, retry) in [
        ("http_429", true, 435, false),
        ("velocity_1390008", false, 435, false),
        ("daily_limit", false, 435, false),
        ("download_failed", false, 440, false),
        ("not_ready", true, 436, true),
        ("token", false, 908, false),
        ("aspect_ratio", false, 138, false),
        ("server_error", true, 138, true),
        ("buc_throttle", true, 909, false),
    ] {
        let a = answer(&format!("instagram/{case}.json"));
        let (t, c, r, _, _) = outcome(instagram::map_error(&GraphError::from_answer(&a)));
        assert_eq!((t, c, r), (transient, code, retry), "instagram/{case}");
    }
    let (_, _, _, after, details) = outcome(instagram::map_error(&GraphError::from_answer(&answer("instagram/http_429.json"))));
    assert_eq!((after, details.as_str()), (Some(Duration::from_secs(120)), "120"), "Retry-After seconds in details");
    let (_, _, _, _, details) = outcome(instagram::map_error(&GraphError::from_answer(&answer("instagram/download_failed.json"))));
    assert!(details.contains("Media download has failed") && details.contains("robots.txt"), "{details}");
    let (_, _, _, after, _) = outcome(instagram::map_error(&GraphError::from_answer(&answer("instagram/buc_throttle.json"))));
    assert_eq!(after, Some(Duration::from_secs(19 * 60)));
}

#[test]
fn instagram_container_errors() {
    let (_, c, _, _, d) = outcome(instagram::map_container_error("Error: Media download has failed. 2207052"));
    assert_eq!(c, 440);
    assert!(d.contains("2207052"));
    assert_eq!(outcome(instagram::map_container_error("Error: Media upload has failed with error code 2207026")).1, 138);
}

#[test]
fn threads_table() {
    for (case, transient, code, retry) in [
        ("download_failed", false, 440, false),
        ("token", false, 908, false),
        ("invalid", false, 379, false),
        ("transient", true, 379, true),
    ] {
        let a = answer(&format!("threads/{case}.json"));
        let (t, c, r, _, _) = outcome(threads::map_error(&GraphError::from_answer(&a)));
        assert_eq!((t, c, r), (transient, code, retry), "threads/{case}");
    }
    assert_eq!(outcome(threads::map_container_error("FAILED_DOWNLOADING_VIDEO")).1, 440);
    assert_eq!(outcome(threads::map_container_error("INVALID_ASPEC_RATIO")).1, 379);
}
