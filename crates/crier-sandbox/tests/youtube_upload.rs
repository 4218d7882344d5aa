//! YouTube emulator: resumable uploads (chunks, 308 ranges, probes, chunk
//! rules, expiry), metadata checks, auth, list and delete.

mod common;

use common::youtube::{self as yt, CHUNK};
use common::*;
use crier_sandbox::seed;
use serde_json::json;

#[tokio::test]
async fn four_chunk_upload_with_accurate_ranges() {
    let sb = sandbox().await;
    let c = client();
    let total = 3 * CHUNK + 1000;
    let resp = yt::initiate_raw(&c, &sb, &yt::video_resource("Launch"), total).await;
    assert_eq!(resp.status().as_u16(), 200);
    let session = resp.headers()["location"].to_str().unwrap().to_owned();
    let prefix = format!(
        "{}/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id=",
        sb.url
    );
    assert!(session.starts_with(&prefix), "{session}");
    assert!(resp.headers().contains_key("x-guploader-uploadid"));

    // Nothing stored yet: 308 without Range.
    let resp = yt::probe(&c, &session, total).await;
    assert_eq!(resp.status().as_u16(), 308);
    assert_eq!(yt::range(&resp), None);

    for n in 0..3 {
        let resp = yt::put_chunk(&c, &session, n * CHUNK, CHUNK, total)
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 308);
        assert_eq!(
            yt::range(&resp),
            Some(format!("bytes=0-{}", (n + 1) * CHUNK - 1))
        );
    }
    let resp = yt::probe(&c, &session, total).await;
    assert_eq!(yt::range(&resp), Some(format!("bytes=0-{}", 3 * CHUNK - 1)));

    let resp = yt::put_chunk(&c, &session, 3 * CHUNK, 1000, total)
        .await
        .unwrap();
    let (status, video) = json_of(resp).await;
    assert_eq!(status, 201, "{video}");
    assert_eq!(video["kind"], "youtube#video");
    let id = video["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 11);
    assert_eq!(video["snippet"]["title"], "Launch");
    assert_eq!(video["snippet"]["description"], "about Launch");
    assert_eq!(video["snippet"]["channelId"], seed::YOUTUBE_CHANNEL_ID);
    assert_eq!(video["status"]["uploadStatus"], "uploaded");
    assert_eq!(video["status"]["privacyStatus"], "unlisted");

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 1);
    let entry = &ledger[0];
    assert_eq!(
        (
            entry.network.as_str(),
            entry.account.as_str(),
            entry.native_id.as_str()
        ),
        ("youtube", seed::YOUTUBE_CHANNEL_ID, id.as_str())
    );
    assert_eq!(entry.text, "about Launch");
    assert_eq!(entry.title.as_deref(), Some("Launch"));
    assert!(entry.media.is_empty());

    // Once complete, a probe answers the video again.
    let resp = yt::probe(&c, &session, total).await;
    let (status, again) = json_of(resp).await;
    assert_eq!((status, again["id"].as_str()), (200, Some(id.as_str())));
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn whole_file_in_one_put() {
    let sb = sandbox().await;
    let c = client();
    let session = yt::initiate(&c, &sb, "Single", 5000).await;
    let resp = c.put(&session).body(vec![1u8; 5000]).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(sb.state.ledger().len(), 1);
    sb.shutdown();
}

#[tokio::test]
async fn chunk_size_rules() {
    let sb = sandbox().await;
    let c = client();
    let total = 2 * CHUNK + 10;
    let session = yt::initiate(&c, &sb, "Chunks", total).await;
    // Below 256 KiB and not the last chunk: refused.
    let resp = yt::put_chunk(&c, &session, 0, 100_000, total)
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 400);
    assert_eq!(yt::reason(&body), "badRequest");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("262144"),
        "{body}"
    );
    // Above 256 KiB but not a multiple: stored up to the last multiple.
    let resp = yt::put_chunk(&c, &session, 0, 300_000, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 308);
    assert_eq!(yt::range(&resp), Some(format!("bytes=0-{}", CHUNK - 1)));
    // A chunk starting beyond the stored bytes is refused.
    let resp = yt::put_chunk(&c, &session, 2 * CHUNK, 10, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    // Resuming from the reported offset; overlapping bytes are skipped.
    let resp = yt::put_chunk(&c, &session, CHUNK - 1000, CHUNK + 1000, total)
        .await
        .unwrap();
    assert_eq!(yt::range(&resp), Some(format!("bytes=0-{}", 2 * CHUNK - 1)));
    let resp = yt::put_chunk(&c, &session, 2 * CHUNK, 10, total)
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    // Malformed Content-Range.
    let session = yt::initiate(&c, &sb, "Bad range", 10).await;
    let resp = c
        .put(&session)
        .header("content-range", "bytes 5-1/10")
        .body(vec![0u8; 5])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    sb.shutdown();
}

