//! The attempt model (docs/delivery.md) through crier's HTTP API against the sandbox: each test
//! reproduces one of the failures issue 13 reported and shows it now holds.
//! Test configuration: 3 failed attempts at most, HTTP timeout 3 s, no extra landing lag.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// How many requests a fault registered with `times: 100` has applied to so far.
async fn applied(h: &Harness) -> Vec<u64> {
    let listed = h.http.get(format!("{}/_sandbox/faults", h.sandbox.url)).send().await.unwrap().json::<Value>().await.unwrap();
    let faults = listed.as_array().cloned().or_else(|| listed["faults"].as_array().cloned()).unwrap_or_default();
    faults.iter().map(|f| 100 - f["remaining"].as_u64().unwrap_or(100)).collect()
}

/// The post once settled: the answer itself, or the post read back when it was still pending.
async fn final_answer(h: &Harness, r: Reply) -> Reply {
    let open = r.body["errors"].as_array().is_none_or(|e| e.is_empty()) && r.body["status"] != "success";
    if open { h.settled(&r).await } else { r }
}

/// Meta's `POST /{ig-user}/media` answering 500 `is_transient` is called at most the policy's
/// attempts (it was called ~60 times in 20 s: attempts were counted only at publish).
#[tokio::test]
async fn transient_failures_before_publishing_are_counted_attempts() {
    let h = Harness::start().await.with_meta().await;
    let body = json!({"error": {"message": "An unexpected error has occurred. Please retry your request later.",
        "type": "OAuthException", "is_transient": true, "code": 2, "fbtrace_id": "AbC"}});
    h.fault(json!({"network": "instagram", "endpoint": "media", "status": 500, "body": body, "times": 100}));
    let t = text("container 500");
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg")]})).await;
    assert_eq!(r.body["errors"][0]["retryAvailable"], true, "{}", r.body);
    let calls = applied(&h).await;
    assert!(calls[0] >= 1 && calls[0] <= 3, "POST /media called {calls:?} times; the policy allows 3");
    assert!(h.published(&t).is_empty());
}

/// A reset on `media_publish` with the container still FINISHED: the lookup proves nothing was
/// published, but only once the attempt can no longer land; then it is re-sent under the policy.
/// (It made 50 calls in 3 s and used up the 24 h ledger.) The refused post gives its slot back.
#[tokio::test]
async fn lost_publish_proven_absent_is_resent_under_the_policy_and_frees_its_slot() {
    let h = Harness::start_with(|c| c.networks.instagram_daily_limit = 1).await.with_meta().await;
    h.fault(json!({"network": "instagram", "endpoint": "media_publish", "reset": "before", "times": 100}));
    let t = text("reset before publish");
    let r = h.post(json!({"post": t, "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg")]})).await;
    let r = final_answer(&h, r).await;
    assert_eq!(r.body["errors"][0]["code"], 910, "{}", r.body);
    assert_eq!(r.body["errors"][0]["retryAvailable"], true, "proven absent: a retry is safe. {}", r.body);
    let calls = applied(&h).await;
    assert!(calls[0] >= 1 && calls[0] <= 3, "media_publish sent {calls:?} times; the policy allows 3");
    assert!(h.published(&t).is_empty());
    // The cap (1 a day here) was not used up by the post that never went out.
    h.sandbox.state.clear_faults();
    let t2 = text("after the refused one");
    let ok = h.post(json!({"post": t2, "platforms": ["instagram"], "mediaUrls": [h.media("a.jpg")]})).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
}

/// A reset on YouTube's final chunk every time: it ends 454 with `retryAvailable` after the
/// automatic retries (it looped probe → final chunk ~400 times a second, `pending` forever).
#[tokio::test]
async fn final_chunk_reset_ends_454_after_the_retries() {
    let h = Harness::start().await.with_x_youtube().await;
    h.fault(json!({"network": "youtube", "endpoint": "upload", "reset": "before", "skip": 3, "times": 100}));
    let t = text("final chunk lost");
    // 1 MiB: four 256 KiB chunks; the fourth, the final one, is reset every time.
    let video = format!("{}?bytes=1048576", h.media("clip.mp4"));
    let r = h.post(json!({"post": t, "platforms": ["youtube"], "mediaUrls": [video], "youTubeOptions": {"title": "Sandbox clip", "visibility": "unlisted"}})).await;
    let r = final_answer(&h, r).await;
    let e = &r.body["errors"][0];
    assert_eq!(e["code"], 454, "{}", r.body);
    assert_eq!(e["retryAvailable"], true);
    let calls = applied(&h).await;
    assert!(calls[0] >= 1 && calls[0] <= 3, "final chunk sent {calls:?} times; the policy allows 3");
    assert!(h.published(&t).is_empty());
}

