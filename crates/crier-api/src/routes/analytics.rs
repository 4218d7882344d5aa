//! `/analytics`: metrics of a post per network, and of the linked accounts.

use super::body::json_body;
use crate::auth::Caller;
use crate::render::{error_json, flat_error, internal, json_response};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_store::DeliveryState;
use serde_json::{Map, Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/analytics/post", post(post_analytics)).route("/analytics/social", post(social_analytics))
}

/// `platforms` from the body: `None` when absent, an error for unknown names.
fn platforms_of(body: &Value) -> Result<Option<Vec<Platform>>, ErrorReport> {
    let Some(list) = body.get("platforms").filter(|v| !v.is_null()) else { return Ok(None) };
    let names: Vec<&str> = match list {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return Err(ErrorReport::new(Code::MalformedBody, Action::Analytics).details("platforms must be an array of strings")),
    };
    names
        .iter()
        .map(|n| Platform::parse(n).ok_or_else(|| ErrorReport::new(Code::UnknownPlatform, Action::Analytics).details(format!("unknown platforms: {n}"))))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// One network's error inside an analytics answer; a throttled Facebook Page also names Meta's 80001.
fn network_error(s: &AppState, caller: &Caller, e: &ErrorReport) -> Value {
    let mut v = error_json(&s.i18n, caller.lang, e);
    if e.code == Code::FacebookAnalyticsThrottle.number() {
        v["errCode"] = json!(80001);
    }
    v
}

#[utoipa::path(post, path = "/api/analytics/post", tag = "analytics", request_body = crate::openapi::AnalyticsPostBody,
    responses((status = 200, description = "Metrics per network; a network's error sits in its own key", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn post_analytics(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Analytics, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(id) = body.get("id").and_then(Value::as_str) else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Analytics).details("id").arg("field", "id"));
    };
    let wanted = match platforms_of(&body) {
        Ok(p) => p,
        Err(e) => return flat_error(t, lang, &e),
    };
    let post = match s.store.get_post(&caller.profile.id, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Analytics).details(id.to_string())),
        Err(e) => return internal(t, lang, &e),
    };
    let mut out = Map::new();
    let mut failed = false;
    for d in post.deliveries.iter().filter(|d| wanted.as_ref().is_none_or(|w| w.contains(&d.platform))) {
        let entry = if d.state != DeliveryState::Published {
            failed = true;
            let e = ErrorReport::for_platform(Code::PostNotFound, Action::Analytics, d.platform).details("not published on this network");
            network_error(&s, &caller, &e)
        } else {
            let native = d.native_id.clone().unwrap_or_default();
            match s.engine.post_analytics(&caller.profile.id, d.platform, &native, caller.byo.as_ref()).await {
                Ok(Ok(mut analytics)) => {
                    super::shapes::post(d.platform, &mut analytics);
                    json!({"id": native, "postUrl": d.post_url, "analytics": analytics})
                }
                Ok(Err(e)) => {
                    failed = true;
                    network_error(&s, &caller, &e)
                }
                Err(e) => return internal(t, lang, &e),
            }
        };
        out.insert(d.platform.as_str().to_string(), entry);
    }
    out.insert("status".into(), json!(if failed { "error" } else { "success" }));
    out.insert("id".into(), json!(post.id));
    json_response(200, Value::Object(out))
}

#[utoipa::path(post, path = "/api/analytics/social", tag = "analytics", request_body = crate::openapi::AnalyticsSocialBody,
    responses((status = 200, description = "Account metrics per network", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn social_analytics(State(s): State<AppState>, caller: Caller, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Analytics, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let platforms = match platforms_of(&body) {
        Ok(Some(p)) if !p.is_empty() => p,
        Ok(_) => return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Analytics).details("platforms").arg("field", "platforms")),
        Err(e) => return flat_error(t, lang, &e),
    };
    let mut out = Map::new();
    let mut errors = Vec::new();
    for p in &platforms {
        match s.engine.account_analytics(&caller.profile.id, *p, caller.byo.as_ref()).await {
            Ok(Ok(mut analytics)) => {
                super::shapes::social(*p, &mut analytics);
                out.insert(p.as_str().into(), json!({"analytics": analytics}));
            }
            Ok(Err(e)) => {
                out.insert(p.as_str().into(), network_error(&s, &caller, &e));
                errors.push(e);
            }
            Err(e) => return internal(t, lang, &e),
        }
    }
    let refs: Vec<&ErrorReport> = errors.iter().collect();
    let http = if errors.is_empty() { 200 } else { crier_core::outcome::error_http(&refs, errors.len() < platforms.len()) };
    out.insert("status".into(), json!(if errors.is_empty() { "success" } else { "error" }));
    out.insert("errors".into(), json!(errors.iter().map(|e| network_error(&s, &caller, e)).collect::<Vec<_>>()));
    json_response(http, Value::Object(out))
}
