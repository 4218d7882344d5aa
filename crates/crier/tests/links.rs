//! crier's own link shortener: create, redirect, count clicks; shortenLinks on posts.

mod common;
use common::*;
use reqwest::Method;
use serde_json::json;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn short_link_redirects_and_counts_clicks() {
    let h = Harness::start().await;
    let r = h.call(Method::POST, "/api/links", Some(json!({"url": "https://example.com/launch?utm=x"})), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let short = r.body["shortUrl"].as_str().unwrap().to_string();
    assert_eq!(r.body["originalUrl"], "https://example.com/launch?utm=x");
    assert!(short.starts_with(&h.base) && short.ends_with(&id), "{short}");
    // Aliases of the SDKs.
    for alias in ["/api/shorten", "/api/short"] {
        assert_eq!(h.call(Method::POST, alias, Some(json!({"url": "https://example.com/"})), &[]).await.status, 200);
    }

    let client = no_redirects();
    let visits = [
        ("https://news.example/item/1", "Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"),
        ("https://news.example/item/2", "Mozilla/5.0 (X11; rv:120.0) Gecko/20100101 Firefox/120.0"),
        ("", "curl/8.5.0"),
    ];
    for (referer, ua) in visits {
        let mut req = client.get(&short).header("user-agent", ua);
        if !referer.is_empty() {
            req = req.header("referer", referer);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 302);
        assert_eq!(resp.headers()["location"], "https://example.com/launch?utm=x");
    }
    let a = h.get(&format!("/api/links/{id}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let an = &a.body["analytics"];
    assert_eq!(an["totalClicks"], 3);
    assert_eq!(an["refererCounts"]["news.example"], 2);
    assert_eq!(an["refererCounts"]["direct"], 1);
    assert_eq!((an["browserCounts"]["Chrome"].as_i64(), an["browserCounts"]["Firefox"].as_i64(), an["browserCounts"]["curl"].as_i64()), (Some(1), Some(1), Some(1)));

    let unknown = client.get(format!("{}/l/nope123", h.base)).send().await.unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    assert_eq!(h.get("/api/links/nope123").await.body["code"], 919);
    let bad = h.call(Method::POST, "/api/links", Some(json!({"url": "javascript:alert(1)"})), &[]).await;
    assert_eq!(bad.body["code"], 900);
}

#[tokio::test]
async fn shorten_links_replaces_every_link_per_network() {
    let h = Harness::start().await;
    let t = text("read https://example.com/a and http://example.org/b.");
    let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "shortenLinks": true})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ledger: Vec<_> = h.sandbox.state.ledger();
    let sent: Vec<&str> = ledger.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(sent.len(), 2);
    for s in &sent {
        assert!(!s.contains("example.com") && !s.contains("example.org"), "links replaced: {s}");
        assert_eq!(s.matches(&format!("{}/l/", h.base)).count(), 2, "{s}");
        let after_last = &s[s.rfind("/l/").unwrap() + 3..];
        assert_eq!(after_last.chars().nth(7), Some('.'), "the sentence's full stop is kept: {s}");
    }
    assert_ne!(sent[0], sent[1], "each network gets its own short links (clicks per network)");
    let g = h.get(&format!("/api/post/{}", r.body["id"].as_str().unwrap())).await;
    assert_eq!(g.body["shortenLinks"], true);
}
