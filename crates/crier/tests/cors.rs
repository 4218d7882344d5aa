//! CORS for browser clients: off by default (no CORS header at all), configured origins echoed,
//! others given nothing, `*` on request, and preflights answered without auth, never counted by
//! the rate limit.

mod common;
use common::*;
use reqwest::Method;
use reqwest::header::HeaderMap;

const APP: &str = "https://app.example.com";

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// The names in a comma-separated header, lowercased.
fn names(h: &HeaderMap, name: &str) -> Vec<String> {
    header(h, name).unwrap_or_else(|| panic!("no {name}: {h:?}")).split(',').map(|s| s.trim().to_ascii_lowercase()).collect()
}

async fn get_user(h: &Harness, origin: &str) -> (u16, HeaderMap) {
    let resp = h.http.get(format!("{}/api/user", h.base)).bearer_auth(&h.key).header("Origin", origin).send().await.unwrap();
    (resp.status().as_u16(), resp.headers().clone())
}

async fn preflight(h: &Harness, path: &str) -> (u16, HeaderMap) {
    let resp = h
        .http
        .request(Method::OPTIONS, format!("{}{path}", h.base))
        .header("Origin", APP)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type, profile-key, x-twitter-oauth1-api-key, accept-language")
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.headers().clone())
}

#[tokio::test]
async fn off_by_default_no_cors_headers() {
    let h = Harness::start().await;
    let (status, headers) = get_user(&h, APP).await;
    assert_eq!(status, 200);
    assert!(!headers.keys().any(|k| k.as_str().starts_with("access-control-")), "{headers:?}");
    let (_, headers) = preflight(&h, "/api/post").await;
    assert!(!headers.keys().any(|k| k.as_str().starts_with("access-control-")), "{headers:?}");
}

#[tokio::test]
async fn allowed_origin_echoed_others_get_nothing_and_preflights_are_free() {
    let h = Harness::start_with(|c| {
        c.cors.allowed_origins = vec![APP.into(), "http://localhost:3000".into()];
        c.limits.per_key = 0;
        c.limits.per_profile = 3;
    })
    .await;
    // Preflights: no key needed, answered before routing (no 405/912), not counted.
    for path in ["/api/post", "/api/post", "/api/profiles", "/api/history/abc"] {
        let (status, headers) = preflight(&h, path).await;
        assert!(status == 200 || status == 204, "preflight {path}: {status}");
        assert_eq!(header(&headers, "access-control-allow-origin"), Some(APP));
        let allowed = names(&headers, "access-control-allow-headers");
        for needed in ["authorization", "content-type", "profile-key", "accept-language", "x-request-id", "x-twitter-oauth1-api-key", "x-twitter-oauth1-api-secret"] {
            assert!(allowed.iter().any(|a| a == needed), "{needed} not in {allowed:?}");
        }
        assert!(names(&headers, "access-control-allow-methods").iter().any(|m| m == "post"));
        assert_eq!(header(&headers, "access-control-max-age"), Some("600"));
        assert!(header(&headers, "x-ratelimit-limit").is_none());
    }
    let (status, headers) = get_user(&h, APP).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(APP));
    let exposed = names(&headers, "access-control-expose-headers");
    for needed in ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "x-request-id"] {
        assert!(exposed.iter().any(|e| e == needed), "{needed} not in {exposed:?}");
    }
    assert_eq!(header(&headers, "x-ratelimit-remaining"), Some("2"), "the four preflights were not counted");

    let (status, headers) = get_user(&h, "http://localhost:3000").await;
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (200, Some("http://localhost:3000")));
    // Another origin gets its answer (the server does not block) but no permission for the browser.
    let (status, headers) = get_user(&h, "https://evil.example").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "access-control-allow-origin").is_none(), "{headers:?}");
    // Error answers carry CORS too, so a browser client can read why: the 429 here.
    let (status, headers) = get_user(&h, APP).await;
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (429, Some(APP)));
    assert!(header(&headers, "retry-after").is_some());
}

#[tokio::test]
async fn a_star_allows_any_origin() {
    let h = Harness::start_with(|c| c.cors.allowed_origins = vec!["*".into()]).await;
    let (status, headers) = get_user(&h, "https://anywhere.example").await;
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (200, Some("*")));
    let (status, headers) = preflight(&h, "/api/post").await;
    assert!(status == 200 || status == 204);
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn an_origin_that_is_not_one_stops_the_start() {
    let sandbox = crier_sandbox::start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = test_config(dir.path(), &sandbox.url);
    cfg.cors.allowed_origins = vec!["https://app.example.com/login".into()];
    let err = crier::server::start(cfg).await.err().expect("a path is not an origin").to_string();
    assert!(err.contains("cors.allowed_origins") && err.contains("/login"), "{err}");
}
