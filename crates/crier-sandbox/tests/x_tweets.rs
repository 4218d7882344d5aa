//! X emulator: post creation and its refusals (duplicate, read-only token,
//! account state, credits, rate and usage caps, length), the timeline and
//! deletion.

mod common;

use common::x::{self, RO, RW};
use common::*;
use crier_sandbox::seed;
use serde_json::json;

#[tokio::test]
async fn create_answers_201_writes_the_ledger_and_counts_limits() {
    let sb = sandbox().await;
    let c = client();
    let resp = x::tweet(&c, &sb, json!({"text": "hello from crier"})).await;
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(x::header(&resp, "x-access-level"), "read-write");
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "100");
    assert_eq!(x::header(&resp, "x-rate-limit-remaining"), "99");
    assert!(
        x::header(&resp, "x-rate-limit-reset")
            .parse::<i64>()
            .unwrap()
            > x::now()
    );
    assert_eq!(x::header(&resp, "x-user-limit-24hour-limit"), "2400");
    assert_eq!(x::header(&resp, "x-user-limit-24hour-remaining"), "2399");
    assert_eq!(x::header(&resp, "x-app-limit-24hour-limit"), "10000");
    assert_eq!(x::header(&resp, "x-app-limit-24hour-remaining"), "9999");
    assert!(resp.headers().contains_key("x-app-limit-24hour-reset"));
    let (_, body) = json_of(resp).await;
    let id = body["data"]["id"].as_str().unwrap().to_owned();
    assert!(
        id.len() >= 18 && id.bytes().all(|b| b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(body["data"]["text"], "hello from crier");
    assert_eq!(body["data"]["edit_history_tweet_ids"], json!([id]));

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    let entry = &ledger[0];
    assert_eq!(
        (
            entry.network.as_str(),
            entry.account.as_str(),
            entry.native_id.as_str()
        ),
        ("twitter", seed::X_USER_ID, id.as_str())
    );
    assert_eq!(entry.text, "hello from crier");
    assert!(entry.media.is_empty() && entry.title.is_none() && !entry.deleted);

    // Links come back as t.co links (the ledger keeps the text as sent),
    // and cost the URL rate.
    let resp = x::tweet(
        &c,
        &sb,
        json!({"text": "read https://example.com/post now"}),
    )
    .await;
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 201, "{body}");
    let shown = body["data"]["text"].as_str().unwrap();
    assert!(
        shown.starts_with("read https://t.co/") && shown.ends_with(" now"),
        "{shown}"
    );
    assert_eq!(
        sb.state.ledger()[1].text,
        "read https://example.com/post now"
    );
    let apps = c
        .get(format!("{}/_sandbox/x/apps", sb.url))
        .send()
        .await
        .unwrap();
    let (_, apps) = json_of(apps).await;
    let credits = apps["apps"][0]["credits"].as_f64().unwrap();
    assert!((credits - (100.0 - 0.015 - 0.2)).abs() < 1e-9, "{credits}");
    sb.shutdown();
}

#[tokio::test]
async fn duplicate_text_is_403() {
    let sb = sandbox().await;
    let c = client();
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "same"}))
            .await
            .status()
            .as_u16(),
        201
    );
    let (status, body) = json_of(x::tweet(&c, &sb, json!({"text": "same"})).await).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403})
    );
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn read_only_token_is_403_oauth1_permissions() {
    let sb = sandbox().await;
    let c = client();
    let resp = x::send(
        &c,
        &sb,
        "POST",
        "/2/tweets",
        Some(json!({"text": "hi"})),
        RO,
    )
    .await;
    assert_eq!(x::header(&resp, "x-access-level"), "read");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({
            "title": "Forbidden", "status": 403,
            "detail": "Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.",
            "type": "https://api.twitter.com/2/problems/oauth1-permissions",
        })
    );
    // Reading works with it.
    let resp = x::send(&c, &sb, "GET", "/2/users/me", None, RO).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(x::header(&resp, "x-access-level"), "read");
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn suspended_is_64_and_locked_is_326() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "x/users",
        json!({"userId": seed::X_USER_ID, "state": "suspended"}),
    )
    .await;
    let (status, body) = json_of(x::tweet(&c, &sb, json!({"text": "a"})).await).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({"errors": [{"code": 64, "message": "Your account is suspended and is not permitted to access this feature."}]})
    );
    control(
        &c,
        &sb,
        "x/users",
        json!({"userId": seed::X_USER_ID, "state": "locked"}),
    )
    .await;
    let (status, body) = json_of(x::send(&c, &sb, "GET", "/2/users/me", None, RW).await).await;
    assert_eq!(status, 403);
    assert_eq!(body["errors"][0]["code"], 326);
    assert_eq!(
        body["errors"][0]["message"],
        "To protect our users from spam and other malicious activity, this account is temporarily locked. Please log in to https://twitter.com to unlock your account."
    );
    let user = control(
        &c,
        &sb,
        "x/users",
        json!({"userId": seed::X_USER_ID, "state": "ok"}),
    )
    .await;
    assert_eq!(
        user,
        json!({"userId": seed::X_USER_ID, "state": "ok", "longPosts": false})
    );
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "a"}))
            .await
            .status()
            .as_u16(),
        201
    );
    sb.shutdown();
}

