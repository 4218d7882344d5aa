//! SafeFetcher against a real HTTP server on 127.0.0.1 and a fake resolver.
//! Every fetcher here is `loopback_only`: its sockets are bound to `lo`, so
//! even a broken guard could not send a packet off this machine.

mod support;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crier_media::{FetchError, FetchPolicy, MediaKind, SafeFetcher, SystemResolver, TimeoutKind};
use support::{BIG, FakeResolver, TestServer, policy};

const LIMIT: usize = 1024 * 1024;

fn fetcher(policy: FetchPolicy, resolver: &Arc<FakeResolver>) -> SafeFetcher {
    SafeFetcher::loopback_only(policy, resolver.clone())
}

fn ip(s: &str) -> IpAddr {
    s.parse().expect("test IP")
}

#[tokio::test]
async fn resolved_non_global_addresses_are_refused_before_connecting() {
    let resolver = FakeResolver::standard();
    // allow_loopback must not widen anything beyond loopback.
    for allow_loopback in [false, true] {
        let f = fetcher(policy(allow_loopback), &resolver);
        for (host, blocked, why) in [
            ("evil.test", "10.0.0.1", "a private address"),
            ("meta.test", "169.254.169.254", "a link-local address"),
            (
                "v6.test",
                "::ffff:10.0.0.1",
                "an IPv4-mapped address embedding 10.0.0.1, which is a private address",
            ),
            ("mixed.test", "10.0.0.1", "a private address"),
        ] {
            let calls = resolver.calls();
            let err = f
                .fetch(&format!("http://{host}/image.png"), LIMIT)
                .await
                .unwrap_err();
            match &err {
                FetchError::BlockedAddress {
                    ip: got,
                    reason,
                    host: Some(h),
                } => {
                    assert_eq!(*got, ip(blocked), "{host}");
                    assert!(reason.starts_with(why), "{host}: {reason}");
                    assert_eq!(h, host);
                }
                other => panic!("{host}: expected a blocked address, got {other:?}"),
            }
            assert_eq!(
                resolver.calls(),
                calls + 1,
                "{host} went through the resolver"
            );
            let msg = err.to_string();
            assert!(msg.contains(blocked) && msg.contains(why), "{msg}");
        }
    }
}

#[tokio::test]
async fn blocked_message_names_the_ip_and_why() {
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(false), &resolver);
    let err = f.fetch("http://evil.test/", LIMIT).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "blocked address: evil.test resolves to 10.0.0.1, which is a private address"
    );
    let err = f.fetch("http://10.0.0.1/", LIMIT).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "blocked address: 10.0.0.1 is a private address"
    );
}

#[tokio::test]
async fn ip_literals_are_refused_without_resolving_or_connecting() {
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(false), &resolver);
    for (url, blocked) in [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://169.254.169.254/latest", "169.254.169.254"),
        ("http://2130706433/", "127.0.0.1"),
        ("http://0x7f.1/", "127.0.0.1"),
        ("https://[::ffff:192.168.1.1]/", "::ffff:192.168.1.1"),
        ("http://[fd12:3456::1]:8080/", "fd12:3456::1"),
        ("http://0.0.0.0/", "0.0.0.0"),
    ] {
        match f.fetch(url, LIMIT).await {
            Err(FetchError::BlockedAddress {
                ip: got,
                host: None,
                ..
            }) => assert_eq!(got, ip(blocked), "{url}"),
            other => panic!("{url}: expected a blocked address, got {other:?}"),
        }
    }
    assert_eq!(resolver.calls(), 0);
}

#[tokio::test]
async fn bad_urls_are_refused_without_resolving() {
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(true), &resolver);
    type Case = (&'static str, fn(&FetchError) -> bool);
    let cases: [Case; 6] = [
        (
            "ftp://example.test/a.png",
            |e| matches!(e, FetchError::BadScheme { scheme } if scheme == "ftp"),
        ),
        (
            "file:///etc/passwd",
            |e| matches!(e, FetchError::BadScheme { scheme } if scheme == "file"),
        ),
        ("http://user:pw@example.test/", |e| {
            matches!(e, FetchError::UserInfo)
        }),
        ("http://user@example.test/", |e| {
            matches!(e, FetchError::UserInfo)
        }),
        ("not a url", |e| {
            matches!(e, FetchError::MalformedUrl { .. })
        }),
        ("http://[::1/", |e| {
            matches!(e, FetchError::MalformedUrl { .. })
        }),
    ];
    for (url, expected) in cases {
        let err = f.fetch(url, LIMIT).await.unwrap_err();
        assert!(expected(&err), "{url}: {err:?}");
    }
    assert_eq!(resolver.calls(), 0);
}

