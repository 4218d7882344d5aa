//! Each network's error-mapping table, one row per recorded upstream answer
//! (`tests/fixtures/<network>/<case>.json`).

mod common;
use crier_networks::{Failure, bluesky, telegram};
use std::time::Duration;

#[derive(Debug, PartialEq)]
enum Class {
    Rejected,
    Transient,
}

fn fixture(path: &str) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    common::fixture(path, 120)
}

fn outcome(f: Failure) -> (Class, u16, bool, Option<Duration>, Option<String>) {
    let (transient, code, retry, after, details) = common::outcome(f);
    let class = if transient { Class::Transient } else { Class::Rejected };
    (class, code, retry, after, (!details.is_empty()).then_some(details))
}

#[test]
fn telegram_table() {
    let rows: &[(&str, Class, u16)] = &[
        ("unauthorized", Class::Rejected, 908),
        ("chat_not_found", Class::Rejected, 915),
        ("message_too_long", Class::Rejected, 132),
        ("caption_too_long", Class::Rejected, 132),
        ("wrong_http_url", Class::Rejected, 136),
        ("bot_blocked", Class::Rejected, 915),
        ("flood", Class::Transient, 909),
        ("bad_gateway", Class::Transient, 910),
        ("internal", Class::Transient, 910),
    ];
    for (case, class, code) in rows {
        let (status, _, body) = fixture(&format!("telegram/{case}.json"));
        let (c, n, retry, _, details) = outcome(telegram::map_error(status, &body, &"x".repeat(5000), false));
        assert_eq!((&c, n), (class, *code), "telegram/{case}");
        assert_eq!(retry, n == 910, "telegram/{case}: retryAvailable only for transient unavailability");
        let raw = body["description"].as_str().unwrap();
        if *case != "flood" {
            assert_eq!(details.as_deref(), Some(raw), "telegram/{case}: details carry Telegram's text");
        }
    }
    let (status, _, body) = fixture("telegram/flood.json");
    let (_, _, _, after, details) = outcome(telegram::map_error(status, &body, "", false));
    assert_eq!(after, Some(Duration::from_secs(34)));
    assert_eq!(details.as_deref(), Some("34"), "Retry-After seconds in details");
}

#[test]
fn bluesky_table() {
    let rows: &[(&str, Class, u16)] = &[
        ("expired_token", Class::Rejected, 908),
        ("invalid_token", Class::Rejected, 908),
        ("bad_password", Class::Rejected, 908),
        ("too_long", Class::Rejected, 132),
        ("invalid_request", Class::Rejected, 915),
        ("takedown", Class::Rejected, 915),
        ("rate_limited", Class::Transient, 909),
        ("upstream_failure", Class::Transient, 910),
        ("internal", Class::Transient, 910),
    ];
    for (case, class, code) in rows {
        let (status, headers, body) = fixture(&format!("bluesky/{case}.json"));
        let (c, n, retry, _, details) = outcome(bluesky::map_error(status, &body, &headers, 320));
        assert_eq!((&c, n), (class, *code), "bluesky/{case}");
        assert_eq!(retry, n == 910, "bluesky/{case}");
        if *case != "rate_limited" {
            assert!(details.unwrap().contains(body["message"].as_str().unwrap()), "bluesky/{case}");
        }
    }
    let (status, headers, body) = fixture("bluesky/rate_limited.json");
    let (_, _, _, after, details) = outcome(bluesky::map_error(status, &body, &headers, 0));
    let secs = after.unwrap().as_secs();
    assert!((100..=120).contains(&secs), "wait until ratelimit-reset: {secs}");
    assert_eq!(details, Some(secs.to_string()), "Retry-After seconds in details");
}

#[test]
fn too_long_reports_limit_and_overage() {
    let (status, headers, body) = fixture("bluesky/too_long.json");
    let Failure::Rejected(e) = bluesky::map_error(status, &body, &headers, 320) else { panic!() };
    assert!(e.args.contains(&("limit".into(), "300".into())));
    assert!(e.args.contains(&("overage".into(), "20".into())));
}
