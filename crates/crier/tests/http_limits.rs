//! The HTTP server's limits against slow and piled-up clients (`http.*` keys), driven over raw
//! TCP as such clients would, and its graceful stop.

mod common;

use common::*;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest a limit of one or two seconds may take to show: generous, this is not a speed test.
const GENEROUS: Duration = Duration::from_secs(30);

async fn connect(h: &Harness) -> TcpStream {
    TcpStream::connect(h.running.addr).await.unwrap()
}

/// Everything the server sends until it closes the connection (a reset counts as closing).
/// Panics if it is still open after `GENEROUS`.
async fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(GENEROUS, async {
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    });
    read.await.expect("crier closed the connection");
    got
}

/// One response read off a kept-alive connection: status and JSON body (crier's answers carry
/// Content-Length).
async fn read_response(s: &mut TcpStream) -> (u16, Value) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            let len: usize = head.lines().find_map(|l| l.strip_prefix("content-length:")).map(|v| v.trim().parse().unwrap()).unwrap_or(0);
            if got.len() >= end + 4 + len {
                let status = head[9..12].parse().unwrap();
                return (status, serde_json::from_slice(&got[end + 4..end + 4 + len]).unwrap());
            }
        }
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed mid-response: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
}

fn split_response(raw: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP response in {text:?}"));
    let status = head[9..12].parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or_else(|_| panic!("non-JSON body: {text:?}")))
}

const NOPE: &[u8] = b"GET /api/nope HTTP/1.1\r\nHost: crier\r\n\r\n";

#[tokio::test]
async fn headers_that_never_finish_are_cut_off_and_idle_connections_closed() {
    let h = Harness::start_with(|c| c.http.header_read_timeout_secs = 1).await;
    // Half a request, then nothing (slowloris).
    let mut half = connect(&h).await;
    half.write_all(b"GET /api/user HTTP/1.1\r\nHost: crier\r\nX-Slow: ").await.unwrap();
    // A connection that says nothing at all.
    let mut mute = connect(&h).await;
    // A keep-alive connection idle after one answered request.
    let mut idle = connect(&h).await;
    idle.write_all(NOPE).await.unwrap();
    assert_eq!(read_response(&mut idle).await.0, 404);

    for (what, s) in [("half headers", &mut half), ("nothing", &mut mute), ("idle keep-alive", &mut idle)] {
        let got = read_until_closed(s).await;
        // hyper may say 408 before closing; the request itself is never answered.
        assert!(got.is_empty() || got.starts_with(b"HTTP/1.1 408"), "{what}: {}", String::from_utf8_lossy(&got));
    }
    // Others are served as before.
    let r = h.get("/api/user").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_chunked_body_that_never_finishes_is_cut_off_with_a_catalog_error() {
    let h = Harness::start_with(|c| c.http.body_read_timeout_secs = 1).await;
    let t = text("never finished");
    let mut s = connect(&h).await;
    let start = format!(
        "POST /api/post HTTP/1.1\r\nHost: crier\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n10\r\n{{\"post\": \"{}\"\r\n",
        h.key,
        &t[..2]
    );
    s.write_all(start.as_bytes()).await.unwrap();
    let got = read_until_closed(&mut s).await;
    let (status, body) = split_response(&got);
    assert_eq!((status, body["code"].as_i64()), (400, Some(900)), "{body}");
    assert!(body["details"].as_str().unwrap().contains("did not arrive"), "{body}");

    // A body that arrives in time, in chunks, is read as usual.
    let whole = json!({"post": t, "platforms": ["telegram"]}).to_string();
    let (a, b) = whole.split_at(10);
    let mut s = connect(&h).await;
    let req = format!(
        "POST /api/post HTTP/1.1\r\nHost: crier\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        h.key,
        a.len(),
        b.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let (status, body) = read_response(&mut s).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(h.published(&t).len(), 1);
}

#[tokio::test]
async fn over_the_connection_cap_new_connections_wait_until_one_closes() {
    let h = Harness::start_with(|c| {
        c.http.max_connections = 2;
        c.http.header_read_timeout_secs = 120;
    })
    .await;
    // Two kept-alive connections, each answered once: both slots are taken.
    let mut first = connect(&h).await;
    let mut second = connect(&h).await;
    for s in [&mut first, &mut second] {
        s.write_all(NOPE).await.unwrap();
        assert_eq!(read_response(s).await.0, 404);
    }
    // A third connects (the kernel queues it) but is not served while both are open.
    let mut third = connect(&h).await;
    third.write_all(NOPE).await.unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut byte)).await;
    assert!(early.is_err(), "the third connection was served over the cap: {early:?}");
    // One closes: the third is served.
    drop(first);
    let served = tokio::time::timeout(GENEROUS, read_response(&mut third)).await.expect("served once a slot freed");
    assert_eq!(served.0, 404);
    // The server keeps serving new clients once connections close.
    drop(second);
    drop(third);
    let r = h.get("/api/user").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn shutdown_refuses_new_connections_and_finishes_the_request_in_flight() {
    let Harness { running, sandbox, key, base, http, dir: _dir } = Harness::start().await;
    let addr = running.addr;
    // Telegram's answer is held back: the post is in flight until it is released.
    sandbox.state.add_fault(serde_json::from_value(json!({"network": "telegram", "endpoint": "sendMessage", "hold": true})).unwrap());
    let t = text("in flight at shutdown");
    let post = {
        let body = json!({"post": t, "platforms": ["telegram"]});
        let req = http.post(format!("{base}/api/post")).bearer_auth(&key).json(&body);
        tokio::spawn(async move {
            let r = req.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    };
    let deadline = tokio::time::Instant::now() + GENEROUS;
    while sandbox.state.held_count() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the post never reached the sandbox");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stopping = tokio::spawn(running.shutdown());
    // No new connections once stopping (the listener is closed).
    while TcpStream::connect(addr).await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "crier still accepts connections while stopping");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sandbox.state.release_held();
    let (status, body) = post.await.unwrap();
    assert_eq!((status, body["status"].as_str()), (200, Some("success")), "{body}");
    tokio::time::timeout(GENEROUS, stopping).await.expect("shutdown finished").unwrap();
}
