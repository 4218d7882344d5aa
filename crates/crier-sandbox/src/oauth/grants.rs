//! Codes, grants, access and refresh tokens the authorization servers
//! issued, with their lifetimes, revocation and rotation.

use std::collections::{BTreeMap, HashMap};

use super::net::{Lifetimes, Net};

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A random token body of `n` URL-safe characters.
pub(crate) fn random(n: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// What the consent page handed out: a single-use code.
#[derive(Clone, Debug)]
pub(crate) struct Code {
    pub net: Net,
    pub redirect_uri: String,
    /// `(code_challenge, method)` when the authorize request had one.
    pub challenge: Option<(String, String)>,
    pub scopes: Vec<String>,
    /// Google `access_type=offline`, Reddit `duration=permanent`; the
    /// other networks always issue a refresh token (where they have one).
    pub offline: bool,
    pub expires_ms: i64,
    pub used: bool,
}

/// One user's consent: what every token issued from it shares.
#[derive(Clone, Debug)]
pub(crate) struct Grant {
    pub net: Net,
    pub scopes: Vec<String>,
    pub revoked: bool,
    /// LinkedIn: the refresh horizon is fixed at first consent.
    pub refresh_horizon_ms: Option<i64>,
}

/// Which kind of access token (Meta has three).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The code exchange's or a refresh's answer (Meta: short-lived user token).
    Access,
    /// Meta / Threads long-lived user token.
    LongLived,
    /// A Facebook Page token from `/me/accounts`.
    Page,
}

#[derive(Clone, Debug)]
pub(crate) struct Access {
    pub net: Net,
    pub grant: u64,
    pub kind: Kind,
    pub issued_ms: i64,
    /// `None`: never expires (a Page token from a long-lived user token).
    pub expires_ms: Option<i64>,
    pub revoked: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Refresh {
    pub net: Net,
    pub grant: u64,
    pub expires_ms: Option<i64>,
    /// Revoked, or rotated away by a refresh.
    pub dead: bool,
}

/// What an API call's bearer token is, for the emulators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Issued {
    Live,
    Expired,
    /// Not issued here for this network, or revoked: the emulator decides.
    Unknown,
}

#[derive(Default)]
pub(crate) struct Grants {
    pub lifetimes: HashMap<Net, Lifetimes>,
    pub codes: HashMap<String, Code>,
    pub grants: HashMap<u64, Grant>,
    pub access: HashMap<String, Access>,
    pub refresh: HashMap<String, Refresh>,
    /// Extra exact redirect URIs registered through the control API.
    pub redirects: HashMap<Net, Vec<String>>,
    /// X OAuth 1.0a request tokens by value.
    pub x_requests: HashMap<String, super::x::RequestToken>,
    /// Token-endpoint calls per network and grant type.
    pub calls: BTreeMap<Net, BTreeMap<String, u64>>,
    next_grant: u64,
}

impl Grants {
    pub(crate) fn lifetimes(&self, net: Net) -> Lifetimes {
        self.lifetimes
            .get(&net)
            .copied()
            .unwrap_or_else(|| Lifetimes::default_for(net))
    }

    pub(crate) fn count_call(&mut self, net: Net, grant_type: &str) {
        *self
            .calls
            .entry(net)
            .or_default()
            .entry(grant_type.to_owned())
            .or_default() += 1;
    }

    pub(crate) fn new_code(&mut self, code: Code) -> String {
        let value = format!("{}{}", code_prefix(code.net), random(40));
        self.codes.insert(value.clone(), code);
        value
    }

    pub(crate) fn new_grant(&mut self, net: Net, scopes: Vec<String>) -> u64 {
        self.next_grant += 1;
        let horizon = match net {
            Net::Linkedin => self
                .lifetimes(net)
                .refresh_token_secs
                .map(|s| now_ms() + secs_ms(s)),
            _ => None,
        };
        self.grants.insert(
            self.next_grant,
            Grant {
                net,
                scopes,
                revoked: false,
                refresh_horizon_ms: horizon,
            },
        );
        self.next_grant
    }

    /// A new access token; returns it and its `expires_in` (`None`: never).
    pub(crate) fn issue_access(
        &mut self,
        grant: u64,
        kind: Kind,
        secs: Option<u64>,
    ) -> (String, Option<u64>) {
        let net = self.grants[&grant].net;
        let now = now_ms();
        let value = access_value(net, kind);
        self.access.insert(
            value.clone(),
            Access {
                net,
                grant,
                kind,
                issued_ms: now,
                expires_ms: secs.map(|s| now + secs_ms(s)),
                revoked: false,
            },
        );
        (value, secs)
    }

