//! `/user`: the calling profile and its linked networks.

use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{internal, iso, json_response};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use crier_core::Platform;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/user", get(user))
}

#[utoipa::path(get, path = "/api/user", tag = "user", params(("instagramQuota" = Option<bool>, Query)),
    responses((status = 200, description = "The profile and its linked networks", body = serde_json::Value), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn user(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let q = QueryParams::parse(q.as_deref());
    let with_quota = q.get("instagramQuota").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let linked = match s.store.linked_accounts(&caller.profile.id).await {
        Ok(l) => l,
        Err(e) => return internal(t, lang, &e),
    };
    let mut names = Vec::new();
    for a in &linked {
        let platform = &a.platform;
        let mut entry = json!({"platform": platform, "displayName": a.display_name, "created": iso(a.created_ms)});
        // Ayrshare's `id` and `profileUrl`: the account's id at the network (from its stored
        // credentials: ids only, never a token) and its public page.
        // Unreadable credentials (a key rotated away) cost these two fields, not the answer.
        let creds = s.store.credentials(&caller.profile.id, *platform).await.ok().flatten().unwrap_or(Value::Null);
        let id = super::shapes::account_id(*platform, &creds);
        entry["profileUrl"] = json!(super::shapes::profile_url(*platform, id.as_deref(), &creds, a.display_name.as_deref()));
        entry["id"] = json!(id);
        if let Some(u) = super::shapes::username(*platform, &creds) {
            entry["username"] = json!(u);
        }
        // Token health (crier's addition; Ayrshare has no such field): `needsRelink` per network,
        // with `relinkReason` when the network refused to refresh the grant for good.
        entry["needsRelink"] = json!(a.relink_reason.is_some());
        // Ayrshare's `userImage`: the picture the network showed when the account was linked.
        if let Some(picture) = &a.picture_url {
            entry["userImage"] = json!(picture);
        }
        if let Some(r) = &a.relink_reason {
            entry["relinkReason"] = json!(r);
        }
        // Ayrshare's field for LinkedIn, whose apps mostly get no refresh token: days left.
        if let (Platform::Linkedin, Some(exp)) = (platform, a.token_expires_ms) {
            entry["refreshDaysRemaining"] = json!(((exp - s.store.now_ms()).max(0) / 86_400_000));
        }
        if with_quota && *platform == Platform::Instagram {
            match s.engine.cap_usage(&caller.profile.id, *platform).await {
                Ok(Some((used, limit))) => {
                    entry["usedQuota"] = json!(used);
                    entry["quotaLimit"] = json!(limit);
                }
                Ok(None) => {}
                Err(e) => return internal(t, lang, &e),
            }
        }
        names.push(entry);
    }
    json_response(
        200,
        json!({
            // Usable accounts only, as Ayrshare lists them; one needing a relink shows in
            // `displayNames` with `needsRelink` instead.
            "activeSocialAccounts": linked.iter().filter(|a| a.relink_reason.is_none()).map(|a| a.platform).collect::<Vec<_>>(),
            "displayNames": names,
            // Ayrshare's account email: crier keeps none, so the key is there and empty.
            "email": Value::Null,
            "refId": caller.profile.ref_id,
            "title": caller.profile.title,
            "created": iso(caller.profile.created_ms),
        }),
    )
}
