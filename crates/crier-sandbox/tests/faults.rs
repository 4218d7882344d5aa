//! Fault injection: status/body, reset before/after, hold, delay, times and
//! endpoint matching (late landings and probability: faults_late.rs).

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use crier_sandbox::{Fault, seed};
use serde_json::json;

#[tokio::test]
async fn status_fault_uses_network_error_shapes() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        status: Some(502),
        ..fault("telegram", Some("sendMessage"))
    });
    let (status, body) = json_of(tg_send(&c, &sb, "hello").await.unwrap()).await;
    assert_eq!(status, 502);
    assert_eq!(
        body,
        json!({"ok": false, "error_code": 502, "description": "Bad Gateway"})
    );

    sb.state.add_fault(Fault {
        status: Some(500),
        ..fault("bluesky", None)
    });
    let resp = c
        .get(xrpc(&sb, "com.atproto.repo.getRecord"))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("ratelimit-remaining"));
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        json!({"error": "InternalServerError", "message": "Internal Server Error"})
    );

    sb.state.add_fault(Fault {
        status: Some(429),
        ..fault("telegram", None)
    });
    let (status, body) = json_of(tg_send(&c, &sb, "hello").await.unwrap()).await;
    assert_eq!(status, 429);
    assert_eq!(body["parameters"]["retry_after"], 5);
    assert!(
        sb.state.ledger().is_empty(),
        "nothing published by status faults"
    );
    sb.shutdown();
}

#[tokio::test]
async fn status_fault_with_custom_body_and_headers() {
    let sb = sandbox().await;
    let c = client();
    let headers = BTreeMap::from([
        ("retry-after".to_owned(), "7".to_owned()),
        ("ratelimit-remaining".to_owned(), "0".to_owned()),
    ]);
    sb.state.add_fault(Fault {
        status: Some(429),
        body: Some(json!({"error": "RateLimitExceeded", "message": "slow down"})),
        headers: Some(headers),
        ..fault("bluesky", Some("com.atproto.repo.createRecord"))
    });
    let (access, _) = bsky_login(&c, &sb).await;
    let resp = bsky_post(&c, &sb, &access, "hi").await;
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert_eq!(resp.headers()["ratelimit-remaining"], "0");
    assert!(resp.headers().contains_key("ratelimit-reset"));
    let (_, body) = json_of(resp).await;
    assert_eq!(body["message"], "slow down");
    // One use only: the next post goes through.
    assert_eq!(
        bsky_post(&c, &sb, &access, "hi").await.status().as_u16(),
        200
    );
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn reset_before_drops_connection_and_publishes_nothing() {
    let sb = sandbox().await;
    let c = client();
    // Warm a pooled connection first, so the reset also hits a reused one.
    assert_eq!(
        tg_send(&c, &sb, "warm-up").await.unwrap().status().as_u16(),
        200
    );
    sb.state.add_fault(Fault {
        reset: Some("before".into()),
        ..fault("telegram", Some("sendMessage"))
    });
    let err = tg_send(&c, &sb, "lost")
        .await
        .expect_err("send() must fail with a connection error");
    assert!(!err.is_status(), "{err:?}");
    assert_eq!(sb.state.ledger().len(), 1, "only the warm-up message");

    sb.state.add_fault(Fault {
        reset: Some("before".into()),
        ..fault("bluesky", Some("com.atproto.repo.createRecord"))
    });
    let (access, _) = bsky_login(&c, &sb).await;
    let fresh = client();
    let result = fresh
        .post(xrpc(&sb, "com.atproto.repo.createRecord"))
        .bearer_auth(&access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": post_record("lost")}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(sb.state.ledger().len(), 1);
    // The sandbox keeps serving afterwards.
    assert_eq!(
        tg_send(&c, &sb, "after").await.unwrap().status().as_u16(),
        200
    );
    sb.shutdown();
}

#[tokio::test]
async fn reset_after_publishes_then_drops_connection() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        reset: Some("after".into()),
        ..fault("telegram", Some("sendMessage"))
    });
    let outcome = match tg_send(&c, &sb, "ambiguous").await {
        Err(err) => Err(err),
        Ok(resp) => resp.bytes().await.map(|_| ()),
    };
    assert!(outcome.is_err(), "client must not get a usable answer");
    assert!(
        sb.state
            .wait_for_ledger(|l| l.iter().any(|e| e.text == "ambiguous"), WAIT)
            .await
    );

    sb.state.add_fault(Fault {
        reset: Some("after".into()),
        ..fault("bluesky", Some("com.atproto.repo.createRecord"))
    });
    let (access, _) = bsky_login(&c, &sb).await;
    let result = c
        .post(xrpc(&sb, "com.atproto.repo.createRecord"))
        .bearer_auth(&access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": post_record("ambiguous too")}))
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    let ledger = sb.state.ledger();
    assert!(
        ledger
            .iter()
            .any(|e| e.network == "bluesky" && e.text == "ambiguous too")
    );
    sb.shutdown();
}

#[tokio::test]
async fn hold_keeps_answer_until_released() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        hold: Some(true),
        times: Some(2),
        ..fault("telegram", Some("sendMessage"))
    });
    let first = tokio::spawn(tg_send(&c, &sb, "held 1"));
    let second = tokio::spawn(tg_send(&c, &sb, "held 2"));
    assert!(sb.state.wait_for_held(2, WAIT).await);
    assert_eq!(sb.state.held_count(), 2);
    // Processed already: both are in the ledger while the answers are held.
    let ledger = sb.state.ledger();
    assert!(ledger.iter().any(|e| e.text == "held 1") && ledger.iter().any(|e| e.text == "held 2"));
    assert!(!first.is_finished() && !second.is_finished());
    let held = c
        .get(format!("{}/_sandbox/held", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(held).await.1, json!({"held": 2}));

    sb.state.release_held();
    for task in [first, second] {
        let (status, body) = json_of(task.await.unwrap().unwrap()).await;
        assert_eq!(status, 200);
        assert_eq!(body["ok"], true);
    }
    assert!(!sb.state.wait_for_held(1, Duration::from_millis(50)).await);
    sb.shutdown();
}

