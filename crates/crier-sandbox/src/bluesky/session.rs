//! Accounts and session tokens (`com.atproto.server.*`).
//!
//! Tokens look like the PDS's JWTs (`header.payload.signature`, base64url,
//! with `scope`, `sub`, `iat`, `exp`), so clients that decode `exp` work, but
//! the signature is random and only the sandbox's own token table decides.

use std::collections::{HashMap, HashSet};

use axum::http::HeaderMap;

use serde_json::{Value, json};

use super::XrpcError;
use crate::request::bearer_token;
use crate::{codec, seed};

/// Access tokens live two hours, refresh tokens 90 days (as on bsky.social).
const ACCESS_TTL_SECS: i64 = 2 * 3600;
const REFRESH_TTL_SECS: i64 = 90 * 24 * 3600;

pub(crate) struct Account {
    pub handle: &'static str,
    pub did: &'static str,
    pub password: &'static str,
}

pub(crate) const ACCOUNTS: &[Account] = &[Account {
    handle: seed::BLUESKY_HANDLE,
    did: seed::BLUESKY_DID,
    password: seed::BLUESKY_APP_PASSWORD,
}];

/// The account a handle (with or without `@`) or DID names.
pub(crate) fn find_account(identifier: &str) -> Option<&'static Account> {
    let id = identifier.trim();
    let id = id.strip_prefix('@').unwrap_or(id);
    ACCOUNTS
        .iter()
        .find(|a| a.did == id || a.handle.eq_ignore_ascii_case(id))
}

struct AccessToken {
    did: String,
    exp: i64,
    /// Set by `POST /_sandbox/bluesky/expire-sessions`.
    force_expired: bool,
}

struct RefreshToken {
    did: String,
    exp: i64,
}

#[derive(Default)]
pub(crate) struct Sessions {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, RefreshToken>,
    revoked_refresh: HashSet<String>,
}

fn jwt(typ: &str, claims: Value) -> String {
    let header = json!({"typ": typ, "alg": "ES256K"});
    format!(
        "{}.{}.{}",
        codec::base64url(header.to_string().as_bytes()),
        codec::base64url(claims.to_string().as_bytes()),
        codec::base64url(&rand::random::<[u8; 32]>())
    )
}

fn auth_required() -> XrpcError {
    XrpcError::new(401, "AuthenticationRequired", "Authentication Required")
}

fn bad_scope() -> XrpcError {
    XrpcError::new(400, "InvalidToken", "Bad token scope")
}

fn unverifiable() -> XrpcError {
    XrpcError::new(401, "InvalidToken", "Token could not be verified")
}

impl Sessions {
    /// Issues a new `(accessJwt, refreshJwt)` pair for `did`.
    pub(crate) fn issue(&mut self, did: &str, now: i64) -> (String, String) {
        let access = jwt(
            "at+jwt",
            json!({"scope": "com.atproto.appPass", "sub": did, "aud": "did:web:bsky.social", "iat": now, "exp": now + ACCESS_TTL_SECS}),
        );
        let jti = codec::base64url(&rand::random::<[u8; 24]>());
        let refresh = jwt(
            "refresh+jwt",
            json!({"scope": "com.atproto.refresh", "sub": did, "aud": "did:web:bsky.social", "jti": jti, "iat": now, "exp": now + REFRESH_TTL_SECS}),
        );
        self.access.insert(
            access.clone(),
            AccessToken {
                did: did.to_owned(),
                exp: now + ACCESS_TTL_SECS,
                force_expired: false,
            },
        );
        self.refresh.insert(
            refresh.clone(),
            RefreshToken {
                did: did.to_owned(),
                exp: now + REFRESH_TTL_SECS,
            },
        );
        (access, refresh)
    }

    /// The DID behind a valid access token in `Authorization: Bearer`.
    pub(crate) fn check_access(&self, headers: &HeaderMap, now: i64) -> Result<String, XrpcError> {
        let token = bearer_token(headers).ok_or_else(auth_required)?;
        if self.refresh.contains_key(&token) || self.revoked_refresh.contains(&token) {
            return Err(bad_scope());
        }
        let access = self.access.get(&token).ok_or_else(unverifiable)?;
        if access.force_expired || access.exp <= now {
            return Err(XrpcError::new(400, "ExpiredToken", "Token has expired"));
        }
        Ok(access.did.clone())
    }

    /// The refresh token in `Authorization: Bearer` and its DID.
    pub(crate) fn check_refresh(
        &self,
        headers: &HeaderMap,
        now: i64,
    ) -> Result<(String, String), XrpcError> {
        let token = bearer_token(headers).ok_or_else(auth_required)?;
        if self.access.contains_key(&token) {
            return Err(bad_scope());
        }
        if self.revoked_refresh.contains(&token) {
            return Err(XrpcError::new(
                400,
                "ExpiredToken",
                "Token has been revoked",
            ));
        }
        let refresh = self.refresh.get(&token).ok_or_else(unverifiable)?;
        if refresh.exp <= now {
            return Err(XrpcError::new(400, "ExpiredToken", "Token has expired"));
        }
        Ok((token, refresh.did.clone()))
    }

    /// Invalidates a refresh token (after rotation or deleteSession).
    pub(crate) fn revoke_refresh(&mut self, token: &str) {
        self.refresh.remove(token);
        self.revoked_refresh.insert(token.to_owned());
    }

    /// Makes every issued access token expired; returns how many.
    pub(crate) fn expire_all(&mut self) -> usize {
        self.access
            .values_mut()
            .for_each(|t| t.force_expired = true);
        self.access.len()
    }
}

/// The DID document returned with a session; its PDS endpoint points back at
/// the sandbox (as seen by the client), so clients that follow it stay here.
pub(crate) fn did_doc(account: &Account, pds_url: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
            "https://w3id.org/security/suites/secp256k1-2019/v1"
        ],
        "id": account.did,
        "alsoKnownAs": [format!("at://{}", account.handle)],
        "verificationMethod": [{
            "id": format!("{}#atproto", account.did),
            "type": "Multikey",
            "controller": account.did,
            "publicKeyMultibase": "zQ3shCrierSandboxNotARealKey000000000000000000000"
        }],
        "service": [{
            "id": "#atproto_pds",
            "type": "AtprotoPersonalDataServer",
            "serviceEndpoint": pds_url
        }]
    })
}
