//! Google Business Profile emulator: local post create/get/list/delete, the
//! ledger, photo fetching (JPG/PNG only), validation errors in Google's
//! envelope, token/location/rate-limit conditions and faults.

mod common;

use common::*;
use crier_sandbox::{Fault, SandboxHandle, seed};
use serde_json::{Value, json};

fn posts_url(sb: &SandboxHandle) -> String {
    format!(
        "{}/gmb/v4/accounts/{}/locations/{}/localPosts",
        sb.url,
        seed::GMB_ACCOUNT_ID,
        seed::GMB_LOCATION_ID
    )
}

async fn create(c: &reqwest::Client, url: &str, post: Value) -> (u16, Value) {
    let resp = c
        .post(url)
        .bearer_auth(seed::GMB_ACCESS_TOKEN)
        .json(&post)
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

async fn get(c: &reqwest::Client, url: &str) -> (u16, Value) {
    let resp = c
        .get(url)
        .bearer_auth(seed::GMB_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

fn error_details(body: &Value) -> &Value {
    &body["error"]["details"][0]["errorDetails"][0]
}

#[tokio::test]
async fn photo_post_lifecycle_and_ledger() {
    let sb = sandbox().await;
    let c = client();
    let photo = media(&sb, "shop.jpg");
    let (status, post) = create(
        &c,
        &posts_url(&sb),
        json!({
            "languageCode": "en-US",
            "summary": "Spring sale starts today",
            "topicType": "STANDARD",
            "callToAction": {"actionType": "LEARN_MORE", "url": "https://example.com/sale"},
            "media": [{"mediaFormat": "PHOTO", "sourceUrl": photo}],
        }),
    )
    .await;
    assert_eq!(status, 200, "{post}");
    let name = post["name"].as_str().unwrap().to_owned();
    assert!(name.starts_with(&format!(
        "accounts/{}/locations/{}/localPosts/",
        seed::GMB_ACCOUNT_ID,
        seed::GMB_LOCATION_ID
    )));
    assert_eq!(post["state"], "LIVE");
    assert_eq!(post["summary"], "Spring sale starts today");
    assert!(post["searchUrl"].as_str().unwrap().starts_with("https://"));
    assert!(post["createTime"].as_str().unwrap().ends_with('Z'));

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].network, "gmb");
    assert_eq!(ledger[0].account, seed::GMB_LOCATION_ID);
    assert_eq!(ledger[0].native_id, name);
    assert_eq!(ledger[0].media, vec![photo]);

    let item = format!("{}/gmb/v4/{name}", sb.url);
    let (status, read) = get(&c, &item).await;
    assert_eq!(status, 200);
    assert_eq!(read["name"], name.as_str());

    let (status, list) = get(&c, &posts_url(&sb)).await;
    assert_eq!(status, 200);
    assert_eq!(list["localPosts"][0]["name"], name.as_str());

    let resp = c
        .delete(&item)
        .bearer_auth(seed::GMB_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(resp).await, (200, json!({})));
    assert!(sb.state.ledger()[0].deleted);
    assert_eq!(get(&c, &item).await.0, 404);
    assert_eq!(get(&c, &posts_url(&sb)).await, (200, json!({})));
}

#[tokio::test]
async fn list_pages_with_tokens() {
    let sb = sandbox().await;
    let c = client();
    for i in 0..3 {
        let (status, _) = create(
            &c,
            &posts_url(&sb),
            json!({"summary": format!("post {i}"), "topicType": "STANDARD"}),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (_, first) = get(&c, &format!("{}?pageSize=2", posts_url(&sb))).await;
    assert_eq!(first["localPosts"].as_array().unwrap().len(), 2);
    assert_eq!(first["localPosts"][0]["summary"], "post 2");
    let token = first["nextPageToken"].as_str().unwrap();
    let (_, second) = get(
        &c,
        &format!("{}?pageSize=2&pageToken={token}", posts_url(&sb)),
    )
    .await;
    assert_eq!(second["localPosts"][0]["summary"], "post 0");
    assert!(second.get("nextPageToken").is_none());
}

#[tokio::test]
async fn validation_errors_use_google_envelope() {
    let sb = sandbox().await;
    let c = client();
    let url = posts_url(&sb);
    let long = "x".repeat(1501);
    let (status, body) = create(&c, &url, json!({"summary": long, "topicType": "STANDARD"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
    assert_eq!(
        body["error"]["details"][0]["@type"],
        "type.googleapis.com/google.mybusiness.v4.ValidationError"
    );
    assert_eq!(error_details(&body)["field"], "summary");
    assert_eq!(
        error_details(&body)["message"],
        "Must be at most 1500 characters"
    );

    let (status, body) = create(
        &c,
        &url,
        json!({"summary": "call us", "topicType": "STANDARD",
               "callToAction": {"actionType": "CALL", "url": "https://example.com"}}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_details(&body)["field"], "call_to_action.url");

    let (status, body) = create(
        &c,
        &url,
        json!({"summary": "fair", "topicType": "EVENT", "event": {"title": "Fair"}}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_details(&body)["field"], "event.schedule");

    let (status, body) = create(&c, &url, json!({"summary": "x", "topicType": "NEWS"})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["details"][0]["@type"],
        "type.googleapis.com/google.rpc.BadRequest"
    );
    assert!(sb.state.ledger().is_empty());
}

#[tokio::test]
async fn only_jpeg_and_png_photos_are_taken() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "media-host",
        json!({"bodies": {
            "/media-host/pic.webp": "RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ",
            "/media-host/pic.heic": "\u{0}\u{0}\u{0}\u{18}ftypheic\u{0}\u{0}\u{0}\u{0}",
        }}),
    )
    .await;
    for path in ["pic.webp", "pic.heic"] {
        let (status, body) = create(
            &c,
            &posts_url(&sb),
            json!({"summary": "new photo", "topicType": "STANDARD",
                   "media": [{"mediaFormat": "PHOTO", "sourceUrl": media(&sb, path)}]}),
        )
        .await;
        assert_eq!(status, 400, "{path}: {body}");
        let code = error_details(&body)["code"].as_i64().unwrap();
        assert!((1000..1100).contains(&code), "{body}");
        assert_eq!(error_details(&body)["field"], "media.source_url");
    }
    // Unreachable URL: the photo fetch fails (1000).
    let (status, body) = create(
        &c,
        &posts_url(&sb),
        json!({"summary": "s", "topicType": "STANDARD",
               "media": [{"mediaFormat": "PHOTO", "sourceUrl": media(&sb, "missing.gif")}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_details(&body)["code"], 1000);
    // Google's 10 KB lower bound, once configured.
    control(&c, &sb, "gmb/config", json!({"minPhotoBytes": 10240})).await;
    let (status, _) = create(
        &c,
        &posts_url(&sb),
        json!({"summary": "s", "topicType": "STANDARD",
               "media": [{"mediaFormat": "PHOTO", "sourceUrl": media(&sb, "small.png")}]}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, body) = create(
        &c,
        &posts_url(&sb),
        json!({"summary": "s", "topicType": "STANDARD",
               "media": [{"mediaFormat": "PHOTO", "sourceUrl": media(&sb, "big.png?bytes=20000")}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(sb.state.ledger().len(), 1);
}

#[tokio::test]
async fn token_location_and_rate_conditions() {
    let sb = sandbox().await;
    let c = client();
    let url = posts_url(&sb);
    let post = json!({"summary": "hello", "topicType": "STANDARD"});

    let resp = c.post(&url).json(&post).send().await.unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );

    control(&c, &sb, "gmb/token", json!({"state": "expired"})).await;
    let resp = c
        .get(format!("{}/_sandbox/gmb/token", sb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(resp).await, (200, json!({"state": "expired"})));
    let resp = c
        .post(format!("{}/_sandbox/gmb/token", sb.url))
        .json(&json!({"state": "stale"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("not \"stale\""),
        "{body}"
    );
    let (status, body) = create(&c, &url, post.clone()).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["details"][0]["reason"],
        "ACCESS_TOKEN_EXPIRED"
    );
    control(&c, &sb, "gmb/token", json!({"state": "valid"})).await;

    let other = format!(
        "{}/gmb/v4/accounts/{}/locations/999/localPosts",
        sb.url,
        seed::GMB_ACCOUNT_ID
    );
    let (status, body) = create(&c, &other, post.clone()).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (403, Some("PERMISSION_DENIED"))
    );

    control(&c, &sb, "gmb/location", json!({"verified": false})).await;
    let (status, body) = create(&c, &url, post.clone()).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (400, Some("FAILED_PRECONDITION"))
    );
    control(&c, &sb, "gmb/location", json!({"verified": true})).await;

    control(
        &c,
        &sb,
        "gmb/config",
        json!({"rateLimited": true, "retryAfterSecs": 30}),
    )
    .await;
    let resp = c
        .post(&url)
        .bearer_auth(seed::GMB_ACCESS_TOKEN)
        .json(&post)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["retry-after"], "30");
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (429, Some("RESOURCE_EXHAUSTED"))
    );
    control(&c, &sb, "gmb/config", json!({"rateLimited": false})).await;

    sb.state.add_fault(Fault {
        network: "gmb".into(),
        endpoint: Some("localPosts.create".into()),
        status: Some(503),
        ..Fault::default()
    });
    let (status, body) = create(&c, &url, post.clone()).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (503, Some("UNAVAILABLE"))
    );
    assert!(sb.state.ledger().is_empty());
    assert_eq!(create(&c, &url, post).await.0, 200);
}

#[tokio::test]
async fn processing_posts_settle_on_read_and_metrics_count_live_posts() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "gmb/config",
        json!({"initialState": "PROCESSING", "finalState": "REJECTED", "processingReads": 1}),
    )
    .await;
    let (_, post) = create(
        &c,
        &posts_url(&sb),
        json!({"summary": "x", "topicType": "STANDARD"}),
    )
    .await;
    assert_eq!(post["state"], "PROCESSING");
    let item = format!("{}/gmb/v4/{}", sb.url, post["name"].as_str().unwrap());
    assert_eq!(get(&c, &item).await.1["state"], "PROCESSING");
    assert_eq!(get(&c, &item).await.1["state"], "REJECTED");

    control(&c, &sb, "gmb/config", json!({"initialState": "LIVE"})).await;
    create(
        &c,
        &posts_url(&sb),
        json!({"summary": "y", "topicType": "STANDARD"}),
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let date = |prefix: &str, d: chrono::NaiveDate| {
        use chrono::Datelike;
        format!(
            "dailyRange.{prefix}.year={}&dailyRange.{prefix}.month={}&dailyRange.{prefix}.day={}",
            d.year(),
            d.month(),
            d.day()
        )
    };
    let url = format!(
        "{}/gmb/v1/locations/{}:fetchMultiDailyMetricsTimeSeries?dailyMetrics=CALL_CLICKS&{}&{}",
        sb.url,
        seed::GMB_LOCATION_ID,
        date("startDate", from),
        date("endDate", to)
    );
    let (status, body) = get(&c, &url).await;
    assert_eq!(status, 200, "{body}");
    let series = &body["multiDailyMetricTimeSeries"][0]["dailyMetricTimeSeries"][0];
    assert_eq!(series["dailyMetric"], "CALL_CLICKS");
    // One live post (by the range's last day); CALL_CLICKS is the 7th metric.
    assert_eq!(series["timeSeries"]["datedValues"][2]["value"], "7");
}
