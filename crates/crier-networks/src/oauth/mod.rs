//! OAuth 2.0 token endpoints of the networks, on crier's side: building the authorize URL,
//! exchanging an authorization code, refreshing, and classifying what the token endpoint said.
//! Wire facts come from `oauth-and-webhooks.md` §0-§9; every lifetime is read from the answer.
//!
//! The whole API (used by the engine's token lifecycle and by the linking page):
//!
//! - [`App`]: one network app from config (`oauth.<network>.*`): client id and secret, redirect
//!   URL, authorize and token bases (the real hosts by default; the sandbox in tests).
//! - [`authorize_url`]`(platform, app, redirect_uri, state, pkce_challenge, scopes)`: where to send
//!   the browser. [`pkce_challenge`] turns a verifier (43-128 chars) into its S256 challenge.
//! - [`exchange_code`]`(http, platform, app, code, redirect_uri, pkce_verifier)`: the callback's
//!   code for a [`TokenSet`]. For Facebook/Instagram it is a short-lived user token: follow with
//!   [`meta::long_lived`] then [`meta::page_tokens`]; for Threads with [`threads::long_lived`].
//! - [`refresh`]`(http, platform, app, credentials)`: a new [`TokenSet`] from the stored
//!   credentials (`refreshToken`, or Threads' long-lived `accessToken` itself).
//! - [`refreshable`]`(platform, credentials)`: whether crier can refresh these credentials at all
//!   (Meta Page tokens, X OAuth 1.0a, bare `crier account link` tokens: no).
//! - [`revoke::revoke`]`(http, platform, app, credentials)`: ends the grant at the network on
//!   unlink, where it offers a revoke endpoint (best effort, short timeout).
//! - [`TokenError`]: `Relink` (the grant is dead: `invalid_grant`, revoked, Meta 190),
//!   `Transient` (5xx, 429, transport: try later), `App` (the app itself is refused: config).
//!
//! Stored credentials JSON (encrypted by crier-store): `accessToken` as every connector reads it,
//! plus `refreshToken` when the network issued one. Expiry, scopes and app live in plain columns.

pub mod meta;
pub mod revoke;
mod standard;
pub mod threads;
mod wire;
pub mod x1;

pub use wire::{TokenError, TokenSet};

use crier_core::Platform;
use serde_json::Value;

/// One registered app at a network (from `oauth.<network>` in the config).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
    /// The callback registered at the network (the linking page's, usually).
    pub redirect_url: Option<String>,
    /// Base of the consent page host, e.g. `https://accounts.google.com` (paths are the network's).
    pub authorize_base: String,
    /// Base of the token endpoint host, e.g. `https://oauth2.googleapis.com`.
    pub token_base: String,
}

/// The real hosts: `(authorize_base, token_base)` of each OAuth network, `None` for networks
/// without OAuth 2.0 here (Telegram, Bluesky).
pub fn default_bases(platform: Platform) -> Option<(&'static str, &'static str)> {
    Some(match platform {
        Platform::Facebook | Platform::Instagram => ("https://www.facebook.com", "https://graph.facebook.com"),
        Platform::Threads => ("https://threads.com", "https://graph.threads.net"),
        Platform::Youtube | Platform::Gmb => ("https://accounts.google.com", "https://oauth2.googleapis.com"),
        Platform::Linkedin => ("https://www.linkedin.com", "https://www.linkedin.com"),
        Platform::Tiktok => ("https://www.tiktok.com", "https://open.tiktokapis.com"),
        Platform::Pinterest => ("https://www.pinterest.com", "https://api.pinterest.com"),
        Platform::Reddit => ("https://www.reddit.com", "https://www.reddit.com"),
        Platform::Snapchat => ("https://accounts.snapchat.com", "https://accounts.snapchat.com"),
        Platform::Twitter => ("https://x.com", "https://api.x.com"),
        Platform::Telegram | Platform::Bluesky => return None,
    })
}

impl App {
    /// An app at the network's real hosts.
    pub fn new(platform: Platform, client_id: &str, client_secret: &str) -> Option<App> {
        let (authorize_base, token_base) = default_bases(platform)?;
        Some(App {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_url: None,
            authorize_base: authorize_base.into(),
            token_base: token_base.into(),
        })
    }
}

