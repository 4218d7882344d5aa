//! Google's token and revoke endpoints (`oauth2.googleapis.com/token`,
//! `/revoke`): form bodies, client credentials in the body (or HTTP
//! Basic), PKCE, `access_type=offline` refresh tokens that never rotate,
//! errors as `{"error","error_description"}`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::flow::{self, Fail};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Google;

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let result = flow::standard_grant(&state, NET, &req, |r| flow::body_client(NET, r)).map(|mut t| {
        // Google answers a refresh without a refresh_token.
        if req.get("grant_type") == Some("refresh_token") {
            t.refresh = None;
        }
        t
    });
    match result {
        Ok(t) => {
            let mut body = json!({
                "access_token": t.access,
                "expires_in": t.expires_in,
                "scope": t.scope(NET),
                "token_type": "Bearer",
            });
            if let Some((refresh, _)) = &t.refresh {
                body["refresh_token"] = Value::from(refresh.as_str());
            }
            axum::Json(body).into_response()
        }
        Err(fail) => error(fail),
    }
}

/// `POST /revoke?token=…` (or in the form body): revokes the whole grant,
/// access and refresh tokens alike.
pub(crate) async fn revoke(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Counted like the token endpoint's grants (`/_sandbox/oauth/calls`: `revoke`).
    state.inner.oauth.lock().count_call(NET, "revoke");
    let revoked = req
        .get("token")
        .is_some_and(|t| state.inner.oauth.lock().revoke_token(NET, t));
    if revoked {
        axum::Json(json!({})).into_response()
    } else {
        body(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            "Token expired or revoked",
        )
    }
}

fn error(fail: Fail) -> Response {
    match fail {
        Fail::Client => body(StatusCode::UNAUTHORIZED, "invalid_client", "Unauthorized"),
        Fail::Missing(what) => body(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("Missing required parameter: {what}"),
        ),
        Fail::UnsupportedGrant(g) => body(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Invalid grant_type: {g}"),
        ),
        Fail::Code => body(StatusCode::BAD_REQUEST, "invalid_grant", "Bad Request"),
        Fail::Redirect => body(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            "Bad Request",
        ),
        Fail::Verifier => body(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Invalid code verifier.",
        ),
        Fail::Refresh => body(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Token has been expired or revoked.",
        ),
    }
}

fn body(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}
