//! Reading the parts of a request every emulator reads the same way: the
//! bearer token, the `Host` the client reached the sandbox by, and
//! repeated query parameters.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, HOST};

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive,
/// blanks around the token ignored); `None` for any other scheme.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("Bearer")
        .then(|| token.trim().to_owned())
}

/// The `Host` header as sent (`127.0.0.1:4000`), `localhost` without one;
/// emulators build the URLs they hand out (upload URLs, links) from it.
pub(crate) fn host_or_localhost(headers: &HeaderMap) -> &str {
    headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
}

/// The last value of `key` among decoded query pairs (the last one wins,
/// as on the networks' servers).
pub(crate) fn last_value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A request's endpoint name for the fault middleware: the route's name
/// when the emulator knows the route, else the bare path (`v5/foo`).
pub(crate) fn endpoint_name<N: Into<String>>(known: Option<N>, path: &str) -> String {
    match known {
        Some(name) => name.into(),
        None => path.trim_matches('/').to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tokens_hosts_and_queries() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        assert_eq!(host_or_localhost(&headers), "localhost");
        headers.insert(AUTHORIZATION, "bearer  abc ".parse().unwrap());
        headers.insert(HOST, "127.0.0.1:9".parse().unwrap());
        assert_eq!(bearer_token(&headers).as_deref(), Some("abc"));
        assert_eq!(host_or_localhost(&headers), "127.0.0.1:9");
        headers.insert(AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer_token(&headers), None);
        let pairs = vec![
            ("a".to_owned(), "1".to_owned()),
            ("a".to_owned(), "2".to_owned()),
        ];
        assert_eq!(last_value(&pairs, "a"), Some("2"));
        assert_eq!(last_value(&pairs, "b"), None);
        assert_eq!(endpoint_name(Some("pins.get"), "/v5/pins/1"), "pins.get");
        assert_eq!(endpoint_name(None::<&str>, "/v5/foo/"), "v5/foo");
    }
}
