//! What every token endpoint does, whatever its wire format: check the
//! client, redeem a single-use code (redirect URI and PKCE verifier
//! checked), refresh (rotating where the network rotates), and count calls.

use super::grants::{Grants, Kind, now_ms};
use crate::SandboxState;
use super::net::Net;
use super::wire::{OauthReq, pkce_matches};

/// Why a token request failed; each network spells these its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    /// Unknown client id or wrong secret.
    Client,
    /// A required parameter is missing.
    Missing(&'static str),
    UnsupportedGrant(String),
    /// Unknown, expired or already used code.
    Code,
    /// `redirect_uri` differs from the authorize request's.
    Redirect,
    /// PKCE verifier missing or wrong.
    Verifier,
    /// Unknown, expired, revoked or rotated-away refresh token.
    Refresh,
}

/// A successful answer's contents.
pub(crate) struct Tokens {
    pub access: String,
    pub expires_in: Option<u64>,
    /// The refresh token to send back, with its remaining life.
    pub refresh: Option<(String, Option<u64>)>,
    pub scopes: Vec<String>,
}

impl Tokens {
    pub(crate) fn scope(&self, net: Net) -> String {
        self.scopes.join(net.scope_separator())
    }
}

/// Client credentials: `(id, secret)` must be the network's sandbox app.
pub(crate) fn check_client(net: Net, id: Option<&str>, secret: Option<&str>) -> Result<(), Fail> {
    match (id, secret) {
        (Some(id), Some(secret)) if id == net.client_id() && secret == net.client_secret() => {
            Ok(())
        }
        _ => Err(Fail::Client),
    }
}

/// Client credentials from the body (`client_id`/`client_secret`, or
/// `client_key` at TikTok), or from HTTP Basic where the network takes it.
pub(crate) fn body_client(net: Net, req: &OauthReq) -> Result<(), Fail> {
    if let Some((id, secret)) = req.basic() {
        return check_client(net, Some(&id), Some(&secret));
    }
    check_client(net, req.get(net.client_param()), req.get("client_secret"))
}

/// Redeems `code` (single use) into a new grant and its first tokens.
/// `refresh`: whether this network issues refresh tokens at all.
pub(crate) fn exchange(
    g: &mut Grants,
    net: Net,
    req: &OauthReq,
    kind: Kind,
    refresh: bool,
) -> Result<(u64, Tokens), Fail> {
    let code_value = req.get("code").ok_or(Fail::Missing("code"))?;
    let code = match g.codes.get_mut(code_value) {
        Some(c) if c.net == net => c,
        _ => return Err(Fail::Code),
    };
    if code.used || code.expires_ms <= now_ms() {
        code.used = true;
        return Err(Fail::Code);
    }
    // Checked before the code is spent, as the networks do: a wrong
    // redirect_uri or verifier leaves the code usable until it expires.
    match req.get("redirect_uri") {
        Some(uri) if uri == code.redirect_uri => {}
        Some(_) => return Err(Fail::Redirect),
        None => return Err(Fail::Missing("redirect_uri")),
    }
    if let Some((challenge, method)) = &code.challenge {
        let verifier = req.get("code_verifier").ok_or(Fail::Verifier)?;
        if !pkce_matches(challenge, method, verifier) {
            return Err(Fail::Verifier);
        }
    }
    code.used = true;
    let (scopes, offline) = (code.scopes.clone(), code.offline);
    let grant = g.new_grant(net, scopes.clone());
    let secs = g.lifetimes(net).access_token_secs;
    let (access, expires_in) = g.issue_access(grant, kind, Some(secs));
    let refresh = (refresh && offline).then(|| g.issue_refresh(grant));
    Ok((
        grant,
        Tokens {
            access,
            expires_in,
            refresh,
            scopes,
        },
    ))
}

/// The refresh grant: a new access token; a new refresh token (the old one
/// dead) where the network rotates, else the same one with its remaining life.
pub(crate) fn refresh(g: &mut Grants, net: Net, req: &OauthReq) -> Result<Tokens, Fail> {
    let value = req
        .get("refresh_token")
        .ok_or(Fail::Missing("refresh_token"))?;
    let grant = g.live_refresh(net, value).ok_or(Fail::Refresh)?;
    let secs = g.lifetimes(net).access_token_secs;
    let (access, expires_in) = g.issue_access(grant, Kind::Access, Some(secs));
    let refresh = if net.rotates() {
        if let Some(old) = g.refresh.get_mut(value) {
            old.dead = true;
        }
        g.issue_refresh(grant)
    } else {
        let left = g.refresh[value]
            .expires_ms
            .map(|e| ((e - now_ms()).max(0) / 1000) as u64);
        (value.to_owned(), left)
    };
    let scopes = g.grants[&grant].scopes.clone();
    Ok(Tokens {
        access,
        expires_in,
        refresh: Some(refresh),
        scopes,
    })
}

/// The shared part of a standard token endpoint (Google, LinkedIn, TikTok, Snapchat, Reddit,
/// Pinterest): count the call, check the client as the network does (`client`), then redeem the
/// code or refresh. Each network spells the answer and the errors its own way.
pub(crate) fn standard_grant(
    state: &SandboxState,
    net: Net,
    req: &OauthReq,
    client: impl FnOnce(&OauthReq) -> Result<(), Fail>,
) -> Result<Tokens, Fail> {
    let grant_type = req.get("grant_type").unwrap_or("").to_owned();
    let mut g = state.inner.oauth.lock();
    g.count_call(net, &grant_type);
    client(req)?;
    match grant_type.as_str() {
        "authorization_code" => exchange(&mut g, net, req, Kind::Access, true).map(|(_, t)| t),
        "refresh_token" => refresh(&mut g, net, req),
        "" => Err(Fail::Missing("grant_type")),
        other => Err(Fail::UnsupportedGrant(other.to_owned())),
    }
}
