//! Instagram content publishing: containers and their states, publishing,
//! carousels, reels, stories, the daily cap, throttles, listing, insights
//! and faults on `media_publish`.

mod common;

use common::*;
use crier_sandbox::{Fault, seed};
use serde_json::{Value, json};

const IG: &str = seed::INSTAGRAM_USER_ID;
const TOKEN: &str = seed::INSTAGRAM_TOKEN;

async fn status_of(c: &reqwest::Client, sb: &crier_sandbox::SandboxHandle, id: &str) -> Value {
    let (status, body) =
        graph_get(c, fb(sb, id), TOKEN, &[("fields", "status_code,status,id")]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn create(
    c: &reqwest::Client,
    sb: &crier_sandbox::SandboxHandle,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    graph_post(c, fb(sb, &format!("{IG}/media")), TOKEN, fields).await
}

#[tokio::test]
async fn image_container_publishes_once_and_is_listed() {
    let sb = sandbox().await;
    let c = client();
    let container = ig_image_container(&c, &sb, "feed/one.jpg", "First #sandbox").await;
    let body = status_of(&c, &sb, &container).await;
    assert_eq!(body["status_code"], "FINISHED");
    assert_eq!(body["id"], container.as_str());

    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 200, "{body}");
    let media_id = body["id"].as_str().unwrap().to_owned();
    assert_ne!(media_id, container);
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].network, "instagram");
    assert_eq!(ledger[0].account, IG);
    assert_eq!(ledger[0].native_id, media_id);
    assert_eq!(ledger[0].text, "First #sandbox");
    assert_eq!(ledger[0].media, vec![media(&sb, "feed/one.jpg")]);
    assert_eq!(
        status_of(&c, &sb, &container).await["status_code"],
        "PUBLISHED"
    );

    // Publishing the same container again never makes a second media.
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["code"], 24);
    assert_eq!(error["error_subcode"], 2207008);
    assert_eq!(sb.state.ledger().len(), 1);

    // The listing finds it (what crier does after a lost publish answer).
    let (status, list) = graph_get(
        &c,
        fb(&sb, &format!("{IG}/media")),
        TOKEN,
        &[
            ("fields", "id,caption,permalink,timestamp,media_type"),
            ("limit", "5"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let item = &list["data"][0];
    assert_eq!(item["id"], media_id.as_str());
    assert_eq!(item["caption"], "First #sandbox");
    assert_eq!(item["media_type"], "IMAGE");
    assert!(
        item["permalink"]
            .as_str()
            .unwrap()
            .starts_with("https://www.instagram.com/p/")
    );
    assert!(item["timestamp"].as_str().unwrap().ends_with("+0000"));

    let (status, node) = graph_get(
        &c,
        fb(&sb, &media_id),
        TOKEN,
        &[("fields", "permalink,media_product_type")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(node["media_product_type"], "FEED");
    assert_eq!(node["permalink"], item["permalink"]);

    // Instagram media cannot be deleted through the API.
    let (status, body) = json_of(
        c.delete(fb(&sb, &media_id))
            .query(&[("access_token", TOKEN)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 33);
    assert!(!sb.state.ledger()[0].deleted);

    // Insights with plausible numbers; deprecated metrics are refused.
    let (status, body) = graph_get(
        &c,
        fb(&sb, &format!("{media_id}/insights")),
        TOKEN,
        &[("metric", "views,reach,likes,saved,total_interactions")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let value = |i: usize| body["data"][i]["values"][0]["value"].as_u64().unwrap();
    assert!(value(1) <= value(0) && value(2) <= value(1));
    assert_eq!(body["data"][1]["name"], "reach");
    let (status, body) = graph_get(
        &c,
        fb(&sb, &format!("{media_id}/insights")),
        TOKEN,
        &[("metric", "impressions")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        meta_error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("metric[0] must be one of")
    );
    sb.shutdown();
}

#[tokio::test]
async fn carousel_from_finished_children() {
    let sb = sandbox().await;
    let c = client();
    let mut children = Vec::new();
    for (key, file) in [("image_url", "c/1.jpg"), ("video_url", "c/2.mp4")] {
        let url = media(&sb, file);
        let mut fields = vec![("is_carousel_item", "true"), (key, url.as_str())];
        if key == "video_url" {
            fields.push(("media_type", "VIDEO"));
        }
        let (status, body) = create(&c, &sb, &fields).await;
        assert_eq!(status, 200, "{body}");
        children.push(body["id"].as_str().unwrap().to_owned());
    }
    // One child is not enough.
    let (status, body) = create(
        &c,
        &sb,
        &[("media_type", "CAROUSEL"), ("children", &children[0])],
    )
    .await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(
        (error["code"].clone(), error["error_subcode"].clone()),
        (json!(100), json!(2207028))
    );

    let list = children.join(",");
    let (status, body) = create(
        &c,
        &sb,
        &[
            ("media_type", "CAROUSEL"),
            ("children", &list),
            ("caption", "Two"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let parent = body["id"].as_str().unwrap().to_owned();
    // A carousel item cannot be published on its own.
    let (status, _) = ig_publish(&c, &sb, &children[0]).await;
    assert_eq!(status, 400);
    let (status, body) = ig_publish(&c, &sb, &parent).await;
    assert_eq!(status, 200, "{body}");
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1, "a carousel is one publish");
    assert_eq!(
        ledger[0].media,
        vec![media(&sb, "c/1.jpg"), media(&sb, "c/2.mp4")]
    );
    let (_, list) = graph_get(
        &c,
        fb(&sb, &format!("{IG}/media")),
        TOKEN,
        &[("fields", "media_type")],
    )
    .await;
    assert_eq!(list["data"][0]["media_type"], "CAROUSEL_ALBUM");
    let (_, limit) = graph_get(
        &c,
        fb(&sb, &format!("{IG}/content_publishing_limit")),
        TOKEN,
        &[("fields", "quota_usage,config")],
    )
    .await;
    assert_eq!(
        limit,
        json!({"data": [{"quota_usage": 1, "config": {"quota_total": 50, "quota_duration": 86400}}]})
    );

    // Children still processing make the carousel invalid too.
    control(&c, &sb, "meta/config", json!({"containerDelayMs": 600000})).await;
    let url = media(&sb, "c/3.jpg");
    let (_, slow) = create(
        &c,
        &sb,
        &[("is_carousel_item", "true"), ("image_url", &url)],
    )
    .await;
    let list = format!("{},{}", children[0], slow["id"].as_str().unwrap());
    let (status, body) = create(&c, &sb, &[("media_type", "CAROUSEL"), ("children", &list)]).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207028);
    sb.shutdown();
}

#[tokio::test]
async fn reels_with_trial_params_and_stories() {
    let sb = sandbox().await;
    let c = client();
    let video = media(&sb, "reels/r.mp4");
    let (status, body) = create(
        &c,
        &sb,
        &[
            ("media_type", "REELS"),
            ("video_url", &video),
            ("caption", "Trial reel"),
            ("share_to_feed", "true"),
            ("thumb_offset", "1000"),
            (
                "trial_params",
                r#"{"graduation_strategy":"SS_PERFORMANCE"}"#,
            ),
            ("collaborators", r#"["friend_one"]"#),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let reel = body["id"].as_str().unwrap().to_owned();
    let (status, body) = ig_publish(&c, &sb, &reel).await;
    assert_eq!(status, 200, "{body}");
    let (_, node) = graph_get(
        &c,
        fb(&sb, body["id"].as_str().unwrap()),
        TOKEN,
        &[("fields", "media_type,media_product_type,permalink")],
    )
    .await;
    assert_eq!(node["media_type"], "VIDEO");
    assert_eq!(node["media_product_type"], "REELS");
    assert!(node["permalink"].as_str().unwrap().contains("/reel/"));

    for bad in [r#"{"graduation_strategy":"manual"}"#, r#"{}"#, "not json"] {
        let (status, body) = create(
            &c,
            &sb,
            &[
                ("media_type", "REELS"),
                ("video_url", &video),
                ("trial_params", bad),
            ],
        )
        .await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(meta_error(&body)["code"], 100, "{bad}");
    }
    // A reel needs a video; VIDEO outside carousels is gone.
    let (status, _) = create(&c, &sb, &[("media_type", "REELS"), ("image_url", &video)]).await;
    assert_eq!(status, 400);
    let (status, _) = create(&c, &sb, &[("media_type", "VIDEO"), ("video_url", &video)]).await;
    assert_eq!(status, 400);

    // A story is published but not listed under /media, only /stories.
    let image = media(&sb, "story.jpg");
    let (status, body) = create(&c, &sb, &[("media_type", "STORIES"), ("image_url", &image)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, story) = ig_publish(&c, &sb, body["id"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{story}");
    let (_, list) = graph_get(&c, fb(&sb, &format!("{IG}/media")), TOKEN, &[]).await;
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != story["id"])
    );
    let (_, stories) = graph_get(
        &c,
        fb(&sb, &format!("{IG}/stories")),
        TOKEN,
        &[("fields", "media_product_type")],
    )
    .await;
    assert_eq!(stories["data"][0]["id"], story["id"]);
    assert_eq!(stories["data"][0]["media_product_type"], "STORY");
    assert_eq!(sb.state.ledger().len(), 2);
    sb.shutdown();
}

#[tokio::test]
async fn publishing_before_finished_is_9007() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "meta/config", json!({"containerDelayMs": 600000})).await;
    let container = ig_image_container(&c, &sb, "slow.jpg", "slow").await;
    assert_eq!(
        status_of(&c, &sb, &container).await["status_code"],
        "IN_PROGRESS"
    );
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["code"], 9007);
    assert_eq!(error["error_subcode"], 2207027);
    assert_eq!(
        error["message"],
        "The media is not ready for publishing, please wait for a moment"
    );
    assert_eq!(error["error_user_title"], "Media ID is not available");
    assert!(sb.state.ledger().is_empty());
    let config = json_of(
        c.get(format!("{}/_sandbox/meta/config", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(config["containerDelayMs"], 600000);
    assert_eq!(config["instagramDailyLimit"], 50);
    sb.shutdown();
}

#[tokio::test]
async fn error_and_expired_containers() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "meta/config",
        json!({"containerOutcome": "error", "containerErrorSubcode": 2207026}),
    )
    .await;
    let container = ig_image_container(&c, &sb, "broken.jpg", "").await;
    let body = status_of(&c, &sb, &container).await;
    assert_eq!(body["status_code"], "ERROR");
    assert!(
        body["status"].as_str().unwrap().contains("2207026"),
        "{body}"
    );
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207032);

    control(
        &c,
        &sb,
        "meta/config",
        json!({"containerOutcome": "finished", "containerExpiryMs": 0}),
    )
    .await;
    let container = ig_image_container(&c, &sb, "old.jpg", "").await;
    assert_eq!(
        status_of(&c, &sb, &container).await["status_code"],
        "EXPIRED"
    );
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207020);

    // Unknown creation id.
    let (status, body) = ig_publish(&c, &sb, "17999999999999999").await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207008);
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn daily_limit_is_enforced_at_publish() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "meta/config", json!({"instagramDailyLimit": 2})).await;
    for i in 0..2 {
        let container = ig_image_container(&c, &sb, "q.jpg", &format!("post {i}")).await;
        let (status, body) = ig_publish(&c, &sb, &container).await;
        assert_eq!(status, 200, "{body}");
    }
    // Creating a container still works; publishing it does not.
    let container = ig_image_container(&c, &sb, "q.jpg", "third").await;
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["code"], 9);
    assert_eq!(error["error_subcode"], 2207042);
    assert_eq!(sb.state.ledger().len(), 2);
    assert_eq!(
        status_of(&c, &sb, &container).await["status_code"],
        "FINISHED"
    );

    let (status, limit) = graph_get(
        &c,
        fb(&sb, &format!("{IG}/content_publishing_limit")),
        TOKEN,
        &[("fields", "quota_usage,config")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(limit["data"][0]["quota_usage"], 2);
    assert_eq!(limit["data"][0]["config"]["quota_total"], 2);
    assert_eq!(limit["data"][0]["config"]["quota_duration"], 86400);
    sb.shutdown();
}

#[tokio::test]
async fn publish_throttles_429_and_1390008() {
    let sb = sandbox().await;
    let c = client();
    let container = ig_image_container(&c, &sb, "t.jpg", "throttled").await;
    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "instagram-publish", "retryAfter": 120}),
    )
    .await;
    let resp = c
        .post(fb(&sb, &format!("{IG}/media_publish")))
        .form(&[("access_token", TOKEN), ("creation_id", &container)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "120");
    let buc: Value = serde_json::from_str(
        resp.headers()["x-business-use-case-usage"]
            .to_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(buc[IG][0]["type"], "instagram");
    assert_eq!(buc[IG][0]["call_count"], 100);
    assert_eq!(buc[IG][0]["estimated_time_to_regain_access"], 2);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(meta_error(&body)["code"], 80002);
    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "instagram-publish", "on": false}),
    )
    .await;

    control(
        &c,
        &sb,
        "meta/throttle",
        json!({"scope": "instagram-spam", "on": true}),
    )
    .await;
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    let error = meta_error(&body);
    assert_eq!(error["code"], 368);
    assert_eq!(error["error_subcode"], 1390008);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("misusing this feature by going too fast")
    );
    assert!(sb.state.ledger().is_empty());
    let throttles = json_of(
        c.get(format!("{}/_sandbox/meta/throttle", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(throttles["instagramSpam"], true);

    // Reset clears throttles and containers.
    control(&c, &sb, "reset", json!({})).await;
    let (status, body) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 2207008);
    let container = ig_image_container(&c, &sb, "t.jpg", "after reset").await;
    let (status, _) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 200);
    sb.shutdown();
}

#[tokio::test]
async fn faults_on_media_publish() {
    let sb = sandbox().await;
    let c = client();
    let container = ig_image_container(&c, &sb, "f.jpg", "ambiguous").await;
    // A fault for Facebook does not touch Instagram's publish.
    sb.state.add_fault(Fault {
        network: "facebook".into(),
        endpoint: Some("media_publish".into()),
        status: Some(500),
        ..Fault::default()
    });
    sb.state.add_fault(Fault {
        network: "instagram".into(),
        endpoint: Some("media_publish".into()),
        reset: Some("after".into()),
        ..Fault::default()
    });
    let result = c
        .post(fb(&sb, &format!("{IG}/media_publish")))
        .form(&[("access_token", TOKEN), ("creation_id", &container)])
        .send()
        .await;
    assert!(
        result.is_err(),
        "the connection is dropped after publishing"
    );
    assert!(
        sb.state
            .wait_for_ledger(|l| l.len() == 1 && l[0].network == "instagram", WAIT)
            .await
    );
    // Reconciling: the container says PUBLISHED and a retry makes nothing new.
    assert_eq!(
        status_of(&c, &sb, &container).await["status_code"],
        "PUBLISHED"
    );
    let (status, _) = ig_publish(&c, &sb, &container).await;
    assert_eq!(status, 400);
    assert_eq!(sb.state.ledger().len(), 1);

    // A status fault answers in Meta's envelope.
    let fault = json!({"network": "instagram", "endpoint": "media", "status": 503});
    control(&c, &sb, "faults", fault).await;
    let resp = c
        .post(fb(&sb, &format!("{IG}/media")))
        .form(&[("access_token", TOKEN), ("image_url", &media(&sb, "x.jpg"))])
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("x-app-usage"));
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 503);
    let error = meta_error(&body);
    assert_eq!(error["code"], 2);
    assert_eq!(error["is_transient"], true);
    // The Facebook fault is still waiting for a Facebook publish.
    let faults = json_of(
        c.get(format!("{}/_sandbox/faults", sb.url))
            .send()
            .await
            .unwrap(),
    )
    .await
    .1;
    assert_eq!(faults["faults"].as_array().unwrap().len(), 1);
    assert_eq!(faults["faults"][0]["network"], "facebook");
    sb.shutdown();
}
