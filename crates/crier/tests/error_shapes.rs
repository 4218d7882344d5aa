//! Every error crier makes itself is catalog JSON, whatever the client got wrong: the path
//! (bytes that are not UTF-8), the method (405 with `Allow`), the body (not JSON, too large,
//! another content type) or the query string.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A raw request through reqwest: status, `Allow` header and the body, which must be catalog JSON.
async fn raw(h: &Harness, method: Method, path: &str, content_type: Option<&str>, body: impl Into<reqwest::Body>) -> (u16, Option<String>, Value) {
    let mut req = h.http.request(method.clone(), format!("{}{path}", h.base)).bearer_auth(&h.key).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let allow = resp.headers().get("allow").map(|v| v.to_str().unwrap().to_string());
    let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = resp.text().await.unwrap();
    assert!(ct.starts_with("application/json"), "{method} {path}: {status} {ct:?} {text:?}");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {path}: non-JSON {status}: {text:?}"));
    if status >= 400 {
        // A flat error, or a rejected post whose errors[] are catalog objects.
        assert_eq!(v["status"], "error", "{method} {path}: {v}");
        let one = if v["errors"].is_array() { &v["errors"][0] } else { &v };
        assert!(one["code"].is_i64() && one["message"].as_str().is_some_and(|m| !m.is_empty()), "{method} {path}: {v}");
    }
    (status, allow, v)
}

#[tokio::test]
async fn path_parameters_that_are_not_utf8_answer_900_in_json() {
    let h = Harness::start().await;
    for path in ["/api/post/%ff", "/api/history/%ff%fe", "/api/links/%c3%28", "/l/%ff", "/media/%ff"] {
        let (status, _, body) = raw(&h, Method::GET, path, None, "").await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(900)), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_method_an_endpoint_does_not_take_is_405_with_allow() {
    let h = Harness::start().await;
    for (method, path, allowed) in [
        (Method::DELETE, "/api/user", vec!["GET", "HEAD"]),
        (Method::GET, "/api/delete", vec!["DELETE"]),
        (Method::POST, "/api/post/some-id", vec!["GET", "HEAD"]),
        (Method::GET, "/api/post/retry", vec!["PUT", "POST"]),
        (Method::PUT, "/api/media/urlExists", vec!["POST"]),
    ] {
        let (status, allow, body) = raw(&h, method.clone(), path, None, "").await;
        assert_eq!((status, body["code"].as_i64()), (405, Some(924)), "{method} {path}: {body}");
        let allow = allow.unwrap_or_else(|| panic!("{method} {path}: no Allow header"));
        let mut got: Vec<&str> = allow.split(',').map(str::trim).collect();
        got.sort();
        let mut want = allowed.clone();
        want.sort();
        assert_eq!(got, want, "{method} {path}");
    }
    // Unknown paths stay 912, and families crier lacks 920, whatever the method.
    assert_eq!(raw(&h, Method::PUT, "/api/nope", None, "").await.2["code"], 912);
    assert_eq!(raw(&h, Method::DELETE, "/api/hashtags/auto", None, "").await.2["code"], 920);
    // generateJWT exists now: another method is 405.
    assert_eq!(raw(&h, Method::DELETE, "/api/profiles/generateJWT", None, "").await.2["code"], 924);
}

#[tokio::test]
async fn bodies_that_are_not_json_or_the_wrong_type_answer_900_in_json() {
    let h = Harness::start().await;
    for (ct, body) in [
        (Some("application/x-www-form-urlencoded"), "post=hi&platforms=telegram"),
        (Some("application/json"), "{\"post\": \"cut"),
        (Some("text/plain"), "not json at all"),
        (None, "\u{0}\u{1}"),
        (Some("application/json"), "[1, 2]"),
        (Some("application/json"), "{\"post\": 5, \"platforms\": \"telegram\"}"),
    ] {
        let (status, _, v) = raw(&h, Method::POST, "/api/post", ct, body).await;
        assert_eq!(status, 400, "{ct:?} {body:?}: {v}");
        // A flat error, or a rejected post whose errors are catalog objects.
        let code = v["code"].as_i64().or_else(|| v["errors"][0]["code"].as_i64());
        assert_eq!(code, Some(900), "{ct:?} {body:?}: {v}");
    }
    // Another content type with a JSON body is read as JSON (SDKs differ in what they send).
    let t = text("text/plain json");
    let (status, _, v) = raw(&h, Method::POST, "/api/post", Some("text/plain"), json!({"post": t, "platforms": ["telegram"]}).to_string()).await;
    assert_eq!((status, v["status"].as_str()), (200, Some("success")), "{v}");
    // A multipart upload whose body is not multipart.
    let (status, _, v) = raw(&h, Method::POST, "/api/media/upload", Some("multipart/form-data; boundary=x"), "garbage").await;
    assert_eq!((status, v["code"].as_i64()), (400, Some(900)), "{v}");
}

#[tokio::test]
async fn a_body_over_the_limit_answers_900_in_json() {
    let h = Harness::start().await;
    let (mut rx, mut tx) = tokio::net::TcpStream::connect(h.running.addr).await.unwrap().into_split();
    let size = 4 << 20;
    let head = format!(
        "POST /api/post HTTP/1.1\r\nHost: crier\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n",
        h.key
    );
    // The body is sent while the answer is read: crier answers once it passed the limit, before
    // the end, and then closes (the rest of the sending may fail; it does not matter).
    let sender = tokio::spawn(async move {
        let _ = tx.write_all(head.as_bytes()).await;
        let _ = tx.write_all(&vec![b' '; size]).await;
        tx
    });
    let mut got = Vec::new();
    tokio::time::timeout(WAIT, async {
        let mut buf = [0u8; 4096];
        while !(got.windows(4).any(|w| w == b"\r\n\r\n") && got.ends_with(b"}")) {
            match rx.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("an answer");
    drop(sender);
    let text = String::from_utf8_lossy(&got);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {text:?}"));
    assert!(head.starts_with("HTTP/1.1 400"), "{text}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{text}");
    let v: Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["code"], 900, "{v}");
    assert!(v["details"].as_str().unwrap().contains("larger"), "{v}");
}

#[tokio::test]
async fn query_strings_unknown_or_not_utf8_never_break_json() {
    let h = Harness::start().await;
    // Unknown parameters are ignored, as Ayrshare does.
    let (status, _, v) = raw(&h, Method::GET, "/api/history?bogus=1&limit=2&%ff=%fe", None, "").await;
    assert_eq!((status, v["status"].as_str()), (200, Some("success")), "{v}");
    for path in ["/api/history?limit=%ff", "/api/history?limit=ten", "/api/post/abc?waitSeconds=%ff", "/api/history/telegram?limit=x"] {
        let (status, _, v) = raw(&h, Method::GET, path, None, "").await;
        assert_eq!((status, v["code"].as_i64()), (400, Some(900)), "{path}: {v}");
    }
}
