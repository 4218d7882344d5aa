//! LinkedIn emulation: the Posts API (create with `x-restli-id`, get, find by
//! author, delete), image and video uploads with their processing states,
//! versioning headers, LinkedIn's error bodies (401/403/422/426/429) and the
//! control routes.

mod common;

use chrono::Datelike;
use common::*;
use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

fn url(sb: &SandboxHandle, path: &str) -> String {
    format!("{}/linkedin{}", sb.url, path)
}

/// The current month: always an active version.
fn version() -> String {
    let now = chrono::Utc::now();
    format!("{}{:02}", now.year(), now.month())
}

fn rest(c: &reqwest::Client, method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
    c.request(method, url)
        .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
        .header("LinkedIn-Version", version())
        .header("X-Restli-Protocol-Version", "2.0.0")
}

fn post_body(author: &str, text: &str) -> Value {
    json!({
        "author": author,
        "commentary": text,
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": false,
    })
}

async fn create(c: &reqwest::Client, sb: &SandboxHandle, body: Value) -> reqwest::Response {
    rest(c, reqwest::Method::POST, url(sb, "/rest/posts"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Creates a post and returns its URN from `x-restli-id`.
async fn create_ok(c: &reqwest::Client, sb: &SandboxHandle, body: Value) -> String {
    let resp = create(c, sb, body).await;
    let status = resp.status().as_u16();
    let urn = resp
        .headers()
        .get("x-restli-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = resp.text().await.unwrap();
    assert_eq!(status, 201, "{text}");
    assert!(text.is_empty(), "create answers an empty body: {text}");
    urn.expect("x-restli-id")
}

fn encode(urn: &str) -> String {
    urn.replace(':', "%3A")
}

fn no_rate_headers(resp: &reqwest::Response) {
    for name in resp.headers().keys() {
        let name = name.as_str();
        assert!(
            !name.contains("ratelimit") && name != "retry-after",
            "LinkedIn sends no rate-limit headers: {name}"
        );
    }
}

#[tokio::test]
async fn text_post_is_created_read_listed_and_deleted() {
    let sb = sandbox().await;
    let c = client();
    let first = create_ok(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "first post")).await;
    assert!(first.starts_with("urn:li:share:"), "{first}");
    let second = create_ok(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "second post")).await;

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[0].network, "linkedin");
    assert_eq!(ledger[0].account, seed::LINKEDIN_PERSON_URN);
    assert_eq!(ledger[0].native_id, first);
    assert_eq!(ledger[0].text, "first post");

    let (status, post) = json_of(
        rest(
            &c,
            reqwest::Method::GET,
            url(&sb, &format!("/rest/posts/{}", encode(&first))),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{post}");
    assert_eq!(post["id"], first);
    assert_eq!(post["commentary"], "first post");
    assert_eq!(post["lifecycleState"], "PUBLISHED");

    let (status, list) = json_of(
        rest(&c, reqwest::Method::GET, url(&sb, "/rest/posts"))
            .query(&[
                ("q", "author"),
                ("author", seed::LINKEDIN_PERSON_URN),
                ("count", "1"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["paging"]["total"], 2);
    assert_eq!(list["elements"][0]["id"], second, "newest first");
    assert_eq!(list["paging"]["links"][0]["rel"], "next");

    let resp = rest(
        &c,
        reqwest::Method::DELETE,
        url(&sb, &format!("/rest/posts/{}", encode(&first))),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    assert!(sb.state.ledger()[0].deleted);
    let resp = rest(
        &c,
        reqwest::Method::GET,
        url(&sb, &format!("/rest/posts/{}", encode(&first))),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
}

#[tokio::test]
async fn auth_and_versioning_errors_use_linkedins_bodies() {
    let sb = sandbox().await;
    let c = client();
    let body = post_body(seed::LINKEDIN_PERSON_URN, "hello");

    let (status, err) = json_of(
        c.post(url(&sb, "/rest/posts"))
            .bearer_auth("wrong")
            .header("LinkedIn-Version", version())
            .header("X-Restli-Protocol-Version", "2.0.0")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(err["serviceErrorCode"], 65600);
    assert_eq!(err["code"], "INVALID_ACCESS_TOKEN");

    let (status, err) = json_of(
        c.post(url(&sb, "/rest/posts"))
            .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
            .header("X-Restli-Protocol-Version", "2.0.0")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["code"], "VERSION_MISSING");

    let (status, err) = json_of(
        c.post(url(&sb, "/rest/posts"))
            .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
            .header("LinkedIn-Version", "202001")
            .header("X-Restli-Protocol-Version", "2.0.0")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 426);
    assert_eq!(err["code"], "NONEXISTENT_VERSION");
    assert_eq!(err["message"], "Requested version 20200101 is not active");

    control(&c, &sb, "linkedin/token", json!({"state": "revoked"})).await;
    let (status, err) = json_of(create(&c, &sb, body.clone()).await).await;
    assert_eq!(status, 401);
    assert_eq!(err["serviceErrorCode"], 65601);
    assert_eq!(err["code"], "REVOKED_ACCESS_TOKEN");
    control(&c, &sb, "linkedin/token", json!({"state": "expired"})).await;
    let (status, err) = json_of(create(&c, &sb, body.clone()).await).await;
    assert_eq!(status, 401);
    assert_eq!(err["code"], "EXPIRED_ACCESS_TOKEN");
    control(&c, &sb, "linkedin/token", json!({"state": "valid"})).await;
    create_ok(&c, &sb, body).await;
    assert_eq!(sb.state.ledger().len(), 1);
}

#[tokio::test]
async fn content_rules_refuse_duplicates_long_text_and_foreign_authors() {
    let sb = sandbox().await;
    let c = client();
    let first = create_ok(&c, &sb, post_body(seed::LINKEDIN_ORG_URN, "same words")).await;

    let (status, err) =
        json_of(create(&c, &sb, post_body(seed::LINKEDIN_ORG_URN, "same words")).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        err["errorDetails"]["inputErrors"][0]["code"],
        "DUPLICATE_POST"
    );
    assert!(err["message"].as_str().unwrap().contains(&first), "{err}");
    // Another author may say the same.
    create_ok(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "same words")).await;

    let long = "x".repeat(3001);
    let (status, err) =
        json_of(create(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, &long)).await).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(
        err["errorDetails"]["inputErrors"][0]["code"],
        "FIELD_ARRAY_SIZE_TOO_HIGH"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("ShareCommentary text length (3001 characters)"),
        "{err}"
    );
    create_ok(
        &c,
        &sb,
        post_body(seed::LINKEDIN_PERSON_URN, &"y".repeat(3000)),
    )
    .await;

    let (status, err) =
        json_of(create(&c, &sb, post_body("urn:li:organization:999", "not mine")).await).await;
    assert_eq!(status, 403);
    assert_eq!(err["code"], "ACCESS_DENIED");

    let mut missing = post_body(seed::LINKEDIN_PERSON_URN, "no visibility");
    missing.as_object_mut().unwrap().remove("visibility");
    let (status, err) = json_of(create(&c, &sb, missing).await).await;
    assert_eq!(status, 422);
    assert!(
        err["message"].as_str().unwrap().contains("/visibility"),
        "{err}"
    );
    assert_eq!(sb.state.ledger().len(), 3);
}

/// `initializeUpload` for an image owned by the member; returns (urn, uploadUrl).
async fn init_image(c: &reqwest::Client, sb: &SandboxHandle) -> (String, String) {
    let (status, body) = json_of(
        rest(
            c,
            reqwest::Method::POST,
            url(sb, "/rest/images?action=initializeUpload"),
        )
        .json(&json!({"initializeUploadRequest": {"owner": seed::LINKEDIN_PERSON_URN}}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let upload = body["value"]["uploadUrl"].as_str().unwrap().to_owned();
    assert!(
        upload.starts_with(&sb.url),
        "upload URL points at the sandbox: {upload}"
    );
    (body["value"]["image"].as_str().unwrap().to_owned(), upload)
}

async fn image_status(c: &reqwest::Client, sb: &SandboxHandle, urn: &str) -> String {
    let (status, body) = json_of(
        rest(
            c,
            reqwest::Method::GET,
            url(sb, &format!("/rest/images/{}", encode(urn))),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["status"].as_str().unwrap().to_owned()
}

const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
];
const WEBP: &[u8] = b"RIFF\x10\0\0\0WEBPVP8 \0\0\0\0";

#[tokio::test]
async fn image_posts_wait_for_processing_and_webp_fails() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "linkedin/config",
        json!({"imageProcessingPolls": 1}),
    )
    .await;
    let (image, upload) = init_image(&c, &sb).await;
    assert_eq!(image_status(&c, &sb, &image).await, "WAITING_UPLOAD");
    let resp = c
        .put(&upload)
        .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
        .body(JPEG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    let mut body = post_body(seed::LINKEDIN_PERSON_URN, "with a picture");
    body["content"] = json!({"media": {"id": image, "altText": "grey"}});
    let (status, err) = json_of(create(&c, &sb, body.clone()).await).await;
    assert_eq!(status, 422, "still processing: {err}");

    assert_eq!(image_status(&c, &sb, &image).await, "PROCESSING");
    assert_eq!(image_status(&c, &sb, &image).await, "AVAILABLE");
    let urn = create_ok(&c, &sb, body).await;
    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].native_id, urn);
    assert_eq!(ledger[0].media, vec![image]);

    control(
        &c,
        &sb,
        "linkedin/config",
        json!({"imageProcessingPolls": 0}),
    )
    .await;
    let (webp, upload) = init_image(&c, &sb).await;
    let resp = c
        .put(&upload)
        .bearer_auth(seed::LINKEDIN_ACCESS_TOKEN)
        .body(WEBP.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(image_status(&c, &sb, &webp).await, "PROCESSING_FAILED");
    let mut body = post_body(seed::LINKEDIN_PERSON_URN, "with a webp");
    body["content"] = json!({"media": {"id": webp}});
    let (status, _) = json_of(create(&c, &sb, body).await).await;
    assert_eq!(status, 422);
    assert_eq!(sb.state.ledger().len(), 1);
}

#[tokio::test]
async fn video_uploads_in_parts_then_finalizes_and_posts() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "linkedin/config", json!({"videoPartBytes": 16})).await;
    let mut mp4 = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41".to_vec();
    mp4.resize(40, 0);
    let (status, init) = json_of(
        rest(
            &c,
            reqwest::Method::POST,
            url(&sb, "/rest/videos?action=initializeUpload"),
        )
        .json(&json!({"initializeUploadRequest": {
                "owner": seed::LINKEDIN_ORG_URN, "fileSizeBytes": mp4.len(),
                "uploadCaptions": false, "uploadThumbnail": false}}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{init}");
    let video = init["value"]["video"].as_str().unwrap().to_owned();
    let parts = init["value"]["uploadInstructions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2]["firstByte"], 32);
    assert_eq!(parts[2]["lastByte"], 39);
    let mut etags = Vec::new();
    for part in &parts {
        let (first, last) = (
            part["firstByte"].as_u64().unwrap() as usize,
            part["lastByte"].as_u64().unwrap() as usize,
        );
        let resp = c
            .put(part["uploadUrl"].as_str().unwrap())
            .body(mp4[first..=last].to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        etags.push(resp.headers()["etag"].to_str().unwrap().to_owned());
    }
    let finalize = |ids: Vec<String>| {
        rest(&c, reqwest::Method::POST, url(&sb, "/rest/videos?action=finalizeUpload"))
            .json(&json!({"finalizeUploadRequest": {"video": video, "uploadToken": "", "uploadedPartIds": ids}}))
            .send()
    };
    let wrong: Vec<String> = etags.iter().rev().cloned().collect();
    assert_eq!(finalize(wrong).await.unwrap().status().as_u16(), 400);
    assert_eq!(finalize(etags).await.unwrap().status().as_u16(), 200);

    let status_of = || async {
        let (_, body) = json_of(
            rest(
                &c,
                reqwest::Method::GET,
                url(&sb, &format!("/rest/videos/{}", encode(&video))),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        body["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(status_of().await, "PROCESSING");
    assert_eq!(status_of().await, "AVAILABLE");
    let mut body = post_body(seed::LINKEDIN_ORG_URN, "a video");
    body["content"] = json!({"media": {"id": video, "title": "clip"}});
    let urn = create_ok(&c, &sb, body).await;
    assert!(urn.starts_with("urn:li:ugcPost:"), "{urn}");
}

#[tokio::test]
async fn throttling_and_the_daily_member_cap_answer_429_without_headers() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "linkedin/throttle", json!({"requests": 1})).await;
    let resp = create(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "throttled")).await;
    no_rate_headers(&resp);
    let (status, err) = json_of(resp).await;
    assert_eq!(status, 429);
    assert!(
        err["message"].as_str().unwrap().contains("throttle"),
        "{err}"
    );

    control(&c, &sb, "linkedin/config", json!({"memberDailyPosts": 1})).await;
    let urn = create_ok(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "one")).await;
    let resp = create(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "two")).await;
    no_rate_headers(&resp);
    let (status, err) = json_of(resp).await;
    assert_eq!(status, 429);
    assert!(
        err["message"].as_str().unwrap().contains("MEMBER DAY"),
        "{err}"
    );
    assert_eq!(sb.state.ledger().len(), 1);

    control(
        &c,
        &sb,
        "linkedin/social-actions",
        json!({"urn": urn, "likes": 7, "comments": 2}),
    )
    .await;
    let (status, social) = json_of(
        rest(
            &c,
            reqwest::Method::GET,
            url(&sb, &format!("/rest/socialActions/{}", encode(&urn))),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{social}");
    assert_eq!(social["likesSummary"]["totalLikes"], 7);
    assert_eq!(social["commentsSummary"]["aggregatedTotalComments"], 2);
    let (status, meta) = json_of(
        rest(
            &c,
            reqwest::Method::GET,
            url(&sb, &format!("/rest/socialMetadata/{}", encode(&urn))),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{meta}");
    assert_eq!(meta["reactionSummaries"]["LIKE"]["count"], 7);
    assert_eq!(meta["commentSummary"]["count"], 2);
    assert_eq!(meta["entity"], urn.as_str());
}

#[tokio::test]
async fn faults_use_linkedins_error_body() {
    let sb = sandbox().await;
    let c = client();
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "linkedin", "endpoint": "posts.create", "status": 500}),
    )
    .await;
    let (status, err) =
        json_of(create(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "boom")).await).await;
    assert_eq!(status, 500);
    assert_eq!(err["status"], 500);
    assert!(sb.state.ledger().is_empty());
    create_ok(&c, &sb, post_body(seed::LINKEDIN_PERSON_URN, "boom")).await;
}
