//! The read endpoints crier uses for analytics and paged history, network
//! by network: their shapes, a two-page walk, deleted posts left out, and
//! faults aimed at them.

mod common;

use common::x::{self, RO, RW};
use common::youtube as yt;
use common::*;
use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

// ---- Telegram ----

#[tokio::test]
async fn telegram_chat_member_count() {
    let sb = sandbox().await;
    let c = client();
    for chat in [json!(seed::TELEGRAM_CHAT_ID), json!(-1001000000001i64)] {
        let resp = c
            .post(tg(&sb, "getChatMemberCount"))
            .json(&json!({"chat_id": chat}))
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(resp).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["ok"], true);
        assert!(body["result"].as_u64().is_some_and(|n| n > 0), "{body}");
    }
    // Form parameters and the old method name work too.
    let resp = c
        .post(tg(&sb, "getChatMembersCount"))
        .form(&[("chat_id", seed::TELEGRAM_CHAT_ID)])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!((status, body["ok"].clone()), (200, json!(true)));
    let resp = c
        .post(tg(&sb, "getChatMemberCount"))
        .json(&json!({"chat_id": "@somewhere_else"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: chat not found");

    control(
        &c,
        &sb,
        "faults",
        json!({"network": "telegram", "endpoint": "getchatmembercount", "status": 502}),
    )
    .await;
    let resp = c
        .post(tg(&sb, "getChatMemberCount"))
        .json(&json!({"chat_id": seed::TELEGRAM_CHAT_ID}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 502);
    assert_eq!(body["ok"], false);
    sb.shutdown();
}

// ---- Bluesky ----

async fn bsky_get(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    access: &str,
    nsid: &str,
    query: &[(&str, &str)],
) -> (u16, Value) {
    json_of(
        c.get(xrpc(sb, nsid))
            .bearer_auth(access)
            .query(query)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn bluesky_posts_profile_and_author_feed() {
    let sb = sandbox().await;
    let c = client();
    let (access, _) = bsky_login(&c, &sb).await;
    let mut uris = Vec::new();
    for n in 0..5 {
        let (status, body) = json_of(bsky_post(&c, &sb, &access, &format!("post {n}")).await).await;
        assert_eq!(status, 200, "{body}");
        uris.push(body["uri"].as_str().unwrap().to_owned());
    }
    // Post 1 is deleted.
    let rkey = uris[1].rsplit('/').next().unwrap();
    let resp = c
        .post(xrpc(&sb, "com.atproto.repo.deleteRecord"))
        .bearer_auth(&access)
        .json(&json!({"repo": seed::BLUESKY_DID, "collection": "app.bsky.feed.post", "rkey": rkey}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);

    // getPosts: in the order asked; deleted and unknown posts are absent;
    // a handle in the URI names the same repo.
    let by_handle = uris[4].replace(seed::BLUESKY_DID, seed::BLUESKY_HANDLE);
    let unknown = format!(
        "at://{}/app.bsky.feed.post/3zzzzzzzzzzzz",
        seed::BLUESKY_DID
    );
    let (status, body) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getPosts",
        &[
            ("uris", &uris[2]),
            ("uris", &uris[1]),
            ("uris", &unknown),
            ("uris", &by_handle),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let posts = body["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 2, "{body}");
    assert_eq!(posts[0]["uri"], uris[2].as_str());
    assert_eq!(posts[1]["uri"], uris[4].as_str());
    let post = &posts[0];
    assert!(post["cid"].as_str().unwrap().starts_with("bafyrei"));
    assert_eq!(post["author"]["did"], seed::BLUESKY_DID);
    assert_eq!(post["author"]["handle"], seed::BLUESKY_HANDLE);
    assert_eq!(post["record"]["text"], "post 2");
    assert_eq!(post["record"]["$type"], "app.bsky.feed.post");
    for count in ["likeCount", "repostCount", "replyCount", "quoteCount"] {
        assert!(post[count].is_u64(), "{count}: {post}");
    }
    assert!(post["repostCount"].as_u64() <= post["likeCount"].as_u64());
    assert!(post["indexedAt"].as_str().unwrap().ends_with('Z'));
    // Stable between reads.
    let (_, again) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getPosts",
        &[("uris", &uris[2])],
    )
    .await;
    assert_eq!(again["posts"][0]["likeCount"], post["likeCount"]);

    // getProfile by handle and by DID.
    for actor in [seed::BLUESKY_HANDLE, seed::BLUESKY_DID] {
        let (status, profile) = bsky_get(
            &c,
            &sb,
            &access,
            "app.bsky.actor.getProfile",
            &[("actor", actor)],
        )
        .await;
        assert_eq!(status, 200, "{profile}");
        assert_eq!(profile["did"], seed::BLUESKY_DID);
        assert_eq!(profile["handle"], seed::BLUESKY_HANDLE);
        assert!(profile["displayName"].is_string());
        assert!(profile["followersCount"].is_u64());
        assert!(profile["followsCount"].is_u64());
        assert_eq!(profile["postsCount"], 4);
    }

    // getAuthorFeed: newest first, two pages of two, the cursor only while
    // more follow.
    let (status, page1) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getAuthorFeed",
        &[("actor", seed::BLUESKY_HANDLE), ("limit", "2")],
    )
    .await;
    assert_eq!(status, 200, "{page1}");
    let feed = page1["feed"].as_array().unwrap();
    assert_eq!(feed.len(), 2);
    assert_eq!(feed[0]["post"]["uri"], uris[4].as_str());
    assert_eq!(feed[1]["post"]["uri"], uris[3].as_str());
    assert!(feed[0]["post"]["likeCount"].is_u64());
    let cursor = page1["cursor"].as_str().expect("cursor on a full page");
    let (status, page2) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getAuthorFeed",
        &[
            ("actor", seed::BLUESKY_DID),
            ("limit", "2"),
            ("cursor", cursor),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page2}");
    let feed = page2["feed"].as_array().unwrap();
    let got: Vec<&str> = feed
        .iter()
        .map(|f| f["post"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        vec![uris[2].as_str(), uris[0].as_str()],
        "deleted post 1 is skipped"
    );
    assert!(page2.get("cursor").is_none(), "{page2}");

    // Parameter errors, in the XRPC shape.
    for (query, message) in [
        (
            vec![("actor", seed::BLUESKY_HANDLE), ("limit", "0")],
            "Params/limit can not be less than 1",
        ),
        (
            vec![("actor", seed::BLUESKY_HANDLE), ("limit", "101")],
            "Params/limit can not be greater than 100",
        ),
        (vec![("actor", "nobody.example.com")], "Profile not found"),
        (
            vec![("actor", "not a handle")],
            "Error: actor must be a valid did or a handle",
        ),
        (
            vec![("actor", seed::BLUESKY_HANDLE), ("cursor", "%%%")],
            "Malformed cursor",
        ),
    ] {
        let (status, body) =
            bsky_get(&c, &sb, &access, "app.bsky.feed.getAuthorFeed", &query).await;
        assert_eq!(status, 400, "{query:?}");
        assert_eq!(body, json!({"error": "InvalidRequest", "message": message}));
    }
    let many: Vec<(&str, &str)> = (0..26).map(|_| ("uris", uris[0].as_str())).collect();
    let (status, body) = bsky_get(&c, &sb, &access, "app.bsky.feed.getPosts", &many).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "Params/uris must not have more than 25 elements"
    );
    let (status, body) = bsky_get(&c, &sb, &access, "app.bsky.feed.getPosts", &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("InvalidRequest"))
    );

    // The session is needed, as for other calls.
    let resp = c
        .get(xrpc(&sb, "app.bsky.actor.getProfile"))
        .query(&[("actor", seed::BLUESKY_HANDLE)])
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("ratelimit-remaining"));
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("AuthenticationRequired"))
    );

    // Faults aim at the NSID.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "bluesky", "endpoint": "app.bsky.feed.getAuthorFeed", "status": 502}),
    )
    .await;
    let (status, body) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getAuthorFeed",
        &[("actor", seed::BLUESKY_HANDLE)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (502, Some("UpstreamFailure"))
    );
    let (status, _) = bsky_get(
        &c,
        &sb,
        &access,
        "app.bsky.feed.getPosts",
        &[("uris", &uris[0])],
    )
    .await;
    assert_eq!(status, 200);
    sb.shutdown();
}

// ---- X ----

#[tokio::test]
async fn x_post_lookup_with_metrics_and_not_found() {
    let sb = sandbox().await;
    let c = client();
    let (status, created) =
        json_of(x::tweet(&c, &sb, json!({"text": "metrics please"})).await).await;
    assert_eq!(status, 201);
    let id = created["data"]["id"].as_str().unwrap().to_owned();

    let path = format!("/2/tweets/{id}?tweet.fields=public_metrics,created_at");
    // A read-only token reads.
    let resp = x::send(&c, &sb, "GET", &path, None, RO).await;
    assert_eq!(x::header(&resp, "x-rate-limit-limit"), "900");
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["id"], id.as_str());
    assert_eq!(data["text"], "metrics please");
    assert!(data["created_at"].as_str().unwrap().ends_with('Z'));
    let metrics = &data["public_metrics"];
    for key in [
        "retweet_count",
        "reply_count",
        "like_count",
        "quote_count",
        "bookmark_count",
        "impression_count",
    ] {
        assert!(metrics[key].is_u64(), "{key}: {body}");
    }
    assert!(metrics["like_count"].as_u64() <= metrics["impression_count"].as_u64());
    // Without tweet.fields: the default fields only.
    let (_, plain) =
        json_of(x::send(&c, &sb, "GET", &format!("/2/tweets/{id}"), None, RW).await).await;
    assert_eq!(
        plain,
        json!({"data": {"id": id, "text": "metrics please", "edit_history_tweet_ids": [id]}})
    );

    // Deleted: X's 404 lookup problem.
    let resp = x::send(&c, &sb, "DELETE", &format!("/2/tweets/{id}"), None, RW).await;
    assert_eq!(resp.status().as_u16(), 200);
    let (status, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
    assert_eq!(status, 404, "{body}");
    let detail = format!("Could not find tweet with id: [{id}].");
    assert_eq!(body["title"], "Not Found Error");
    assert_eq!(body["detail"], detail.as_str());
    assert_eq!(
        body["type"],
        "https://api.twitter.com/2/problems/resource-not-found"
    );
    assert_eq!(body["errors"][0]["resource_type"], "tweet");
    assert_eq!(body["errors"][0]["resource_id"], id.as_str());
    assert_eq!(body["errors"][0]["parameter"], "id");
    assert_eq!(body["errors"][0]["detail"], detail.as_str());
    let (status, _) = json_of(x::send(&c, &sb, "GET", "/2/tweets/123", None, RW).await).await;
    assert_eq!(status, 404);

    // Malformed id, unknown field or parameter: 400 invalid-request.
    for bad in [
        "/2/tweets/abc".to_owned(),
        format!("/2/tweets/{id}?tweet.fields=nonsense"),
        format!("/2/tweets/{id}?max_results=5"),
    ] {
        let (status, body) = json_of(x::send(&c, &sb, "GET", &bad, None, RW).await).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(
            body["type"],
            "https://api.twitter.com/2/problems/invalid-request"
        );
    }

    // Faults aim at `tweets.get` only.
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "twitter", "endpoint": "tweets.get", "status": 503}),
    )
    .await;
    let (status, body) = json_of(x::send(&c, &sb, "GET", "/2/tweets/123", None, RW).await).await;
    assert_eq!(
        (status, body["title"].as_str()),
        (503, Some("Service Unavailable"))
    );
    sb.shutdown();
}

