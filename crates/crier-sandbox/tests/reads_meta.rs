//! The Meta read endpoints crier uses: Instagram user and media pages,
//! Threads pages and insights, Facebook feed pages.

mod common;

use common::*;
use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

/// The ids of a Graph list page.
fn graph_ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn instagram_user_and_media_pages() {
    let sb = sandbox().await;
    let c = client();
    let ig = seed::INSTAGRAM_USER_ID;
    let token = seed::INSTAGRAM_TOKEN;
    let mut media_ids = Vec::new();
    for n in 0..3 {
        let container =
            ig_image_container(&c, &sb, &format!("p/{n}.jpg"), &format!("photo {n}")).await;
        let (status, body) = ig_publish(&c, &sb, &container).await;
        assert_eq!(status, 200, "{body}");
        media_ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (status, user) = graph_get(
        &c,
        fb(&sb, ig),
        token,
        &[(
            "fields",
            "username,followers_count,follows_count,media_count",
        )],
    )
    .await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["id"], ig);
    assert_eq!(user["username"], seed::INSTAGRAM_USERNAME);
    assert!(user["followers_count"].is_u64() && user["follows_count"].is_u64());
    assert_eq!(user["media_count"], 3);

    let fields = "id,caption,timestamp,like_count,comments_count,media_product_type";
    let (status, page1) = graph_get(
        &c,
        fb(&sb, &format!("{ig}/media")),
        token,
        &[("fields", fields), ("limit", "2")],
    )
    .await;
    assert_eq!(status, 200, "{page1}");
    assert_eq!(
        graph_ids(&page1),
        vec![media_ids[2].clone(), media_ids[1].clone()]
    );
    let item = &page1["data"][0];
    assert!(
        item["like_count"].is_u64() && item["comments_count"].is_u64(),
        "{item}"
    );
    assert_eq!(item["media_product_type"], "FEED");
    let next = page1["paging"]["next"]
        .as_str()
        .expect("paging.next while more exist");
    let after = page1["paging"]["cursors"]["after"].as_str().unwrap();
    assert!(next.contains(&format!("after={after}")), "{next}");
    // Following `paging.next` as is (it carries the token).
    let (status, page2) = json_of(c.get(next).send().await.unwrap()).await;
    assert_eq!(status, 200, "{page2}");
    assert_eq!(graph_ids(&page2), vec![media_ids[0].clone()]);
    assert!(page2["paging"].get("next").is_none(), "{page2}");
    assert!(page2["paging"]["cursors"]["before"].is_string());

    // The like count agrees with the media's insights.
    let (_, insights) = graph_get(
        &c,
        fb(&sb, &format!("{}/insights", media_ids[2])),
        token,
        &[("metric", "likes,comments")],
    )
    .await;
    assert_eq!(
        insights["data"][0]["values"][0]["value"],
        item["like_count"]
    );
    assert_eq!(
        insights["data"][1]["values"][0]["value"],
        item["comments_count"]
    );
    sb.shutdown();
}

