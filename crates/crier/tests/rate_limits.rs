//! crier's own API rate limit, end to end: `x-ratelimit-*` on every authenticated answer, 429 with
//! code 903 and `Retry-After` past the limit, buckets per profile and per API key, nothing counted
//! before the key is known good, a new window after the old one ends, and (PostgreSQL half) the
//! count shared by two nodes on one database.

mod common;
use common::*;
use crier::cfg::Config;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn num(&self, name: &str) -> u64 {
        let v = self.headers.get(name).unwrap_or_else(|| panic!("no {name} on a {} answer: {:?}", self.status, self.headers));
        v.to_str().unwrap().parse().unwrap_or_else(|_| panic!("{name}: {v:?}"))
    }

    fn has_limit_headers(&self) -> bool {
        self.headers.keys().any(|k| k.as_str().starts_with("x-ratelimit-"))
    }
}

/// `GET /api/user` on `base` with this API key and, optionally, a Profile-Key.
async fn user(h: &Harness, base: &str, key: &str, profile_key: Option<&str>) -> Answer {
    let mut req = h.http.get(format!("{base}/api/user")).bearer_auth(key);
    if let Some(pk) = profile_key {
        req = req.header("Profile-Key", pk);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
    Answer { status, headers, body: resp.json().await.unwrap() }
}

fn limited(per_key: u32, per_profile: u32, window_secs: u64) -> impl FnOnce(&mut Config) {
    move |c: &mut Config| {
        c.limits.per_key = per_key;
        c.limits.per_profile = per_profile;
        c.limits.window_secs = window_secs;
    }
}

fn assert_refused(a: &Answer, limit: u64) {
    assert_eq!(a.status, 429, "{}", a.body);
    assert_eq!(a.body["code"], 903, "{}", a.body);
    assert_eq!(a.body["status"], "error");
    assert_eq!(a.num("x-ratelimit-limit"), limit);
    assert_eq!(a.num("x-ratelimit-remaining"), 0);
    let retry = a.num("retry-after");
    assert!((1..=300).contains(&retry), "Retry-After {retry}");
    assert!(a.num("x-ratelimit-reset") <= retry * 1000);
}

#[tokio::test]
async fn answers_count_down_and_strangers_count_for_nothing() {
    let h = Harness::start_with(limited(50, 5, 300)).await;
    let mut last_reset = u64::MAX;
    for n in 1..=3 {
        let a = user(&h, &h.base, &h.key, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        // The profile's 5 is tighter than the key's 50.
        assert_eq!((a.num("x-ratelimit-limit"), a.num("x-ratelimit-max")), (5, 5));
        assert_eq!((a.num("x-ratelimit-remaining"), a.num("x-ratelimit-count")), (5 - n, n));
        let reset = a.num("x-ratelimit-reset");
        assert!(reset > 0 && reset <= 300_000 && reset <= last_reset, "reset {reset} ms after {last_reset}");
        assert!(a.headers.get("retry-after").is_none());
        last_reset = reset;
    }
    // No key, a wrong key, a key-shaped guess: refused, not counted, no limit headers.
    for key in [None, Some("not-a-key"), Some("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")] {
        let mut req = h.http.get(format!("{}/api/user", h.base));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 401);
        assert!(!resp.headers().keys().any(|k| k.as_str().starts_with("x-ratelimit-")), "{:?}", resp.headers());
    }
    // Unauthenticated routes neither count nor show a limit.
    let doc = h.http.get(format!("{}/api/openapi.json", h.base)).send().await.unwrap();
    assert!(doc.status().is_success() && doc.headers().get("x-ratelimit-limit").is_none());
    // An authenticated request refused for its body still counts and still shows the limit.
    let resp = h.http.post(format!("{}/api/post", h.base)).bearer_auth(&h.key).json(&json!({"post": 7})).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    assert_eq!(resp.headers()["x-ratelimit-remaining"], "1");
    let a = user(&h, &h.base, &h.key, None).await;
    assert_eq!((a.status, a.num("x-ratelimit-remaining")), (200, 0));
    assert_refused(&user(&h, &h.base, &h.key, None).await, 5);
}

#[tokio::test]
async fn past_the_limit_903_with_retry_after_and_other_profiles_and_keys_go_on() {
    let h = Harness::start_with(limited(6, 3, 300)).await;
    // 1st request of the key and of the primary profile.
    let sub = h.profile_with("Second", &[]).await;
    for left in [1, 0] {
        let a = user(&h, &h.base, &h.key, None).await;
        assert_eq!((a.status, a.num("x-ratelimit-limit"), a.num("x-ratelimit-remaining")), (200, 3, left));
    }
    // The primary profile is done for this window (the key has used 4 of 6).
    assert_refused(&user(&h, &h.base, &h.key, None).await, 3);

    // Another profile of the same key goes on, until the key's own limit (now the tighter one).
    for left in [1, 0] {
        let a = user(&h, &h.base, &h.key, Some(&sub)).await;
        assert_eq!((a.status, a.num("x-ratelimit-limit"), a.num("x-ratelimit-remaining")), (200, 6, left), "{}", a.body);
    }
    let a = user(&h, &h.base, &h.key, Some(&sub)).await;
    assert_refused(&a, 6);
    assert!(a.body["details"].as_str().unwrap().contains("API key"), "{}", a.body);

    // Another account's key is untouched.
    let store = h.running.store();
    let other = store.create_account().await.unwrap();
    let other_key = store.create_api_key(&other, None).await.unwrap();
    let a = user(&h, &h.base, &other_key, None).await;
    assert_eq!((a.status, a.num("x-ratelimit-limit"), a.num("x-ratelimit-remaining")), (200, 3, 2));

    // A stranger quoting the victim's Profile-Key with a wrong API key is not counted anywhere.
    for _ in 0..5 {
        let resp = h.http.get(format!("{}/api/user", h.base)).bearer_auth("WRONG00-WRONG00-WRONG00-WRONG00").header("Profile-Key", &sub).send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 401);
    }
    let a = user(&h, &h.base, &other_key, None).await;
    assert_eq!((a.status, a.num("x-ratelimit-remaining")), (200, 1));
}

