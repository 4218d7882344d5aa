//! Telegram Bot API emulation: success paths, ledger, and the documented errors.

mod common;

use common::*;
use crier_sandbox::seed;
use serde_json::{Value, json};

async fn call(c: &reqwest::Client, url: String, params: Value) -> (u16, Value) {
    json_of(c.post(url).json(&params).send().await.unwrap()).await
}

fn error(code: u16, description: &str) -> Value {
    json!({"ok": false, "error_code": code, "description": description})
}

#[tokio::test]
async fn send_message_succeeds_and_is_recorded() {
    let sb = sandbox().await;
    let c = client();
    let (status, body) = call(
        &c,
        tg(&sb, "sendMessage"),
        json!({"chat_id": seed::TELEGRAM_CHAT_ID, "text": "Hello <b>world</b>", "parse_mode": "HTML",
               "disable_notification": true, "link_preview_options": {"is_disabled": true}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ok"], true);
    let msg = &body["result"];
    assert_eq!(msg["message_id"], 1);
    assert_eq!(msg["text"], "Hello world");
    assert_eq!(
        msg["chat"],
        json!({"id": -1001000000001i64, "title": "Crier Sandbox", "username": "crier_sandbox", "type": "channel"})
    );
    assert!(msg["date"].as_i64().unwrap() > 1_600_000_000);

    // The numeric id is the same chat; ids keep increasing.
    let (status, body) = call(
        &c,
        tg(&sb, "sendMessage"),
        json!({"chat_id": -1001000000001i64, "text": "second"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["message_id"], 2);

    assert!(sb.state.wait_for_ledger(|l| l.len() == 2, WAIT).await);
    let ledger = sb.state.ledger();
    assert_eq!(ledger[0].network, "telegram");
    assert_eq!(ledger[0].account, "@crier_sandbox");
    assert_eq!(ledger[0].native_id, "1");
    assert_eq!(ledger[0].text, "Hello <b>world</b>");
    assert!(!ledger[0].deleted);
    assert_eq!(ledger[1].account, "-1001000000001");
    sb.shutdown();
}

#[tokio::test]
async fn parameters_from_query_and_form() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .get(tg(&sb, "sendMessage"))
        .query(&[("chat_id", "@crier_sandbox"), ("text", "from query")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let resp = c
        .post(tg(&sb, "SENDMESSAGE"))
        .form(&[("chat_id", "@crier_sandbox"), ("text", "from form & more")])
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(status, 200, "method names are case-insensitive");
    assert_eq!(body["result"]["text"], "from form & more");
    let texts: Vec<String> = sb.state.ledger().into_iter().map(|e| e.text).collect();
    assert_eq!(texts, ["from query", "from form & more"]);
    sb.shutdown();
}

#[tokio::test]
async fn get_me_photo_video_and_delete() {
    let sb = sandbox().await;
    let c = client();
    let (status, body) = json_of(c.get(tg(&sb, "getMe")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["username"], "crier_sandbox_bot");

    let (status, body) = call(
        &c,
        tg(&sb, "sendPhoto"),
        json!({"chat_id": seed::TELEGRAM_CHAT_ID, "photo": "https://cdn.example.com/p.jpg", "caption": "pic"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["caption"], "pic");
    assert!(!body["result"]["photo"].as_array().unwrap().is_empty());
    let photo_id = body["result"]["message_id"].clone();

    let (status, body) = call(
        &c,
        tg(&sb, "sendVideo"),
        json!({"chat_id": seed::TELEGRAM_CHAT_ID, "video": "http://cdn.example.com/v.mp4"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["video"]["mime_type"], "video/mp4");

    let ledger = sb.state.ledger();
    assert_eq!(ledger[0].media, ["https://cdn.example.com/p.jpg"]);
    assert_eq!(ledger[0].text, "pic");
    assert_eq!(ledger[1].media, ["http://cdn.example.com/v.mp4"]);

    let delete = json!({"chat_id": seed::TELEGRAM_CHAT_ID, "message_id": photo_id});
    let (status, body) = call(&c, tg(&sb, "deleteMessage"), delete.clone()).await;
    assert_eq!((status, body), (200, json!({"ok": true, "result": true})));
    assert!(
        sb.state
            .wait_for_ledger(|l| l[0].deleted && !l[1].deleted, WAIT)
            .await
    );
    let (status, body) = call(&c, tg(&sb, "deleteMessage"), delete).await;
    assert_eq!(
        (status, body),
        (400, error(400, "Bad Request: message to delete not found"))
    );
    let (status, body) = call(
        &c,
        tg(&sb, "deleteMessage"),
        json!({"chat_id": seed::TELEGRAM_CHAT_ID, "message_id": 999}),
    )
    .await;
    assert_eq!(
        (status, body),
        (400, error(400, "Bad Request: message to delete not found"))
    );
    sb.shutdown();
}

#[tokio::test]
async fn documented_errors() {
    let sb = sandbox().await;
    let c = client();
    let chat = seed::TELEGRAM_CHAT_ID;

    let bad_token = format!("{}/telegram/bot123:wrong/sendMessage", sb.url);
    assert_eq!(
        call(&c, bad_token, json!({"chat_id": chat, "text": "x"})).await,
        (401, error(401, "Unauthorized"))
    );
    assert_eq!(
        call(&c, tg(&sb, "sendTelepathy"), json!({})).await,
        (404, error(404, "Not Found"))
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendMessage"),
            json!({"chat_id": "@nobody_here", "text": "x"})
        )
        .await,
        (400, error(400, "Bad Request: chat not found"))
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendMessage"),
            json!({"chat_id": chat, "text": ""})
        )
        .await,
        (400, error(400, "Bad Request: message text is empty"))
    );
    assert_eq!(
        call(&c, tg(&sb, "sendMessage"), json!({"chat_id": chat})).await,
        (400, error(400, "Bad Request: message text is empty"))
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendMessage"),
            json!({"chat_id": chat, "text": "x".repeat(4097)})
        )
        .await,
        (400, error(400, "Bad Request: message is too long"))
    );
    // 4096 UTF-16 units exactly is fine; 2048 emoji are 4096 units.
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendMessage"),
            json!({"chat_id": chat, "text": "😀".repeat(2048)})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendMessage"),
            json!({"chat_id": chat, "text": "😀".repeat(2049)})
        )
        .await,
        (400, error(400, "Bad Request: message is too long"))
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendPhoto"),
            json!({"chat_id": chat, "photo": "https://e.com/a.jpg", "caption": "c".repeat(1025)})
        )
        .await,
        (400, error(400, "Bad Request: message caption is too long"))
    );
    assert_eq!(
        call(
            &c,
            tg(&sb, "sendPhoto"),
            json!({"chat_id": chat, "photo": "ftp://e.com/a.jpg"})
        )
        .await,
        (400, error(400, "Bad Request: wrong HTTP URL specified"))
    );
    assert_eq!(
        call(&c, tg(&sb, "sendPhoto"), json!({"chat_id": chat})).await,
        (
            400,
            error(400, "Bad Request: there is no photo in the request")
        )
    );
    assert_eq!(
        call(&c, tg(&sb, "sendMessage"), json!({"text": "x"})).await,
        (400, error(400, "Bad Request: chat_id is empty"))
    );
    // Malformed JSON gets the Bot API's error shape, not a framework error.
    let resp = c
        .post(tg(&sb, "sendMessage"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(resp).await;
    assert_eq!(
        (status, body["ok"].clone(), body["error_code"].clone()),
        (400, json!(false), json!(400))
    );
    assert_eq!(
        sb.state.ledger().len(),
        1,
        "only the 4096-unit message was published"
    );
    sb.shutdown();
}

#[tokio::test]
async fn flood_limit_answers_429_with_retry_after() {
    let sb = sandbox().await;
    let c = client();
    let resp = c
        .post(format!("{}/_sandbox/telegram/flood", sb.url))
        .json(&json!({"perChatPerMinute": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    for i in 0..2 {
        assert_eq!(
            tg_send(&c, &sb, &format!("m{i}"))
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );
    }
    let (status, body) = json_of(tg_send(&c, &sb, "too many").await.unwrap()).await;
    assert_eq!(status, 429);
    let retry_after = body["parameters"]["retry_after"].as_u64().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(
        body["description"],
        format!("Too Many Requests: retry after {retry_after}")
    );
    assert_eq!(sb.state.ledger().len(), 2);
    sb.state.set_telegram_flood_limit(None);
    assert_eq!(
        tg_send(&c, &sb, "ok again")
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    sb.shutdown();
}