async fn threads_text(c: &reqwest::Client, sb: &SandboxHandle, text: &str) -> String {
    let user = seed::THREADS_USER_ID;
    let (status, body) = graph_post(
        c,
        th(sb, &format!("{user}/threads")),
        seed::THREADS_TOKEN,
        &[("media_type", "TEXT"), ("text", text)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = graph_post(
        c,
        th(sb, &format!("{user}/threads_publish")),
        seed::THREADS_TOKEN,
        &[("creation_id", body["id"].as_str().unwrap())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn threads_pages_skip_deleted_posts_and_insights() {
    let sb = sandbox().await;
    let c = client();
    let user = seed::THREADS_USER_ID;
    let token = seed::THREADS_TOKEN;
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(threads_text(&c, &sb, &format!("thread {n}")).await);
    }
    let fields = "id,text,permalink,timestamp,media_type";
    let (status, page1) = graph_get(
        &c,
        th(&sb, &format!("{user}/threads")),
        token,
        &[("fields", fields), ("limit", "2")],
    )
    .await;
    assert_eq!(status, 200, "{page1}");
    assert_eq!(graph_ids(&page1), vec![ids[3].clone(), ids[2].clone()]);
    let item = &page1["data"][0];
    assert_eq!(item["text"], "thread 3");
    assert_eq!(item["media_type"], "TEXT_POST");
    assert!(
        item["permalink"]
            .as_str()
            .unwrap()
            .starts_with("https://www.threads.net/@")
    );
    assert!(item["timestamp"].as_str().unwrap().ends_with("+0000"));
    let after = page1["paging"]["cursors"]["after"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(page1["paging"]["next"].is_string());

    // The post the cursor names is deleted before the next page is read:
    // paging goes on from where it was, neither restarting nor skipping.
    let resp = c
        .delete(th(&sb, &ids[2]))
        .query(&[("access_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (status, page2) = graph_get(
        &c,
        th(&sb, &format!("{user}/threads")),
        token,
        &[("fields", fields), ("limit", "2"), ("after", &after)],
    )
    .await;
    assert_eq!(status, 200, "{page2}");
    assert_eq!(graph_ids(&page2), vec![ids[1].clone(), ids[0].clone()]);
    assert!(page2["paging"].get("next").is_none(), "{page2}");

    let (status, insights) = graph_get(
        &c,
        th(&sb, &format!("{}/insights", ids[3])),
        token,
        &[("metric", "views,likes,replies,reposts,quotes,shares")],
    )
    .await;
    assert_eq!(status, 200, "{insights}");
    let names: Vec<&str> = insights["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["views", "likes", "replies", "reposts", "quotes", "shares"]
    );
    assert!(insights["data"][0]["values"][0]["value"].is_u64());
    // A deleted post's insights are Graph's unknown object.
    let (status, body) = graph_get(
        &c,
        th(&sb, &format!("{}/insights", ids[2])),
        token,
        &[("metric", "views")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(meta_error(&body)["error_subcode"], 33);

    control(
        &c,
        &sb,
        "faults",
        json!({"network": "threads", "endpoint": "insights", "status": 500}),
    )
    .await;
    let (status, body) = graph_get(
        &c,
        th(&sb, &format!("{}/insights", ids[3])),
        token,
        &[("metric", "views")],
    )
    .await;
    assert_eq!(status, 500);
    assert_eq!(meta_error(&body)["is_transient"], true);
    sb.shutdown();
}

#[tokio::test]
async fn facebook_feed_pages_end_without_next() {
    let sb = sandbox().await;
    let c = client();
    let page = seed::FACEBOOK_PAGE_ID;
    let token = seed::FACEBOOK_PAGE_TOKEN;
    let mut ids = Vec::new();
    for n in 0..3 {
        let (status, body) = graph_post(
            &c,
            fb(&sb, &format!("{page}/feed")),
            token,
            &[("message", &format!("page post {n}"))],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let fields =
        "id,message,created_time,shares,reactions.summary(total_count),comments.summary(true)";
    let (status, page1) = graph_get(
        &c,
        fb(&sb, &format!("{page}/feed")),
        token,
        &[("fields", fields), ("limit", "2")],
    )
    .await;
    assert_eq!(status, 200, "{page1}");
    assert_eq!(graph_ids(&page1), vec![ids[2].clone(), ids[1].clone()]);
    let post = &page1["data"][0];
    assert!(
        post["reactions"]["summary"]["total_count"].is_u64(),
        "{post}"
    );
    assert!(
        post["comments"]["summary"]["total_count"].is_u64(),
        "{post}"
    );
    let next = page1["paging"]["next"].as_str().unwrap().to_owned();
    let (status, page2) = json_of(c.get(&next).send().await.unwrap()).await;
    assert_eq!(status, 200, "{page2}");
    assert_eq!(graph_ids(&page2), vec![ids[0].clone()]);
    assert!(page2["paging"].get("next").is_none(), "{page2}");
    assert!(page2["paging"]["previous"].is_string());

    // A deleted post leaves the feed.
    let resp = c
        .delete(fb(&sb, &ids[1]))
        .query(&[("access_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let (_, all) = graph_get(&c, fb(&sb, &format!("{page}/feed")), token, &[]).await;
    assert_eq!(graph_ids(&all), vec![ids[2].clone(), ids[0].clone()]);
    assert!(all["paging"].get("next").is_none());

    control(
        &c,
        &sb,
        "faults",
        json!({"network": "facebook", "endpoint": "feed", "status": 503}),
    )
    .await;
    let (status, body) = graph_get(&c, fb(&sb, &format!("{page}/feed")), token, &[]).await;
    assert_eq!(status, 503);
    assert_eq!(meta_error(&body)["code"], 2);
    sb.shutdown();
}
