//! Faults that land a request late (`landLateMs`), and faults drawn with a probability from a seed.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use crier_sandbox::{Fault, seed};
use serde_json::json;

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The ledger entry with this text, once it is there.
async fn landed(sb: &crier_sandbox::SandboxHandle, text: &str) -> crier_sandbox::LedgerEntry {
    assert!(
        sb.state
            .wait_for_ledger(|l| l.iter().any(|e| e.text == text), WAIT)
            .await,
        "{text:?} never landed"
    );
    let entries: Vec<_> = sb
        .state
        .ledger()
        .into_iter()
        .filter(|e| e.text == text)
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries.into_iter().next().unwrap()
}

#[tokio::test]
async fn land_late_with_reset_drops_now_and_lands_after_the_delay() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        land_late_ms: Some(2000),
        reset: Some("before".into()),
        ..fault("telegram", Some("sendMessage"))
    });
    let sent = wall_ms();
    let err = tg_send(&c, &sb, "late")
        .await
        .expect_err("the client gets no answer");
    assert!(!err.is_status(), "{err:?}");
    // The client has given up; the network has not published (yet).
    assert!(!sb.state.ledger().iter().any(|e| e.text == "late"));
    assert_eq!(sb.state.pending_landings(), 1);
    let (_, pending) = json_of(
        c.get(format!("{}/_sandbox/landings", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(pending, json!({"pending": 1}));

    let entry = landed(&sb, "late").await;
    assert!(
        entry.at_ms >= sent + 2000,
        "landed {} ms after the request",
        entry.at_ms - sent
    );
    assert!(sb.state.wait_for_landings(WAIT).await);
    assert_eq!(sb.state.pending_landings(), 0);
    // A late landing is a normal publish: the next message gets the next id.
    let (_, next) = json_of(tg_send(&c, &sb, "after").await.unwrap()).await;
    assert_eq!(
        next["result"]["message_id"].as_i64().unwrap(),
        entry.native_id.parse::<i64>().unwrap() + 1
    );
    sb.shutdown();
}

#[tokio::test]
async fn land_late_holds_until_the_client_gives_up_then_lands_after_the_delay() {
    let sb = sandbox().await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    sb.state.add_fault(Fault {
        land_late_ms: Some(1000),
        ..fault("bluesky", Some("com.atproto.repo.createRecord"))
    });
    let (access, _) = bsky_login(&client(), &sb).await;
    let sent = wall_ms();
    let err = impatient
        .post(xrpc(&sb, "com.atproto.repo.createRecord"))
        .bearer_auth(&access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": post_record("late hang")}))
        .send()
        .await
        .expect_err("no answer before the client's timeout");
    assert!(err.is_timeout(), "{err:?}");
    let gave_up = wall_ms();
    assert!(gave_up - sent >= 500);
    assert!(!sb.state.ledger().iter().any(|e| e.text == "late hang"));
    assert_eq!(sb.state.pending_landings(), 1);

    let entry = landed(&sb, "late hang").await;
    assert_eq!(entry.network, "bluesky");
    // Counted from when the client closed its connection (a little slack
    // for the client's clock read after closing).
    assert!(
        entry.at_ms >= gave_up + 1000 - 50,
        "landed {} ms after the client gave up",
        entry.at_ms - gave_up
    );
    assert!(sb.state.wait_for_landings(WAIT).await);
    sb.shutdown();
}

#[tokio::test]
async fn land_late_with_status_answers_now_and_lands_later() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        land_late_ms: Some(1500),
        status: Some(504),
        ..fault("telegram", Some("sendMessage"))
    });
    let sent = wall_ms();
    let (status, body) = json_of(tg_send(&c, &sb, "gateway gave up").await.unwrap()).await;
    assert_eq!(status, 504);
    assert_eq!(body["ok"], false);
    assert!(
        !sb.state
            .ledger()
            .iter()
            .any(|e| e.text == "gateway gave up")
    );
    let entry = landed(&sb, "gateway gave up").await;
    assert!(entry.at_ms >= sent + 1500);
    sb.shutdown();
}

