//! Snapchat (Public Profile API) emulator: encrypted media upload in parts,
//! Story / Saved Story / Spotlight posting, reads and deletes, the ledger,
//! and the error conditions (token, profile, rate limit, media format,
//! processing, expiry, faults).

mod common;

use base64::Engine;
use common::*;
use crier_sandbox::{Fault, SandboxHandle, seed};
use serde_json::{Value, json};

const KEY: [u8; 32] = [0x42; 32];
const IV: [u8; 16] = [0x24; 16];

/// AES-256-CBC with PKCS#7 padding, as `openssl enc -aes-256-cbc` writes it
/// (aws-lc-rs, the crate the emulator decrypts with).
fn encrypt_cbc(key: &[u8; 32], iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
    use aws_lc_rs::cipher::{
        AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey,
    };
    let sealer =
        PaddedBlockEncryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, key).unwrap()).unwrap();
    let mut buf = plain.to_vec();
    let iv = aws_lc_rs::iv::FixedLength::from(*iv);
    sealer
        .less_safe_encrypt(&mut buf, EncryptionContext::Iv128(iv))
        .unwrap();
    buf
}

fn api(sb: &SandboxHandle, rest: &str) -> String {
    format!(
        "{}/snapchat/v1/public_profiles/{}/{rest}",
        sb.url,
        seed::SNAPCHAT_PROFILE_ID
    )
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn post_json(c: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    let resp = c
        .post(url)
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

async fn post_form(c: &reqwest::Client, url: &str, form: reqwest::multipart::Form) -> (u16, Value) {
    let resp = c
        .post(url)
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    json_of(resp).await
}

/// Creates a media, uploads `plain` encrypted in two parts and finalizes it;
/// returns the media id and the finalize answer.
async fn upload(
    c: &reqwest::Client,
    sb: &SandboxHandle,
    kind: &str,
    plain: &[u8],
) -> (String, u16, Value) {
    let (status, created) = post_json(
        c,
        &api(sb, "media"),
        json!({"type": kind, "name": "clip", "key": b64(&KEY), "iv": b64(&IV)}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["request_status"], "SUCCESS");
    let media_id = created["media_id"].as_str().unwrap().to_owned();
    let add = format!(
        "{}/snapchat{}",
        sb.url,
        created["add_path"].as_str().unwrap()
    );
    let finalize = format!(
        "{}/snapchat{}",
        sb.url,
        created["finalize_path"].as_str().unwrap()
    );
    let sealed = encrypt_cbc(&KEY, &IV, plain);
    let (first, second) = sealed.split_at(sealed.len() / 2);
    // Parts may arrive in any order.
    for (number, bytes) in [(2, second), (1, first)] {
        let form = reqwest::multipart::Form::new()
            .text("action", "ADD")
            .text("part_number", number.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("part.bin"),
            );
        let (status, body) = post_form(c, &add, form).await;
        assert_eq!(status, 200, "{body}");
    }
    let form = reqwest::multipart::Form::new().text("action", "FINALIZE");
    let (status, body) = post_form(c, &finalize, form).await;
    (media_id, status, body)
}

fn mp4() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41".to_vec();
    v.extend_from_slice(&[0, 0, 0, 8]);
    v.extend_from_slice(b"mdat");
    v
}

fn jpeg() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.extend(std::iter::repeat_n(0u8, 200));
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

fn error_code(body: &Value) -> &str {
    assert_eq!(body["request_status"], "ERROR", "{body}");
    assert!(body["request_id"].is_string() && body["display_message"].is_string());
    body["error_code"].as_str().unwrap()
}

#[tokio::test]
async fn story_saved_story_and_spotlight_lifecycle() {
    let sb = sandbox().await;
    let c = client();
    let (image, status, body) = upload(&c, &sb, "IMAGE", &jpeg()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["media_status"], "READY");
    let (video, status, _) = upload(&c, &sb, "VIDEO", &mp4()).await;
    assert_eq!(status, 200);

    let (status, story) = post_json(&c, &api(&sb, "stories"), json!({"media_id": image})).await;
    assert_eq!(status, 200, "{story}");
    let story_id = story["stories"][0]["story"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(story["stories"][0]["sub_request_status"], "SUCCESS");

    let (status, saved) = post_json(
        &c,
        &api(&sb, "saved_stories"),
        json!({"saved_stories": [{"title": "Launch day", "snap_sources": [{"media_id": video}]}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved["saved_stories"][0]["saved_story"]["title"],
        "Launch day"
    );

    let (status, spot) = post_json(
        &c,
        &api(&sb, "spotlights"),
        json!({"media_id": video, "description": "New drop #crier", "locale": "en_US"}),
    )
    .await;
    assert_eq!(status, 200, "{spot}");
    let spot_id = spot["spotlights"][0]["spotlight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let ledger = sb.state.ledger();
    assert_eq!(ledger.len(), 3);
    assert!(
        ledger
            .iter()
            .all(|e| e.network == "snapchat" && e.account == seed::SNAPCHAT_PROFILE_ID)
    );
    assert_eq!(ledger[0].native_id, story_id);
    assert_eq!(ledger[0].media, vec![image.clone()]);
    assert_eq!(ledger[1].title.as_deref(), Some("Launch day"));
    assert_eq!(ledger[2].text, "New drop #crier");

    let resp = c
        .get(api(&sb, "spotlights"))
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    let (status, list) = json_of(resp).await;
    assert_eq!(status, 200);
    assert_eq!(list["spotlights"][0]["spotlight"]["id"], spot_id.as_str());

    let resp = c
        .delete(api(&sb, &format!("spotlights/{spot_id}")))
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(sb.state.ledger()[2].deleted);
    let resp = c
        .get(api(&sb, &format!("spotlights/{spot_id}")))
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!((status, error_code(&body)), (404, "E2002"));
}

#[tokio::test]
async fn refused_media_formats_and_content_rules() {
    let sb = sandbox().await;
    let c = client();
    let webp = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    let avif = b"\0\0\0\x18ftypavif\0\0\0\0mif1avif".to_vec();
    for bytes in [webp, heic, avif] {
        let (_, status, body) = upload(&c, &sb, "IMAGE", &bytes).await;
        assert_eq!((status, error_code(&body)), (400, "E1004"));
    }
    // An MP4 declared as an image is refused too.
    let (_, status, _) = upload(&c, &sb, "IMAGE", &mp4()).await;
    assert_eq!(status, 400);

    let (image, _, _) = upload(&c, &sb, "IMAGE", &jpeg()).await;
    let (status, body) = post_json(&c, &api(&sb, "spotlights"), json!({"media_id": image})).await;
    assert_eq!((status, error_code(&body)), (400, "E1001"));
    let (video, _, _) = upload(&c, &sb, "VIDEO", &mp4()).await;
    let long = "x".repeat(161);
    let (status, body) = post_json(
        &c,
        &api(&sb, "spotlights"),
        json!({"media_id": video, "description": long}),
    )
    .await;
    assert_eq!((status, error_code(&body)), (400, "E1001"));
    let (status, _) = post_json(
        &c,
        &api(&sb, "saved_stories"),
        json!({"saved_stories": [{"snap_sources": [{"media_id": video}]}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(sb.state.ledger().is_empty());
}

#[tokio::test]
async fn processing_and_expired_media() {
    let sb = sandbox().await;
    let c = client();
    control(&c, &sb, "snapchat/config", json!({"processingPosts": 1})).await;
    let (image, _, _) = upload(&c, &sb, "IMAGE", &jpeg()).await;
    let (status, body) = post_json(&c, &api(&sb, "stories"), json!({"media_id": image})).await;
    assert_eq!((status, error_code(&body)), (400, "MEDIA_PROCESSING"));
    let (status, _) = post_json(&c, &api(&sb, "stories"), json!({"media_id": image})).await;
    assert_eq!(status, 200);

    control(&c, &sb, "snapchat/expire-media", json!({})).await;
    let (status, body) = post_json(&c, &api(&sb, "stories"), json!({"media_id": image})).await;
    assert_eq!((status, error_code(&body)), (400, "MEDIA_EXPIRED"));
    assert_eq!(sb.state.ledger().len(), 1);

    let listed: Value = c
        .get(format!("{}/_sandbox/snapchat/media", sb.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media = &listed["media"][0];
    assert_eq!(media["id"], image.as_str());
    assert_eq!(
        (
            &media["type"],
            &media["status"],
            &media["expired"],
            &media["format"]
        ),
        (
            &json!("IMAGE"),
            &json!("READY"),
            &json!(true),
            &json!("image/jpeg")
        )
    );
}

#[tokio::test]
async fn token_profile_rate_limit_and_faults() {
    let sb = sandbox().await;
    let c = client();
    let (image, _, _) = upload(&c, &sb, "IMAGE", &jpeg()).await;
    let story = json!({"media_id": image});

    let resp = c
        .post(api(&sb, "stories"))
        .json(&story)
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!((status, error_code(&body)), (401, "E3003"));

    control(&c, &sb, "snapchat/token", json!({"state": "expired"})).await;
    let (status, _) = post_json(&c, &api(&sb, "stories"), story.clone()).await;
    assert_eq!(status, 401);
    control(&c, &sb, "snapchat/token", json!({"state": "valid"})).await;

    let other = format!(
        "{}/snapchat/v1/public_profiles/00000000-0000-4000-8000-000000000000/stories",
        sb.url
    );
    let (status, body) = post_json(&c, &other, story.clone()).await;
    assert_eq!((status, error_code(&body)), (403, "E3002"));

    control(
        &c,
        &sb,
        "snapchat/config",
        json!({"rateLimited": true, "retryAfterSecs": 12}),
    )
    .await;
    let resp = c
        .post(api(&sb, "stories"))
        .bearer_auth(seed::SNAPCHAT_ACCESS_TOKEN)
        .json(&story)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["retry-after"], "12");
    let (status, body) = json_of(resp).await;
    assert_eq!((status, error_code(&body)), (429, "E1006"));
    control(&c, &sb, "snapchat/config", json!({"rateLimited": false})).await;

    sb.state.add_fault(Fault {
        network: "snapchat".into(),
        endpoint: Some("stories.create".into()),
        status: Some(500),
        ..Fault::default()
    });
    let (status, body) = post_json(&c, &api(&sb, "stories"), story.clone()).await;
    assert_eq!((status, error_code(&body)), (500, "E9001"));
    assert!(sb.state.ledger().is_empty());
    assert_eq!(post_json(&c, &api(&sb, "stories"), story).await.0, 200);
}