#[tokio::test]
async fn hold_is_released_when_client_goes_away() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        hold: Some(true),
        ..fault("telegram", None)
    });
    let request = tokio::spawn(tg_send(&c, &sb, "abandoned"));
    assert!(sb.state.wait_for_held(1, WAIT).await);
    request.abort();
    let _ = request.await;
    // The held count drops once the server notices the closed connection.
    let deadline = Instant::now() + WAIT;
    while sb.state.held_count() > 0 && Instant::now() < deadline {
        tokio::task::yield_now().await;
    }
    assert_eq!(sb.state.held_count(), 0);
    sb.shutdown();
}

#[tokio::test]
async fn times_and_endpoint_matching() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        status: Some(503),
        times: Some(2),
        ..fault("telegram", Some("sendphoto"))
    });
    // Other methods and networks are not affected.
    assert_eq!(
        tg_send(&c, &sb, "text").await.unwrap().status().as_u16(),
        200
    );
    bsky_login(&c, &sb).await;
    let photo = json!({"chat_id": seed::TELEGRAM_CHAT_ID, "photo": "https://example.com/a.jpg"});
    for _ in 0..2 {
        let resp = c
            .post(tg(&sb, "sendPhoto"))
            .json(&photo)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 503);
    }
    let resp = c
        .post(tg(&sb, "sendPhoto"))
        .json(&photo)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status().as_u16(),
        200,
        "third request no longer faulted"
    );

    // times: 0 = every matching request until cleared.
    sb.state.add_fault(Fault {
        status: Some(500),
        times: Some(0),
        ..fault("bluesky", Some("com.atproto.server.createSession"))
    });
    for _ in 0..3 {
        let resp = c
            .post(xrpc(&sb, "com.atproto.server.createSession"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 500);
    }
    sb.state.clear_faults();
    bsky_login(&c, &sb).await;
    sb.shutdown();
}

#[tokio::test]
async fn first_matching_fault_wins_and_delay_then_process() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        delay_ms: Some(150),
        ..fault("telegram", Some("getMe"))
    });
    sb.state.add_fault(Fault {
        status: Some(500),
        ..fault("telegram", Some("getMe"))
    });
    let started = Instant::now();
    let (status, body) = json_of(c.get(tg(&sb, "getMe")).send().await.unwrap()).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, 200, "delay-only fault processes normally");
    assert_eq!(body["result"]["is_bot"], true);
    let resp = c.get(tg(&sb, "getMe")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 500, "second fault applies next");
    sb.shutdown();
}

#[tokio::test]
async fn control_api_over_http() {
    let sb = sandbox().await;
    let c = client();
    let base = format!("{}/_sandbox", sb.url);
    let resp = c
        .post(format!("{base}/faults"))
        .json(&json!({"network": "telegram", "endpoint": "sendMessage", "status": 500, "times": 3}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200);
    let id = body["id"].as_u64().unwrap();
    let (_, list) = json_of(c.get(format!("{base}/faults")).send().await.unwrap()).await;
    assert_eq!(list["faults"][0]["id"], id);
    assert_eq!(list["faults"][0]["remaining"], 3);
    assert_eq!(list["faults"][0]["endpoint"], "sendMessage");

    let bad = c
        .post(format!("{base}/faults"))
        .json(&json!({"network": "myspace"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let typo = c
        .post(format!("{base}/faults"))
        .json(&json!({"network": "telegram", "delayMS": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(typo.status().as_u16(), 400);

    c.delete(format!("{base}/faults")).send().await.unwrap();
    let (_, list) = json_of(c.get(format!("{base}/faults")).send().await.unwrap()).await;
    assert_eq!(list["faults"], json!([]));

    assert_eq!(
        tg_send(&c, &sb, "one").await.unwrap().status().as_u16(),
        200
    );
    let (access, _) = bsky_login(&c, &sb).await;
    assert_eq!(
        bsky_post(&c, &sb, &access, "two").await.status().as_u16(),
        200
    );
    let (_, all) = json_of(c.get(format!("{base}/ledger")).send().await.unwrap()).await;
    assert_eq!(all["entries"].as_array().unwrap().len(), 2);
    let (_, only) = json_of(
        c.get(format!("{base}/ledger?network=telegram"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(only["entries"].as_array().unwrap().len(), 1);
    assert_eq!(only["entries"][0]["nativeId"], "1");
    assert!(only["entries"][0]["atMs"].as_i64().is_some());

    let resp = c.post(format!("{base}/reset")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(sb.state.ledger().is_empty());
    let resp = bsky_post(&c, &sb, &access, "after reset").await;
    assert_eq!(resp.status().as_u16(), 401, "sessions were cleared");
    let (_, released) = json_of(c.post(format!("{base}/release")).send().await.unwrap()).await;
    assert_eq!(released["released"], 0);
    sb.shutdown();
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sb = sandbox().await;
    let c = client();
    assert_eq!(tg_send(&c, &sb, "x").await.unwrap().status().as_u16(), 200);
    let url = sb.url.clone();
    sb.shutdown();
    let fresh = client();
    let result = fresh.get(format!("{url}/_sandbox/held")).send().await;
    assert!(result.is_err());
}