#[tokio::test]
async fn expired_or_unknown_session_is_404() {
    let sb = sandbox().await;
    let c = client();
    let total = CHUNK + 5;
    let session = yt::initiate(&c, &sb, "Expiring", total).await;
    assert_eq!(
        yt::put_chunk(&c, &session, 0, CHUNK, total)
            .await
            .unwrap()
            .status()
            .as_u16(),
        308
    );
    let expired = control(&c, &sb, "youtube/sessions/expire", json!({})).await;
    assert_eq!(expired, json!({"expired": 1}));
    let resp = yt::put_chunk(&c, &session, CHUNK, 5, total).await.unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 404);
    assert_eq!(yt::reason(&body), "notFound");
    assert_eq!(yt::probe(&c, &session, total).await.status().as_u16(), 404);

    let unknown = format!(
        "{}/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id=nope",
        sb.url
    );
    assert_eq!(yt::probe(&c, &unknown, 10).await.status().as_u16(), 404);
    assert!(sb.state.ledger().is_empty());
    sb.shutdown();
}

#[tokio::test]
async fn metadata_and_auth_errors_use_googles_envelope() {
    let sb = sandbox().await;
    let c = client();
    for (body, reason) in [
        (
            json!({"snippet": {"description": "no title"}}),
            "invalidTitle",
        ),
        (json!({"snippet": {"title": "a <b>"}}), "invalidTitle"),
        (
            json!({"snippet": {"title": "x".repeat(101)}}),
            "invalidTitle",
        ),
        (
            json!({"snippet": {"title": "t", "description": "d".repeat(5001)}}),
            "invalidDescription",
        ),
        (
            json!({"snippet": {"title": "t"}, "status": {"privacyStatus": "secret"}}),
            "invalidVideoMetadata",
        ),
    ] {
        let (status, answer) = json_of(yt::initiate_raw(&c, &sb, &body, 10).await).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(yt::reason(&answer), reason, "{answer}");
        assert_eq!(answer["error"]["errors"][0]["domain"], "youtube.video");
    }

    let insert = format!(
        "{}/youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status",
        sb.url
    );
    let resp = c
        .post(&insert)
        .json(&yt::video_resource("t"))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 401);
    assert_eq!(yt::reason(&body), "required");
    let resp = c
        .post(&insert)
        .bearer_auth("ya29.wrong")
        .json(&yt::video_resource("t"))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().contains_key("www-authenticate"));
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 401);
    assert_eq!(yt::reason(&body), "authError");
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");
    control(&c, &sb, "youtube/token", json!({"expired": true})).await;
    let (status, body) =
        json_of(yt::initiate_raw(&c, &sb, &yt::video_resource("t"), 10).await).await;
    assert_eq!((status, yt::reason(&body)), (401, "authError".to_owned()));
    control(&c, &sb, "youtube/token", json!({"expired": false})).await;
    assert_eq!(
        yt::initiate_raw(&c, &sb, &yt::video_resource("t"), 10)
            .await
            .status()
            .as_u16(),
        200
    );
    sb.shutdown();
}

#[tokio::test]
async fn list_and_delete() {
    let sb = sandbox().await;
    let c = client();
    let session = yt::initiate(&c, &sb, "To delete", 100).await;
    let (_, video) = json_of(yt::put_chunk(&c, &session, 0, 100, 100).await.unwrap()).await;
    let id = video["id"].as_str().unwrap().to_owned();
    let list = format!(
        "{}/youtube/youtube/v3/videos?part=snippet,status&id={id}",
        sb.url
    );
    let (status, body) = json_of(
        c.get(&list)
            .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["items"][0]["id"], id.as_str());

    let delete = format!("{}/youtube/youtube/v3/videos?id={id}", sb.url);
    let resp = c
        .delete(&delete)
        .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    assert!(sb.state.ledger()[0].deleted);
    let resp = c
        .delete(&delete)
        .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, yt::reason(&body)),
        (404, "videoNotFound".to_owned())
    );
    let (_, body) = json_of(
        c.get(&list)
            .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(body["items"], json!([]));

    let channels = format!(
        "{}/youtube/youtube/v3/channels?part=snippet&mine=true",
        sb.url
    );
    let (status, body) = json_of(
        c.get(&channels)
            .bearer_auth(seed::YOUTUBE_ACCESS_TOKEN)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["items"][0]["id"], seed::YOUTUBE_CHANNEL_ID);
    sb.shutdown();
}
