//! Bluesky XRPC emulation: sessions, blobs, records, errors and rate limits.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

fn err(name: &str, message: &str) -> Value {
    json!({"error": name, "message": message})
}

async fn create(
    c: &reqwest::Client,
    sb: &crier_sandbox::SandboxHandle,
    access: &str,
    input: Value,
) -> (u16, Value) {
    json_of(
        c.post(xrpc(sb, "com.atproto.repo.createRecord"))
            .bearer_auth(access)
            .json(&input)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn session_blob_post_get_delete() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(xrpc(&sb, "com.atproto.server.createSession"))
        .json(&json!({"identifier": seed::BLUESKY_HANDLE, "password": seed::BLUESKY_APP_PASSWORD}))
        .send()
        .await
        .unwrap();
    for header in [
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "ratelimit-policy",
    ] {
        assert!(resp.headers().contains_key(header), "missing {header}");
    }
    let (status, session) = json_of(resp).await;
    assert_eq!(status, 200);
    assert_eq!(session["did"], seed::BLUESKY_DID);
    assert_eq!(session["handle"], seed::BLUESKY_HANDLE);
    assert_eq!(session["active"], true);
    assert_eq!(
        session["didDoc"]["service"][0]["serviceEndpoint"],
        format!("{}/bluesky", sb.url)
    );
    let access = session["accessJwt"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3, "JWT-looking token");

    let image = vec![7u8; 2048];
    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.uploadBlob"))
        .bearer_auth(access)
        .header("content-type", "image/png")
        .body(image)
        .send()
        .await
        .unwrap();
    let (status, upload) = json_of(resp).await;
    assert_eq!(status, 200, "{upload}");
    let blob = upload["blob"].clone();
    assert_eq!(blob["$type"], "blob");
    assert_eq!(blob["mimeType"], "image/png");
    assert_eq!(blob["size"], 2048);
    let cid = blob["ref"]["$link"].as_str().unwrap().to_owned();
    assert!(cid.starts_with("bafkrei"));

    let mut record = post_record("a post with a picture");
    record["langs"] = json!(["en"]);
    record["embed"] =
        json!({"$type": "app.bsky.embed.images", "images": [{"alt": "a picture", "image": blob}]});
    let (status, created) = create(
        &c,
        &sb,
        access,
        json!({"repo": seed::BLUESKY_HANDLE, "collection": "app.bsky.feed.post", "record": record}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let uri = created["uri"].as_str().unwrap();
    let prefix = format!("at://{}/app.bsky.feed.post/", seed::BLUESKY_DID);
    let rkey = uri
        .strip_prefix(&prefix)
        .expect("uri names the post")
        .to_owned();
    assert_eq!(rkey.len(), 13);
    assert!(created["cid"].as_str().unwrap().starts_with("bafyrei"));
    assert!(created["commit"]["rev"].is_string());

    assert!(sb.state.wait_for_ledger(|l| l.len() == 1, WAIT).await);
    let entry = &sb.state.ledger()[0];
    assert_eq!(
        (entry.network.as_str(), entry.account.as_str()),
        ("bluesky", seed::BLUESKY_DID)
    );
    assert_eq!(entry.native_id, rkey);
    assert_eq!(entry.text, "a post with a picture");
    assert_eq!(entry.media, [cid]);

    let resp = c
        .get(xrpc(&sb, "com.atproto.repo.getRecord"))
        .query(&[
            ("repo", seed::BLUESKY_DID),
            ("collection", "app.bsky.feed.post"),
            ("rkey", &rkey),
        ])
        .send()
        .await
        .unwrap();
    let (status, got) = json_of(resp).await;
    assert_eq!(status, 200);
    assert_eq!(got["uri"], uri);
    assert_eq!(got["cid"], created["cid"]);
    assert_eq!(got["value"]["text"], "a post with a picture");

    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.deleteRecord"))
        .bearer_auth(access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "rkey": rkey}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(sb.state.wait_for_ledger(|l| l[0].deleted, WAIT).await);

    let resp = c
        .get(xrpc(&sb, "com.atproto.repo.getRecord"))
        .query(&[
            ("repo", seed::BLUESKY_DID),
            ("collection", "app.bsky.feed.post"),
            ("rkey", &rkey),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body),
        (
            400,
            err("RecordNotFound", &format!("Could not locate record: {uri}"))
        )
    );
    sb.shutdown();
}

#[tokio::test]
async fn duplicate_rkey_and_missing_record() {
    let sb = sandbox().await;
    let c = client();
    let (access, _) = bsky_login(&c, &sb).await;
    let input = json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "rkey": "3lbcdefghijk2", "record": post_record("once")});
    let (status, body) = create(&c, &sb, &access, input.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["uri"],
        format!(
            "at://{}/app.bsky.feed.post/3lbcdefghijk2",
            seed::BLUESKY_DID
        )
    );
    let (status, body) = create(&c, &sb, &access, input).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "InvalidRequest");
    assert_eq!(sb.state.ledger().len(), 1);

    let resp = c
        .get(xrpc(&sb, "com.atproto.repo.getRecord"))
        .query(&[
            ("repo", seed::BLUESKY_HANDLE),
            ("collection", "app.bsky.feed.post"),
            ("rkey", "3zzzzzzzzzzzz"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    let uri = format!(
        "at://{}/app.bsky.feed.post/3zzzzzzzzzzzz",
        seed::BLUESKY_DID
    );
    assert_eq!(
        (status, body),
        (
            400,
            err("RecordNotFound", &format!("Could not locate record: {uri}"))
        )
    );
    sb.shutdown();
}

#[tokio::test]
async fn expired_token_then_refresh() {
    let sb = sandbox().await;
    let c = client();
    let (access, refresh) = bsky_login(&c, &sb).await;
    let resp = c
        .post(format!("{}/_sandbox/bluesky/expire-sessions", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (status, body) = json_of(bsky_post(&c, &sb, &access, "late").await).await;
    assert_eq!(
        (status, body),
        (400, err("ExpiredToken", "Token has expired"))
    );

    let resp = c
        .post(xrpc(&sb, "com.atproto.server.refreshSession"))
        .bearer_auth(&refresh)
        .send()
        .await
        .unwrap();
    let (status, renewed) = json_of(resp).await;
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["did"], seed::BLUESKY_DID);
    let new_access = renewed["accessJwt"].as_str().unwrap();
    assert_ne!(new_access, access);
    assert_eq!(
        bsky_post(&c, &sb, new_access, "on time")
            .await
            .status()
            .as_u16(),
        200
    );

    // The old refresh token is spent.
    let resp = c
        .post(xrpc(&sb, "com.atproto.server.refreshSession"))
        .bearer_auth(&refresh)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("ExpiredToken"))
    );
    sb.shutdown();
}

#[tokio::test]
async fn auth_and_validation_errors() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(xrpc(&sb, "com.atproto.server.createSession"))
        .json(&json!({"identifier": seed::BLUESKY_HANDLE, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(resp).await,
        (
            401,
            err("AuthenticationRequired", "Invalid identifier or password")
        )
    );

    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.createRecord"))
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": post_record("x")}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("AuthenticationRequired"))
    );
    let (status, body) = json_of(bsky_post(&c, &sb, "not-a-token", "x").await).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("InvalidToken"))
    );

    let (access, _) = bsky_login(&c, &sb).await;
    let (status, body) = json_of(bsky_post(&c, &sb, &access, &"é".repeat(301)).await).await;
    assert_eq!(
        (status, body),
        (
            400,
            err(
                "InvalidRequest",
                "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
            )
        )
    );
    assert_eq!(
        bsky_post(&c, &sb, &access, &"é".repeat(300))
            .await
            .status()
            .as_u16(),
        200
    );

    let (status, body) = create(
        &c,
        &sb,
        &access,
        json!({"repo": "someone.else.social", "collection": "app.bsky.feed.post", "record": post_record("x")}),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            400,
            err("InvalidRequest", "Could not find repo: someone.else.social")
        )
    );

    let fake_blob = json!({"$type": "blob", "ref": {"$link": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}, "mimeType": "image/jpeg", "size": 10});
    let mut record = post_record("missing blob");
    record["embed"] =
        json!({"$type": "app.bsky.embed.images", "images": [{"alt": "", "image": fake_blob}]});
    let (status, body) = create(
        &c,
        &sb,
        &access,
        json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "record": record}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "BlobNotFound");

    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.uploadBlob"))
        .bearer_auth(&access)
        .header("content-type", "image/jpeg")
        .body(vec![0u8; 1_000_001])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("BlobTooLarge"))
    );
    assert_eq!(
        body["message"],
        "This file is too large. It is 976.56KB but the maximum size is 976.56KB."
    );

    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.createRecord"))
        .bearer_auth(&access)
        .header("content-type", "application/json")
        .body("{broken")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("InvalidRequest"))
    );

    let resp = c
        .post(xrpc(&sb, "app.bsky.feed.doesNotExist"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(resp).await,
        (501, err("MethodNotImplemented", "Method Not Implemented"))
    );
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn write_points_are_counted_and_limited() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(format!("{}/_sandbox/bluesky/limits", sb.url))
        .json(&json!({"writePointsPerHour": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (access, _) = bsky_login(&c, &sb).await;
    let resp = bsky_post(&c, &sb, &access, "one").await;
    assert_eq!(resp.headers()["ratelimit-limit"], "7");
    assert_eq!(resp.headers()["ratelimit-remaining"], "4");
    assert_eq!(resp.headers()["ratelimit-policy"], "7;w=3600");
    let reset: i64 = resp.headers()["ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset > chrono::Utc::now().timestamp());
    let resp = bsky_post(&c, &sb, &access, "two").await;
    assert_eq!(resp.headers()["ratelimit-remaining"], "1");
    let resp = bsky_post(&c, &sb, &access, "three").await;
    assert_eq!(resp.headers()["ratelimit-remaining"], "1");
    assert_eq!(
        json_of(resp).await,
        (429, err("RateLimitExceeded", "Rate Limit Exceeded"))
    );
    assert_eq!(sb.state.ledger().len(), 2);
    sb.shutdown();
}
