//! The read endpoints crier uses for analytics and paged history, Telegram
//! and Bluesky: their shapes, a two-page walk, deleted posts left out, and
//! faults aimed at them. The other networks are in `reads_*.rs`.

mod common;

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
