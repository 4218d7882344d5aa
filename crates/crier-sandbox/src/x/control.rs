//! The X part of the control API: `/_sandbox/x/apps` (credits),
//! `/_sandbox/x/users` (account state, long-post rights) and
//! `/_sandbox/x/config` (limits, media processing, monthly cap).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::{Value, json};

use super::accounts::{self, AccountState};
use super::limits::ConfigPatch;
use super::{Inner, accounts::APPS};
use crate::SandboxState;
use crate::control_kit::{ControlJson, bad_request};

pub(crate) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/x/apps", post(set_app).get(list_apps))
        .route("/x/users", post(set_user).get(list_users))
        .route("/x/config", post(set_config).get(get_config))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AppBody {
    consumer_key: String,
    credits: Option<f64>,
}

fn app_json(inner: &Inner, key: &str) -> Value {
    let app = inner.apps.get(key).cloned().unwrap_or_default();
    let account_id = accounts::app(key).map(|a| a.account_id).unwrap_or_default();
    json!({
        "consumerKey": key,
        "accountId": account_id,
        "credits": app.credits_mills as f64 / 1000.0,
        "postsThisMonth": app.month_creates,
    })
}

async fn set_app(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<AppBody>,
) -> Response {
    let Some(app) = accounts::app(&body.consumer_key) else {
        return bad_request(format!("unknown consumer key {:?}", body.consumer_key));
    };
    let mut inner = state.inner.x.lock();
    if let Some(credits) = body.credits {
        if !credits.is_finite() || credits < 0.0 {
            return bad_request("credits must be a number ≥ 0");
        }
        inner.apps.entry(app.key).or_default().credits_mills = (credits * 1000.0).round() as i64;
    }
    axum::Json(app_json(&inner, app.key)).into_response()
}

async fn list_apps(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.x.lock();
    let apps: Vec<Value> = APPS.iter().map(|a| app_json(&inner, a.key)).collect();
    axum::Json(json!({ "apps": apps })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UserBody {
    user_id: String,
    state: Option<AccountState>,
    long_posts: Option<bool>,
}

fn user_json(inner: &Inner, id: &str) -> Value {
    let user = inner.users.get(id).cloned().unwrap_or_default();
    json!({"userId": id, "state": user.state, "longPosts": user.long_posts})
}

async fn set_user(
    State(state): State<SandboxState>,
    ControlJson(body): ControlJson<UserBody>,
) -> Response {
    let Some(user) = accounts::user(&body.user_id) else {
        return bad_request(format!("unknown user id {:?}", body.user_id));
    };
    let mut inner = state.inner.x.lock();
    let entry = inner.users.entry(user.id).or_default();
    if let Some(s) = body.state {
        entry.state = s;
    }
    if let Some(long) = body.long_posts {
        entry.long_posts = long;
    }
    axum::Json(user_json(&inner, user.id)).into_response()
}

async fn list_users(State(state): State<SandboxState>) -> Response {
    let inner = state.inner.x.lock();
    let users: Vec<Value> = accounts::USERS
        .iter()
        .map(|u| user_json(&inner, u.id))
        .collect();
    axum::Json(json!({ "users": users })).into_response()
}

async fn set_config(
    State(state): State<SandboxState>,
    ControlJson(patch): ControlJson<ConfigPatch>,
) -> Response {
    let mut inner = state.inner.x.lock();
    if patch.touches_limits() {
        // New window sizes start from fresh windows.
        inner.windows.clear();
        inner.user_day.clear();
        inner.app_day.clear();
    }
    inner.config.apply(patch);
    axum::Json(inner.config.clone()).into_response()
}

async fn get_config(State(state): State<SandboxState>) -> Response {
    axum::Json(state.inner.x.lock().config.clone()).into_response()
}
