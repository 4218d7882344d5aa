//! Reddit's error table, one row per recorded answer (`tests/fixtures/reddit/<case>.json`).

mod common;
use crier_networks::Failure;
use crier_networks::reddit::{self, Sent};
use std::time::Duration;

fn fixture(case: &str) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    common::fixture(&format!("reddit/{case}.json"), 0)
}

/// The network's own text in the answer: the triples' messages, else `message`.
fn network_text(body: &serde_json::Value) -> String {
    match body.pointer("/json/errors/0/1").and_then(|m| m.as_str()) {
        Some(m) => m.to_string(),
        None => body.get("message").and_then(|m| m.as_str()).unwrap_or("HTTP").to_string(),
    }
}

#[test]
fn reddit_table() {
    // (case, transient, code, retry after in seconds)
    let rows: &[(&str, bool, u16, Option<u64>)] = &[
        ("ratelimit_minutes", true, 909, Some(540)),
        ("ratelimit_seconds", true, 909, Some(42)),
        ("http_429", true, 909, Some(37)),
        ("unauthorized", false, 908, None),
        ("user_required", false, 908, None),
        ("forbidden", false, 915, None),
        ("subreddit_noexist", false, 915, None),
        ("no_text", false, 915, None),
        ("flair_required", false, 915, None),
        ("already_sub", false, 137, None),
        ("too_long", false, 132, None),
        ("bad_url", false, 136, None),
        ("server_error", true, 910, None),
        ("bad_gateway", true, 910, None),
    ];
    let sent = Sent { title_chars: 320, text_chars: 10, url_is_media: true };
    for (case, transient, code, after) in rows {
        let (status, headers, body) = fixture(case);
        let (t, n, retry, wait, details) = common::outcome(reddit::map_error(status, &headers, &body, &sent));
        assert_eq!((t, n), (*transient, *code), "reddit/{case}");
        assert_eq!(retry, n == 910, "reddit/{case}: retryAvailable only for transient unavailability");
        assert_eq!(wait.map(|d| d.as_secs()), *after, "reddit/{case}: retry after");
        match after {
            Some(secs) => assert_eq!(details, secs.to_string(), "reddit/{case}: seconds in details"),
            None => assert!(details.contains(&network_text(&body)), "reddit/{case}: details carry Reddit's text: {details}"),
        }
    }
}

#[test]
fn a_200_with_errors_is_never_published() {
    let (status, headers, body) = fixture("subreddit_noexist");
    assert!(matches!(reddit::submit_outcome(status, &headers, &body, &Sent::default()), Err(Failure::Rejected(_))));
}

#[test]
fn too_long_reports_limit_and_overage() {
    let (status, headers, body) = fixture("too_long");
    let sent = Sent { title_chars: 320, ..Sent::default() };
    let Failure::Rejected(e) = reddit::map_error(status, &headers, &body, &sent) else { panic!() };
    assert!(e.args.contains(&("limit".into(), "300".into())));
    assert!(e.args.contains(&("overage".into(), "20".into())));
}

#[test]
fn a_bad_link_that_is_not_media_is_a_plain_refusal() {
    let (status, headers, body) = fixture("bad_url");
    let (_, code, ..) = common::outcome(reddit::map_error(status, &headers, &body, &Sent::default()));
    assert_eq!(code, 915);
}

#[test]
fn success_without_a_name_is_ambiguous() {
    let (status, headers, body) = fixture("no_name");
    assert!(matches!(reddit::submit_outcome(status, &headers, &body, &Sent::default()), Err(Failure::Ambiguous { .. })));
}

#[test]
fn success_yields_the_fullname_and_url() {
    let (status, headers, body) = fixture("published");
    let p = reddit::submit_outcome(status, &headers, &body, &Sent::default()).unwrap();
    assert_eq!(p.id, "t3_abc123");
    assert_eq!(p.url.as_deref(), Some("https://www.reddit.com/r/test/comments/abc123/hello/"));
}

#[test]
fn retry_after_is_a_duration() {
    let (status, headers, body) = fixture("http_429");
    let Failure::Transient { retry_after, .. } = reddit::map_error(status, &headers, &body, &Sent::default()) else { panic!() };
    assert_eq!(retry_after, Some(Duration::from_secs(37)));
}
