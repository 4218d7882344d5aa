//! `com.atproto.server.*` session methods and handle resolution.

use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::session::{self, find_account};
use super::{BlueskyState, Call, XrpcError, XrpcResult, now_secs, required_str};

fn session_body(bs: &BlueskyState, call: &Call, account: &session::Account) -> Response {
    let (access, refresh) = bs.lock().sessions.issue(account.did, now_secs());
    axum::Json(json!({
        "accessJwt": access,
        "refreshJwt": refresh,
        "handle": account.handle,
        "did": account.did,
        "didDoc": session::did_doc(account, &call.service_url()),
        "active": true,
    }))
    .into_response()
}

pub(crate) fn create_session(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let input = call.json_input()?;
    let identifier = required_str(&input, "Input", "identifier")?;
    let password = required_str(&input, "Input", "password")?;
    let account = find_account(identifier)
        .filter(|a| a.password == password)
        .ok_or_else(|| {
            XrpcError::new(
                401,
                "AuthenticationRequired",
                "Invalid identifier or password",
            )
        })?;
    Ok(session_body(bs, call, account))
}

/// Rotates the refresh token: the one presented is revoked.
pub(crate) fn refresh_session(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let did = {
        let mut inner = bs.lock();
        let (token, did) = inner.sessions.check_refresh(&call.headers, now_secs())?;
        inner.sessions.revoke_refresh(&token);
        did
    };
    let account = find_account(&did)
        .ok_or_else(|| XrpcError::new(400, "AccountNotFound", "Account not found"))?;
    Ok(session_body(bs, call, account))
}

pub(crate) fn get_session(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let did = bs.lock().sessions.check_access(&call.headers, now_secs())?;
    let account = find_account(&did)
        .ok_or_else(|| XrpcError::new(400, "AccountNotFound", "Account not found"))?;
    Ok(axum::Json(json!({
        "handle": account.handle,
        "did": account.did,
        "didDoc": session::did_doc(account, &call.service_url()),
        "active": true,
    }))
    .into_response())
}

pub(crate) fn delete_session(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let mut inner = bs.lock();
    let (token, _) = inner.sessions.check_refresh(&call.headers, now_secs())?;
    inner.sessions.revoke_refresh(&token);
    Ok(axum::http::StatusCode::OK.into_response())
}

pub(crate) fn resolve_handle(call: &Call) -> XrpcResult {
    let handle = required_str(&call.query, "Params", "handle")?;
    let account =
        find_account(handle).ok_or_else(|| XrpcError::invalid("Unable to resolve handle"))?;
    Ok(axum::Json(json!({"did": account.did})).into_response())
}
