//! Facebook Pages emulation: posts, photos, videos, listing, delete, the
//! duplicate rule, token lifecycle, usage headers, insights and throttles.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

const PAGE: &str = seed::FACEBOOK_PAGE_ID;
const TOKEN: &str = seed::FACEBOOK_PAGE_TOKEN;

fn header_json(resp: &reqwest::Response, name: &str) -> Value {
    let raw = resp
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .to_str()
        .unwrap();
    serde_json::from_str(raw).unwrap()
}

#[tokio::test]
async fn text_post_is_recorded_listed_and_deleted() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(fb(&sb, &format!("{PAGE}/feed")))
        .form(&[
            ("access_token", TOKEN),
            ("message", "Hello page"),
            ("link", "https://example.org/article"),
        ])
        .send()
        .await
        .unwrap();
    // Usage headers on page calls.
    let app = header_json(&resp, "x-app-usage");
    assert!(app["call_count"].is_u64());
    let buc = header_json(&resp, "x-business-use-case-usage");
    assert_eq!(buc[PAGE][0]["type"], "pages");
    assert!(buc[PAGE][0]["estimated_time_to_regain_access"].is_u64());
    assert!(header_json(&resp, "x-page-usage")["call_count"].is_u64());
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let post_id = body["id"].as_str().unwrap().to_owned();
    assert!(post_id.starts_with(&format!("{PAGE}_")), "{post_id}");

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].network, "facebook");
    assert_eq!(ledger[0].account, PAGE);
    assert_eq!(ledger[0].native_id, post_id);
    assert_eq!(ledger[0].text, "Hello page");
    assert!(!ledger[0].deleted);

    // A second post, then the listing is newest first.
    let (status, second) = graph_post(
        &c,
        fb(&sb, &format!("{PAGE}/feed")),
        TOKEN,
        &[("message", "Second")],
    )
    .await;
    assert_eq!(status, 200, "{second}");
    let (status, feed) = graph_get(
        &c,
        fb(&sb, &format!("{PAGE}/feed")),
        TOKEN,
        &[
            ("fields", "id,message,created_time,permalink_url"),
            ("limit", "1"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(feed["data"].as_array().unwrap().len(), 1);
    assert_eq!(feed["data"][0]["id"], second["id"]);
    assert_eq!(feed["data"][0]["message"], "Second");
    assert!(
        feed["data"][0]["created_time"]
            .as_str()
            .unwrap()
            .ends_with("+0000")
    );
    assert!(
        feed["data"][0]["permalink_url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.facebook.com/")
    );
    let after = feed["paging"]["cursors"]["after"].as_str().unwrap();
    assert!(feed["paging"]["next"].as_str().unwrap().contains("after="));
    let (_, page2) = graph_get(
        &c,
        fb(&sb, &format!("{PAGE}/feed")),
        TOKEN,
        &[("fields", "id,message"), ("limit", "1"), ("after", after)],
    )
    .await;
    assert_eq!(page2["data"][0]["id"], post_id.as_str());
    assert!(page2["paging"].get("next").is_none(), "{page2}");

    // The node itself, with the token in an Authorization header this time.
    let resp = c
        .get(fb(&sb, &post_id))
        .query(&[("fields", "message,permalink_url,is_published")])
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let (status, node) = json_of(resp).await;
    assert_eq!(status, 200, "{node}");
    assert_eq!(node["message"], "Hello page");
    assert_eq!(node["is_published"], true);
    assert_eq!(node["id"], post_id.as_str());

    // Unknown field: Graph's nonexisting-field error.
    let (status, bad) = graph_get(&c, fb(&sb, &post_id), TOKEN, &[("fields", "nonsense")]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&bad)["code"], 100);

    // DELETE → success; the ledger entry is marked; the post is gone.
    let resp = c
        .delete(fb(&sb, &post_id))
        .header("authorization", format!("OAuth {TOKEN}"))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!((status, body), (200, json!({"success": true})));
    assert!(
        sb.state
            .wait_for_ledger(|l| l.first().is_some_and(|e| e.deleted), WAIT)
            .await
    );
    let (status, gone) = graph_get(&c, fb(&sb, &post_id), TOKEN, &[]).await;
    assert_eq!(status, 400);
    let error = meta_error(&gone);
    assert_eq!(error["code"], 100);
    assert_eq!(error["error_subcode"], 33);
    sb.shutdown();
}

#[tokio::test]
async fn same_message_twice_in_a_row_is_506() {
    let sb = sandbox().await;
    let c = client();
    let feed = fb(&sb, &format!("{PAGE}/feed"));
    let (status, _) = graph_post(&c, feed.clone(), TOKEN, &[("message", "Same")]).await;
    assert_eq!(status, 200);
    let (status, body) = graph_post(&c, feed.clone(), TOKEN, &[("message", "Same")]).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["code"], 506);
    assert_eq!(error["message"], "(#506) Duplicate status message");
    assert_eq!(sb.state.ledger().len(), 1, "the duplicate is not published");
    // Something else in between makes it fine again.
    let (status, _) = graph_post(&c, feed.clone(), TOKEN, &[("message", "Other")]).await;
    assert_eq!(status, 200);
    let (status, _) = graph_post(&c, feed.clone(), TOKEN, &[("message", "Same")]).await;
    assert_eq!(status, 200);
    // An empty post is refused.
    let (status, body) = graph_post(&c, feed, TOKEN, &[("message", "  ")]).await;
    assert_eq!(status, 400);
    assert_eq!(
        meta_error(&body)["message"],
        "(#100) Missing message or attachment"
    );
    sb.shutdown();
}

