//! TikTok's token and revoke endpoints (`open.tiktokapis.com/v2/oauth/token/`,
//! `/v2/oauth/revoke/`): form bodies with `client_key`/`client_secret`,
//! `open_id` in the answer, `refresh_expires_in`, and rotation: every
//! refresh returns a new refresh token and the one sent stops working.
//! Errors are `{"error","error_description","log_id"}`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;
use crate::seed;

const NET: Net = Net::Tiktok;

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let result = flow::standard_grant(&state, NET, &req, |r| flow::body_client(NET, r));
    match result {
        Ok(t) => {
            let (refresh, left) = t.refresh.clone().unwrap_or_default();
            axum::Json(json!({
                "access_token": t.access,
                "expires_in": t.expires_in,
                "open_id": seed::TIKTOK_OPEN_ID,
                "refresh_expires_in": left,
                "refresh_token": refresh,
                "scope": t.scope(NET),
                "token_type": "Bearer",
            }))
            .into_response()
        }
        Err(fail) => error(fail),
    }
}

/// `POST /v2/oauth/revoke/` form `client_key, client_secret, token`.
pub(crate) async fn revoke(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Counted like the token endpoint's grants (`/_sandbox/oauth/calls`: `revoke`).
    state.inner.oauth.lock().count_call(NET, "revoke");
    if let Err(fail) = flow::body_client(NET, &req) {
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
    let (status, error, description) = match fail {
        Fail::Client => (
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client key or secret is incorrect.".to_owned(),
        ),
        Fail::Missing(what) => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("The request parameters are malformed: {what} is missing."),
        ),
        Fail::UnsupportedGrant(_) => (
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The grant type is not supported.".to_owned(),
        ),
        Fail::Code => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Authorization code is expired.".to_owned(),
        ),
        Fail::Redirect => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The redirect_uri does not match the authorization request.".to_owned(),
        ),
        Fail::Verifier => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Code verifier or code challenge is invalid.".to_owned(),
        ),
        Fail::Refresh => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Refresh token is invalid or expired.".to_owned(),
        ),
    };
    (
        status,
        axum::Json(json!({
            "error": error,
            "error_description": description,
            "log_id": crate::tiktok::log_id(),
        })),
    )
        .into_response()
}