#[tokio::test]
async fn x_me_metrics_and_timeline_pages() {
    let sb = sandbox().await;
    let c = client();
    let mut ids = Vec::new();
    for n in 0..8 {
        let (status, body) =
            json_of(x::tweet(&c, &sb, json!({"text": format!("history {n}")})).await).await;
        assert_eq!(status, 201);
        ids.push(body["data"]["id"].as_str().unwrap().to_owned());
    }
    let (status, me) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            "/2/users/me?user.fields=public_metrics,verified",
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["data"]["id"], seed::X_USER_ID);
    assert_eq!(me["data"]["username"], seed::X_USERNAME);
    assert_eq!(me["data"]["verified"], false);
    let metrics = &me["data"]["public_metrics"];
    assert_eq!(metrics["tweet_count"], 8);
    for key in ["followers_count", "following_count", "listed_count"] {
        assert!(metrics[key].is_u64(), "{key}: {me}");
    }
    let (status, _) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            "/2/users/me?user.fields=shoe_size",
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);

    // Two pages of five and three, newest first; a post deleted between
    // the pages is left out of the second.
    let base = format!(
        "/2/users/{}/tweets?max_results=5&tweet.fields=created_at,public_metrics",
        seed::X_USER_ID
    );
    let (status, page1) = json_of(x::send(&c, &sb, "GET", &base, None, RW).await).await;
    assert_eq!(status, 200, "{page1}");
    let data = page1["data"].as_array().unwrap();
    assert_eq!(data.len(), 5);
    assert_eq!(data[0]["id"], ids[7].as_str());
    assert!(data[0]["public_metrics"]["impression_count"].is_u64());
    let next = page1["meta"]["next_token"].as_str().unwrap().to_owned();
    x::send(
        &c,
        &sb,
        "DELETE",
        &format!("/2/tweets/{}", ids[1]),
        None,
        RW,
    )
    .await;
    let (status, page2) = json_of(
        x::send(
            &c,
            &sb,
            "GET",
            &format!("{base}&pagination_token={next}"),
            None,
            RW,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{page2}");
    let got: Vec<&str> = page2["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![ids[2].as_str(), ids[0].as_str()]);
    assert!(page2["meta"].get("next_token").is_none());
    assert_eq!(page2["meta"]["result_count"], 2);

    for bad in ["4", "101"] {
        let path = format!("/2/users/{}/tweets?max_results={bad}", seed::X_USER_ID);
        let (status, body) = json_of(x::send(&c, &sb, "GET", &path, None, RW).await).await;
        assert_eq!(status, 400);
        assert_eq!(
            body["errors"][0]["message"],
            format!("The `max_results` query parameter value [{bad}] is not between 5 and 100")
        );
    }
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "twitter", "endpoint": "users.me", "status": 500}),
    )
    .await;
    let (status, _) = json_of(x::send(&c, &sb, "GET", "/2/users/me", None, RW).await).await;
    assert_eq!(status, 500);
    sb.shutdown();
}

