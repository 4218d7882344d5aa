//! Facebook Pages emulation, everything around publishing: token lifecycle,
//! usage headers, throttles, insights, unknown paths and faults.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::json;

const PAGE: &str = seed::FACEBOOK_PAGE_ID;
const TOKEN: &str = seed::FACEBOOK_PAGE_TOKEN;

#[tokio::test]
async fn token_lifecycle_answers_190_with_subcodes() {
    let sb = sandbox().await;
    let c = client();
    let feed = fb(&sb, &format!("{PAGE}/feed"));
    let cases = [
        ("expired", 463, "Session has expired"),
        ("revoked", 467, "Error validating access token"),
        ("password_changed", 460, "changed their password"),
    ];
    for (i, (state, subcode, text)) in cases.into_iter().enumerate() {
        control(
            &c,
            &sb,
            "meta/tokens",
            json!({"token": TOKEN, "state": state}),
        )
        .await;
        let resp = c
            .post(feed.clone())
            .form(&[("access_token", TOKEN), ("message", &format!("try {i}"))])
            .send()
            .await
            .unwrap();
        assert!(resp.headers().contains_key("www-authenticate"));
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 400, "{body}");
        let error = meta_error(&body);
        assert_eq!(error["code"], 190, "{body}");
        assert_eq!(error["error_subcode"], subcode, "{body}");
        assert_eq!(error["type"], "OAuthException");
        assert!(error["message"].as_str().unwrap().contains(text), "{body}");
    }
    assert!(sb.state.ledger().is_empty());
    control(
        &c,
        &sb,
        "meta/tokens",
        json!({"token": TOKEN, "state": "valid"}),
    )
    .await;
    let (status, _) = graph_post(&c, feed.clone(), TOKEN, &[("message", "works again")]).await;
    assert_eq!(status, 200);

    // No token, an unknown token, and the Instagram token on the Page.
    let (status, body) = json_of(
        c.post(feed.clone())
            .form(&[("message", "x")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 104);
    let (status, body) = graph_post(&c, feed.clone(), "EAAbogus", &[("message", "x")]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 190);
    assert!(meta_error(&body).get("error_subcode").is_none());
    let (status, body) = graph_post(&c, feed, seed::INSTAGRAM_TOKEN, &[("message", "x")]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 33);

    // Control errors.
    let resp = c
        .post(format!("{}/_sandbox/meta/tokens", sb.url))
        .json(&json!({"token": TOKEN, "state": "melted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    sb.shutdown();
}

#[tokio::test]
async fn usage_rises_and_the_page_limit_answers_80001() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "meta/config", json!({"bucCallsPerHour": 4})).await;
    let mut counts = Vec::new();
    for _ in 0..4 {
        let resp = c
            .get(fb(&sb, PAGE))
            .query(&[("access_token", TOKEN)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        counts.push(
            header_json(&resp, "x-business-use-case-usage")[PAGE][0]["call_count"]
                .as_u64()
                .unwrap(),
        );
    }
    assert_eq!(counts, vec![25, 50, 75, 100]);
    let resp = c
        .get(fb(&sb, PAGE))
        .query(&[("access_token", TOKEN)])
        .send()
        .await
        .unwrap();
    let buc = header_json(&resp, "x-business-use-case-usage");
    assert!(
        buc[PAGE][0]["estimated_time_to_regain_access"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 80001);
    sb.shutdown();
}

#[tokio::test]
async fn app_throttle_answers_code_4_everywhere() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "app", "on": true}),
    )
    .await;
    let resp = c
        .get(fb(&sb, PAGE))
        .query(&[("access_token", TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(header_json(&resp, "x-app-usage")["call_count"], 100);
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 4);
    let (_, body) = graph_get(&c, th(&sb, "me"), seed::THREADS_TOKEN, &[]).await;
    assert_eq!(meta_error(&body)["code"], 4);
    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "app", "on": false}),
    )
    .await;
    let (status, _) = graph_get(&c, fb(&sb, PAGE), TOKEN, &[]).await;
    assert_eq!(status, 200);
    sb.shutdown();
}