#[tokio::test]
async fn reset_cancels_landings_still_pending() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        land_late_ms: Some(60_000),
        reset: Some("before".into()),
        ..fault("telegram", Some("sendMessage"))
    });
    assert!(tg_send(&c, &sb, "never").await.is_err());
    assert_eq!(sb.state.pending_landings(), 1);
    let resp = c
        .post(format!("{}/_sandbox/reset", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(sb.state.wait_for_landings(WAIT).await);
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn land_late_combinations_are_checked() {
    let sb = sandbox().await;
    let c = client();
    let base = format!("{}/_sandbox/faults", sb.url);
    for bad in [
        json!({"network": "telegram", "landLateMs": 100, "reset": "after"}),
        json!({"network": "telegram", "landLateMs": 100, "hold": true}),
        json!({"network": "telegram", "probability": 1.5}),
        json!({"network": "telegram", "probability": -0.1}),
    ] {
        let resp = c.post(&base).json(&bad).send().await.unwrap();
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    let resp = c
        .post(&base)
        .json(&json!({"network": "telegram", "landLateMs": 100, "reset": "before", "probability": 0.25, "seed": 9, "times": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (_, list) = json_of(c.get(&base).send().await.unwrap()).await;
    assert_eq!(list["faults"][0]["applied"], 0);
    assert_eq!(list["faults"][0]["landLateMs"], 100);
    assert_eq!(list["faults"][0]["probability"], 0.25);
    assert_eq!(list["faults"][0]["seed"], 9);
    sb.shutdown();
}

/// 40 `getMe` calls' statuses under the two faults below.
async fn draw_pattern(sb: &crier_sandbox::SandboxHandle, c: &reqwest::Client, p: f64) -> Vec<u16> {
    sb.state.clear_faults();
    sb.state.add_fault(Fault {
        status: Some(500),
        probability: Some(p),
        seed: Some(42),
        times: Some(0),
        ..fault("telegram", Some("getMe"))
    });
    sb.state.add_fault(Fault {
        status: Some(503),
        times: Some(0),
        ..fault("telegram", Some("getMe"))
    });
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(
            c.get(tg(sb, "getMe"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    statuses
}

#[tokio::test]
async fn probability_with_a_seed_is_reproducible_and_passes_over_to_later_faults() {
    let sb = sandbox().await;
    let c = client();
    let first = draw_pattern(&sb, &c, 0.5).await;
    let hits = first.iter().filter(|s| **s == 500).count();
    // A request the first fault passes over gets the second one.
    assert_eq!(first.iter().filter(|s| **s == 503).count(), 40 - hits);
    assert!((8..=32).contains(&hits), "{first:?}");
    let (_, list) = json_of(
        c.get(format!("{}/_sandbox/faults", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(list["faults"][0]["applied"], hits);
    assert_eq!(list["faults"][1]["applied"], 40 - hits);
    assert_eq!(
        draw_pattern(&sb, &c, 0.5).await,
        first,
        "same seed, same draws"
    );
    assert!(draw_pattern(&sb, &c, 0.0).await.iter().all(|s| *s == 503));
    assert!(draw_pattern(&sb, &c, 1.0).await.iter().all(|s| *s == 500));
    // Passed-over requests use up nothing: a one-shot fault with a low
    // probability still applies exactly once.
    sb.state.clear_faults();
    sb.state.add_fault(Fault {
        status: Some(500),
        probability: Some(0.2),
        seed: Some(1),
        ..fault("telegram", Some("getMe"))
    });
    let mut failed = 0;
    for _ in 0..200 {
        if c.get(tg(&sb, "getMe"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
            == 500
        {
            failed += 1;
        }
    }
    assert_eq!(failed, 1);
    sb.shutdown();
}