// ---- YouTube ----

async fn upload(c: &reqwest::Client, sb: &SandboxHandle, title: &str, privacy: &str) -> String {
    let mut body = yt::video_resource(title);
    body["status"]["privacyStatus"] = json!(privacy);
    let resp = yt::initiate_raw(c, sb, &body, 100).await;
    assert_eq!(resp.status().as_u16(), 200);
    let session = resp.headers()["location"].to_str().unwrap().to_owned();
    let (status, video) = json_of(yt::put_chunk(c, &session, 0, 100, 100).await.unwrap()).await;
    assert_eq!(status, 201, "{video}");
    video["id"].as_str().unwrap().to_owned()
}

async fn yt_get(c: &reqwest::Client, sb: &SandboxHandle, path: &str) -> (u16, Value) {
    json_of(
        c.get(format!("{}/youtube{path}", sb.url))
            .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn youtube_statistics_and_search_pages() {
    let sb = sandbox().await;
    let c = client();
    let a = upload(&c, &sb, "First clip", "public").await;
    let b = upload(&c, &sb, "Second clip", "unlisted").await;
    let gone = upload(&c, &sb, "Third clip", "public").await;
    let d = upload(&c, &sb, "Fourth clip", "private").await;

    let (status, body) = yt_get(
        &c,
        &sb,
        &format!("/youtube/v3/videos?part=statistics,snippet&id={a},{b}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let item = &body["items"][0];
    assert_eq!(item["id"], a.as_str());
    assert_eq!(item["snippet"]["title"], "First clip");
    assert_eq!(item["snippet"]["description"], "about First clip");
    assert_eq!(item["snippet"]["channelTitle"], "Crier Sandbox");
    assert!(
        item["snippet"]["publishedAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    for key in ["viewCount", "likeCount", "commentCount"] {
        let text = item["statistics"][key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} as a string: {body}"));
        text.parse::<u64>().unwrap();
    }
    assert_eq!(body["items"][1]["id"], b.as_str());

    let resp = c
        .delete(format!("{}/youtube/youtube/v3/videos?id={gone}", sb.url))
        .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);

    let (status, body) = yt_get(
        &c,
        &sb,
        "/youtube/v3/channels?part=statistics,snippet&mine=true",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let channel = &body["items"][0];
    assert_eq!(channel["id"], seed::YOUTUBE_CHANNEL_ID);
    assert_eq!(channel["snippet"]["title"], "Crier Sandbox");
    assert_eq!(channel["statistics"]["videoCount"], "3");
    for key in ["subscriberCount", "viewCount"] {
        channel["statistics"][key]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap();
    }
    let (status, body) = yt_get(&c, &sb, "/youtube/v3/channels?part=id&mine=true").await;
    assert_eq!(status, 200);
    assert!(
        body["items"][0].get("snippet").is_none(),
        "only the parts asked"
    );

    // search.list forMine: newest first, the deleted video absent, two
    // pages of two (private and unlisted videos included).
    let first = "/youtube/v3/search?part=snippet&forMine=true&type=video&maxResults=2";
    let (status, page1) = yt_get(&c, &sb, first).await;
    assert_eq!(status, 200, "{page1}");
    assert_eq!(page1["kind"], "youtube#searchListResponse");
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                assert_eq!(i["id"]["kind"], "youtube#video");
                i["id"]["videoId"].as_str().unwrap().to_owned()
            })
            .collect()
    };
    assert_eq!(ids(&page1), vec![d.clone(), b.clone()]);
    assert_eq!(page1["items"][0]["snippet"]["title"], "Fourth clip");
    assert_eq!(
        page1["items"][0]["snippet"]["channelId"],
        seed::YOUTUBE_CHANNEL_ID
    );
    assert!(page1.get("prevPageToken").is_none());
    let token = page1["nextPageToken"]
        .as_str()
        .expect("more to come")
        .to_owned();
    let (status, page2) = yt_get(&c, &sb, &format!("{first}&pageToken={token}")).await;
    assert_eq!(status, 200, "{page2}");
    assert_eq!(ids(&page2), vec![a.clone()]);
    assert!(page2.get("nextPageToken").is_none(), "{page2}");
    let back = page2["prevPageToken"].as_str().unwrap();
    let (_, again) = yt_get(&c, &sb, &format!("{first}&pageToken={back}")).await;
    assert_eq!(ids(&again), ids(&page1));
    // A public search of the channel sees public videos only.
    let (_, public) = yt_get(
        &c,
        &sb,
        &format!(
            "/youtube/v3/search?part=id&channelId={}&type=video&maxResults=50",
            seed::YOUTUBE_CHANNEL_ID
        ),
    )
    .await;
    assert_eq!(ids(&public), vec![a.clone()]);
    assert!(public["items"][0].get("snippet").is_none());

    // Google's errors.
    let (status, body) = yt_get(
        &c,
        &sb,
        "/youtube/v3/search?part=snippet&forMine=true&maxResults=5",
    )
    .await;
    assert_eq!(
        (status, yt::reason(&body)),
        (400, "invalidSearchFilter".to_owned())
    );
    let (status, body) = yt_get(
        &c,
        &sb,
        "/youtube/v3/search?part=snippet&forMine=true&type=video&maxResults=51",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Invalid value '51'. Values must be within the range: [0, 50]"
    );
    let (status, body) = yt_get(&c, &sb, &format!("{first}&pageToken=bogus")).await;
    assert_eq!(
        (status, yt::reason(&body)),
        (400, "invalidPageToken".to_owned())
    );

    // search.list has its own daily bucket; faults aim at `search.list`.
    control(&c, &sb, "youtube/config", json!({"searchesPerDay": 1})).await;
    assert_eq!(yt_get(&c, &sb, first).await.0, 200);
    let (status, body) = yt_get(&c, &sb, first).await;
    assert_eq!(
        (status, yt::reason(&body)),
        (403, "quotaExceeded".to_owned())
    );
    control(&c, &sb, "youtube/config", json!({"searchesPerDay": 100})).await;
    control(
        &c,
        &sb,
        "faults",
        json!({"network": "youtube", "endpoint": "search.list", "status": 503}),
    )
    .await;
    let (status, body) = yt_get(&c, &sb, first).await;
    assert_eq!(
        (status, yt::reason(&body)),
        (503, "backendError".to_owned())
    );
    assert_eq!(yt_get(&c, &sb, first).await.0, 200);
    sb.shutdown();
}

// ---- Meta ----

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
