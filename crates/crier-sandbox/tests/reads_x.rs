//! The X read endpoints crier uses: post lookup with metrics, the user's
//! metrics and timeline pages.

mod common;

use common::x::{self, RO, RW};
use common::*;
use crier_sandbox::seed;
use serde_json::json;

#[tokio::test]
async fn x_post_lookup_with_metrics_and_not_found() {
    let sb = sandbox().await;
    let c = client();
    let (status, created) =
        json_of(x::tweet(&c, &sb, json!({"text": "metrics please"})).await).await;
    assert_eq!(status, 201);
    let id = created["data"]["id"].as_str().unwrap().to_owned();

    let path = format!("/2/tweets/{id}?tweet.fields=public_metrics,created_at");
    // A read-only token reads.
    let resp = x::send(&c, &sb, "GET", &path, None, RO).await;
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "900");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["id"], id.as_str());
    assert_eq!(data["text"], "metrics please");
    assert!(data["created_at"].as_str().unwrap().ends_with('Z'));
    let metrics = &data["public_metrics"];
    for key in [
        "retweet_count",
        "reply_count",
        "like_count",
        "quote_count",
        "bookmark_count",
        "impression_count",
    ] {
        assert!(metrics[key].is_u64(), "{key}: {body}");
    }
    assert!(metrics["like_count"].as_u64() <= metrics["impression_count"].as_u64());
    // Without tweet.fields: the default fields only.
    let (_, plain) =
        json_of(x::send(&c, &sb, "GET", &format!("/2/tweets/{id}"), None, RW).await).await;
    assert_eq!(
        plain,
        json!({"data": {"id": id, "text": "metrics please", "edit_history_tweet_ids": [id]}})
    );

    // Deleted: X's 404 lookup problem.
    let resp = x::send(&c, &sb, "DELETE", &format!("/2/tweets/{id}"), None, RW).await;
    assert_eq!(resp.status().as_u16(), 200);
    let (status, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
    assert_eq!(status, 404, "{body}");
    let detail = format!("Could not find tweet with id: [{id}].");
    assert_eq!(body["title"], "Not Found Error");
    assert_eq!(body["detail"], detail.as_str());
    assert_eq!(
        body["type"],
        "https://api.twitter.com/2/problems/resource-not-found"
    );
    assert_eq!(body["errors"][0]["resource_type"], "tweet");
    assert_eq!(body["errors"][0]["resource_id"], id.as_str());
    assert_eq!(body["errors"][0]["parameter"], "id");
    assert_eq!(body["errors"][0]["detail"], detail.as_str());
    let (status, _) = json_of(x::send(&c, &sb, "GET", "/2/tweets/123", None, RW).await).await;
    assert_eq!(status, 404);

    // Malformed id, unknown field or parameter: 400 invalid-request.
    for bad in [
        "/2/tweets/abc".to_owned(),
        format!("/2/tweets/{id}?tweet.fields=nonsense"),
        format!("/2/tweets/{id}?max_results=5"),
    ] {
        let (status, body) = json_of(x::send(&c, &sb, "GET", &bad, None, RW).await).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(
            body["type"],
            "https://api.twitter.com/2/problems/invalid-request"
        );
    }

    // Faults aim at `tweets.get` only.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "twitter", "endpoint": "tweets.get", "status": 503}),
    )
    .await;
    let (status, body) = json_of(x::send(&c, &sb, "GET", "/2/tweets/123", None, RW).await).await;
    assert_eq!(
        (status, body["title"].as_str()),
        (503, Some("Service Unavailable"))
    );
    sb.shutdown();
}

