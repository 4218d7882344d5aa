//! Snapchat's token endpoint (`accounts.snapchat.com/login/oauth2/access_token`):
//! form body with client credentials, `{access_token, token_type, expires_in,
//! refresh_token, scope}`; each refresh returns a new refresh token and the
//! one sent stops working (what the issue asks the sandbox to model; Snap's
//! docs are silent). Errors `{"error","error_description"}`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Snapchat;

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let result = flow::standard_grant(&state, NET, &req, |r| flow::body_client(NET, r));
    match result {
        Ok(t) => {
            let (refresh, _) = t.refresh.clone().unwrap_or_default();
            axum::Json(json!({
                "access_token": t.access,
                "token_type": "Bearer",
                "expires_in": t.expires_in,
                "refresh_token": refresh,
                "scope": t.scope(NET),
            }))
            .into_response()
        }
        Err(fail) => error(fail),
    }
}

fn error(fail: Fail) -> Response {
    let (status, error, description) = match fail {
        Fail::Client => (
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Invalid client credentials",
        ),
        Fail::Missing(_) => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing required parameter",
        ),
        Fail::UnsupportedGrant(_) => (
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Unsupported grant type",
        ),
        Fail::Code | Fail::Redirect | Fail::Verifier => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid authorization code",
        ),
        Fail::Refresh => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid refresh token",
        ),
    };
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}