    /// A new refresh token and its `expires_in` (`None`: does not expire).
    pub(crate) fn issue_refresh(&mut self, grant: u64) -> (String, Option<u64>) {
        let net = self.grants[&grant].net;
        let now = now_ms();
        let expires_ms = match self.grants[&grant].refresh_horizon_ms {
            Some(horizon) => Some(horizon),
            None => self
                .lifetimes(net)
                .refresh_token_secs
                .map(|s| now + secs_ms(s)),
        };
        let value = refresh_value(net);
        self.refresh.insert(
            value.clone(),
            Refresh {
                net,
                grant,
                expires_ms,
                dead: false,
            },
        );
        (value, expires_ms.map(|e| ((e - now).max(0) / 1000) as u64))
    }

    /// The live grant behind a refresh token of `net`.
    pub(crate) fn live_refresh(&self, net: Net, token: &str) -> Option<u64> {
        let r = self.refresh.get(token)?;
        let live = r.net == net
            && !r.dead
            && r.expires_ms.is_none_or(|e| e > now_ms())
            && self.grants.get(&r.grant).is_some_and(|g| !g.revoked);
        live.then_some(r.grant)
    }

    /// An access token of `net` with its record, if issued here and not revoked.
    pub(crate) fn access_of(&self, net: Net, token: &str) -> Option<&Access> {
        self.access.get(token).filter(|a| {
            a.net == net && !a.revoked && self.grants.get(&a.grant).is_some_and(|g| !g.revoked)
        })
    }

    pub(crate) fn check(&self, net: Net, token: &str) -> Issued {
        match self.access_of(net, token) {
            None => Issued::Unknown,
            Some(a) if a.expires_ms.is_some_and(|e| e <= now_ms()) => Issued::Expired,
            Some(_) => Issued::Live,
        }
    }

    /// Revokes the whole grant behind an access or refresh token of `net`.
    pub(crate) fn revoke_token(&mut self, net: Net, token: &str) -> bool {
        let grant = match (self.access.get(token), self.refresh.get(token)) {
            (Some(a), _) if a.net == net => a.grant,
            (_, Some(r)) if r.net == net => r.grant,
            _ => return false,
        };
        match self.grants.get_mut(&grant) {
            Some(g) if !g.revoked => {
                g.revoked = true;
                true
            }
            _ => false,
        }
    }

    /// Every access token of `net` expires now; returns how many were live.
    pub(crate) fn expire_access(&mut self, net: Net) -> usize {
        let now = now_ms();
        let mut n = 0;
        for a in self.access.values_mut().filter(|a| a.net == net) {
            if a.expires_ms.is_none_or(|e| e > now) {
                n += 1;
            }
            a.expires_ms = Some(now.min(a.expires_ms.unwrap_or(now)));
        }
        n
    }

    /// Every refresh token of `net` dies (as if the user revoked the app).
    pub(crate) fn kill_refresh(&mut self, net: Net) -> usize {
        let mut n = 0;
        for r in self
            .refresh
            .values_mut()
            .filter(|r| r.net == net && !r.dead)
        {
            r.dead = true;
            n += 1;
        }
        n
    }
}

pub(crate) fn secs_ms(secs: u64) -> i64 {
    i64::try_from(secs)
        .unwrap_or(i64::MAX / 2_000)
        .saturating_mul(1000)
}

fn code_prefix(net: Net) -> &'static str {
    match net {
        Net::Google => "4/0Sbx",
        Net::Facebook | Net::Threads => "AQB",
        _ => "sbx",
    }
}

/// Token values shaped like the network's own (prefixes only).
fn access_value(net: Net, kind: Kind) -> String {
    let body = random(48);
    match (net, kind) {
        (Net::Facebook, Kind::Page) => format!("EAAsbxPage{body}"),
        (Net::Facebook, _) => format!("EAAsbxUser{body}"),
        (Net::Threads, _) => format!("THsbx{body}"),
        (Net::Google, _) => format!("ya29.a0Sbx{body}"),
        (Net::Linkedin, _) => format!("AQVsbx{body}"),
        (Net::Tiktok, _) => format!("act.sbx{body}"),
        (Net::Pinterest, _) => format!("pina_sbx{body}"),
        (Net::Reddit, _) => format!("sbx-{body}"),
        (Net::Snapchat, _) => format!("sbxSnap{body}"),
        (Net::X, _) => format!("sbxX{body}"),
    }
}

fn refresh_value(net: Net) -> String {
    let body = random(48);
    match net {
        Net::Google => format!("1//0Sbx{body}"),
        Net::Linkedin => format!("AQXsbx{body}"),
        Net::Tiktok => format!("rft.sbx{body}"),
        Net::Pinterest => format!("pinr_sbx{body}"),
        _ => format!("sbxr{body}"),
    }
}