#[tokio::test]
async fn loopback_is_refused_by_default() {
    let server = TestServer::start().await;
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(false), &resolver);
    match f.fetch(&server.url("/png"), LIMIT).await {
        Err(FetchError::BlockedAddress {
            ip: got,
            host: None,
            ..
        }) => assert_eq!(got, ip("127.0.0.1")),
        other => panic!("expected a blocked address, got {other:?}"),
    }
    let url = format!("http://local.test:{}/png", server.addr.port());
    match f.fetch(&url, LIMIT).await {
        Err(FetchError::BlockedAddress {
            ip: got,
            host: Some(_),
            ..
        }) => assert_eq!(got, ip("127.0.0.1")),
        other => panic!("expected a blocked address, got {other:?}"),
    }
    // The system resolver's answer for localhost is checked the same way.
    let system = SafeFetcher::loopback_only(policy(false), Arc::new(SystemResolver));
    let url = format!("http://localhost:{}/png", server.addr.port());
    match system.fetch(&url, LIMIT).await {
        Err(FetchError::BlockedAddress { host: Some(h), .. }) => assert_eq!(h, "localhost"),
        other => panic!("expected a blocked address, got {other:?}"),
    }
    assert_eq!(server.accepted(), 0, "no connection reached the server");
}

#[tokio::test]
async fn loopback_is_allowed_when_configured() {
    let server = TestServer::start().await;
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(true), &resolver);
    let got = f
        .fetch(&server.url("/png"), LIMIT)
        .await
        .expect("fetch over loopback");
    assert_eq!(got.bytes, support::png());
    assert_eq!(got.kind, MediaKind::Png);
    assert_eq!(got.final_url, server.url("/png"));

    let url = format!("http://local.test:{}/jpeg", server.addr.port());
    let got = f
        .fetch(&url, LIMIT)
        .await
        .expect("fetch through the resolver");
    assert_eq!(got.kind, MediaKind::Jpeg);
    assert_eq!(server.accepted(), 2);
}

#[tokio::test]
async fn kinds_come_from_magic_bytes_not_content_type() {
    let server = TestServer::start().await;
    let f = fetcher(policy(true), &FakeResolver::standard());
    // The server labels everything text/plain.
    for (path, kind, body) in [
        ("/png", MediaKind::Png, support::png()),
        ("/jpeg", MediaKind::Jpeg, support::jpeg()),
        ("/webp", MediaKind::Webp, support::webp()),
        ("/gif", MediaKind::Gif, support::gif()),
        (
            "/garbage",
            MediaKind::Unknown,
            b"<html>not media</html>".to_vec(),
        ),
    ] {
        let got = f.fetch(&server.url(path), LIMIT).await.expect(path);
        assert_eq!(got.kind, kind, "{path}");
        assert_eq!(got.bytes, body, "{path}");
    }
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit() {
    let server = TestServer::start().await;
    let f = fetcher(policy(true), &FakeResolver::standard());
    let got = f
        .fetch(&server.url("/redirect/3"), LIMIT)
        .await
        .expect("3 redirects");
    assert_eq!(got.final_url, server.url("/redirect/0"));
    assert_eq!(got.kind, MediaKind::Png);

    let got = f
        .fetch(&server.url("/redirect/5"), LIMIT)
        .await
        .expect("5 redirects: the limit");
    assert_eq!(got.final_url, server.url("/redirect/0"));

    let got = f
        .fetch(&server.url("/to-absolute"), LIMIT)
        .await
        .expect("absolute Location");
    assert_eq!(got.final_url, server.url("/png"));

    let err = f
        .fetch(&server.url("/redirect/6"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 5 }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "too many redirects: more than 5");

    let no_redirects = FetchPolicy {
        max_redirects: 0,
        ..policy(true)
    };
    let err = fetcher(no_redirects, &FakeResolver::standard())
        .fetch(&server.url("/redirect/1"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 0 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn every_redirect_hop_is_checked_again() {
    let server = TestServer::start().await;
    let resolver = FakeResolver::standard();
    let f = fetcher(policy(true), &resolver);

    match f.fetch(&server.url("/to-private"), LIMIT).await {
        Err(FetchError::BlockedAddress {
            ip: got,
            host: None,
            ..
        }) => assert_eq!(got, ip("10.0.0.1")),
        other => panic!("redirect to an IP literal: {other:?}"),
    }
    assert_eq!(resolver.calls(), 0);

    match f.fetch(&server.url("/to-evil"), LIMIT).await {
        Err(FetchError::BlockedAddress {
            ip: got,
            host: Some(h),
            ..
        }) => {
            assert_eq!(got, ip("10.0.0.1"));
            assert_eq!(h, "evil.test");
        }
        other => panic!("redirect to a bad name: {other:?}"),
    }
    assert_eq!(resolver.calls(), 1);

    let err = f
        .fetch(&server.url("/to-userinfo"), LIMIT)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::UserInfo), "{err:?}");
    let err = f.fetch(&server.url("/to-ftp"), LIMIT).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::BadScheme { scheme } if scheme == "ftp"),
        "{err:?}"
    );
    let err = f
        .fetch(&server.url("/no-location"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::RedirectWithoutLocation { status: 302 }),
        "{err:?}"
    );
    let err = f.fetch(&server.url("/to-broken"), LIMIT).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::BadRedirectLocation { location, .. } if location == "http://[::1/"),
        "{err:?}"
    );

    // Each refused hop was the only connection of its fetch.
    assert_eq!(server.accepted(), 6);
}

