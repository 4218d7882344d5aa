//! Pinterest's token endpoint (`api.pinterest.com/v5/oauth/token`): HTTP
//! Basic client auth, form body, continuous refresh tokens (each refresh
//! returns a new 60-day refresh token; the one sent stops working here).
//! Errors are Pinterest's `{"code","message"}`: a dead grant is 401
//! `{"code":283,"message":"The authorization grant is invalid"}` (observed
//! in pinterest-python-sdk#114).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::grants::now_ms;
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Pinterest;

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Basic only: the body's client_id/client_secret are not read.
    let basic = |r: &OauthReq| {
        let client = r.basic();
        flow::check_client(NET, client.as_ref().map(|c| c.0.as_str()), client.as_ref().map(|c| c.1.as_str()))
    };
    let result = flow::standard_grant(&state, NET, &req, basic);
    let response_type = match req.get("grant_type") {
        Some(g @ ("authorization_code" | "refresh_token")) => g.to_owned(),
        _ => String::new(),
    };
    match result {
        Ok(t) => {
            let (refresh, left) = t.refresh.clone().unwrap_or_default();
            let left = left.unwrap_or(0);
            axum::Json(json!({
                "access_token": t.access,
                "refresh_token": refresh,
                "response_type": response_type,
                "token_type": "bearer",
                "expires_in": t.expires_in,
                "refresh_token_expires_in": left,
                "refresh_token_expires_at": now_ms() / 1000 + left as i64,
                "scope": t.scope(NET),
            }))
            .into_response()
        }
        Err(fail) => error(fail),
    }
}

/// `POST /v5/oauth/token/revoke` (Basic auth) form `token, token_type_hint`.
pub(crate) async fn revoke(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Counted like the token endpoint's grants (`/_sandbox/oauth/calls`: `revoke`).
    state.inner.oauth.lock().count_call(NET, "revoke");
    let client = req.basic();
    if let Err(fail) = flow::check_client(
        NET,
        client.as_ref().map(|c| c.0.as_str()),
        client.as_ref().map(|c| c.1.as_str()),
    ) {
        return error(fail);
    }
    match req.get("token") {
        Some(t) => {
            state.inner.oauth.lock().revoke_token(NET, t);
            axum::Json(json!({})).into_response()
        }
        None => error(Fail::Missing("token")),
    }
}

fn error(fail: Fail) -> Response {
    let (status, code, message) = match fail {
        Fail::Client => (
            StatusCode::UNAUTHORIZED,
            2,
            "Authentication failed.".to_owned(),
        ),
        Fail::Missing(what) => (
            StatusCode::BAD_REQUEST,
            1,
            format!("Missing request parameter: {what}"),
        ),
        Fail::UnsupportedGrant(g) => (
            StatusCode::BAD_REQUEST,
            1,
            format!("Invalid grant_type: {g}"),
        ),
        Fail::Code | Fail::Redirect | Fail::Verifier | Fail::Refresh => (
            StatusCode::UNAUTHORIZED,
            283,
            "The authorization grant is invalid".to_owned(),
        ),
    };
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}
