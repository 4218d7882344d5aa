//! `/_sandbox/oauth/...`: the sandbox apps, token lifetimes, expiring or
//! revoking a network's tokens now, and token-endpoint call counters.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::net::{Lifetimes, Net};
use crate::SandboxState;
use crate::control_kit::{ControlJson, bad_request};
use crate::params::parse_urlencoded;

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/oauth/apps", get(apps).post(add_redirect))
        .route("/oauth/lifetimes", get(get_lifetimes).post(set_lifetimes))
        .route("/oauth/expire", post(expire))
        .route("/oauth/revoke", post(revoke))
        .route("/oauth/calls", get(calls))
}

fn net(name: &str) -> Result<Net, String> {
    Net::parse(name).ok_or_else(|| format!("unknown OAuth network: {name}"))
}

fn app_json(state: &SandboxState, n: Net) -> Value {
    let g = state.inner.oauth.lock();
    json!({
        "network": n.name(),
        "clientId": n.client_id(),
        "clientSecret": n.client_secret(),
        "redirectUris": g.redirects.get(&n).cloned().unwrap_or_default(),
        "loopbackRedirects": true,
    })
}

async fn apps(State(state): State<SandboxState>) -> Response {
    let apps: Vec<Value> = Net::ALL.iter().map(|n| app_json(&state, *n)).collect();
    axum::Json(json!({"apps": apps})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AddRedirect {
    network: String,
    redirect_uri: String,
}

/// Registers one more exact redirect URI (loopback http ones need none).
async fn add_redirect(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<AddRedirect>,
) -> Response {
    let n = match net(&body.network) {
        Ok(n) => n,
        Err(m) => return bad_request(m),
    };
    if !(body.redirect_uri.starts_with("https://") || body.redirect_uri.starts_with("http://"))
        || body.redirect_uri.contains('#')
    {
        return bad_request("redirectUri must be an absolute http(s) URL without a fragment");
    }
    {
        let mut g = state.inner.oauth.lock();
        let list = g.redirects.entry(n).or_default();
        if !list.contains(&body.redirect_uri) {
            list.push(body.redirect_uri);
        }
    }
    axum::Json(app_json(&state, n)).into_response()
}

fn lifetimes_json(state: &SandboxState) -> Value {
    let g = state.inner.oauth.lock();
    let map: Map<String, Value> = Net::ALL
        .iter()
        .map(|n| (n.name().to_owned(), json!(g.lifetimes(*n))))
        .collect();
    json!({"lifetimes": map})
}

async fn get_lifetimes(State(state): State<SandboxState>) -> Response {
    axum::Json(lifetimes_json(&state)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SetLifetimes {
    network: String,
    access_token_secs: Option<u64>,
    /// `0` is refused; use `/oauth/expire` to kill refresh tokens now.
    refresh_token_secs: Option<u64>,
    long_lived_token_secs: Option<u64>,
    min_refresh_age_secs: Option<u64>,
    code_secs: Option<u64>,
}

/// Lifetimes of tokens issued from now on (those issued keep theirs).
async fn set_lifetimes(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<SetLifetimes>,
) -> Response {
    let n = match net(&body.network) {
        Ok(n) => n,
        Err(m) => return bad_request(m),
    };
    let zero = [
        body.access_token_secs,
        body.refresh_token_secs,
        body.long_lived_token_secs,
        body.code_secs,
    ]
    .contains(&Some(0));
    if zero {
        return bad_request("lifetimes must be at least 1 second");
    }
    {
        let mut g = state.inner.oauth.lock();
        let mut l: Lifetimes = g.lifetimes(n);
        if let Some(v) = body.access_token_secs {
            l.access_token_secs = v;
        }
        if body.refresh_token_secs.is_some() {
            l.refresh_token_secs = body.refresh_token_secs;
        }
        if body.long_lived_token_secs.is_some() {
            l.long_lived_token_secs = body.long_lived_token_secs;
        }
        if let Some(v) = body.min_refresh_age_secs {
            l.min_refresh_age_secs = v;
        }
        if let Some(v) = body.code_secs {
            l.code_secs = v;
        }
        g.lifetimes.insert(n, l);
    }
    axum::Json(json!(state.inner.oauth.lock().lifetimes(n))).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expire {
    network: String,
    /// Every access token (Page tokens included) expires now; default true.
    access_tokens: Option<bool>,
    /// Every refresh token dies now (the user revoked the app); default false.
    refresh_tokens: Option<bool>,
}

async fn expire(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<Expire>,
) -> Response {
    let n = match net(&body.network) {
        Ok(n) => n,
        Err(m) => return bad_request(m),
    };
    let mut g = state.inner.oauth.lock();
    let access = if body.access_tokens.unwrap_or(true) {
        g.expire_access(n)
    } else {
        0
    };
    let refresh = if body.refresh_tokens.unwrap_or(false) {
        g.kill_refresh(n)
    } else {
        0
    };
    axum::Json(json!({"expiredAccessTokens": access, "revokedRefreshTokens": refresh}))
        .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Revoke {
    network: String,
    token: String,
}

/// Revokes the grant behind one access or refresh token (all its tokens die).
async fn revoke(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<Revoke>,
) -> Response {
    let n = match net(&body.network) {
        Ok(n) => n,
        Err(m) => return bad_request(m),
    };
    let revoked = state.inner.oauth.lock().revoke_token(n, &body.token);
    axum::Json(json!({"revoked": revoked})).into_response()
}

/// `{"calls": {"google": {"authorization_code": 1, "refresh_token": 2}}}`,
/// `?network=` for one network.
async fn calls(State(state): State<SandboxState>, RawQuery(query): RawQuery) -> Response {
    let params = query.as_deref().map(parse_urlencoded).unwrap_or_default();
    let only = match params.get("network").and_then(Value::as_str) {
        Some(name) => match net(name) {
            Ok(n) => Some(n),
            Err(m) => return bad_request(m),
        },
        None => None,
    };
    let g = state.inner.oauth.lock();
    let map: Map<String, Value> = g
        .calls
        .iter()
        .filter(|(n, _)| only.is_none_or(|o| o == **n))
        .map(|(n, c)| (n.name().to_owned(), json!(c)))
        .collect();
    axum::Json(json!({"calls": map})).into_response()
}
