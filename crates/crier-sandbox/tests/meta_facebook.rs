//! Facebook Pages emulation, publishing: posts, photos, videos, listing,
//! delete and the duplicate rule (limits and errors: `meta_facebook_limits`).

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::json;

const PAGE: &str = seed::FACEBOOK_PAGE_ID;
const TOKEN: &str = seed::FACEBOOK_PAGE_TOKEN;

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
