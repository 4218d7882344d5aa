//! Bitly emulation: shortening (201 new, 200 existing), clicks summary,
//! Bitly's error bodies (403, 400, 422, 429 rate and monthly limits),
//! faults, and the links listing in place of a ledger.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

fn url(sb: &crier_sandbox::SandboxHandle, path: &str) -> String {
    format!("{}/bitly{}", sb.url, path)
}

async fn shorten(
    c: &reqwest::Client,
    sb: &crier_sandbox::SandboxHandle,
    body: Value,
) -> reqwest::Response {
    c.post(url(sb, "/v4/shorten"))
        .bearer_auth(seed::BITLY_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(c: &reqwest::Client, sb: &crier_sandbox::SandboxHandle, path: &str) -> (u16, Value) {
    json_of(
        c.get(url(sb, path))
            .bearer_auth(seed::BITLY_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Bitly's error body, checking its basics; returns `message`.
fn bitly_error(body: &Value) -> String {
    assert!(body["resource"].is_string(), "{body}");
    assert!(body["description"].is_string(), "{body}");
    body["message"].as_str().expect("message").to_owned()
}

fn no_rate_headers(resp: &reqwest::Response) {
    for name in resp.headers().keys() {
        assert!(
            !name.as_str().contains("ratelimit") && name.as_str() != "retry-after",
            "Bitly sends no rate-limit headers: {name}"
        );
    }
}

#[tokio::test]
async fn shorten_creates_once_then_answers_the_existing_link() {
    let sb = sandbox().await;
    let c = client();
    let resp = shorten(
        &c,
        &sb,
        json!({"long_url": "https://example.com/page?a=1", "domain": "bit.ly", "group_guid": seed::BITLY_GROUP_GUID}),
    )
    .await;
    no_rate_headers(&resp);
    let (status, first) = json_of(resp).await;
    assert_eq!(status, 201, "{first}");
    let id = first["id"].as_str().unwrap().to_owned();
    let hash = id.strip_prefix("bit.ly/").expect("bit.ly id");
    assert_eq!(hash.len(), 7);
    assert_eq!(first["link"], format!("https://bit.ly/{hash}"));
    assert_eq!(first["long_url"], "https://example.com/page?a=1");
    assert_eq!(first["archived"], false);
    assert_eq!(first["custom_bitlinks"], json!([]));
    assert_eq!(first["tags"], json!([]));
    assert_eq!(first["deeplinks"], json!([]));
    assert!(first["created_at"].as_str().unwrap().ends_with("+0000"));
    assert!(
        first["references"]["group"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/v4/groups/{}", seed::BITLY_GROUP_GUID))
    );

    // The same long URL again (domain and group left to the defaults):
    // 200 with the same link.
    let (status, again) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://example.com/page?a=1"})).await).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again, first);

    // A host without a path is stored normalised, so both spellings match.
    let (status, bare) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://Example.org"})).await).await;
    assert_eq!(status, 201, "{bare}");
    assert_eq!(bare["long_url"], "https://example.org/");
    let (status, slash) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://example.org/"})).await).await;
    assert_eq!(status, 200);
    assert_eq!(slash["id"], bare["id"]);
    assert_ne!(bare["id"], first["id"]);

    // Retrieve and clicks summary, with the id as is and percent-encoded.
    let (status, got) = get(&c, &sb, &format!("/v4/bitlinks/{id}")).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got, first);
    let (status, summary) = get(&c, &sb, &format!("/v4/bitlinks/{id}/clicks/summary")).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["total_clicks"], 0);
    assert_eq!(summary["units"], -1);
    assert_eq!(summary["unit"], "day");
    assert!(summary["unit_reference"].is_string());
    let encoded = id.replace('/', "%2F");
    let (status, summary) = get(
        &c,
        &sb,
        &format!("/v4/bitlinks/{encoded}/clicks/summary?unit=week&units=4"),
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(
        (summary["unit"].as_str(), summary["units"].as_i64()),
        (Some("week"), Some(4))
    );
    let (status, body) = get(
        &c,
        &sb,
        &format!("/v4/bitlinks/{id}/clicks/summary?unit=fortnight"),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(bitly_error(&body), "INVALID_ARG_UNIT");
    let (status, body) = get(&c, &sb, "/v4/bitlinks/bit.ly/0000000/clicks/summary").await;
    assert_eq!(status, 404);
    assert_eq!(bitly_error(&body), "NOT_FOUND");

    // Nothing is published, so no ledger; the links listing has both.
    assert!(sb.state.ledger().is_empty());
    let (status, links) = json_of(
        c.get(format!("{}/_sandbox/bitly/links", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let links = links["links"].as_array().unwrap().clone();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0]["id"], id.as_str());
    assert_eq!(links[0]["longUrl"], "https://example.com/page?a=1");
    assert_eq!(links[1]["longUrl"], "https://example.org/");
    assert!(links[0]["atMs"].is_i64());

    // Reset forgets them.
    control(&c, &sb, "reset", json!({})).await;
    let (status, _) = get(&c, &sb, &format!("/v4/bitlinks/{id}")).await;
    assert_eq!(status, 404);
    sb.shutdown();
}

#[tokio::test]
async fn missing_or_wrong_token_and_foreign_group_are_403() {
    let sb = sandbox().await;
    let c = client();
    let body = json!({"long_url": "https://example.com/"});
    for auth in [None, Some("Bearer wrong-token"), Some("Basic Zm9vOmJhcg==")] {
        let mut req = c.post(url(&sb, "/v4/shorten")).json(&body);
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        let resp = req.send().await.unwrap();
        no_rate_headers(&resp);
        let (status, error) = json_of(resp).await;
        assert_eq!(status, 403, "{auth:?}");
        assert_eq!(
            error,
            json!({"message": "FORBIDDEN", "resource": "bitlinks",
                   "description": "You are currently forbidden to access this resource."})
        );
    }
    let (status, error) = json_of(
        shorten(
            &c,
            &sb,
            json!({"long_url": "https://example.com/", "group_guid": "Bsomeoneelse"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(bitly_error(&error), "FORBIDDEN");
    // Reads need the token too.
    let resp = c
        .get(url(&sb, "/v4/bitlinks/bit.ly/abc/clicks/summary"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn invalid_long_urls_domains_and_bodies() {
    let sb = sandbox().await;
    let c = client();
    for bad in [
        json!({"long_url": "example.com/page"}),
        json!({"long_url": ""}),
        json!({"long_url": "ftp://example.com/file"}),
        json!({"long_url": "http://localhost:8080/x"}),
        json!({"long_url": "http://127.0.0.1/x"}),
        json!({"long_url": 42}),
        json!({"domain": "bit.ly"}),
    ] {
        let (status, error) = json_of(shorten(&c, &sb, bad.clone()).await).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(
            error,
            json!({"message": "INVALID_ARG_LONG_URL", "resource": "bitlinks",
                   "description": "The value provided is invalid.",
                   "errors": [{"field": "long_url", "error_code": "invalid"}]}),
            "{bad}"
        );
    }
    let (status, error) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://bit.ly/3AbCdEf"})).await).await;
    assert_eq!(status, 400);
    assert_eq!(bitly_error(&error), "ALREADY_A_BITLY_LINK");

    // A domain the group has no access to; then one configured for it.
    let body = json!({"long_url": "https://example.com/", "domain": "go.example"});
    let (status, error) = json_of(shorten(&c, &sb, body.clone()).await).await;
    assert_eq!(status, 400);
    assert_eq!(bitly_error(&error), "INVALID_ARG_DOMAIN");
    assert_eq!(error["errors"][0]["field"], "domain");
    let config = control(
        &c,
        &sb,
        "bitly/config",
        json!({"customDomains": ["Go.Example"]}),
    )
    .await;
    assert_eq!(config["customDomains"], json!(["go.example"]));
    let (status, link) = json_of(shorten(&c, &sb, body).await).await;
    assert_eq!(status, 201, "{link}");
    assert!(link["id"].as_str().unwrap().starts_with("go.example/"));
    assert!(
        link["link"]
            .as_str()
            .unwrap()
            .starts_with("https://go.example/")
    );

    // Not a JSON object.
    let resp = c
        .post(url(&sb, "/v4/shorten"))
        .bearer_auth(seed::BITLY_TOKEN)
        .header("content-type", "application/json")
        .body("long_url=https://example.com")
        .send()
        .await
        .unwrap();
    let (status, error) = json_of(resp).await;
    assert_eq!(status, 422);
    assert_eq!(bitly_error(&error), "UNPROCESSABLE_ENTITY");

    // Unknown paths are Bitly's 404.
    let (status, error) = get(&c, &sb, "/v4/nowhere").await;
    assert_eq!(status, 404);
    assert_eq!(bitly_error(&error), "NOT_FOUND");
    sb.shutdown();
}

#[tokio::test]
async fn monthly_quota_and_platform_rate_limit_answer_429() {
    let sb = sandbox().await;
    let c = client();
    let config = control(&c, &sb, "bitly/config", json!({"monthlyLinks": 2})).await;
    assert_eq!(config["monthlyLinks"], 2);
    for n in 0..2 {
        let resp = shorten(
            &c,
            &sb,
            json!({"long_url": format!("https://example.com/{n}")}),
        )
        .await;
        assert_eq!(resp.status().as_u16(), 201);
    }
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/2"})).await;
    no_rate_headers(&resp);
    let (status, error) = json_of(resp).await;
    assert_eq!(status, 429, "{error}");
    assert_eq!(bitly_error(&error), "MONTHLY_LIMIT_EXCEEDED");
    // An existing link is still answered: nothing new is created.
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/0"})).await;
    assert_eq!(resp.status().as_u16(), 200);
    // Lifting the quota (null) lets new links through again.
    let config = control(&c, &sb, "bitly/config", json!({"monthlyLinks": null})).await;
    assert!(config["monthlyLinks"].is_null());
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/2"})).await;
    assert_eq!(resp.status().as_u16(), 201);

    // 10 an hour is 1 a minute: the second call of the minute is refused.
    control(&c, &sb, "bitly/config", json!({"shortenPerHour": 10})).await;
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/0"})).await;
    assert_eq!(resp.status().as_u16(), 200);
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/3"})).await;
    no_rate_headers(&resp);
    let (status, error) = json_of(resp).await;
    assert_eq!(status, 429);
    assert_eq!(bitly_error(&error), "RATE_LIMIT_EXCEEDED");
    let (status, links) = json_of(
        c.get(format!("{}/_sandbox/bitly/links", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(links["links"].as_array().unwrap().len(), 3);
    // Unknown config fields are refused.
    let resp = c
        .post(format!("{}/_sandbox/bitly/config", sb.url))
        .json(&json!({"monthly": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    sb.shutdown();
}

#[tokio::test]
async fn faults_target_bitly_endpoints_with_bitly_bodies() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "bitly", "endpoint": "shorten", "status": 503}),
    )
    .await;
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/"})).await;
    no_rate_headers(&resp);
    let (status, error) = json_of(resp).await;
    assert_eq!(status, 503);
    assert_eq!(bitly_error(&error), "TEMPORARILY_UNAVAILABLE");
    assert!(error.get("errors").is_none());
    // Nothing was created; the next call goes through.
    let (status, link) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://example.com/"})).await).await;
    assert_eq!(status, 201, "{link}");
    let id = link["id"].as_str().unwrap().to_owned();

    // A 429 fault reads as the rate limit; faults on the summary endpoint.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "bitly", "endpoint": "clicks.summary", "status": 429}),
    )
    .await;
    let (status, error) = get(&c, &sb, &format!("/v4/bitlinks/{id}/clicks/summary")).await;
    assert_eq!(status, 429);
    assert_eq!(bitly_error(&error), "RATE_LIMIT_EXCEEDED");
    let (status, _) = get(&c, &sb, &format!("/v4/bitlinks/{id}/clicks/summary")).await;
    assert_eq!(status, 200);

    // `reset: "after"`: the link exists, the client saw a dropped connection.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "bitly", "endpoint": "shorten", "reset": "after"}),
    )
    .await;
    let sent = c
        .post(url(&sb, "/v4/shorten"))
        .bearer_auth(seed::BITLY_TOKEN)
        .json(&json!({"long_url": "https://example.net/"}))
        .send()
        .await;
    assert!(sent.is_err(), "connection should drop");
    let (status, link) =
        json_of(shorten(&c, &sb, json!({"long_url": "https://example.net/"})).await).await;
    assert_eq!(status, 200, "the retry finds the link made before: {link}");

    // A fault for another network leaves Bitly alone.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "twitter", "status": 500}),
    )
    .await;
    let resp = shorten(&c, &sb, json!({"long_url": "https://example.com/"})).await;
    assert_eq!(resp.status().as_u16(), 200);
    sb.shutdown();
}
