//! Lets the emulators accept the access tokens issued here. In front of
//! every OAuth network's emulator: a live issued token (in `Authorization:
//! Bearer` or the `access_token` query parameter) is swapped for the seeded
//! token of the account it was issued for, so the emulator's own checks
//! (its token-state control included) apply unchanged; an expired one gets
//! the network's own expired-token answer. Seeded tokens pass untouched.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::grants::Issued;
use super::net::Net;
use crate::params::percent_decode;
use crate::request::bearer_token;
use crate::{SandboxState, seed};

pub(crate) async fn middleware(
    State(state): State<SandboxState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(endpoint) = versioned(req.method(), &path) {
        return endpoint.serve(state, req).await;
    }
    let Some((net, prefix)) = family(&path) else {
        return next.run(req).await;
    };
    let bearer = bearer_token(req.headers());
    let query = req.uri().query().map(str::to_owned);
    let query_token = query.as_deref().and_then(query_token);
    let mut swap_bearer = false;
    let mut swap_query = false;
    {
        let g = state.inner.oauth.lock();
        for (token, swap) in [(&bearer, &mut swap_bearer), (&query_token, &mut swap_query)] {
            let Some(token) = token else { continue };
            match g.check(net, token) {
                Issued::Live => *swap = true,
                Issued::Expired => {
                    drop(g);
                    return expired_answer(prefix, &req, &path);
                }
                Issued::Unknown => {}
            }
        }
    }
    if !(swap_bearer || swap_query) {
        return next.run(req).await;
    }
    let seeded = seeded_token(&state, prefix, &req);
    if swap_bearer && let Ok(value) = HeaderValue::from_str(&format!("Bearer {seeded}")) {
        req.headers_mut().insert(AUTHORIZATION, value);
    }
    if swap_query && let Some(q) = &query {
        let rewritten: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some(("access_token", _)) => format!("access_token={seeded}"),
                _ => pair.to_owned(),
            })
            .collect();
        if let Ok(uri) = format!("{path}?{}", rewritten.join("&")).parse() {
            *req.uri_mut() = uri;
        }
    }
    next.run(req).await
}

/// The authorization server behind an emulator prefix.
fn family(path: &str) -> Option<(Net, &'static str)> {
    let first = path.trim_start_matches('/').split('/').next()?;
    Some(match first {
        "facebook" => (Net::Facebook, "facebook"),
        "threads" => (Net::Threads, "threads"),
        "youtube" => (Net::Google, "youtube"),
        "gmb" => (Net::Google, "gmb"),
        "linkedin" => (Net::Linkedin, "linkedin"),
        "tiktok" => (Net::Tiktok, "tiktok"),
        "pinterest" => (Net::Pinterest, "pinterest"),
        "reddit" => (Net::Reddit, "reddit"),
        "snapchat" => (Net::Snapchat, "snapchat"),
        _ => return None,
    })
}

fn query_token(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|pair| match pair.split_once('=') {
            Some(("access_token", v)) => Some(percent_decode(v, true)),
            _ => None,
        })
}

/// The seeded token of the account an issued token stands for. On the
/// Facebook host that is the Page's, or the Instagram account's when the
/// call addresses an Instagram object (a Page token reaches both).
fn seeded_token(state: &SandboxState, prefix: &str, req: &Request) -> &'static str {
    match prefix {
        "facebook" => {
            let network =
                crate::meta::classify(state, req.uri().path(), req.uri().query(), req.headers());
            match network {
                Some(("instagram", _)) => seed::INSTAGRAM_TOKEN,
                _ => seed::FACEBOOK_PAGE_TOKEN,
            }
        }
        "threads" => seed::THREADS_TOKEN,
        "youtube" => seed::YOUTUBE_ACCESS_TOKEN,
        "gmb" => seed::GMB_ACCESS_TOKEN,
        "linkedin" => seed::LINKEDIN_ACCESS_TOKEN,
        "tiktok" => seed::TIKTOK_ACCESS_TOKEN,
        "pinterest" => seed::PINTEREST_ACCESS_TOKEN,
        "reddit" => seed::REDDIT_ACCESS_TOKEN,
        _ => seed::SNAPCHAT_ACCESS_TOKEN,
    }
}

