//! `/history`: the profile's posts, newest first.

use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal, json_response, post_object};
use crate::AppState;
use super::path::path_param;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use crier_core::{Action, Code, ErrorReport, Platform};
use super::history_filter::filter;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new().route("/history", get(list)).route("/history/{id}", get(one))
}

#[utoipa::path(get, path = "/api/history", tag = "history", params(("limit" = Option<i64>, Query), ("lastDays" = Option<i64>, Query), ("status" = Option<String>, Query), ("platforms" = Option<String>, Query, description = "comma-separated, or platforms[]="), ("type" = Option<String>, Query, description = "immediate or scheduled"), ("startDate" = Option<String>, Query, description = "ISO date, inclusive; overrides lastDays"), ("endDate" = Option<String>, Query, description = "ISO date, inclusive; overrides lastDays")),
    responses((status = 200, description = "The profile's posts, newest first", body = crate::openapi::HistoryResponse), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn list(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let f = match filter(&QueryParams::parse(q.as_deref())) {
        Ok(f) => f,
        Err(e) => return flat_error(t, lang, &e),
    };
    match s.store.list_posts(&caller.profile.id, &f).await {
        Ok(posts) => {
            let history: Vec<_> = posts.iter().map(|p| post_object(t, lang, p, &caller.profile)).collect();
            json_response(200, json!({"status": "success", "refId": caller.profile.ref_id, "count": history.len(), "history": history}))
        }
        Err(e) => internal(t, lang, &e),
    }
}

/// `/history/:id` is a post of crier's; `/history/:platform` the account's own posts at that network.
#[utoipa::path(get, path = "/api/history/{id}", tag = "history", params(("id" = String, Path, description = "a crier post id, or a network id for that network's own posts"), ("limit" = Option<i64>, Query), ("next" = Option<String>, Query, description = "cursor of the next page")),
    responses((status = 200, description = "A post, or a page of the network's posts", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn one(State(s): State<AppState>, caller: Caller, path: Result<Path<String>, PathRejection>, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let id = match path_param(t, lang, Action::History, path) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if let Some(platform) = Platform::parse(&id) {
        let q = QueryParams::parse(q.as_deref());
        let limit = match q.number("limit") {
            Ok(l) => l.unwrap_or(10).clamp(1, 500) as usize,
            Err(d) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::History).details(d)),
        };
        let cursor = q.get("next").filter(|c| !c.is_empty());
        return match s.engine.network_history(&caller.profile.id, platform, limit, cursor, caller.byo.as_ref()).await {
            Ok(Ok(page)) => json_response(
                200,
                {
                    let mut v = json!({"status": "success", "platform": platform, "posts": page.posts, "meta": {"pagination": {"next": page.next}}});
                    let times = super::shapes::history_times(&crate::render::iso(s.store.now_ms()));
                    v.as_object_mut().into_iter().for_each(|o| o.extend(times.as_object().cloned().unwrap_or_default()));
                    v
                },
            ),
            Ok(Err(e)) => flat_error(t, lang, &e),
            Err(e) => internal(t, lang, &e),
        };
    }
    match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) => json_response(200, post_object(t, lang, &p, &caller.profile)),
        Ok(None) => flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::History).details(id)),
        Err(e) => internal(t, lang, &e),
    }
}
