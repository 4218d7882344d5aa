//! Reading OAuth requests: query and form parameters, HTTP Basic client
//! authentication, PKCE verification.

use std::collections::HashMap;

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method};
use base64::Engine;

use crate::params::parse_urlencoded;

/// The parts of an OAuth request the servers read.
pub(crate) struct OauthReq {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    /// Query and form-body parameters (the body wins, last value wins).
    pub params: HashMap<String, String>,
}

impl OauthReq {
    pub(crate) async fn read(req: Request) -> OauthReq {
        let (parts, body) = req.into_parts();
        let mut params = HashMap::new();
        if let Some(query) = parts.uri.query() {
            merge(&mut params, query);
        }
        // OAuth bodies are small forms; anything else is ignored.
        if let Ok(bytes) = to_bytes(body, 64 * 1024).await {
            merge(&mut params, &String::from_utf8_lossy(&bytes));
        }
        OauthReq {
            method: parts.method,
            path: parts.uri.path().to_owned(),
            headers: parts.headers,
            params,
        }
    }

    /// A non-empty parameter.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `Authorization: Basic base64(id:secret)`.
    pub(crate) fn basic(&self) -> Option<(String, String)> {
        let value = self.headers.get(AUTHORIZATION)?.to_str().ok()?;
        let (scheme, b64) = value.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("Basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        Some((id.to_owned(), secret.to_owned()))
    }

    /// `Authorization: Bearer …` or the `access_token` parameter.
    pub(crate) fn token(&self) -> Option<String> {
        crate::request::bearer_token(&self.headers)
            .or_else(|| self.get("access_token").map(str::to_owned))
    }
}

fn merge(params: &mut HashMap<String, String>, raw: &str) {
    for (k, v) in parse_urlencoded(raw) {
        if let Some(v) = v.as_str() {
            params.insert(k, v.to_owned());
        }
    }
}

/// RFC 7636: `S256` is base64url(SHA-256(verifier)) without padding;
/// `plain` is the verifier itself.
pub(crate) fn pkce_matches(challenge: &str, method: &str, verifier: &str) -> bool {
    if !(43..=128).contains(&verifier.len()) {
        return false;
    }
    match method {
        "S256" => {
            let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()) == challenge
        }
        "plain" => verifier == challenge,
        _ => false,
    }
}

/// Splits a scope parameter on commas and spaces (networks differ; some
/// clients send either).
pub(crate) fn split_scopes(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in raw.split([',', ' ', '+']).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_is_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, "S256", verifier));
        assert!(!pkce_matches(
            challenge,
            "S256",
            &verifier.replace('d', "e")
        ));
        assert!(!pkce_matches(challenge, "plain", verifier));
    }

    #[test]
    fn scopes_split_on_both() {
        assert_eq!(split_scopes("a,b c,,a"), vec!["a", "b", "c"]);
    }
}
