//! Scenarios that several networks' end-to-end files run alike, each with its own network, fault
//! and post body. A scenario asserts what holds for every network; the calling test adds what is
//! the network's own (ids, URLs, the network's words in `details`).
//!
//! `copies` closures count the test's post at the network (the sandbox's ledger, deleted entries
//! included), however the network keeps it: by text, by title, or every entry of the network.

use super::{Harness, Reply, assert_network_error, first_error, published_platforms, text};
use reqwest::Method;
use serde_json::{Value, json};

/// The networks a partial failure is posted to beside the failing one.
pub const TELEGRAM_BLUESKY_FACEBOOK_THREADS: [&str; 4] = ["telegram", "bluesky", "facebook", "threads"];

/// One network of a multi-network post fails for good, the others publish.
pub struct PartialFailure<'a> {
    /// The failing network, and the sandbox fault that fails it every time.
    pub failing: &'a str,
    pub fault: Value,
    /// The networks that publish.
    pub others: &'a [&'a str],
    /// The post body besides `post` and `platforms` (media, options).
    pub extra: Value,
    /// The retryable code the failure maps to.
    pub code: i64,
    /// Headers of the post and the retry (X's app keys).
    pub headers: &'a [(&'a str, &'a str)],
    /// The failing network keeps no text (a Snapchat Story): its copies are counted by network.
    pub failing_keeps_no_text: bool,
    /// The failing network settles after crier answers (TikTok): the retry may answer `processing`.
    pub settles_later: bool,
}

impl<'a> PartialFailure<'a> {
    /// `failing` fails with `fault` (910, retryable) beside Telegram, Bluesky, Facebook and Threads.
    pub fn five_networks(failing: &'a str, fault: Value) -> Self {
        PartialFailure {
            failing,
            fault,
            others: &TELEGRAM_BLUESKY_FACEBOOK_THREADS,
            extra: json!({}),
            code: 910,
            headers: &[],
            failing_keeps_no_text: false,
            settles_later: false,
        }
    }
}

/// The post fails on `s.failing` only (`s.code`, retryable, HTTP 400) while every other network
/// publishes; once the network is back a retry sends that network only, and every network then
/// holds the post exactly once.
pub async fn one_network_fails_then_retry_resends_only_it(h: &Harness, s: PartialFailure<'_>) {
    h.fault(s.fault.clone());
    let t = text(&format!("{} fails among others", s.failing));
    let networks: Vec<&str> = std::iter::once(s.failing).chain(s.others.iter().copied()).collect();
    let mut body = s.extra.clone();
    body["post"] = json!(t);
    body["platforms"] = json!(networks);
    let r = h.call(Method::POST, "/api/post", Some(body), s.headers).await;
    assert_eq!(r.body["status"], "error", "{}", r.body);
    assert_eq!(r.body["errors"].as_array().map(Vec::len), Some(1), "{}", r.body);
    assert_network_error(&r, s.failing, s.code, 400, true);
    let mut others: Vec<&str> = s.others.to_vec();
    others.sort();
    assert_eq!(published_platforms(&r), others, "{}", r.body);
    let copies = || -> Vec<usize> {
        let ledger = h.sandbox.state.ledger();
        let on = |n: &str| {
            let text_less = s.failing_keeps_no_text && n == s.failing;
            ledger.iter().filter(|e| e.network == n && (text_less || e.text == t)).count()
        };
        networks.iter().map(|n| on(n)).collect()
    };
    let mut expected = vec![1; networks.len()];
    expected[0] = 0;
    assert_eq!(copies(), expected, "{networks:?}");

    h.sandbox.state.clear_faults();
    let rr = h.retry_with(&r, s.headers).await;
    assert_eq!(rr.status, 200, "{}", rr.body);
    if s.settles_later {
        assert!(matches!(rr.body["status"].as_str(), Some("processing" | "success")), "{}", rr.body);
    } else {
        assert_eq!(rr.body["status"], "success", "the retry answers with the post's new envelope: {}", rr.body);
        assert_eq!(rr.body["postIds"].as_array().map(Vec::len), Some(networks.len()), "{}", rr.body);
    }
    let settled = h.settled(&r).await;
    assert_eq!(settled.body["status"], "success", "{}", settled.body);
    assert_eq!(settled.body["postIds"].as_array().map(Vec::len), Some(networks.len()), "{}", settled.body);
    assert_eq!(copies(), vec![1; networks.len()], "only {} was sent again", s.failing);
}