#[tokio::test]
async fn origin_errors_say_the_status() {
    let server = TestServer::start().await;
    let f = fetcher(policy(true), &FakeResolver::standard());
    let err = f.fetch(&server.url("/missing"), LIMIT).await.unwrap_err();
    assert!(
        matches!(err, FetchError::HttpStatus { status: 404 }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "origin answered HTTP 404");
}

#[tokio::test]
async fn dns_and_connect_failures_are_reported() {
    let f = fetcher(policy(true), &FakeResolver::standard());
    let err = f.fetch("http://unknown.test/", LIMIT).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::Dns { host, .. } if host == "unknown.test"),
        "{err:?}"
    );

    // A loopback port with nobody listening.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = f
        .fetch(&format!("http://{addr}/"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, FetchError::Connect { host, .. } if host == "127.0.0.1"),
        "{err:?}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = TestServer::start().await;
    let limit = BIG / 4;
    // /big-declared never sends its body: a client that tried to read it
    // would end with a read timeout, not with TooLargeDeclared.
    let f = fetcher(policy(true), &FakeResolver::standard());

    let err = f
        .fetch(&server.url("/big-declared"), limit)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooLargeDeclared { length, limit: l } if length == BIG as u64 && l == limit),
        "{err:?}"
    );

    for path in ["/big-chunked", "/big-eof"] {
        let err = f.fetch(&server.url(path), limit).await.unwrap_err();
        assert!(
            matches!(err, FetchError::TooLargeStreamed { limit: l } if l == limit),
            "{path}: {err:?}"
        );
    }

    let got = f
        .fetch(&server.url(&format!("/bytes/{limit}")), limit)
        .await
        .expect("exactly the limit");
    assert_eq!(got.bytes.len(), limit);
    let err = f
        .fetch(&server.url(&format!("/bytes/{}", limit + 1)), limit)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooLargeDeclared { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_smaller_of_argument_and_policy_limit_applies() {
    let server = TestServer::start().await;
    let small_policy = FetchPolicy {
        max_bytes: 100,
        ..policy(true)
    };
    let f = fetcher(small_policy, &FakeResolver::standard());
    let err = f.fetch(&server.url("/bytes/101"), LIMIT).await.unwrap_err();
    assert!(
        matches!(
            err,
            FetchError::TooLargeDeclared {
                length: 101,
                limit: 100
            }
        ),
        "{err:?}"
    );
    assert!(f.fetch(&server.url("/bytes/100"), LIMIT).await.is_ok());
}

#[tokio::test]
async fn a_stalled_body_hits_the_read_timeout() {
    let server = TestServer::start().await;
    let read = Duration::from_millis(200);
    let f = fetcher(
        FetchPolicy {
            read_timeout: read,
            ..policy(true)
        },
        &FakeResolver::standard(),
    );
    let err = f
        .fetch(&server.url("/stall-body"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout(TimeoutKind::Read(d)) if d == read),
        "{err:?}"
    );
    let err = f
        .fetch(&server.url("/stall-headers"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout(TimeoutKind::Read(d)) if d == read),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("timed out"), "{err}");
}

#[tokio::test]
async fn the_total_timeout_bounds_the_whole_fetch() {
    let server = TestServer::start().await;
    let total = Duration::from_millis(300);
    let f = fetcher(
        FetchPolicy {
            total_timeout: total,
            ..policy(true)
        },
        &FakeResolver::standard(),
    );
    let err = f
        .fetch(&server.url("/stall-body"), LIMIT)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout(TimeoutKind::Total(d)) if d == total),
        "{err:?}"
    );
}