#[tokio::test]
async fn photo_posts_by_url_and_upload() {
    let sb = sandbox().await;
    let c = client();
    let photos = fb(&sb, &format!("{PAGE}/photos"));
    let url = media(&sb, "photos/cat.jpg");
    let (status, body) = graph_post(
        &c,
        photos.clone(),
        TOKEN,
        &[("url", &url), ("caption", "A cat")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let photo_id = body["id"].as_str().unwrap();
    let post_id = body["post_id"].as_str().unwrap();
    assert!(post_id.starts_with(&format!("{PAGE}_")));
    assert_ne!(photo_id, post_id);
    let ledger = sb.state.ledger();
    assert_eq!(ledger[0].native_id, post_id);
    assert_eq!(ledger[0].text, "A cat");
    assert_eq!(ledger[0].media, vec![url.clone()]);

    // Multipart `source` upload (a real PNG fetched from the media host).
    let png = c
        .get(media(&sb, "logo.png"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let boundary = "XsandboxX";
    let mut multipart = Vec::new();
    for (name, value) in [("access_token", TOKEN), ("message", "Uploaded")] {
        multipart.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    multipart.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"source\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes(),
    );
    multipart.extend_from_slice(&png);
    multipart.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let resp = c
        .post(photos.clone())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["post_id"].is_string());
    assert_eq!(
        sb.state.ledger()[1].media,
        vec!["upload:logo.png".to_owned()]
    );

    // Neither url nor source.
    let (status, body) = graph_post(&c, photos, TOKEN, &[("caption", "x")]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 324);
    sb.shutdown();
}

#[tokio::test]
async fn multi_photo_post_uses_unpublished_photos() {
    let sb = sandbox().await;
    let c = client();
    let photos = fb(&sb, &format!("{PAGE}/photos"));
    let mut ids = Vec::new();
    for file in ["a.jpg", "b.png"] {
        let (status, body) = graph_post(
            &c,
            photos.clone(),
            TOKEN,
            &[("url", &media(&sb, file)), ("published", "false")],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body.get("post_id").is_none(),
            "unpublished photos have no post"
        );
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    assert!(
        sb.state.ledger().is_empty(),
        "unpublished photos are not publishes"
    );
    let first = json!({"media_fbid": ids[0]}).to_string();
    let second = json!({"media_fbid": ids[1]}).to_string();
    let (status, body) = graph_post(
        &c,
        fb(&sb, &format!("{PAGE}/feed")),
        TOKEN,
        &[
            ("message", "Two photos"),
            ("attached_media[0]", &first),
            ("attached_media[1]", &second),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].native_id, body["id"].as_str().unwrap());
    assert_eq!(
        ledger[0].media,
        vec![media(&sb, "a.jpg"), media(&sb, "b.png")]
    );

    // A photo cannot be attached twice; JSON bodies work too.
    let resp = c
        .post(fb(&sb, &format!("{PAGE}/feed")))
        .json(&json!({"access_token": TOKEN, "message": "again", "attached_media": [{"media_fbid": ids[0]}]}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 100);
    sb.shutdown();
}

#[tokio::test]
async fn video_posts_by_file_url() {
    let sb = sandbox().await;
    let c = client();
    let videos = fb(&sb, &format!("{PAGE}/videos"));
    let url = media(&sb, "clips/launch.mp4");
    let (status, body) = graph_post(
        &c,
        videos.clone(),
        TOKEN,
        &[
            ("file_url", &url),
            ("title", "Launch"),
            ("description", "We launched"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let video_id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let entry = &sb.state.ledger()[0];
    assert_eq!(entry.native_id, video_id);
    assert_eq!(entry.text, "We launched");
    assert_eq!(entry.media, vec![url]);
    let (status, node) = graph_get(
        &c,
        fb(&sb, &video_id),
        TOKEN,
        &[("fields", "title,permalink_url,status")],
    )
    .await;
    assert_eq!(status, 200, "{node}");
    assert_eq!(node["title"], "Launch");
    assert_eq!(node["status"]["video_status"], "ready");

    // An image is not a video.
    let (status, body) =
        graph_post(&c, videos, TOKEN, &[("file_url", &media(&sb, "still.jpg"))]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["code"], 352);

    // Deleting the video marks its ledger entry.
    let (status, _) = json_of(
        c.delete(fb(&sb, &video_id))
            .query(&[("access_token", TOKEN)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(sb.state.ledger()[0].deleted);
    sb.shutdown();
}

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