#[tokio::test]
async fn depleted_credits_are_402() {
    let sb = sandbox().await;
    let c = client();
    let app = control(
        &c,
        &sb,
        "x/apps",
        json!({"consumerKey": seed::X_CONSUMER_KEY, "credits": 0.03}),
    )
    .await;
    assert_eq!(app["credits"], 0.03);
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "one"}))
            .await
            .status()
            .as_u16(),
        201
    );
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "two"}))
            .await
            .status()
            .as_u16(),
        201
    );
    let (status, body) = json_of(x::tweet(&c, &sb, json!({"text": "three"})).await).await;
    assert_eq!(status, 402);
    let account = app["accountId"].as_u64().unwrap();
    assert_eq!(
        body,
        json!({
            "account_id": account,
            "title": "CreditsDepleted",
            "detail": format!("Your enrolled account [{account}] does not have any credits to fulfill this request."),
            "type": "https://api.twitter.com/2/problems/credits",
        })
    );
    // Every call needs credits, not only posting.
    let resp = x::send(&c, &sb, "GET", "/2/users/me", None, RW).await;
    assert_eq!(resp.status().as_u16(), 402);
    // The other app's balance is its own.
    let apps = c
        .get(format!("{}/_sandbox/x/apps", sb.url))
        .send()
        .await
        .unwrap();
    let (_, apps) = json_of(apps).await;
    assert_eq!(apps["apps"][0]["credits"], 0.0);
    assert_eq!(apps["apps"][1]["credits"], 100.0);
    assert_eq!(sb.state.ledger().len(), 2);
    sb.shutdown();
}

#[tokio::test]
async fn rate_window_and_monthly_cap_are_429() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "x/config", json!({"tweetsPer15Min": 2})).await;
    for text in ["r1", "r2"] {
        assert_eq!(
            x::tweet(&c, &sb, json!({ "text": text }))
                .await
                .status()
                .as_u16(),
            201
        );
    }
    let resp = x::tweet(&c, &sb, json!({"text": "r3"})).await;
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "2");
    assert_eq!(x::header(&resp, "x-rate-limit-remaining"), "0");
    let reset: i64 = x::header(&resp, "x-rate-limit-reset").parse().unwrap();
    assert!(reset > x::now());
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429})
    );
    // Other endpoints have their own windows.
    assert_eq!(
        x::send(&c, &sb, "GET", "/2/users/me", None, RW)
            .await
            .status()
            .as_u16(),
        200
    );

    // A fresh window, and a monthly cap of 3 posts (2 used already).
    let config = control(
        &c,
        &sb,
        "x/config",
        json!({"tweetsPer15Min": 100, "monthlyCap": 3}),
    )
    .await;
    assert_eq!(config["monthlyCap"], 3);
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "m3"}))
            .await
            .status()
            .as_u16(),
        201
    );
    let (status, body) = json_of(x::tweet(&c, &sb, json!({"text": "m4"})).await).await;
    assert_eq!(status, 429);
    assert_eq!(body["title"], "UsageCapExceeded");
    assert_eq!(
        body["type"],
        "https://api.twitter.com/2/problems/usage-capped"
    );
    assert_eq!(body["period"], "Monthly");
    let config = control(&c, &sb, "x/config", json!({"monthlyCap": null})).await;
    assert!(config["monthlyCap"].is_null());
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "m4"}))
            .await
            .status()
            .as_u16(),
        201
    );
    sb.shutdown();
}

#[tokio::test]
async fn long_text_needs_long_post_rights() {
    let sb = sandbox().await;
    let c = client();
    assert_eq!(
        x::tweet(&c, &sb, json!({"text": "a".repeat(280)}))
            .await
            .status()
            .as_u16(),
        201
    );
    let long = "b".repeat(281);
    let (status, body) = json_of(x::tweet(&c, &sb, json!({ "text": long })).await).await;
    assert_eq!(status, 400);
    assert_eq!(body["title"], "Invalid Request");
    assert_eq!(
        body["type"],
        "https://api.twitter.com/2/problems/invalid-request"
    );
    assert_eq!(
        body["errors"][0]["message"],
        "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text."
    );
    // CJK weighs two: 141 of them are over the limit.
    let (status, _) = json_of(x::tweet(&c, &sb, json!({"text": "日".repeat(141)})).await).await;
    assert_eq!(status, 400);

    control(
        &c,
        &sb,
        "x/users",
        json!({"userId": seed::X_USER_ID, "longPosts": true}),
    )
    .await;
    assert_eq!(
        x::tweet(&c, &sb, json!({ "text": long }))
            .await
            .status()
            .as_u16(),
        201
    );
    let (status, _) = json_of(x::tweet(&c, &sb, json!({"text": "c".repeat(25_001)})).await).await;
    assert_eq!(status, 400);
    sb.shutdown();
}

