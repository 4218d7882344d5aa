//! Threads emulation: text, image, video and carousel posts, container
//! states, the 24 h cap, listing, insights and delete.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

const USER: &str = seed::THREADS_USER_ID;
const TOKEN: &str = seed::THREADS_TOKEN;

async fn create(
    c: &reqwest::Client,
    sb: &crier_sandbox::SandboxHandle,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    graph_post(c, th(sb, &format!("{USER}/threads")), TOKEN, fields).await
}

async fn publish(c: &reqwest::Client, sb: &crier_sandbox::SandboxHandle, id: &str) -> (u16, Value) {
    graph_post(
        c,
        th(sb, &format!("{USER}/threads_publish")),
        TOKEN,
        &[("creation_id", id)],
    )
    .await
}

async fn status(c: &reqwest::Client, sb: &crier_sandbox::SandboxHandle, id: &str) -> Value {
    graph_get(c, th(sb, id), TOKEN, &[("fields", "status,error_message")])
        .await
        .1
}

#[tokio::test]
async fn text_image_and_video_posts() {
    let sb = sandbox().await;
    let c = client();
    let (code, body) = create(
        &c,
        &sb,
        &[("media_type", "TEXT"), ("text", "Hello Threads")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let container = body["id"].as_str().unwrap().to_owned();
    let state = status(&c, &sb, &container).await;
    assert_eq!(state, json!({"status": "FINISHED", "id": container}));
    let (code, body) = publish(&c, &sb, &container).await;
    assert_eq!(code, 200, "{body}");
    let text_id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(status(&c, &sb, &container).await["status"], "PUBLISHED");

    let image = media(&sb, "t/photo.jpg");
    let (_, body) = create(
        &c,
        &sb,
        &[
            ("media_type", "IMAGE"),
            ("image_url", &image),
            ("text", "pic"),
        ],
    )
    .await;
    let (code, _) = publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    let video = media(&sb, "t/clip.mov");
    // JSON bodies and the `me` alias work too.
    let resp = c
        .post(th(&sb, "me/threads"))
        .bearer_auth(TOKEN)
        .json(&json!({"media_type": "VIDEO", "video_url": video, "text": "vid"}))
        .send()
        .await
        .unwrap();
    let (code, body) = json_of(resp).await;
    assert_eq!(code, 200, "{body}");
    let (code, _) = publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(code, 200);

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 3);
    assert!(
        ledger
            .iter()
            .all(|e| e.network == "threads" && e.account == USER)
    );
    assert_eq!(ledger[0].native_id, text_id);
    assert_eq!(ledger[0].text, "Hello Threads");
    assert!(ledger[0].media.is_empty());
    assert_eq!(ledger[1].media, vec![image]);
    assert_eq!(ledger[2].media, vec![video]);

    let (code, list) = graph_get(
        &c,
        th(&sb, &format!("{USER}/threads")),
        TOKEN,
        &[("fields", "id,text,permalink,timestamp,media_type")],
    )
    .await;
    assert_eq!(code, 200, "{list}");
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(data[2]["id"], text_id.as_str());
    assert_eq!(data[2]["text"], "Hello Threads");
    assert_eq!(data[2]["media_type"], "TEXT_POST");
    assert_eq!(data[0]["media_type"], "VIDEO");
    assert!(
        data[0]["permalink"]
            .as_str()
            .unwrap()
            .starts_with("https://www.threads.net/@crier_sandbox/post/")
    );

    // Insights.
    let (code, body) = graph_get(
        &c,
        th(&sb, &format!("{text_id}/insights")),
        TOKEN,
        &[("metric", "views,likes,replies,reposts,quotes,shares")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 6);
    assert!(body["data"][0]["values"][0]["value"].as_u64().unwrap() > 0);
    assert!(
        body["data"][1]["values"][0]["value"].as_u64().unwrap()
            <= body["data"][0]["values"][0]["value"].as_u64().unwrap()
    );

    // Delete marks the ledger entry.
    let (code, body) = json_of(
        c.delete(th(&sb, &text_id))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["success"], true);
    assert!(sb.state.ledger()[0].deleted);
    sb.shutdown();
}

#[tokio::test]
async fn text_limits_and_tokens() {
    let sb = sandbox().await;
    let c = client();
    let long = "x".repeat(501);
    let (code, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", &long)]).await;
    assert_eq!(code, 400);
    assert_eq!(meta_error(&body)["code"], 100);
    let fine = "é".repeat(500);
    let (code, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", &fine)]).await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = create(&c, &sb, &[("text", "no type")]).await;
    assert_eq!(code, 400);
    assert_eq!(meta_error(&body)["code"], 100);
    // Facebook tokens mean nothing on graph.threads.net.
    let (code, body) = graph_post(
        &c,
        th(&sb, &format!("{USER}/threads")),
        seed::FACEBOOK_PAGE_TOKEN,
        &[("media_type", "TEXT"), ("text", "hi")],
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(meta_error(&body)["code"], 190);
    control(
        &c,
        &sb,
        "meta/tokens",
        json!({"token": TOKEN, "state": "revoked"}),
    )
    .await;
    let (code, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", "hi")]).await;
    assert_eq!(code, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 467);
    sb.shutdown();
}

#[tokio::test]
async fn container_states_carousel_and_cap() {
    let sb = sandbox().await;
    let c = client();
    // Media containers wait the configured delay; text ones never do.
    control(&c, &sb, "meta/config", json!({"containerDelayMs": 600000})).await;
    let (_, body) = create(
        &c,
        &sb,
        &[("media_type", "IMAGE"), ("image_url", &media(&sb, "a.jpg"))],
    )
    .await;
    let pending = body["id"].as_str().unwrap().to_owned();
    assert_eq!(status(&c, &sb, &pending).await["status"], "IN_PROGRESS");
    let (code, body) = publish(&c, &sb, &pending).await;
    assert_eq!(code, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207027);
    let (_, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", "quick")]).await;
    assert_eq!(
        status(&c, &sb, body["id"].as_str().unwrap()).await["status"],
        "FINISHED"
    );

    // The configured error outcome.
    control(
        &c,
        &sb,
        "meta/config",
        json!({"containerDelayMs": 0, "containerOutcome": "error", "threadsErrorMessage": "INVALID_ASPEC_RATIO"}),
    )
    .await;
    let (_, body) = create(
        &c,
        &sb,
        &[("media_type", "VIDEO"), ("video_url", &media(&sb, "v.mp4"))],
    )
    .await;
    let state = status(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(state["status"], "ERROR");
    assert_eq!(state["error_message"], "INVALID_ASPEC_RATIO");
    control(
        &c,
        &sb,
        "meta/config",
        json!({"containerOutcome": "finished", "threadsDailyLimit": 2}),
    )
    .await;

    // A carousel counts once.
    let mut children = Vec::new();
    for file in ["1.jpg", "2.png"] {
        let (code, body) = create(
            &c,
            &sb,
            &[
                ("media_type", "IMAGE"),
                ("is_carousel_item", "true"),
                ("image_url", &media(&sb, file)),
            ],
        )
        .await;
        assert_eq!(code, 200, "{body}");
        children.push(body["id"].as_str().unwrap().to_owned());
    }
    let (code, body) = create(
        &c,
        &sb,
        &[
            ("media_type", "CAROUSEL"),
            ("children", &children.join(",")),
            ("text", "two"),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, _) = publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    assert_eq!(sb.state.ledger()[0].media.len(), 2);

    let (_, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", "second")]).await;
    let (code, _) = publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    let (_, body) = create(&c, &sb, &[("media_type", "TEXT"), ("text", "third")]).await;
    let (code, err) = publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(code, 400);
    let error = meta_error(&err);
    assert_eq!(error["code"], 9);
    assert_eq!(error["error_subcode"], 2207042);
    assert_eq!(sb.state.ledger().len(), 2);

    let (code, limit) = graph_get(
        &c,
        th(&sb, &format!("{USER}/threads_publishing_limit")),
        TOKEN,
        &[("fields", "quota_usage,config")],
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        limit,
        json!({"data": [{"quota_usage": 2, "config": {"quota_total": 2, "quota_duration": 86400}}]})
    );
    sb.shutdown();
}
