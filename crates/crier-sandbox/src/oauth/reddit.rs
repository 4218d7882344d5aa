//! Reddit's token and revoke endpoints (`www.reddit.com/api/v1/access_token`,
//! `/api/v1/revoke_token`): HTTP Basic client auth, form body, a refresh
//! token only for `duration=permanent`, never rotated. A bad client is 401
//! `{"message":"Unauthorized","error":401}`; a bad code or refresh token is
//! HTTP 200 `{"error":"invalid_grant"}` (prawcore raises its OAuthException
//! from the payload of a 200 answer; any other status is its
//! ResponseException).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::flow::{self, Fail};
use super::net::Net;
use super::wire::OauthReq;
use crate::SandboxState;

const NET: Net = Net::Reddit;

fn client(req: &OauthReq) -> Result<(), Fail> {
    let basic = req.basic();
    flow::check_client(
        NET,
        basic.as_ref().map(|c| c.0.as_str()),
        basic.as_ref().map(|c| c.1.as_str()),
    )
}

pub(crate) async fn token(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    let result = flow::standard_grant(&state, NET, &req, client);
    match result {
        Ok(t) => {
            let mut body = json!({
                "access_token": t.access,
                "token_type": "bearer",
                "expires_in": t.expires_in,
                "scope": t.scope(NET),
            });
            if let Some((refresh, _)) = &t.refresh {
                body["refresh_token"] = Value::from(refresh.as_str());
            }
            axum::Json(body).into_response()
        }
        Err(fail) => error(fail),
    }
}

/// `POST /api/v1/revoke_token` (Basic auth) form `token, token_type_hint`:
/// 204 whatever the token (as at Reddit). A refresh token ends the grant;
/// an access token only itself.
pub(crate) async fn revoke(State(state): State<SandboxState>, req: Request) -> Response {
    let req = OauthReq::read(req).await;
    // Counted like the token endpoint's grants (`/_sandbox/oauth/calls`: `revoke`).
    state.inner.oauth.lock().count_call(NET, "revoke");
    if let Err(fail) = client(&req) {
        return error(fail);
    }
    if let Some(t) = req.get("token") {
        let mut g = state.inner.oauth.lock();
        if g.refresh.get(t).is_some_and(|r| r.net == NET) {
            g.revoke_token(NET, t);
        } else if let Some(a) = g.access.get_mut(t).filter(|a| a.net == NET) {
            a.revoked = true;
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

fn error(fail: Fail) -> Response {
    match fail {
        Fail::Client => (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"message": "Unauthorized", "error": 401})),
        )
            .into_response(),
        Fail::Missing(_) => simple("invalid_request"),
        Fail::UnsupportedGrant(_) => simple("unsupported_grant_type"),
        Fail::Code | Fail::Redirect | Fail::Verifier | Fail::Refresh => simple("invalid_grant"),
    }
}

fn simple(error: &str) -> Response {
    (StatusCode::OK, axum::Json(json!({"error": error}))).into_response()
}
