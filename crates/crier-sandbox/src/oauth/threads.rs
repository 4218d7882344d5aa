//! Threads' token side on `graph.threads.net`: the code exchange
//! (`POST /oauth/access_token`, form body → `{access_token, user_id}`, a
//! short-lived token), the long-lived exchange (`GET /access_token?
//! grant_type=th_exchange_token&client_secret&access_token`) and the
//! refresh of a long-lived token by itself (`GET /refresh_access_token?
//! grant_type=th_refresh_token&access_token`: a new 60-day token; the one
//! sent keeps working until its own expiry). Errors as Graph's.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::grants::{Issued, Kind, now_ms, secs_ms};
use super::meta::{code_error, graph_error};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;
use crate::seed;

const NET: Net = Net::Threads;

fn expired() -> Response {
    graph_error(
        190,
        Some(463),
        "Error validating access token: Session has expired. The current time is later than the token's expiry.",
    )
}

fn invalid() -> Response {
    graph_error(
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
    )
}

pub(crate) async fn code(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let grant_type = req.get("grant_type").unwrap_or("").to_owned();
    let mut g = state.inner.oauth.lock();
    g.count_call(NET, &grant_type);
    if let Err(fail) = flow::body_client(NET, &req) {
        return code_error(&g, NET, &req, fail);
    }
    if grant_type != "authorization_code" {
        return code_error(&g, NET, &req, Fail::UnsupportedGrant(grant_type));
    }
    match flow::exchange(&mut g, NET, &req, Kind::Access, false) {
        Ok((_, t)) => {
            let user_id: u64 = seed::THREADS_USER_ID.parse().unwrap_or_default();
            axum::Json(json!({"access_token": t.access, "user_id": user_id})).into_response()
        }
        Err(fail) => code_error(&g, NET, &req, fail),
    }
}

pub(crate) async fn exchange(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let mut g = state.inner.oauth.lock();
    g.count_call(NET, req.get("grant_type").unwrap_or(""));
    if req.get("grant_type") != Some("th_exchange_token") {
        return graph_error(
            100,
            None,
            "Unsupported grant_type: expected th_exchange_token",
        );
    }
    if req.get("client_secret") != Some(NET.client_secret()) {
        return graph_error(1, None, "Error validating client secret.");
    }
    let Some(short) = req.get("access_token") else {
        return graph_error(100, None, "Missing access_token parameter.");
    };
    match g.check(NET, short) {
        Issued::Live if g.access[short].kind == Kind::Access => {}
        Issued::Live => return graph_error(100, None, "The access token is already long-lived."),
        Issued::Expired => return expired(),
        Issued::Unknown => return invalid(),
    }
    let grant = g.access[short].grant;
    let secs = g.lifetimes(NET).long_lived_token_secs;
    let (token, expires_in) = g.issue_access(grant, Kind::LongLived, secs);
    axum::Json(json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in}))
        .into_response()
}

pub(crate) async fn refresh(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let mut g = state.inner.oauth.lock();
    g.count_call(NET, req.get("grant_type").unwrap_or(""));
    if req.get("grant_type") != Some("th_refresh_token") {
        return graph_error(
            100,
            None,
            "Unsupported grant_type: expected th_refresh_token",
        );
    }
    let Some(long) = req.get("access_token") else {
        return graph_error(100, None, "Missing access_token parameter.");
    };
    match g.check(NET, long) {
        Issued::Live if g.access[long].kind == Kind::LongLived => {}
        Issued::Live => return graph_error(100, None, "Only long-lived tokens can be refreshed."),
        Issued::Expired => return expired(),
        Issued::Unknown => return invalid(),
    }
    let min_age = secs_ms(g.lifetimes(NET).min_refresh_age_secs);
    if now_ms() - g.access[long].issued_ms < min_age {
        return graph_error(
            100,
            None,
            "The access token must be at least 24 hours old to be refreshed.",
        );
    }
    let grant = g.access[long].grant;
    let secs = g.lifetimes(NET).long_lived_token_secs;
    let (token, expires_in) = g.issue_access(grant, Kind::LongLived, secs);
    axum::Json(json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in}))
        .into_response()
}
