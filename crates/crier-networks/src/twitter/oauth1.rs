//! OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as X requires for
//! bring-your-own app keys. Only query and form parameters are signed; JSON
//! and multipart bodies are not (RFC 5849 §3.4.1.3).
//!
//! Written here rather than taken from a crate: the whole algorithm is the
//! thirty lines below, and the published test vector pins it down.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Consumer (app) and token (user) credentials.
pub struct Keys<'a> {
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: &'a str,
    pub token_secret: &'a str,
}

/// RFC 3986 percent-encoding: everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The signature of a request. `url` without its query; `params` = query + form parameters.
pub fn signature(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>, nonce: &str, timestamp: u64) -> String {
    signature_protocol(method, url, params, keys, &[], nonce, timestamp)
}

/// The same with extra protocol parameters (`oauth_callback`, `oauth_verifier` of the three-legged
/// flow), which are signed and go in the header like the others.
pub fn signature_protocol(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>, protocol: &[(&'static str, &str)], nonce: &str, timestamp: u64) -> String {
    let mut all: Vec<(String, String)> = params.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    for (k, v) in oauth_params(keys, protocol, nonce, timestamp) {
        all.push((encode(k), encode(&v)));
    }
    all.sort();
    let param_string = all.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let base = format!("{}&{}&{}", method.to_ascii_uppercase(), encode(url), encode(&param_string));
    let key = format!("{}&{}", encode(keys.consumer_secret), encode(keys.token_secret));
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The `oauth_*` parameters. `oauth_token` is left out when there is none yet (the request-token
/// step, RFC 5849 §2.1, signed with the consumer keys only).
fn oauth_params(keys: &Keys<'_>, protocol: &[(&'static str, &str)], nonce: &str, timestamp: u64) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("oauth_consumer_key", keys.consumer_key.to_string()),
        ("oauth_nonce", nonce.to_string()),
        ("oauth_signature_method", "HMAC-SHA1".to_string()),
        ("oauth_timestamp", timestamp.to_string()),
        ("oauth_version", "1.0".to_string()),
    ];
    if !keys.token.is_empty() {
        out.push(("oauth_token", keys.token.to_string()));
    }
    out.extend(protocol.iter().map(|(k, v)| (*k, v.to_string())));
    out
}

/// The `Authorization` header value for a request, with a fresh nonce and the current time.
pub fn authorization(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>) -> String {
    authorization_protocol(method, url, params, keys, &[])
}

/// [`authorization`] with extra protocol parameters (`oauth_callback`, `oauth_verifier`).
pub fn authorization_protocol(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>, protocol: &[(&'static str, &str)]) -> String {
    let nonce = crate::bluesky::new_tid() + &rand::random::<u64>().to_string();
    let timestamp = chrono::Utc::now().timestamp().max(0) as u64;
    authorization_full(method, url, params, keys, protocol, &nonce, timestamp)
}

pub fn authorization_with(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>, nonce: &str, timestamp: u64) -> String {
    authorization_full(method, url, params, keys, &[], nonce, timestamp)
}

fn authorization_full(method: &str, url: &str, params: &[(String, String)], keys: &Keys<'_>, protocol: &[(&'static str, &str)], nonce: &str, timestamp: u64) -> String {
    let sig = signature_protocol(method, url, params, keys, protocol, nonce, timestamp);
    let mut fields: Vec<String> = oauth_params(keys, protocol, nonce, timestamp).iter().map(|(k, v)| format!("{k}=\"{}\"", encode(v))).collect();
    fields.push(format!("oauth_signature=\"{}\"", encode(&sig)));
    fields.sort();
    format!("OAuth {}", fields.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// X's published example ("Creating a signature", docs.x.com).
    #[test]
    fn published_test_vector() {
        let keys = Keys {
            consumer_key: "xvz1evFS4wEEPTGEFPHBog",
            consumer_secret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            token_secret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        };
        let params = vec![
            ("include_entities".to_string(), "true".to_string()),
            ("status".to_string(), "Hello Ladies + Gentlemen, a signed OAuth request!".to_string()),
        ];
        let sig = signature(
            "post",
            "https://api.twitter.com/1.1/statuses/update.json",
            &params,
            &keys,
            "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
            1318622958,
        );
        assert_eq!(sig, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    #[test]
    fn encoding_is_rfc3986() {
        assert_eq!(encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
        assert_eq!(encode("a-b.c_d~e!*'()"), "a-b.c_d~e%21%2A%27%28%29");
        assert_eq!(encode("☃"), "%E2%98%83");
    }
}