/// A publish that lands after crier stopped waiting: the lookup right after the timeout finds
/// nothing, and crier waits for the window instead of re-sending — one copy, reported published.
#[tokio::test]
async fn a_request_landing_late_is_found_not_sent_twice() {
    let h = Harness::start_with(|c| c.networks.landing_lag_ms = Some(2_000)).await;
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.createRecord", "landLateMs": 1_000, "reset": "before"}));
    let t = text("lands late");
    let r = h.post(json!({"post": t, "platforms": ["bluesky"]})).await;
    let r = final_answer(&h, r).await;
    assert_eq!(r.body["status"], "success", "{}", r.body);
    assert_eq!(h.published(&t).len(), 1, "one copy");
}

/// A network's delete failing (5xx) leaves the post deletable: the second DELETE sends only to the
/// network that still holds it, and the post is `deleted` only then (it was marked deleted at
/// once, and the next DELETE answered 186 with the content still live).
#[tokio::test]
async fn a_failed_network_delete_keeps_the_post_deletable() {
    let h = Harness::start().await;
    let t = text("delete me");
    let r = h.post(json!({"post": t, "platforms": ["bluesky", "telegram"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.deleteRecord", "status": 500, "times": 0}));
    let first = h.delete(&r).await;
    assert_eq!(first.status, 400, "{}", first.body);
    let id = r.body["id"].as_str().unwrap();
    let shown = h.get(&format!("/api/post/{id}")).await;
    assert_ne!(shown.body["status"], "deleted", "{}", shown.body);
    assert_eq!(shown.body["deleteStatus"]["telegram"]["status"], "deleted", "{}", shown.body);
    assert_eq!(shown.body["deleteStatus"]["bluesky"]["status"], "failed", "{}", shown.body);
    assert!(h.published(&t).iter().any(|e| e.network == "bluesky" && !e.deleted));

    h.sandbox.state.clear_faults();
    let second = h.delete(&r).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert!(h.published(&t).iter().all(|e| e.deleted), "{:?}", h.published(&t));
    assert_eq!(h.get(&format!("/api/post/{id}")).await.body["status"], "deleted");
    // Deleted now: a third DELETE finds nothing.
    assert_eq!(h.delete(&r).await.status, 404);
}

/// A network's delete is a job under the retry policy: one 5xx is retried by the workers and the
/// same DELETE answers deleted, with the two counted calls shown per network.
#[tokio::test]
async fn a_transient_delete_failure_is_retried_by_the_delete_job() {
    let h = Harness::start().await;
    let t = text("delete retried");
    let r = h.post(json!({"post": t, "platforms": ["bluesky"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    h.fault(json!({"network": "bluesky", "endpoint": "com.atproto.repo.deleteRecord", "status": 502, "times": 1}));
    let del = h.delete(&r).await;
    assert_eq!(del.status, 200, "{}", del.body);
    assert!(h.published(&t).iter().all(|e| e.deleted));
    let id = r.body["id"].as_str().unwrap();
    let shown = h.get(&format!("/api/post/{id}")).await;
    assert_eq!(shown.body["status"], "deleted", "{}", shown.body);
    assert_eq!(shown.body["deleteStatus"]["bluesky"]["attempts"], 2, "{}", shown.body);
}

/// X without the BYO headers answers 419 and the post stays deletable; with them it is deleted.
#[tokio::test]
async fn x_delete_without_byo_headers_is_419_and_stays_deletable() {
    let h = Harness::start().await.with_x_youtube().await;
    let t = text("x delete");
    let r = h.post_x(json!({"post": t, "platforms": ["twitter"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let without = h.delete(&r).await;
    assert_eq!(without.body["twitter"]["code"], 419, "{}", without.body);
    let id = r.body["id"].as_str().unwrap();
    assert_ne!(h.get(&format!("/api/post/{id}")).await.body["status"], "deleted");
    let with = h.call(Method::DELETE, "/api/post", Some(json!({"id": id})), &X_HEADERS).await;
    assert_eq!(with.status, 200, "{}", with.body);
    assert!(h.published(&t).iter().all(|e| e.deleted));
}