#[tokio::test]
async fn a_new_window_lets_requests_through_again() {
    // One-second windows, per profile only (per_key 0: no key limit).
    let h = Harness::start_with(limited(0, 2, 1)).await;
    let deadline = Instant::now() + WAIT;
    let refused = loop {
        let a = user(&h, &h.base, &h.key, None).await;
        assert_eq!(a.num("x-ratelimit-limit"), 2, "only the profile's limit applies");
        if a.status == 429 {
            break a;
        }
        assert!(Instant::now() < deadline, "never refused");
    };
    assert_eq!(refused.num("retry-after"), 1);
    assert!(refused.num("x-ratelimit-reset") <= 1000);
    let deadline = Instant::now() + WAIT;
    let admitted = loop {
        let a = user(&h, &h.base, &h.key, None).await;
        if a.status == 200 {
            break a;
        }
        assert_eq!(a.body["code"], 903);
        assert!(Instant::now() < deadline, "the window never ended");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The first request of a fresh window.
    assert_eq!((admitted.num("x-ratelimit-count"), admitted.num("x-ratelimit-remaining")), (1, 1));
}

#[tokio::test]
async fn switched_off_nothing_is_counted_or_shown() {
    let h = Harness::start_with(|c| {
        c.limits.enabled = false;
        c.limits.per_profile = 1;
    })
    .await;
    for _ in 0..3 {
        let a = user(&h, &h.base, &h.key, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(!a.has_limit_headers(), "{:?}", a.headers);
    }
}

#[tokio::test]
async fn the_limit_reached_on_one_node_holds_on_another() {
    let Some(database) = test_database().await else {
        eprintln!("two nodes on one database need PostgreSQL: set CRIER_TEST_DATABASE_URL (.ci/run does)");
        return;
    };
    let shared = database.clone();
    let a = Harness::start_with(move |c| {
        limited(0, 3, 300)(c);
        c.database_url = Some(shared);
    })
    .await;
    let dir_b = tempfile::tempdir().unwrap();
    let mut cfg_b = test_config(dir_b.path(), &a.sandbox.url);
    cfg_b.database_url = Some(database);
    limited(0, 3, 300)(&mut cfg_b);
    let node_b = crier::server::start(cfg_b).await.unwrap();
    let base_b = format!("http://{}", node_b.addr);

    for left in [2, 1] {
        let r = user(&a, &a.base, &a.key, None).await;
        assert_eq!((r.status, r.num("x-ratelimit-remaining")), (200, left));
    }
    // Node B sees node A's two requests.
    let r = user(&a, &base_b, &a.key, None).await;
    assert_eq!((r.status, r.num("x-ratelimit-count"), r.num("x-ratelimit-remaining")), (200, 3, 0));
    assert_refused(&user(&a, &base_b, &a.key, None).await, 3);
    assert_refused(&user(&a, &a.base, &a.key, None).await, 3);
    node_b.shutdown().await;
}
