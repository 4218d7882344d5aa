//! OAuth 1.0a (HMAC-SHA1) as X verifies user-context calls: the
//! `Authorization: OAuth …` header is parsed, the signature base string is
//! rebuilt from what the client actually sent, and the signature is
//! recomputed with the stored secrets and compared in constant time.
//!
//! Signed parameters (RFC 5849 §3.4.1.3): the `oauth_*` header parameters
//! (minus `oauth_signature` and `realm`), the query string, and the body only
//! when it is `application/x-www-form-urlencoded`. JSON and multipart bodies
//! are not signed, as X documents.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::params::percent_decode;

type HmacSha1 = Hmac<Sha1>;

/// RFC 3986 percent-encoding as OAuth wants it: everything except the
/// unreserved characters, uppercase hex.
pub(crate) fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The parameters of an `Authorization: OAuth …` header.
#[derive(Debug, Clone)]
pub(crate) struct OAuthHeader {
    /// Every `oauth_*` parameter except the signature, decoded (they are signed).
    pub signed: Vec<(String, String)>,
    pub consumer_key: String,
    pub token: String,
    pub nonce: String,
    pub timestamp: String,
    pub signature: String,
    pub signature_method: String,
    pub version: Option<String>,
}

/// Parses the header value; `None` when it is not a well-formed OAuth 1.0a
/// header with the parameters a user-context call needs.
pub(crate) fn parse_header(value: &str) -> Option<OAuthHeader> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return None;
    }
    let mut signed = Vec::new();
    let mut signature = None;
    for item in rest.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (key, raw) = item.split_once('=')?;
        let key = key.trim();
        let raw = raw.trim();
        let raw = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(raw);
        let decoded = percent_decode(raw, false);
        if key == "realm" {
            continue;
        }
        if !key.starts_with("oauth_") {
            // RFC 5849 §3.5.1: only oauth_* parameters (and realm) belong here.
            return None;
        }
        if key == "oauth_signature" {
            if signature.is_some() {
                return None;
            }
            signature = Some(decoded);
            continue;
        }
        if signed.iter().any(|(k, _)| k == key) {
            return None;
        }
        signed.push((key.to_owned(), decoded));
    }
    let get = |name: &str| {
        signed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Some(OAuthHeader {
        consumer_key: get("oauth_consumer_key")?,
        token: get("oauth_token")?,
        nonce: get("oauth_nonce")?,
        timestamp: get("oauth_timestamp")?,
        signature_method: get("oauth_signature_method")?,
        version: get("oauth_version"),
        signature: signature?,
        signed,
    })
}

/// `k=v&k2=v2` pairs, decoded the form way (`+` is a space), duplicates kept:
/// every occurrence is signed.
pub(crate) fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// The signature base string (RFC 5849 §3.4.1): method, base URL and the
/// normalised parameters, each percent-encoded and joined with `&`.
pub(crate) fn base_string(method: &str, base_url: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params.iter().map(|(k, v)| (pct(k), pct(v))).collect();
    encoded.sort();
    let joined = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        pct(base_url),
        pct(&joined)
    )
}

/// HMAC-SHA1 keyed with `consumer_secret&token_secret`, fed the base
/// string. HMAC takes keys of any length, so `None` does not happen in
/// practice; it keeps the code free of panics all the same.
fn mac(consumer_secret: &str, token_secret: &str, base: &str) -> Option<HmacSha1> {
    let key = format!("{}&{}", pct(consumer_secret), pct(token_secret));
    let mut mac = HmacSha1::new_from_slice(key.as_bytes()).ok()?;
    mac.update(base.as_bytes());
    Some(mac)
}

/// The base64 signature for a base string (what a client sends).
#[cfg(test)]
pub(crate) fn sign(base: &str, consumer_secret: &str, token_secret: &str) -> String {
    mac(consumer_secret, token_secret, base)
        .map(|mac| STANDARD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `signature` (base64, as sent) is right for the base string;
/// compared in constant time.
pub(crate) fn verify(
    base: &str,
    consumer_secret: &str,
    token_secret: &str,
    signature: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    mac(consumer_secret, token_secret, base).is_some_and(|mac| mac.verify_slice(&given).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of X's "Creating a signature" page.
    #[test]
    fn x_published_vector() {
        let params: Vec<(String, String)> = [
            (
                "status",
                "Hello Ladies + Gentlemen, a signed OAuth request!",
            ),
            ("include_entities", "true"),
            ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
            ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1318622958"),
            (
                "oauth_token",
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            ),
            ("oauth_version", "1.0"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let base = base_string(
            "post",
            "https://api.twitter.com/1.1/statuses/update.json",
            &params,
        );
        assert!(base.starts_with(
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog"
        ));
        assert!(base.ends_with(
            "status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521"
        ));
        let consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
        let token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
        assert_eq!(
            sign(&base, consumer_secret, token_secret),
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
        );
        assert!(verify(
            &base,
            consumer_secret,
            token_secret,
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
        ));
        assert!(!verify(
            &base,
            consumer_secret,
            "wrong",
            "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
        ));
        assert!(!verify(&base, consumer_secret, token_secret, "not base64!"));
    }

    #[test]
    fn parses_header() {
        let h = parse_header(
            r#"OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjz", oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-Gm", oauth_version="1.0""#,
        )
        .unwrap();
        assert_eq!(h.signature, "tnnArxj06cWHq44gCs1OSKk/jLY=");
        assert_eq!(h.consumer_key, "xvz1evFS4wEEPTGEFPHBog");
        assert_eq!(h.signed.len(), 6);
        assert!(parse_header("Bearer abc").is_none());
        assert!(parse_header("OAuth oauth_consumer_key=\"a\"").is_none());
        assert!(parse_header("OAuth garbage").is_none());
        assert_eq!(pct("a b+c~"), "a%20b%2Bc~");
        assert_eq!(
            form_pairs("a=1&a=2&b=x+y"),
            vec![
                ("a".into(), "1".into()),
                ("a".into(), "2".into()),
                ("b".into(), "x y".into())
            ]
        );
    }
}
