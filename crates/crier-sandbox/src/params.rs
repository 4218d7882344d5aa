//! Request parameter decoding shared by the emulators: query strings and
//! `application/x-www-form-urlencoded` bodies, percent-decoding, and reading
//! request bodies with a size cap.

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// Decodes `%XX` escapes (and `+` as space when `plus_is_space`). Invalid
/// escapes are kept literally; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `a=1&b=two` into a JSON object of strings (last value wins).
pub(crate) fn parse_urlencoded(s: &str) -> Map<String, Value> {
    s.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(k, true),
                Value::String(percent_decode(v, true)),
            )
        })
        .collect()
}

/// Parses `a=1&a=2&b=x` into pairs in order, keeping repeated keys (XRPC
/// array parameters such as `uris` come that way).
pub(crate) fn parse_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// The request's media type, lowercased, without parameters.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// Reads a whole body, failing once it exceeds `limit` bytes.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ()> {
    axum::body::to_bytes(body, limit).await.map_err(|_| ())
}

/// A parameter as a string, accepting JSON strings, numbers and booleans.
pub(crate) fn get_str(params: &Map<String, Value>, key: &str) -> Option<String> {
    match params.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("a%20b+c%3A", true), "a b c:");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
        let m = parse_urlencoded("chat_id=%40x&text=hi+there&flag");
        assert_eq!(m["chat_id"], "@x");
        assert_eq!(m["text"], "hi there");
        assert_eq!(m["flag"], "");
        let pairs = parse_pairs("uris=a&uris=b%2Fc&x");
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1], ("uris".to_owned(), "b/c".to_owned()));
    }
}
