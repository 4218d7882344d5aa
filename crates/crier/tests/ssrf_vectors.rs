//! The SSRF guard through `/api/post`: every vector is refused with 451 before any connection.
//! URL-level vectors (schemes, userinfo, IP literals in every spelling) are refused when the post is
//! made; names that resolve to private addresses (a hosts table stands in for DNS) and redirects to
//! private targets are refused by the fetcher, which only ever connects to the loopback redirector.

mod common;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// (URL, a word the refusal must contain)
const URL_VECTORS: &[(&str, &str)] = &[
    ("https://127.0.0.1/a.jpg", "loopback"),
    ("https://127.1.2.3/a.jpg", "loopback"),
    ("https://[::1]/a.jpg", "loopback"),
    ("https://10.0.0.1/a.jpg", "private"),
    ("https://10.255.255.255/a.jpg", "private"),
    ("https://172.16.0.1/a.jpg", "private"),
    ("https://172.31.255.254/a.jpg", "private"),
    ("https://192.168.1.1/a.jpg", "private"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://169.254.0.1/a.jpg", "link-local"),
    ("https://100.64.0.1/a.jpg", "shared"),
    ("https://100.127.255.254/a.jpg", "shared"),
    ("https://0.0.0.0/a.jpg", ""),
    ("https://0.1.2.3/a.jpg", ""),
    ("https://192.0.0.1/a.jpg", ""),
    ("https://192.0.2.1/a.jpg", "documentation"),
    ("https://198.18.0.1/a.jpg", "benchmark"),
    ("https://198.51.100.7/a.jpg", "documentation"),
    ("https://203.0.113.9/a.jpg", "documentation"),
    ("https://224.0.0.1/a.jpg", "multicast"),
    ("https://240.0.0.1/a.jpg", "reserved"),
    ("https://255.255.255.255/a.jpg", ""),
    ("https://[fc00::1]/a.jpg", "unique local"),
    ("https://[fd12:3456::1]/a.jpg", "unique local"),
    ("https://[fe80::1]/a.jpg", "link-local"),
    ("https://[fec0::1]/a.jpg", ""),
    ("https://[ff02::1]/a.jpg", "multicast"),
    ("https://[::]/a.jpg", "unspecified"),
    ("https://[::ffff:127.0.0.1]/a.jpg", ""),
    ("https://[::ffff:10.0.0.1]/a.jpg", ""),
    ("https://[::ffff:169.254.169.254]/a.jpg", ""),
    ("https://[::7f00:1]/a.jpg", ""),
    ("https://[64:ff9b::a00:1]/a.jpg", ""),
    ("https://[2002:a00:1::1]/a.jpg", ""),
    ("https://[2001:db8::1]/a.jpg", "documentation"),
    ("https://2130706433/a.jpg", "loopback"),
    ("https://0x7f000001/a.jpg", "loopback"),
    ("https://0177.0.0.1/a.jpg", "loopback"),
    ("https://0x7f.1/a.jpg", "loopback"),
    ("https://017700000001/a.jpg", "loopback"),
    ("https://167772161/a.jpg", "private"),
    ("https://0xa9fea9fe/a.jpg", "link-local"),
    ("https://user:pass@10.0.0.1/a.jpg", ""),
    ("https://cdn.example.com@10.0.0.1/a.jpg", ""),
    ("https://user@cdn.example.com/a.jpg", "user name"),
    ("file:///etc/passwd", "scheme"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme"),
    ("ftp://ftp.example.com/a.jpg", "scheme"),
    ("dict://127.0.0.1:11211/stat", "scheme"),
    ("data:image/png;base64,iVBORw0KGgo=", "scheme"),
];

#[tokio::test]
async fn url_vectors_are_refused_when_the_post_is_made() {
    // Loopback not allowed: the production setting.
    let h = Harness::start_with(|c| c.media.allow_loopback = false).await;
    assert!(URL_VECTORS.len() >= 40);
    for (url, word) in URL_VECTORS {
        let t = text("ssrf");
        let r = h.post(json!({"post": t, "platforms": ["telegram", "bluesky"], "mediaUrls": [url]})).await;
        assert_eq!(r.status, 400, "{url}: {}", r.body);
        let errors = r.body["errors"].as_array().unwrap_or_else(|| panic!("{url}: {}", r.body));
        assert_eq!(errors.len(), 2, "{url}: one error per network: {}", r.body);
        for e in errors {
            assert_eq!(e["code"], 451, "{url}: {e}");
            let details = e["details"].as_str().unwrap();
            assert!(details.to_lowercase().contains(word), "{url}: details should say {word:?}: {details}");
        }
        // Kept as a failed post (an id, status error), never queued: nothing was fetched or sent.
        let id = r.body["id"].as_str().unwrap_or_else(|| panic!("{url}: {}", r.body));
        assert_eq!(h.get(&format!("/api/post/{id}")).await.body["status"], "error", "{url}");
    }
    assert!(h.sandbox.state.ledger().is_empty(), "nothing was published");
}

/// A loopback server that redirects to wherever `?to=` says, counting requests.
async fn redirector() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/go",
        get(move |q: axum::extract::Query<std::collections::HashMap<String, String>>| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut headers = HeaderMap::new();
                headers.insert(header::LOCATION, q.get("to").cloned().unwrap_or_default().parse().unwrap());
                (StatusCode::FOUND, headers).into_response()
            }
        }),
    );
    (serve_loopback(app).await, hits)
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn names_and_redirects_to_private_addresses_are_refused_by_the_fetcher() {
    let h = Harness::start_with(|c| {
        let hosts = [
            ("internal.test", "10.0.0.5"),
            ("metadata.test", "169.254.169.254"),
            ("ula.test", "fd00::1"),
            ("mapped.test", "::ffff:192.168.0.1"),
            ("cgnat.test", "100.64.1.1"),
        ];
        for (name, ip) in hosts {
            c.media.hosts.insert(name.into(), vec![ip.parse().unwrap()]);
        }
    })
    .await;
    let (redir, hits) = redirector().await;
    let via = |to: &str| format!("{redir}/go?to={}", enc(to));
    let cases: Vec<(String, &str, usize)> = vec![
        ("https://internal.test/a.jpg".into(), "10.0.0.5", 0),
        ("https://metadata.test/latest/meta-data/".into(), "169.254.169.254", 0),
        ("https://ula.test/a.jpg".into(), "fd00::1", 0),
        ("https://mapped.test/a.jpg".into(), "192.168.0.1", 0),
        ("https://cgnat.test/a.jpg".into(), "100.64.1.1", 0),
        (via("http://10.0.0.1/a.jpg"), "10.0.0.1", 1),
        (via("http://169.254.169.254/latest/meta-data/"), "169.254.169.254", 1),
        (via("https://internal.test/a.jpg"), "10.0.0.5", 1),
        (via("http://[::ffff:10.0.0.1]/a.jpg"), "10.0.0.1", 1),
        (via("file:///etc/passwd"), "scheme", 1),
        (via(&via(&via(&via(&via(&via("https://cdn.example.com/a.jpg")))))), "redirect", 6),
    ];
    for (url, word, redirector_hits) in cases {
        let before = hits.load(Ordering::SeqCst);
        let t = text("ssrf fetch");
        let r = h.post(json!({"post": t, "platforms": ["bluesky"], "mediaUrls": [url]})).await;
        assert_eq!(r.status, 400, "{url}: {}", r.body);
        let e = &r.body["errors"][0];
        assert_eq!(e["code"], 451, "{url}: {e}");
        assert!(e["details"].as_str().unwrap().to_lowercase().contains(word), "{url}: details should name {word:?}: {e}");
        assert_eq!(hits.load(Ordering::SeqCst) - before, redirector_hits, "{url}: only the loopback redirector was reached");
        assert!(h.published(&t).is_empty());
    }
}