#[tokio::test]
async fn x_me_metrics_and_timeline_pages() {
    let sb = sandbox().await;
    let c = client();
    let mut ids = Vec::new();
    for n in 0..8 {
        let (status, body) =
            json_of(x::tweet(&c, &sb, json!({"text": format!("history {n}")})).await).await;
        assert_eq!(status, 201);
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let (status, me) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            "/2/users/me?user.fields=public_metrics,verified",
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["data"]["id"], seed::X_USER_ID);
    assert_eq!(me["data"]["username"], seed::X_USERNAME);
    assert_eq!(me["data"]["verified"], false);
    let metrics = &me["data"]["public_metrics"];
    assert_eq!(metrics["tweet_count"], 8);
    for key in ["followers_count", "following_count", "listed_count"] {
        assert!(metrics[key].is_u64(), "{key}: {me}");
    }
    let (status, _) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            "/2/users/me?user.fields=shoe_size",
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);

    // Two pages of five and three, newest first; a post deleted between
    // the pages is left out of the second.
    let base = format!(
        "/2/users/{}/tweets?max_results=5&tweet.fields=created_at,public_metrics",
        seed::X_USER_ID
    );
    let (status, page1) = json_of(x::send(&c, &sb, "GET", &base, None, RW).await).await;
    assert_eq!(status, 200, "{page1}");
    let data = page1["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    assert_eq!(data[0]["id"], ids[7].as_str());
    assert!(data[0]["public_metrics"]["impression_count"].is_u64());
    let next = page1["meta"]["next_token"].as_str().unwrap().to_owned();
    x::send(
        &c,
        &sb,
        "DELETE",
        &format!("/2/tweets/{}", ids[1]),
        None,
        RW,
    )
    .await;
    let (status, page2) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("{base}&pagination_token={next}"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{page2}");
    let got: Vec<&str> = page2["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![ids[2].as_str(), ids[0].as_str()]);
    assert!(page2["meta"].get("next_token").is_none());
    assert_eq!(page2["meta"]["result_count"], 2);

    for bad in ["4", "101"] {
        let path = format!("/2/users/{}/tweets?max_results={bad}", seed::X_USER_ID);
        let (status, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
        assert_eq!(status, 400);
        assert_eq!(
            body["errors"][0]["message"],
            format!("The `max_results` query parameter value [{bad}] is not between 5 and 100")
        );
    }
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "twitter", "endpoint": "users.me", "status": 500}),
    )
    .await;
    let (status, _) = json_of(x::send(&c, &sb, "GET", "/2/users/me", None, RW).await).await;
    assert_eq!(status, 500);
    sb.shutdown();
}

/// `start_time` / `end_time` bound the timeline by creation time, both
/// inclusive at second granularity; a bad or too early time is a 400.
#[tokio::test]
async fn x_timeline_between_start_and_end_time() {
    let sb = sandbox().await;
    let c = client();
    let mut ids = Vec::new();
    for n in 0..3 {
        let (status, body) =
            json_of(x::tweet(&c, &sb, json!({"text": format!("timed {n}")})).await).await;
        assert_eq!(status, 201);
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let timeline = |range: String| {
        format!(
            "/2/users/{}/tweets?max_results=10&tweet.fields=created_at{range}",
            seed::X_USER_ID
        )
    };
    let ids_in = |page: &serde_json::Value| -> Vec<String> {
        page["data"]
            .as_array()
            .map(|d| {
                d.iter()
                    .map(|t| t["id"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, all) =
        json_of(x::send(&c, &sb, "GET", &timeline(String::new()), None, RW).await).await;
    assert_eq!(status, 200, "{all}");
    // X prints milliseconds; the parameters take whole seconds.
    let second = |t: &serde_json::Value| t["created_at"].as_str().unwrap()[..19].to_owned() + "Z";
    let newest = second(&all["data"][0]);
    let oldest = second(&all["data"][2]);
    let enc = |t: &str| t.replace(':', "%3A");

    let (_, page) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &timeline(format!("&start_time={}", enc(&newest))),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert!(
        ids_in(&page).contains(&ids[2]),
        "start_time includes its own second: {page}"
    );
    let (_, page) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &timeline(format!("&end_time={}", enc(&oldest))),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert!(
        ids_in(&page).contains(&ids[0]),
        "end_time includes its own second: {page}"
    );
    let (_, page) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &timeline(format!("&start_time={}", enc("2010-11-06T00:00:00Z"))),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(
        ids_in(&page),
        vec![ids[2].clone(), ids[1].clone(), ids[0].clone()]
    );

    let later = (chrono::Utc::now() + chrono::Duration::minutes(5))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let (status, page) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &timeline(format!("&start_time={}", enc(&later))),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, page["meta"]["result_count"].clone()),
        (200, json!(0)),
        "{page}"
    );
    assert!(page.get("data").is_none());
    let (_, page) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &timeline(format!("&end_time={}", enc("2020-01-01T00:00:00Z"))),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(page["meta"]["result_count"], 0, "{page}");

    for bad in ["yesterday", "2010-11-05T23:59:59Z"] {
        let (status, body) = json_of(
            x::send(
                &c,
                &sb,
                "GET",
                &timeline(format!("&start_time={}", enc(bad))),
                None,
                RW,
            )
            .await,
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(
            body["errors"][0]["parameters"]["start_time"][0], bad,
            "{body}"
        );
    }
    sb.shutdown();
}
