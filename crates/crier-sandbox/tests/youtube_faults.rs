//! YouTube emulator: quota, and faults on uploads (5xx on the N-th chunk via
//! `skip`, connection resets before/after a chunk, a hang, 504/503 bodies).

mod common;

use std::time::Duration;

use common::youtube::{self as yt, CHUNK};
use common::*;
use crier_sandbox::{Fault, seed};
use serde_json::json;

fn upload_fault() -> Fault {
    Fault {
        network: "youtube".into(),
        endpoint: Some("upload".into()),
        ..Fault::default()
    }
}

#[tokio::test]
async fn insert_bucket_is_403_and_channel_uploads_are_400() {
    let sb = sandbox().await;
    let c = client();
    let config = control(&c, &sb, "youtube/config", json!({"insertsPerDay": 1})).await;
    assert_eq!(
        config,
        json!({"insertsPerDay": 1, "uploadsPerChannelPerDay": 50, "searchesPerDay": 100})
    );
    assert_eq!(
        yt::initiate_raw(&c, &sb, &yt::video_resource("a"), 10)
            .await
            .status()
            .as_u16(),
        200
    );
    let (status, body) =
        json_of(yt::initiate_raw(&c, &sb, &yt::video_resource("b"), 10).await).await;
    assert_eq!(status, 403);
    assert_eq!(yt::reason(&body), "quotaExceeded");
    assert_eq!(body["error"]["errors"][0]["domain"], "youtube.quota");

    control(
        &c,
        &sb,
        "youtube/config",
        json!({"insertsPerDay": 100, "uploadsPerChannelPerDay": 1}),
    )
    .await;
    let session = yt::initiate(&c, &sb, "first", 10).await;
    assert_eq!(
        yt::put_chunk(&c, &session, 0, 10, 10)
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
    let (status, body) =
        json_of(yt::initiate_raw(&c, &sb, &yt::video_resource("second"), 10).await).await;
    assert_eq!(status, 400);
    assert_eq!(yt::reason(&body), "uploadLimitExceeded");
    assert_eq!(body["error"]["errors"][0]["domain"], "youtube.video");
    assert_eq!(
        body["error"]["message"],
        "The user has exceeded the number of videos they may upload."
    );
    sb.shutdown();
}

#[tokio::test]
async fn server_error_on_the_second_chunk_via_skip_then_resume() {
    let sb = sandbox().await;
    let c = client();
    let total = 2 * CHUNK + 100;
    let session = yt::initiate(&c, &sb, "Flaky", total).await;
    sb.state.add_fault(Fault {
        status: Some(503),
        skip: Some(1),
        ..upload_fault()
    });
    let resp = yt::put_chunk(&c, &session, 0, CHUNK, total).await.unwrap();
    assert_eq!(resp.status().as_u16(), 308, "the first chunk passes");
    let resp = yt::put_chunk(&c, &session, CHUNK, CHUNK, total)
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        json!({"error": {"code": 503, "message": "The service is currently unavailable.",
            "errors": [{"message": "The service is currently unavailable.", "domain": "global", "reason": "backendError"}],
            "status": "UNAVAILABLE"}})
    );
    // Nothing of the failed chunk was stored: resume from the probe's Range.
    let resp = yt::probe(&c, &session, total).await;
    assert_eq!(yt::range(&resp), Some(format!("bytes=0-{}", CHUNK - 1)));
    let resp = yt::put_chunk(&c, &session, CHUNK, CHUNK, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 308);
    let resp = yt::put_chunk(&c, &session, 2 * CHUNK, 100, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn skip_counts_only_matching_requests_and_defaults_to_zero() {
    let sb = sandbox().await;
    let c = client();
    // Probes are `upload.status`, so they do not use up an `upload` skip.
    let total = 3 * CHUNK;
    let session = yt::initiate(&c, &sb, "Skips", total).await;
    let id = sb.state.add_fault(Fault {
        status: Some(500),
        skip: Some(2),
        ..upload_fault()
    });
    let listed = c
        .get(format!("{}/_sandbox/faults", sb.url))
        .send()
        .await
        .unwrap();
    let (_, listed) = json_of(listed).await;
    assert_eq!(listed["faults"][0]["id"], id);
    assert_eq!(listed["faults"][0]["skip"], 2);
    for n in 0..2 {
        assert_eq!(yt::probe(&c, &session, total).await.status().as_u16(), 308);
        let resp = yt::put_chunk(&c, &session, n * CHUNK, CHUNK, total)
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 308, "chunk {n}");
    }
    let resp = yt::put_chunk(&c, &session, 2 * CHUNK, CHUNK, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 500);
    let resp = yt::put_chunk(&c, &session, 2 * CHUNK, CHUNK, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    // Without skip a fault applies at once (backward compatible).
    let fault: Fault = serde_json::from_value(
        json!({"network": "youtube", "endpoint": "videos.insert", "status": 504}),
    )
    .unwrap();
    assert_eq!(fault.skip, None);
    sb.state.add_fault(fault);
    let (status, body) =
        json_of(yt::initiate_raw(&c, &sb, &yt::video_resource("x"), 10).await).await;
    assert_eq!(status, 504);
    assert_eq!(yt::reason(&body), "backendError");
    assert_eq!(body["error"]["code"], 504);
    sb.shutdown();
}

#[tokio::test]
async fn reset_before_a_chunk_then_probe_and_resume() {
    let sb = sandbox().await;
    let c = client();
    let total = 2 * CHUNK + 7;
    let session = yt::initiate(&c, &sb, "Interrupted", total).await;
    assert_eq!(
        yt::put_chunk(&c, &session, 0, CHUNK, total)
            .await
            .unwrap()
            .status()
            .as_u16(),
        308
    );
    sb.state.add_fault(Fault {
        reset: Some("before".into()),
        ..upload_fault()
    });
    let err = yt::put_chunk(&c, &session, CHUNK, CHUNK, total)
        .await
        .expect_err("the connection is dropped");
    assert!(!err.is_status(), "{err:?}");
    let resp = yt::probe(&c, &session, total).await;
    assert_eq!(resp.status().as_u16(), 308);
    let range = yt::range(&resp).unwrap();
    assert_eq!(range, format!("bytes=0-{}", CHUNK - 1));
    let next: usize = range.rsplit('-').next().unwrap().parse::<usize>().unwrap() + 1;
    assert_eq!(
        yt::put_chunk(&c, &session, next, CHUNK, total)
            .await
            .unwrap()
            .status()
            .as_u16(),
        308
    );
    assert_eq!(
        yt::put_chunk(&c, &session, 2 * CHUNK, 7, total)
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
    sb.shutdown();
}

#[tokio::test]
async fn reset_after_the_final_chunk_leaves_a_complete_upload() {
    let sb = sandbox().await;
    let c = client();
    let total = CHUNK + 50;
    let session = yt::initiate(&c, &sb, "Ambiguous", total).await;
    assert_eq!(
        yt::put_chunk(&c, &session, 0, CHUNK, total)
            .await
            .unwrap()
            .status()
            .as_u16(),
        308
    );
    sb.state.add_fault(Fault {
        reset: Some("after".into()),
        ..upload_fault()
    });
    let err = yt::put_chunk(&c, &session, CHUNK, 50, total)
        .await
        .expect_err("the answer is lost");
    assert!(!err.is_status(), "{err:?}");
    // The bytes were stored and the video exists: the probe says so.
    let resp = yt::probe(&c, &session, total).await;
    let (status, video) = json_of(resp).await;
    assert_eq!(status, 200);
    assert_eq!(video["status"]["uploadStatus"], "uploaded");
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].native_id, video["id"].as_str().unwrap());
    assert_eq!(ledger[0].account, seed::YOUTUBE_CHANNEL_ID);
    sb.shutdown();
}

#[tokio::test]
async fn a_hang_outlasts_the_client_timeout() {
    let sb = sandbox().await;
    let total = CHUNK + 1;
    let session = yt::initiate(&client(), &sb, "Slow", total).await;
    sb.state.add_fault(Fault {
        delay_ms: Some(5_000),
        ..upload_fault()
    });
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = yt::put_chunk(&impatient, &session, 0, CHUNK, total)
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    sb.shutdown();
}

#[tokio::test]
async fn x_faults_use_xs_shapes() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        network: "twitter".into(),
        endpoint: Some("tweets".into()),
        status: Some(503),
        ..Fault::default()
    });
    let resp = common::x::tweet(&c, &sb, json!({"text": "x"})).await;
    assert_eq!(resp.headers()["x-access-level"], "read-write");
    assert!(resp.headers().contains_key("x-rate-limit-reset"));
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 503);
    assert_eq!(
        body,
        json!({"title": "Service Unavailable", "detail": "Service Unavailable", "type": "about:blank", "status": 503})
    );
    // reset "after" on a create: published, but the client never hears.
    sb.state.add_fault(Fault {
        network: "twitter".into(),
        endpoint: Some("tweets".into()),
        reset: Some("after".into()),
        ..Fault::default()
    });
    let url = common::x::url(&sb, "/2/tweets");
    let auth = common::x::authorization(
        "POST",
        &url,
        &[],
        common::x::RW,
        common::x::now(),
        &common::x::nonce(),
    );
    let err = c
        .post(&url)
        .header("authorization", auth)
        .json(&json!({"text": "lost answer"}))
        .send()
        .await
        .expect_err("connection dropped");
    assert!(!err.is_status());
    assert_eq!(sb.state.ledger().len(), 1);
    // The timeline finds it.
    let path = format!("/2/users/{}/tweets?max_results=5", seed::X_USER_ID);
    let (_, body) =
        json_of(common::x::send(&c, &sb, "GET", &path, None, common::x::RW).await).await;
    assert_eq!(body["data"][0]["text"], "lost answer");
    // Unknown network names are refused by the control API.
    let resp = c
        .post(format!("{}/_sandbox/faults", sb.url))
        .json(&json!({"network": "myspace"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    sb.shutdown();
}