#[tokio::test]
async fn request_shape_rules() {
    let sb = sandbox().await;
    let c = client();
    let (status, body) = json_of(
        x::tweet(&c, &sb, json!({"text": "q", "quote_tweet_id": "1", "poll": {"options": ["a", "b"], "duration_minutes": 60}})).await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["message"],
        "You can only provide one of poll or quote_tweet_id or direct_message_deep_link or media or card_uri."
    );
    let (status, body) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "r", "reply": {"in_reply_to_tweet_id": "1234567890"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        body["detail"],
        "You attempted to reply to a Tweet that is deleted or not visible to you."
    );
    let (status, _) = json_of(x::tweet(&c, &sb, json!({"text": ""})).await).await;
    assert_eq!(status, 400);
    let (status, body) = json_of(
        x::tweet(
            &c,
            &sb,
            json!({"text": "m", "media": {"media_ids": ["999"]}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["message"], "Your media IDs are invalid.");
    assert_eq!(
        body["errors"][0]["parameters"]["media.media_ids"],
        json!(["999"])
    );

    // A thread: replying to our own post works.
    let (_, first) = json_of(x::tweet(&c, &sb, json!({"text": "1/2"})).await).await;
    let parent = first["data"]["id"].as_str().unwrap();
    let (status, _) = json_of(
        x::tweet(&c, &sb, json!({"text": "2/2", "reply": {"in_reply_to_tweet_id": parent}, "reply_settings": "following"})).await,
    )
    .await;
    assert_eq!(status, 201);
    assert!(sb.state.ledger().iter().all(|e| e.text.ends_with("/2")));
    sb.shutdown();
}

#[tokio::test]
async fn timeline_lists_newest_first_and_delete_hides() {
    let sb = sandbox().await;
    let c = client();
    let mut ids = Vec::new();
    for n in 0..6 {
        let (status, body) =
            json_of(x::tweet(&c, &sb, json!({"text": format!("post {n}")})).await).await;
        assert_eq!(status, 201);
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let path = format!(
        "/2/users/{}/tweets?max_results=5&tweet.fields=created_at",
        seed::X_USER_ID
    );
    let resp = x::send(&c, &sb, "GET", &path, None, RW).await;
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "900");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    assert_eq!(data[0]["id"], ids[5].as_str());
    assert_eq!(data[0]["text"], "post 5");
    let created = data[0]["created_at"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.len() == 24, "{created}");
    assert_eq!(body["meta"]["result_count"], 5);
    assert_eq!(body["meta"]["newest_id"], ids[5].as_str());
    assert_eq!(body["meta"]["oldest_id"], ids[1].as_str());
    let next = body["meta"]["next_token"].as_str().unwrap();
    let (_, page2) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("{path}&pagination_token={next}"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(page2["data"][0]["id"], ids[0].as_str());
    assert!(page2["meta"].get("next_token").is_none());

    let (status, body) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("/2/users/{}/tweets?max_results=3", seed::X_USER_ID),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["message"],
        "The `max_results` query parameter value [3] is not between 5 and 100"
    );

    let resp = x::send(
        &c,
        &sb,
        "DELETE",
        &format!("/2/tweets/{}", ids[5]),
        None,
        RW,
    )
    .await;
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "50");
    let (status, body) = json_of(resp).await;
    assert_eq!((status, body), (200, json!({"data": {"deleted": true}})));
    let ledger = sb.state.ledger();
    assert!(
        ledger
            .iter()
            .find(|e| e.native_id == ids[5])
            .unwrap()
            .deleted
    );
    let (_, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
    assert_eq!(body["data"][0]["id"], ids[4].as_str());

    // Deleting with the read-only token, or an unknown post.
    let resp = x::send(
        &c,
        &sb,
        "DELETE",
        &format!("/2/tweets/{}", ids[4]),
        None,
        RO,
    )
    .await;
    assert_eq!(resp.status().as_u16(), 403);
    let resp = x::send(&c, &sb, "DELETE", "/2/tweets/123", None, RW).await;
    assert_eq!(resp.status().as_u16(), 404);
    sb.shutdown();
}