#[tokio::test]
async fn insights_and_the_page_insights_throttle() {
    let sb = sandbox().await;
    let c = client();
    let feed = fb(&sb, &format!("{PAGE}/feed"));
    let (_, post) = graph_post(&c, feed.clone(), TOKEN, &[("message", "Measured")]).await;
    let post_id = post["id"].as_str().unwrap().to_owned();

    let (status, body) = graph_get(
        &c,
        fb(&sb, &format!("{post_id}/insights")),
        TOKEN,
        &[(
            "metric",
            "post_impressions,post_impressions_unique,post_reactions_by_type_total",
        )],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(data[0]["name"], "post_impressions");
    assert_eq!(data[0]["period"], "lifetime");
    let impressions = data[0]["values"][0]["value"].as_u64().unwrap();
    let reach = data[1]["values"][0]["value"].as_u64().unwrap();
    assert!(reach > 0 && reach <= impressions);
    assert!(data[2]["values"][0]["value"]["like"].is_u64());
    assert_eq!(
        data[0]["id"],
        format!("{post_id}/insights/post_impressions/lifetime")
    );

    let (status, body) = graph_get(
        &c,
        fb(&sb, &format!("{PAGE}/insights")),
        TOKEN,
        &[
            ("metric", "page_impressions,page_post_engagements"),
            ("period", "day"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let values = body["data"][0]["values"].as_array().unwrap();
    assert_eq!(values.len(), 2, "the last two days by default");
    assert!(
        values[1]["value"].as_u64().unwrap() >= impressions,
        "today includes the post"
    );
    assert!(values[1]["end_time"].as_str().unwrap().ends_with("+0000"));
    assert!(body["paging"]["next"].is_string());

    let (status, body) = graph_get(
        &c,
        fb(&sb, &format!("{PAGE}/insights")),
        TOKEN,
        &[("metric", "page_bogus"), ("period", "day")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 100);

    // Throttled analytics: 80001 on insights, publishing unaffected.
    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "page-insights", "pageId": PAGE, "on": true}),
    )
    .await;
    for url in [
        fb(&sb, &format!("{PAGE}/insights")),
        fb(&sb, &format!("{post_id}/insights")),
    ] {
        let resp = c
            .get(url)
            .query(&[
                ("access_token", TOKEN),
                ("metric", "page_impressions,post_impressions"),
            ])
            .send()
            .await
            .unwrap();
        let buc = header_json(&resp, "x-business-use-case-usage");
        assert_eq!(buc[PAGE][0]["call_count"], 100);
        assert!(
            buc[PAGE][0]["estimated_time_to_regain_access"]
                .as_u64()
                .unwrap()
                > 0
        );
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 400);
        let error = meta_error(&body);
        assert_eq!(error["code"], 80001);
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("(#80001) There have been too many calls to this Page account. Wait a bit and try again.")
        );
    }
    let (status, body) = graph_post(&c, feed, TOKEN, &[("message", "Still publishing")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(sb.state.ledger().len(), 2);

    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "page-insights", "pageId": PAGE, "on": false}),
    )
    .await;
    let (status, _) = graph_get(
        &c,
        fb(&sb, &format!("{post_id}/insights")),
        TOKEN,
        &[("metric", "post_clicks")],
    )
    .await;
    assert_eq!(status, 200);
    sb.shutdown();
}

#[tokio::test]
async fn unknown_paths_and_versions() {
    let sb = sandbox().await;
    let c = client();
    // Unversioned paths and other versions work.
    let (status, body) = graph_get(
        &c,
        format!("{}/facebook/{PAGE}", sb.url),
        TOKEN,
        &[("fields", "id,name")],
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"id": PAGE, "name": "Crier Sandbox"}))
    );
    let (status, _) = graph_get(&c, format!("{}/facebook/v19.0/me", sb.url), TOKEN, &[]).await;
    assert_eq!(status, 200);
    let (status, body) = graph_get(&c, fb(&sb, &format!("{PAGE}/nothing")), TOKEN, &[]).await;
    assert_eq!(status, 400);
    assert!(
        meta_error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("nonexisting field (nothing)")
    );
    let (status, body) = graph_get(&c, fb(&sb, "999999"), TOKEN, &[]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 33);
    sb.shutdown();
}

#[tokio::test]
async fn faults_match_meta_endpoints_and_nodes() {
    let sb = sandbox().await;
    let c = client();
    let (_, post) = graph_post(
        &c,
        fb(&sb, &format!("{PAGE}/feed")),
        TOKEN,
        &[("message", "faulty")],
    )
    .await;
    let post_id = post["id"].as_str().unwrap().to_owned();
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "facebook", "endpoint": "node", "status": 500, "times": 2}),
    )
    .await;
    for _ in 0..2 {
        let (status, body) = graph_get(&c, fb(&sb, &post_id), TOKEN, &[]).await;
        assert_eq!(status, 500);
        let error = meta_error(&body);
        assert_eq!(error["code"], 1);
        assert_eq!(error["is_transient"], true);
    }
    let (status, _) = graph_get(&c, fb(&sb, &post_id), TOKEN, &[]).await;
    assert_eq!(status, 200, "the fault was used up");

    // A held Threads publish is processed, and answered on release.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "threads", "endpoint": "threads_publish", "hold": true}),
    )
    .await;
    let (_, container) = graph_post(
        &c,
        th(&sb, &format!("{}/threads", seed::THREADS_USER_ID)),
        seed::THREADS_TOKEN,
        &[("media_type", "TEXT"), ("text", "held")],
    )
    .await;
    let publish = c
        .post(th(
            &sb,
            &format!("{}/threads_publish", seed::THREADS_USER_ID),
        ))
        .form(&[
            ("access_token", seed::THREADS_TOKEN),
            ("creation_id", container["id"].as_str().unwrap()),
        ])
        .send();
    let publish = tokio::spawn(publish);
    assert!(sb.state.wait_for_held(1, WAIT).await);
    assert!(sb.state.ledger().iter().any(|e| e.network == "threads"));
    sb.state.release_held();
    let (status, body) = json_of(publish.await.unwrap().unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["id"].is_string());

    // Unknown networks are refused.
    let resp = c
        .post(format!("{}/_sandbox/faults", sb.url))
        .json(&json!({"network": "myspace"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    sb.shutdown();
}
