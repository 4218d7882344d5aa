//! X's and YouTube's error-mapping tables, one row per recorded answer.

mod common;
use common::outcome;
use crier_networks::{twitter, youtube};

fn fixture(path: &str) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    common::fixture(path, 90)
}

#[test]
fn twitter_table() {
    for (case, transient, code) in [
        ("unauthorized", false, 272),
        ("invalid_token", false, 272),
        ("suspended", false, 272),
        ("locked", false, 272),
        ("credits", false, 416),
        ("read_only", false, 418),
        ("duplicate", false, 110),
        ("too_long", false, 111),
        ("rate_limited", true, 909),
        ("usage_capped", false, 909),
        ("unavailable", true, 910),
    ] {
        let (status, headers, body) = fixture(&format!("twitter/{case}.json"));
        let (t, c, _, _, details) = outcome(twitter::errors::map_error(status, &body, &headers, 300));
        assert_eq!((t, c), (transient, code), "twitter/{case}");
        assert!(!details.is_empty(), "twitter/{case}: details carry X's raw text");
    }
    let (status, headers, body) = fixture("twitter/locked.json");
    let (_, _, _, _, details) = outcome(twitter::errors::map_error(status, &body, &headers, 10));
    assert!(details.contains("temporarily locked"), "X's raw string in details: {details}");
    let (status, headers, body) = fixture("twitter/read_only.json");
    let (_, _, _, _, details) = outcome(twitter::errors::map_error(status, &body, &headers, 10));
    assert_eq!(details, "x-access-level: read");
    let (status, headers, body) = fixture("twitter/rate_limited.json");
    let (_, _, _, after, _) = outcome(twitter::errors::map_error(status, &body, &headers, 10));
    assert!((80..=90).contains(&after.unwrap().as_secs()));
    // Short text rejected as invalid is not a long-post problem.
    let (status, headers, body) = fixture("twitter/too_long.json");
    assert_eq!(outcome(twitter::errors::map_error(status, &body, &headers, 100)).1, 915);
}

#[test]
fn youtube_table() {
    for (case, transient, code, retry) in [
        ("quota", false, 909, false),
        ("upload_limit", false, 909, false),
        ("auth", false, 908, false),
        ("invalid_title", false, 915, false),
        ("backend", true, 454, true),
        ("gateway_timeout", true, 453, true),
    ] {
        let (status, _, body) = fixture(&format!("youtube/{case}.json"));
        let (t, c, r, _, details) = outcome(youtube::map_error(status, &body));
        assert_eq!((t, c, r), (transient, code, retry), "youtube/{case}");
        assert!(details.contains(body["error"]["message"].as_str().unwrap()), "youtube/{case}: {details}");
    }
}