/// The consent page URL. `scopes` empty: the network's default set for publishing.
/// `pkce_challenge` (S256) is sent where the network takes it (X requires it).
pub fn authorize_url(platform: Platform, app: &App, redirect_uri: &str, state: &str, pkce_challenge: Option<&str>, scopes: &[&str]) -> Option<String> {
    match platform {
        Platform::Facebook | Platform::Instagram => Some(meta::authorize_url(platform, app, redirect_uri, state, scopes)),
        Platform::Threads => Some(threads::authorize_url(app, redirect_uri, state, scopes)),
        _ => standard::profile(platform).map(|p| p.authorize_url(app, redirect_uri, state, pkce_challenge, scopes)),
    }
}

/// S256 PKCE challenge of `verifier`: base64url(SHA-256(verifier)) without padding (RFC 7636).
pub fn pkce_challenge(verifier: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Exchanges the callback's `code`. Facebook/Instagram and Threads answer short-lived user tokens.
pub async fn exchange_code(http: &reqwest::Client, platform: Platform, app: &App, code: &str, redirect_uri: &str, pkce_verifier: Option<&str>) -> Result<TokenSet, TokenError> {
    let req = match platform {
        Platform::Facebook | Platform::Instagram => meta::code_request(app, code, redirect_uri),
        Platform::Threads => threads::code_request(app, code, redirect_uri),
        _ => match standard::profile(platform) {
            Some(p) => p.code_request(app, code, redirect_uri, pkce_verifier),
            None => return Err(TokenError::App(format!("{} has no OAuth 2.0 code flow", platform.display_name()))),
        },
    };
    wire::send(http, platform, req).await
}

/// What the linking page keeps from a code exchange: Meta's and Threads' short-lived user tokens
/// are swapped for their ~60-day ones (Page tokens derived from those never expire); other
/// networks' tokens are kept as they came.
pub async fn lasting(http: &reqwest::Client, platform: Platform, app: &App, tokens: TokenSet) -> Result<TokenSet, TokenError> {
    let mut long = match platform {
        Platform::Facebook | Platform::Instagram => meta::long_lived(http, app, &tokens.access_token).await?,
        Platform::Threads => threads::long_lived(http, app, &tokens.access_token).await?,
        _ => return Ok(tokens),
    };
    // Identity fields (Threads' `user_id`) and scopes come with the code exchange only.
    for (k, v) in tokens.extra {
        long.extra.entry(k).or_insert(v);
    }
    if long.scopes.is_empty() {
        long.scopes = tokens.scopes;
    }
    Ok(long)
}

/// True when crier can refresh these credentials: a `refreshToken` at a network with a refresh
/// grant, or a Threads token (refreshed by itself). Meta Page tokens do not expire.
pub fn refreshable(platform: Platform, credentials: &Value) -> bool {
    let has = |k: &str| credentials.get(k).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    match platform {
        Platform::Threads => has("accessToken"),
        Platform::Facebook | Platform::Instagram | Platform::Telegram | Platform::Bluesky => false,
        _ => standard::profile(platform).is_some() && has("refreshToken"),
    }
}

/// A new token set from the stored credentials. The caller persists it before using it.
pub async fn refresh(http: &reqwest::Client, platform: Platform, app: &App, credentials: &Value) -> Result<TokenSet, TokenError> {
    let field = |k: &str| credentials.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let req = match platform {
        Platform::Threads => match field("accessToken") {
            Some(t) => threads::refresh_request(app, &t),
            None => return Err(TokenError::Relink("no Threads token to refresh".into())),
        },
        _ => match (standard::profile(platform), field("refreshToken")) {
            (Some(p), Some(rt)) => p.refresh_request(app, &rt),
            (None, _) => return Err(TokenError::App(format!("{} tokens are not refreshed", platform.display_name()))),
            (_, None) => return Err(TokenError::Relink("no refresh token stored".into())),
        },
    };
    wire::send(http, platform, req).await
}

/// The credentials with a refreshed token set applied: new `accessToken`, and the new
/// `refreshToken` only when the network sent one (Google and LinkedIn usually do not: keep the old).
pub fn apply(credentials: &Value, tokens: &TokenSet) -> Value {
    let mut out = credentials.clone();
    if let Some(map) = out.as_object_mut() {
        map.insert("accessToken".into(), Value::String(tokens.access_token.clone()));
        if let Some(rt) = &tokens.refresh_token {
            map.insert("refreshToken".into(), Value::String(rt.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
