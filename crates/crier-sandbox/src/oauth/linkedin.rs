//! LinkedIn's token endpoint (`www.linkedin.com/oauth/v2/accessToken`):
//! form body with client credentials, 60-day access tokens, refresh tokens
//! (the programmatic-refresh partner tier) whose 365-day horizon is fixed at
//! first consent and which do not rotate; errors `{"error","error_description"}`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::flow::{self, Fail};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Linkedin;

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let result = flow::standard_grant(&state, NET, &req, |r| flow::body_client(NET, r));
    match result {
        Ok(t) => {
            let mut body = json!({
                "access_token": t.access,
                "expires_in": t.expires_in,
                "scope": t.scope(NET),
            });
            if let Some((refresh, left)) = &t.refresh {
                body["refresh_token"] = json!(refresh);
                body["refresh_token_expires_in"] = json!(left);
            }
            axum::Json(body).into_response()
        }
        Err(fail) => error(fail),
    }
}

/// `POST /oauth/v2/revoke` form `client_id, client_secret, token`.
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
            StatusCode::OK.into_response()
        }
        None => error(Fail::Missing("token")),
    }
}

fn error(fail: Fail) -> Response {
    let (status, error, description) = match fail {
        Fail::Client => (
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed".to_owned(),
        ),
        Fail::Missing(what) => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("A required parameter \"{what}\" is missing"),
        ),
        Fail::UnsupportedGrant(_) => (
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The provided grant_type is not supported".to_owned(),
        ),
        Fail::Code | Fail::Redirect | Fail::Verifier => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists".to_owned(),
        ),
        Fail::Refresh => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The provided refresh token is invalid, expired or revoked".to_owned(),
        ),
    };
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}
