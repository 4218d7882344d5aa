//! LinkedIn's error-mapping table, one row per recorded answer (`tests/fixtures/linkedin/<case>.json`).

mod common;
use common::outcome;
use crier_networks::Failure;
use crier_networks::linkedin::map_error;
use std::time::Duration;

const DAILY_LIMIT: u32 = 150;

fn mapped(case: &str, text_len: usize) -> (bool, u16, bool, Option<Duration>, String, serde_json::Value, Failure) {
    let (status, headers, body) = common::fixture(&format!("linkedin/{case}.json"), 0);
    let f = map_error(status, &headers, &body, text_len, DAILY_LIMIT);
    let (t, c, r, after, details) = outcome(f.clone());
    (t, c, r, after, details, body, f)
}

#[test]
fn linkedin_table() {
    // (case, transient, code)
    let rows: &[(&str, bool, u16)] = &[
        ("revoked_token", false, 908),
        ("invalid_token", false, 908),
        ("duplicate", false, 137),
        ("too_long", false, 132),
        ("too_long_share_commentary", false, 132),
        ("throttled", true, 909),
        ("throttled_retry_after", true, 909),
        ("member_day", false, 923),
        ("application_day", true, 909),
        ("access_denied", false, 915),
        ("nonexistent_version", false, 915),
        ("invalid_author", false, 915),
        ("server_error", true, 910),
        ("unavailable", true, 910),
    ];
    for (case, transient, code) in rows {
        let (t, c, retry, after, details, body, _) = mapped(case, 3_120);
        assert_eq!((t, c), (*transient, *code), "linkedin/{case}");
        assert_eq!(retry, c == 910, "linkedin/{case}: retryAvailable only for transient unavailability");
        assert!(after.is_none() || c == 909, "linkedin/{case}: a wait only for the rate limit");
        if c != 909 {
            let message = body["message"].as_str().unwrap();
            assert!(details.contains(message), "linkedin/{case}: details carry LinkedIn's text: {details}");
        }
    }
}

#[test]
fn a_bare_429_leaves_the_wait_to_the_engine_and_says_why() {
    let (_, _, _, after, details, _, _) = mapped("throttled", 0);
    assert_eq!(after, None, "LinkedIn sends no rate-limit headers: the engine's backoff decides");
    assert_eq!(details, "TOO_MANY_REQUESTS: Too many requests", "LinkedIn's words in details");
    let (_, _, _, after, details, _, _) = mapped("throttled_retry_after", 0);
    assert_eq!((after, details.as_str()), (Some(Duration::from_secs(30)), "30"), "a Retry-After, when present, wins");
}

#[test]
fn the_application_day_waits_until_midnight_utc() {
    let (_, _, _, after, details, _, _) = mapped("application_day", 0);
    let secs = after.unwrap().as_secs();
    assert!((1..=86_400).contains(&secs), "{secs}");
    assert_eq!(details, secs.to_string());
}

#[test]
fn the_member_day_is_the_daily_cap_with_its_limit() {
    let (_, _, _, _, _, _, f) = mapped("member_day", 0);
    let Failure::Rejected(e) = f else { panic!("923 is not retried automatically") };
    assert!(e.args.contains(&("limit".into(), "150".into())), "{:?}", e.args);
    assert!(e.details.unwrap().contains("midnight UTC"));
}

#[test]
fn too_long_reports_limit_and_overage() {
    let (_, _, _, _, _, _, f) = mapped("too_long", 3_120);
    let Failure::Rejected(e) = f else { panic!() };
    assert!(e.args.contains(&("limit".into(), "3000".into())));
    assert!(e.args.contains(&("overage".into(), "120".into())));
    // LinkedIn counts the commentary as sent (escapes included): its count wins over the text's.
    let (_, _, _, _, _, _, f) = mapped("too_long_share_commentary", 2_990);
    let Failure::Rejected(e) = f else { panic!() };
    assert!(e.args.contains(&("overage".into(), "120".into())), "{:?}", e.args);
}

#[test]
fn duplicate_details_keep_the_input_error() {
    let (_, _, _, _, details, _, _) = mapped("duplicate", 0);
    assert!(details.contains("DUPLICATE_POST: Duplicate post is detected"), "{details}");
}
