//! X emulator: OAuth 1.0a verification (signature, keys of another app,
//! clock skew, replay) and the headers every authenticated answer carries.

mod common;

use common::x::{self, RW};
use common::*;
use crier_sandbox::seed;
use serde_json::json;

#[tokio::test]
async fn signed_request_is_accepted_with_access_level_and_rate_headers() {
    let sb = sandbox().await;
    let c = client();
    let resp = x::send(&c, &sb, "GET", "/2/users/me", None, RW).await;
    assert_eq!(x::header(&resp, "x-access-level"), "read-write");
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "75");
    assert_eq!(x::header(&resp, "x-rate-limit-remaining"), "74");
    let reset: i64 = x::header(&resp, "x-rate-limit-reset").parse().unwrap();
    assert!(reset > x::now() && reset <= x::now() + 900);
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {"id": seed::X_USER_ID, "name": "Crier Sandbox", "username": "crier_sandbox"}})
    );

    // Query parameters are part of the signature.
    let path = format!(
        "/2/users/{}/tweets?max_results=5&tweet.fields=created_at",
        seed::X_USER_ID
    );
    let (status, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"meta": {"result_count": 0}}));
    sb.shutdown();
}

#[tokio::test]
async fn form_body_parameters_are_signed() {
    let sb = sandbox().await;
    let c = client();
    let url = x::url(&sb, "/2/media/upload/initialize");
    let form = [
        ("media_type", "image/png"),
        ("total_bytes", "10"),
        ("media_category", "tweet_image"),
    ];
    let signed = x::authorization("POST", &url, &form, RW, x::now(), &x::nonce());
    let resp = c
        .post(&url)
        .header("authorization", signed)
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["data"]["media_key"]
            .as_str()
            .unwrap()
            .starts_with("3_")
    );

    // The same body with a signature that left it out fails.
    let unsigned = x::authorization("POST", &url, &[], RW, x::now(), &x::nonce());
    let resp = c
        .post(&url)
        .header("authorization", unsigned)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    sb.shutdown();
}

#[tokio::test]
async fn wrong_secret_or_unknown_key_is_401_unauthorized() {
    let sb = sandbox().await;
    let c = client();
    let unauthorized = json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"});
    let wrong_secret = x::Creds {
        consumer_secret: "not-the-secret",
        ..RW
    };
    let (status, body) =
        json_of(x::send(&c, &sb, "GET", "/2/users/me", None, wrong_secret).await).await;
    assert_eq!((status, &body), (401, &unauthorized));

    let wrong_token_secret = x::Creds {
        token_secret: "nope",
        ..RW
    };
    let (status, _) = json_of(
        x::send(
            &c,
            &sb,
            "POST",
            "/2/tweets",
            Some(json!({"text": "x"})),
            wrong_token_secret,
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);

    let unknown_key = x::Creds {
        consumer_key: "unknownConsumerKey0000000",
        ..RW
    };
    let (status, body) =
        json_of(x::send(&c, &sb, "GET", "/2/users/me", None, unknown_key).await).await;
    assert_eq!((status, &body), (401, &unauthorized));

    // No Authorization at all.
    let resp = c.get(x::url(&sb, "/2/users/me")).send().await.unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!((status, &body), (401, &unauthorized));
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn keys_of_another_app_than_the_tokens_are_401_code_89() {
    let sb = sandbox().await;
    let c = client();
    // A correct signature, but the tokens were issued to the first app.
    let other_app = x::Creds {
        consumer_key: seed::X_OTHER_CONSUMER_KEY,
        consumer_secret: seed::X_OTHER_CONSUMER_SECRET,
        ..RW
    };
    let (status, body) = json_of(
        x::send(
            &c,
            &sb,
            "POST",
            "/2/tweets",
            Some(json!({"text": "hello"})),
            other_app,
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"errors": [{"code": 89, "message": "Invalid or expired token."}]})
    );
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn stale_timestamp_is_135_and_replays_are_refused() {
    let sb = sandbox().await;
    let c = client();
    let url = x::url(&sb, "/2/users/me");
    let stale = x::authorization("GET", &url, &[], RW, x::now() - 600, &x::nonce());
    let resp = c
        .get(&url)
        .header("authorization", stale)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"errors": [{"code": 135, "message": "Timestamp out of bounds."}]})
    );

    // Within the window is fine; the very same signed request twice is not.
    let header = x::authorization("GET", &url, &[], RW, x::now() - 200, &x::nonce());
    let first = c
        .get(&url)
        .header("authorization", &header)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let replay = c
        .get(&url)
        .header("authorization", &header)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status().as_u16(), 401);
    sb.shutdown();
}

#[tokio::test]
async fn unknown_route_is_v1_code_34() {
    let sb = sandbox().await;
    let c = client();
    let (status, body) = json_of(x::send(&c, &sb, "GET", "/2/nothing/here", None, RW).await).await;
    assert_eq!(status, 404);
    assert_eq!(body["errors"][0]["code"], 34);
    sb.shutdown();
}
