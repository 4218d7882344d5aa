//! Reddit emulation: submit (200 with `json.errors` triples on failure),
//! delete, info, the user's submitted listing with `after` paging, the
//! `X-Ratelimit-*` headers and 429, 401/403, the User-Agent rule, faults.

mod common;

use common::*;
use crier_sandbox::{Fault, SandboxHandle, seed};
use serde_json::{Value, json};

const UA: &str = "linux:crier-sandbox-tests:v1 (by /u/crier_sandbox)";

fn url(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/reddit{}", sb.url, path)
}

async fn submit(c: &reqwest::Client, sb: &SandboxHandle, form: &[(&str, &str)]) -> Value {
    let mut fields: Vec<(&str, &str)> = vec![("api_type", "json")];
    fields.extend_from_slice(form);
    let resp = c
        .post(url(sb, "/api/submit"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn get(c: &reqwest::Client, sb: &SandboxHandle, path: &str) -> (u16, Value) {
    json_of(
        c.get(url(sb, path))
            .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
            .header("user-agent", UA)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The `[code, message, field]` triples of a 200 answer.
fn errors(body: &Value) -> Vec<(String, String, String)> {
    body["json"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_owned(),
                e[1].as_str().unwrap().to_owned(),
                e[2].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn self_post<'a>(title: &'a str, text: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("sr", seed::REDDIT_SUBREDDIT),
        ("kind", "self"),
        ("title", title),
        ("text", text),
    ]
}

#[tokio::test]
async fn self_post_is_submitted_read_listed_and_deleted() {
    let sb = sandbox().await;
    let c = client();
    let body = submit(&c, &sb, &self_post("Hello Reddit", "from crier")).await;
    assert!(errors(&body).is_empty(), "{body}");
    let data = &body["json"]["data"];
    let name = data["name"].as_str().unwrap().to_owned();
    assert_eq!(name, format!("t3_{}", data["id"].as_str().unwrap()));
    assert!(
        data["url"]
            .as_str()
            .unwrap()
            .contains("/r/crier_sandbox/comments/")
    );

    let (status, info) = get(&c, &sb, &format!("/api/info?id={name}")).await;
    assert_eq!(status, 200);
    let post = &info["data"]["children"][0];
    assert_eq!(post["kind"], "t3");
    assert_eq!(post["data"]["title"], "Hello Reddit");
    assert_eq!(post["data"]["selftext"], "from crier");

    let (_, listing) = get(
        &c,
        &sb,
        &format!("/user/{}/submitted", seed::REDDIT_USERNAME),
    )
    .await;
    assert_eq!(listing["kind"], "Listing");
    assert_eq!(
        listing["data"]["children"][0]["data"]["name"],
        name.as_str()
    );

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].network.as_str(), ledger[0].native_id.as_str()),
        ("reddit", name.as_str())
    );
    assert_eq!(ledger[0].title.as_deref(), Some("Hello Reddit"));

    let resp = c
        .post(url(&sb, "/api/del"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .form(&[("id", name.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(resp).await, (200, json!({})));
    assert!(sb.state.ledger()[0].deleted);
    let (_, info) = get(&c, &sb, &format!("/api/info?id={name}")).await;
    assert_eq!(info["data"]["children"][0]["data"]["author"], "[deleted]");
    let (_, listing) = get(
        &c,
        &sb,
        &format!("/user/{}/submitted", seed::REDDIT_USERNAME),
    )
    .await;
    assert!(listing["data"]["children"].as_array().unwrap().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn submitted_listing_pages_with_after() {
    let sb = sandbox().await;
    let c = client();
    for i in 0..3 {
        let title = format!("post {i}");
        submit(&c, &sb, &self_post(&title, "")).await;
    }
    let base = format!("/user/{}/submitted", seed::REDDIT_USERNAME);
    let (_, first) = get(&c, &sb, &format!("{base}?limit=2")).await;
    assert_eq!(first["data"]["dist"], 2);
    assert_eq!(first["data"]["children"][0]["data"]["title"], "post 2");
    let after = first["data"]["after"].as_str().expect("after").to_owned();
    let (_, second) = get(&c, &sb, &format!("{base}?limit=2&after={after}")).await;
    assert_eq!(second["data"]["dist"], 1);
    assert_eq!(second["data"]["children"][0]["data"]["title"], "post 0");
    assert!(second["data"]["after"].is_null());
    let (status, _) = get(&c, &sb, "/user/somebody_else/submitted").await;
    assert_eq!(status, 404);
    sb.shutdown();
}

#[tokio::test]
async fn validation_errors_come_back_as_200_triples() {
    let sb = sandbox().await;
    let c = client();
    let body = submit(&c, &sb, &[("sr", "nope"), ("kind", "self"), ("title", "t")]).await;
    assert_eq!(errors(&body)[0].0, "SUBREDDIT_NOEXIST");
    assert_eq!(errors(&body)[0].2, "sr");

    let body = submit(&c, &sb, &self_post("", "x")).await;
    assert_eq!(
        errors(&body)[0],
        (
            "NO_TEXT".into(),
            "we need something here".into(),
            "title".into()
        )
    );

    let long = "x".repeat(301);
    let body = submit(&c, &sb, &self_post(&long, "")).await;
    assert_eq!(errors(&body)[0].0, "TOO_LONG");

    let link = |u: &'static str| {
        vec![
            ("sr", seed::REDDIT_SUBREDDIT),
            ("kind", "link"),
            ("title", "A link"),
            ("url", u),
        ]
    };
    assert!(errors(&submit(&c, &sb, &link("https://example.com/a")).await).is_empty());
    let dup = submit(&c, &sb, &link("https://example.com/a")).await;
    assert_eq!(
        errors(&dup)[0],
        (
            "ALREADY_SUB".into(),
            "that link has already been submitted".into(),
            "url".into()
        )
    );
    let mut again = link("https://example.com/a");
    again.push(("resubmit", "true"));
    assert!(errors(&submit(&c, &sb, &again).await).is_empty());

    let image = submit(
        &c,
        &sb,
        &[
            ("sr", seed::REDDIT_SUBREDDIT),
            ("kind", "image"),
            ("title", "t"),
            ("url", "https://example.com/a.jpg"),
        ],
    )
    .await;
    assert_eq!(errors(&image)[0].0, "INVALID_OPTION");

    control(&c, &sb, "reddit/config", json!({"linkType": "link"})).await;
    assert_eq!(
        errors(&submit(&c, &sb, &self_post("t", "")).await)[0].0,
        "NO_SELFS"
    );
    control(
        &c,
        &sb,
        "reddit/config",
        json!({"linkType": "any", "flairRequired": true}),
    )
    .await;
    let body = submit(&c, &sb, &self_post("t", "")).await;
    assert_eq!(errors(&body)[0].0, "SUBMIT_VALIDATION_FLAIR_REQUIRED");
    let mut flaired = self_post("t", "");
    flaired.push(("flair_id", "abc-123"));
    assert!(errors(&submit(&c, &sb, &flaired).await).is_empty());
    assert_eq!(sb.state.ledger().len(), 3);
    sb.shutdown();
}

#[tokio::test]
async fn ratelimit_error_carries_the_wait() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "reddit/ratelimit", json!({"seconds": 540})).await;
    let body = submit(&c, &sb, &self_post("t", "")).await;
    assert_eq!(
        errors(&body)[0],
        (
            "RATELIMIT".into(),
            "you are doing that too much. try again in 9 minutes.".into(),
            "ratelimit".into()
        )
    );
    assert_eq!(body["json"]["ratelimit"], 540.0);
    assert!(sb.state.ledger().is_empty());
    assert!(errors(&submit(&c, &sb, &self_post("t", "")).await).is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn auth_suspension_user_agent_and_request_window() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .get(url(&sb, "/api/v1/me"))
        .bearer_auth("wrong")
        .header("user-agent", UA)
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("www-authenticate"));
    assert_eq!(
        json_of(resp).await,
        (401, json!({"message": "Unauthorized", "error": 401}))
    );

    let resp = c
        .get(url(&sb, "/api/v1/me"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", "")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);

    let (status, me) = get(&c, &sb, "/api/v1/me").await;
    assert_eq!(
        (status, me["name"].as_str()),
        (200, Some(seed::REDDIT_USERNAME))
    );

    control(&c, &sb, "reddit/account", json!({"suspended": true})).await;
    let resp = c
        .post(url(&sb, "/api/submit"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .form(&self_post("t", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(resp).await,
        (403, json!({"message": "Forbidden", "error": 403}))
    );
    control(&c, &sb, "reddit/account", json!({"suspended": false})).await;

    control(
        &c,
        &sb,
        "reddit/config",
        json!({"requestsPerWindow": 2, "windowSeconds": 600}),
    )
    .await;
    let first = c
        .get(url(&sb, "/api/v1/me"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .send()
        .await
        .unwrap();
    assert_eq!(first.headers()["x-ratelimit-used"], "1");
    assert_eq!(first.headers()["x-ratelimit-remaining"], "1.0");
    assert!(first.headers().contains_key("x-ratelimit-reset"));
    assert_eq!(get(&c, &sb, "/api/v1/me").await.0, 200);
    let over = c
        .get(url(&sb, "/api/v1/me"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .send()
        .await
        .unwrap();
    assert_eq!(over.status().as_u16(), 429);
    assert_eq!(over.headers()["x-ratelimit-remaining"], "0.0");

    control(
        &c,
        &sb,
        "reddit/config",
        json!({"requestsPerWindow": 1000}),
    )
    .await;
    control(&c, &sb, "reddit/token", json!({"state": "revoked"})).await;
    assert_eq!(get(&c, &sb, "/api/v1/me").await.0, 401);
    sb.shutdown();
}

#[tokio::test]
async fn a_status_fault_answers_reddits_body() {
    let sb = sandbox().await;
    let c = client();
    sb.state.add_fault(Fault {
        network: "reddit".into(),
        endpoint: Some("submit".into()),
        status: Some(503),
        ..Fault::default()
    });
    let resp = c
        .post(url(&sb, "/api/submit"))
        .bearer_auth(seed::REDDIT_ACCESS_TOKEN)
        .header("user-agent", UA)
        .form(&self_post("t", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(resp).await,
        (503, json!({"message": "Service Unavailable", "error": 503}))
    );
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}