/// What `lasting_server_error_is_910_then_a_retry_publishes_once` saw.
pub struct LastingFailure {
    /// crier's answer to the post (the 910).
    pub posted: Reply,
    /// The 910's details: the network's words.
    pub details: String,
    /// crier's answer to the retry once the network was back.
    pub retried: Reply,
}

/// `network`'s `endpoint` answers `status` (a 5xx) every time: crier retries, then answers 910 with
/// `retryAvailable` (HTTP 503) and nothing reaches the network; once it is back, a retry publishes
/// the post exactly once.
pub async fn lasting_server_error_is_910_then_a_retry_publishes_once(
    h: &Harness,
    (network, endpoint, status): (&str, &str, u16),
    body: Value,
    copies: impl Fn() -> usize,
) -> LastingFailure {
    h.fault(json!({"network": network, "endpoint": endpoint, "status": status, "times": 0}));
    let r = h.post(body).await;
    let details = assert_network_error(&r, network, 910, 503, true);
    assert_eq!(copies(), 0, "nothing reached {network}");
    h.sandbox.state.clear_faults();
    let rr = h.retry(&r).await;
    assert_eq!(rr.status, 200, "{}", rr.body);
    assert!(matches!(rr.body["status"].as_str(), Some("processing" | "success")), "{}", rr.body);
    assert_eq!(h.settled(&r).await.body["status"], "success");
    assert_eq!(copies(), 1, "the retry published it once");
    LastingFailure { posted: r, details, retried: rr }
}

/// `network` accepts the post at `endpoint` but the answer is lost, and the list crier would find
/// it in answers `list_status`: the outcome is unknown, 905 without `retryAvailable` (HTTP 502),
/// the post is at the network once, and a retry — the network back to normal — is refused with
/// 906 and sends nothing.
pub async fn unverifiable_lost_answer_is_905_and_never_resent(
    h: &Harness,
    network: &str,
    (endpoint, list_endpoint, list_status): (&str, &str, u16),
    body: Value,
    copies: impl Fn() -> usize,
) {
    h.fault(json!({"network": network, "endpoint": endpoint, "reset": "after"}));
    h.fault(json!({"network": network, "endpoint": list_endpoint, "status": list_status, "times": 0}));
    let r = h.post(body).await;
    assert_network_error(&r, network, 905, 502, false);
    assert_eq!(copies(), 1, "{network} did take it; crier did not send it again");
    h.sandbox.state.clear_faults();
    let retry = h.retry(&r).await;
    assert_eq!(retry.body["code"], 906, "{}", retry.body);
    assert_eq!(copies(), 1);
}

/// With `network`'s token put in `state` (`/_sandbox/<network>/token`), the post is 908 (HTTP 400,
/// not retryable) and nothing is published. Returns the details (the network's words).
pub async fn token_in_state_is_908(h: &Harness, network: &str, state: &str, body: Value, copies: impl Fn() -> usize) -> String {
    h.control(&format!("{network}/token"), json!({"state": state})).await;
    let r = h.post(body).await;
    let details = assert_network_error(&r, network, 908, 400, false);
    assert_eq!(copies(), 0, "{state} token: nothing published");
    details
}

/// crier's own daily cap for `network` is used up: the post is 923 (HTTP 429, not retryable) with
/// the seconds until a slot frees in details, and the network is not called (were `endpoint`
/// called, its 500 would make the answer 910).
pub async fn used_up_daily_cap_is_923_without_calling_the_network(
    h: &Harness,
    network: &str,
    endpoint: &str,
    body: Value,
    copies: impl Fn() -> usize,
) {
    h.fault(json!({"network": network, "endpoint": endpoint, "status": 500, "times": 0}));
    let r = h.post(body).await;
    let details = assert_network_error(&r, network, 923, 429, false);
    let wait: i64 = details.parse().unwrap_or_else(|_| panic!("seconds until a slot frees: {}", first_error(&r)));
    assert!((86_000..=86_400).contains(&wait), "{wait}");
    assert_eq!(copies(), 0);
}