/// Each network's own answer to an expired access token.
fn expired_answer(prefix: &str, req: &Request, path: &str) -> Response {
    let rest = &path[prefix.len() + 1..];
    match prefix {
        "facebook" | "threads" => crate::meta::expired_token_answer(),
        "youtube" => crate::youtube::expired_token_answer(),
        "gmb" => crate::gmb::expired_token_answer(req.method(), rest),
        "linkedin" => crate::linkedin::expired_token_answer(),
        "tiktok" => crate::tiktok::expired_token_answer(),
        "pinterest" => crate::pinterest::expired_token_answer(),
        "reddit" => crate::reddit::expired_token_answer(),
        _ => crate::snapchat::expired_token_answer(),
    }
}

/// The Graph endpoints of the authorization servers under a version
/// segment (`/facebook/v25.0/oauth/access_token`).
#[derive(Debug, PartialEq, Eq)]
enum Versioned {
    FacebookDialog,
    FacebookToken,
    FacebookAccounts,
    FacebookRevoke,
    ThreadsCode,
    ThreadsExchange,
    ThreadsRefresh,
}

fn versioned(method: &Method, path: &str) -> Option<Versioned> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (host, version, rest) = match segments.as_slice() {
        [host, version, rest @ ..] => (*host, *version, rest),
        _ => return None,
    };
    let is_version = version
        .strip_prefix('v')
        .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    if !is_version {
        return None;
    }
    Some(match (host, rest, method) {
        ("facebook", ["dialog", "oauth"], _) => Versioned::FacebookDialog,
        ("facebook", ["oauth", "access_token"], _) => Versioned::FacebookToken,
        ("facebook", ["me", "accounts"], &Method::GET) => Versioned::FacebookAccounts,
        ("facebook", ["me", "permissions"], &Method::DELETE) => Versioned::FacebookRevoke,
        ("threads", ["oauth", "access_token"], &Method::POST) => Versioned::ThreadsCode,
        ("threads", ["access_token"], &Method::GET) => Versioned::ThreadsExchange,
        ("threads", ["refresh_access_token"], &Method::GET) => Versioned::ThreadsRefresh,
        _ => return None,
    })
}

impl Versioned {
    async fn serve(self, state: SandboxState, req: Request) -> Response {
        let s = State(state);
        match self {
            Versioned::FacebookDialog => super::page::authorize(s, Net::Facebook, req).await,
            Versioned::FacebookToken => super::meta::access_token(s, req).await,
            Versioned::FacebookAccounts => super::meta::accounts(s, req).await,
            Versioned::FacebookRevoke => super::meta::revoke(s, req).await,
            Versioned::ThreadsCode => super::threads::code(s, req).await,
            Versioned::ThreadsExchange => super::threads::exchange(s, req).await,
            Versioned::ThreadsRefresh => super::threads::refresh(s, req).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_graph_paths() {
        let get = Method::GET;
        assert_eq!(
            versioned(&get, "/facebook/v25.0/oauth/access_token"),
            Some(Versioned::FacebookToken)
        );
        assert_eq!(
            versioned(&get, "/facebook/v25.0/me/accounts"),
            Some(Versioned::FacebookAccounts)
        );
        assert_eq!(versioned(&get, "/facebook/v25.0/me/feed"), None);
        assert_eq!(versioned(&get, "/facebook/me/accounts"), None);
        assert_eq!(
            versioned(&get, "/threads/v1.0/refresh_access_token"),
            Some(Versioned::ThreadsRefresh)
        );
        assert_eq!(
            versioned(&Method::POST, "/threads/v1.0/oauth/access_token"),
            Some(Versioned::ThreadsCode)
        );
        assert_eq!(family("/gmb/v4/x"), Some((Net::Google, "gmb")));
    }
}
