//! Snapchat's error table, one row per recorded answer (`tests/fixtures/snapchat/<case>.json`).

mod common;
use crier_networks::Failure;
use crier_networks::snapchat::{self, Sent, Surface};
use std::time::Duration;

fn fixture(case: &str) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    common::fixture(&format!("snapchat/{case}.json"), 0)
}

/// Snap's own text in the answer: `debug_message`, or an item's refusal reason.
fn network_text(body: &serde_json::Value) -> Option<String> {
    body.get("debug_message")
        .or_else(|| body.pointer("/spotlights/0/sub_request_error_reason"))
        .and_then(|m| m.as_str())
        .map(str::to_string)
}

#[test]
fn snapchat_table() {
    // (case, transient, code, retry after in seconds)
    let rows: &[(&str, bool, u16, Option<u64>)] = &[
        ("unauthorized", false, 908, None),
        ("forbidden", false, 915, None),
        ("rate_limited", true, 909, Some(20)),
        ("rate_limited_no_header", true, 909, None),
        ("media_format", false, 182, None),
        ("decrypt_failed", false, 182, None),
        ("item_refused", false, 182, None),
        ("description_too_long", false, 132, None),
        ("title_too_long", false, 132, None),
        ("media_processing", true, 910, Some(10)),
        ("not_found", false, 915, None),
        ("internal", true, 910, None),
        ("unavailable", true, 910, None),
    ];
    let sent = Sent { description_chars: 170, title_chars: 50 };
    for (case, transient, code, after) in rows {
        let (status, headers, body) = fixture(case);
        let (t, n, retry, wait, details) = common::outcome(snapchat::map_error(status, &headers, &body, &sent));
        assert_eq!((t, n), (*transient, *code), "snapchat/{case}");
        assert_eq!(retry, n == 910, "snapchat/{case}: retryAvailable only for transient unavailability");
        assert_eq!(wait.map(|d| d.as_secs()), *after, "snapchat/{case}: retry after");
        if n == 909 && after.is_some() {
            assert_eq!(details, after.unwrap().to_string(), "snapchat/{case}: seconds in details");
        } else if let Some(text) = network_text(&body) {
            assert!(details.contains(&text), "snapchat/{case}: details carry Snap's text: {details}");
        } else {
            assert_eq!(details, format!("HTTP {status}"), "snapchat/{case}");
        }
    }
}

#[test]
fn too_long_reports_the_limit_of_the_field() {
    let sent = Sent { description_chars: 170, title_chars: 50 };
    for (case, limit, overage) in [("description_too_long", "160", "10"), ("title_too_long", "45", "5")] {
        let (status, headers, body) = fixture(case);
        let Failure::Rejected(e) = snapchat::map_error(status, &headers, &body, &sent) else { panic!("{case}") };
        assert!(e.args.contains(&("limit".into(), limit.into())), "{case}");
        assert!(e.args.contains(&("overage".into(), overage.into())), "{case}");
    }
}

#[test]
fn created_spotlight_yields_a_collection_qualified_id() {
    let (status, headers, body) = fixture("spotlight_created");
    let p = snapchat::post_outcome(Surface::Spotlight, "m1", status, &headers, &body, &Sent::default()).unwrap();
    assert_eq!(p.id, "spotlights/0d6b7f3e-7d7a-4a43-9d63-6a1c3c0b9a11");
    assert_eq!(p.extras.get("mediaId").and_then(|m| m.as_str()), Some("m1"));
}

#[test]
fn a_refused_item_in_a_200_is_not_published() {
    let (status, headers, body) = fixture("item_refused");
    assert!(matches!(snapchat::post_outcome(Surface::Spotlight, "m1", status, &headers, &body, &Sent::default()), Err(Failure::Rejected(_))));
}

#[test]
fn success_without_an_id_is_ambiguous() {
    let (status, headers, body) = fixture("no_id");
    assert!(matches!(snapchat::post_outcome(Surface::Spotlight, "m1", status, &headers, &body, &Sent::default()), Err(Failure::Ambiguous { .. })));
}

#[test]
fn rate_limit_waits_for_retry_after() {
    let (status, headers, body) = fixture("rate_limited");
    let Failure::Transient { retry_after, .. } = snapchat::map_error(status, &headers, &body, &Sent::default()) else { panic!() };
    assert_eq!(retry_after, Some(Duration::from_secs(20)));
}
