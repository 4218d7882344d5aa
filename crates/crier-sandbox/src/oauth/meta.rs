//! Facebook Login's token side on `graph.facebook.com`: the code exchange
//! (`GET /oauth/access_token?client_id&client_secret&redirect_uri&code` →
//! a short-lived user token), the long-lived exchange
//! (`grant_type=fb_exchange_token`), `GET /me/accounts` (Page tokens: no
//! expiry when derived from a long-lived user token, the user token's
//! expiry otherwise) and `DELETE /me/permissions` (the app is removed).
//! Errors are Graph's `{"error":{"message","type":"OAuthException","code",
//! "error_subcode","fbtrace_id"}}`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::grants::{Grants, Issued, Kind, now_ms, random};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Facebook;

/// Graph's error envelope (HTTP 400, as Graph answers OAuth errors).
pub(crate) fn graph_error(code: i64, subcode: Option<i64>, message: &str) -> Response {
    let mut error = json!({
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": format!("Sbx{}", random(20)),
    });
    if let Some(sub) = subcode {
        error["error_subcode"] = json!(sub);
    }
    (StatusCode::BAD_REQUEST, axum::Json(json!({"error": error}))).into_response()
}

/// The answer to an expired user token (190/463).
pub(crate) fn expired() -> Response {
    graph_error(
        190,
        Some(463),
        "Error validating access token: Session has expired. The current time is later than the token's expiry.",
    )
}

pub(crate) fn invalid_token() -> Response {
    graph_error(
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
    )
}

/// Graph's spelling of the shared failures of a code exchange; the code's
/// own state picks 36007 (expired) or 36009 (used).
pub(crate) fn code_error(g: &Grants, net: Net, req: &OauthReq, fail: Fail) -> Response {
    match fail {
        Fail::Client => graph_error(1, None, "Error validating client secret."),
        Fail::Missing("code") => graph_error(100, None, "Missing authorization code"),
        Fail::Missing(what) => graph_error(100, None, &format!("Missing {what} parameter.")),
        Fail::UnsupportedGrant(g) => {
            graph_error(100, None, &format!("Unsupported grant_type: {g}"))
        }
        Fail::Redirect => graph_error(
            100,
            Some(36008),
            "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
        ),
        Fail::Verifier => graph_error(100, None, "Invalid code verifier"),
        Fail::Refresh => invalid_token(),
        Fail::Code => match req
            .get("code")
            .and_then(|c| g.codes.get(c))
            .filter(|c| c.net == net)
        {
            Some(c) if c.expires_ms <= now_ms() => {
                graph_error(100, Some(36007), "This authorization code has expired.")
            }
            Some(_) => graph_error(100, Some(36009), "This authorization code has been used."),
            None => graph_error(100, None, "Invalid verification code format."),
        },
    }
}

pub(crate) async fn access_token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let grant_type = req
        .get("grant_type")
        .unwrap_or("authorization_code")
        .to_owned();
    let mut g = state.inner.oauth.lock();
    g.count_call(NET, &grant_type);
    if req.get("client_id") != Some(NET.client_id()) {
        return graph_error(
            101,
            None,
            "Error validating application. Invalid application ID.",
        );
    }
    if req.get("client_secret") != Some(NET.client_secret()) {
        return graph_error(1, None, "Error validating client secret.");
    }
    match grant_type.as_str() {
        "authorization_code" => match flow::exchange(&mut g, NET, &req, Kind::Access, false) {
            Ok((_, t)) => bearer(&t.access, t.expires_in),
            Err(fail) => code_error(&g, NET, &req, fail),
        },
        "fb_exchange_token" => {
            let Some(short) = req.get("fb_exchange_token") else {
                return graph_error(100, None, "Missing fb_exchange_token parameter.");
            };
            match g.check(NET, short) {
                Issued::Live => {}
                Issued::Expired => return expired(),
                Issued::Unknown => return invalid_token(),
            }
            let grant = g.access[short].grant;
            let secs = g.lifetimes(NET).long_lived_token_secs;
            let (token, expires_in) = g.issue_access(grant, Kind::LongLived, secs);
            bearer(&token, expires_in)
        }
        other => graph_error(100, None, &format!("Unsupported grant_type: {other}")),
    }
}

fn bearer(token: &str, expires_in: Option<u64>) -> Response {
    let mut body = json!({"access_token": token, "token_type": "bearer"});
    if let Some(secs) = expires_in {
        body["expires_in"] = json!(secs);
    }
    axum::Json(body).into_response()
}

/// `GET /me/accounts` with a user token issued here: the sandbox Page with
/// a Page token (and its Instagram account when asked for in `fields`).
pub(crate) async fn accounts(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let Some(token) = req.token() else {
        return graph_error(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        );
    };
    let mut g = state.inner.oauth.lock();
    match g.check(NET, &token) {
        Issued::Live => {}
        Issued::Expired => return expired(),
        Issued::Unknown => return invalid_token(),
    }
    let user = g.access[&token].clone();
    if user.kind == Kind::Page {
        return graph_error(
            100,
            None,
            "(#100) Tried accessing nonexisting field (accounts) on node type (Page)",
        );
    }
    // A Page token derived from a long-lived user token never expires.
    let secs = match user.kind {
        Kind::LongLived => None,
        _ => user
            .expires_ms
            .map(|e| ((e - now_ms()).max(0) / 1000) as u64),
    };
    let (page_token, _) = g.issue_access(user.grant, Kind::Page, secs);
    let page = super::meta_pages::page_entry(&page_token, req.get("fields"));
    axum::Json(json!({
        "data": [page],
        "paging": {"cursors": {"before": "QVFIUsbx", "after": "QVFIUsbx"}},
    }))
    .into_response()
}

/// `DELETE /me/permissions`: the user removes the app; every token of the
/// grant (user and Page tokens) dies.
pub(crate) async fn revoke(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Counted like the token endpoint's grants (`/_sandbox/oauth/calls`: `revoke`).
    state.inner.oauth.lock().count_call(NET, "revoke");
    let Some(token) = req.token() else {
        return graph_error(
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        );
    };
    let mut g = state.inner.oauth.lock();
    match g.check(NET, &token) {
        Issued::Live => {
            g.revoke_token(NET, &token);
            axum::Json(json!({"success": true})).into_response()
        }
        Issued::Expired => expired(),
        Issued::Unknown => invalid_token(),
    }
}
