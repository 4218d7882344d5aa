//! The YouTube read endpoints crier uses: video statistics and search pages.

mod common;

use common::youtube as yt;
use common::*;
use crier_sandbox::{SandboxHandle, seed};
use serde_json::{Value, json};

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
