//! The webhook outbox: events written in the transaction of the change they report (a settled post,
//! TikTok's late publication, an account event), so none is lost to a crash (issue 17). Each holds
//! its Ayrshare payload (ayrshare-api.md §7) and the stable `webhook-id` (`msg_…`) that every
//! delivery attempt of it carries. Whether anyone receives it is decided at delivery time.

use crate::{DeliveryRecord, DeliveryState, PostStatus, Result, random_token};
use crier_core::Platform;
use crier_core::outcome::{NetworkResult, summarize};
use serde_json::{Value, json};
use sqlx::Row;

/// The actions crier delivers: Ayrshare's `scheduled` and `social`, and crier's own `post`.
pub const WEBHOOK_ACTIONS: &[&str] = &["scheduled", "social", "post"];

/// ISO 8601 of a store time, as payloads carry it.
pub(crate) fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).unwrap_or_default()
}

/// Queues one event. `payload` is the body without `url` (added when it is sent).
pub(crate) async fn enqueue(conn: &mut sqlx::AnyConnection, profile_id: &str, action: &str, payload: &Value, now: i64) -> Result<String> {
    let id = format!("msg_{}", random_token(24));
    sqlx::query(
        "INSERT INTO webhook_events (id, profile_id, action, payload, state, attempts, run_at_ms, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
    )
    .bind(&id)
    .bind(profile_id)
    .bind(action)
    .bind(payload.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(id)
}

async fn ref_id(conn: &mut sqlx::AnyConnection, profile_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT ref_id FROM profiles WHERE id = $1").bind(profile_id).fetch_optional(conn).await?)
}

/// `errors[]` entries in the catalog's English (payloads are not per-caller translated).
fn errors_json(errors: &[&crier_core::ErrorReport]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| {
            let mut v = json!({"action": e.action.as_str(), "status": "error", "code": e.code, "message": e.catalog_code().entry().summary});
            if let Some(p) = e.platform {
                v["platform"] = json!(p);
            }
            if let Some(d) = &e.details {
                v["details"] = json!(d);
            }
            v
        })
        .collect()
}

/// A post reached its final status (`success` or `error`): a `post` event always, and a `scheduled`
/// one for a scheduled or retried post.
pub(crate) async fn post_settled(conn: &mut sqlx::AnyConnection, post_id: &str, status: PostStatus, deliveries: &[DeliveryRecord], now: i64) -> Result<()> {
    let row = sqlx::query("SELECT profile_id, kind, retried FROM posts WHERE id = $1").bind(post_id).fetch_one(&mut *conn).await?;
    let profile_id: String = row.try_get("profile_id")?;
    let kind: String = row.try_get("kind")?;
    let retried = row.try_get::<i64, _>("retried")? != 0;
    let results: Vec<NetworkResult> = deliveries.iter().map(|d| NetworkResult { platform: d.platform, outcome: d.outcome() }).collect();
    let summary = summarize(&results);
    let mut payload = json!({
        "action": "post",
        "created": iso(now),
        "code": if status == PostStatus::Success { 200 } else { summary.http },
        "refId": ref_id(conn, &profile_id).await?,
        "status": status.as_str(),
        "id": post_id,
        "errors": errors_json(&summary.errors),
        "postIds": summary.post_ids,
    });
    enqueue(conn, &profile_id, "post", &payload, now).await?;
    if kind == "scheduled" || retried {
        payload["action"] = json!("scheduled");
        enqueue(conn, &profile_id, "scheduled", &payload, now).await?;
    }
    Ok(())
}

/// TikTok confirmed a publication (late, after moderation): `scheduled` with `subAction: tikTokPublished`,
/// for immediate posts too, as Ayrshare sends it.
pub(crate) async fn tiktok_published(conn: &mut sqlx::AnyConnection, d: &DeliveryRecord, native_id: &str, url: Option<&str>, now: i64) -> Result<()> {
    if d.platform != Platform::Tiktok {
        return Ok(());
    }
    let profile_id: String = sqlx::query_scalar("SELECT profile_id FROM posts WHERE id = $1").bind(&d.post_id).fetch_one(&mut *conn).await?;
    let mut entry = json!({"status": "success", "id": native_id, "platform": d.platform});
    if let Some(u) = url {
        entry["postUrl"] = json!(u);
    }
    let payload = json!({
        "action": "scheduled",
        "subAction": "tikTokPublished",
        "created": iso(now),
        "code": 200,
        "refId": ref_id(conn, &profile_id).await?,
        "status": "success",
        "id": d.post_id,
        "errors": [],
        "postIds": [entry],
    });
    enqueue(conn, &profile_id, "scheduled", &payload, now).await?;
    Ok(())
}

/// An account event (account_events.rs) as Ayrshare's `social` payload: `type` link | unlink |
/// refresh, `source` user | system, failures with `details {status, code, message}`.
pub(crate) async fn account_event(conn: &mut sqlx::AnyConnection, profile_id: &str, platform: Platform, kind: &str, details: &Value, now: i64) -> Result<()> {
    let (kind_type, source) = match kind {
        "linked" => ("link", "user"),
        "unlinked" => ("unlink", details.get("source").and_then(Value::as_str).unwrap_or("user")),
        // crier refreshed the token itself: nothing to do for the user. Not Ayrshare's `refresh`,
        // which asks for a relink by `refreshBy`.
        "refreshed" => ("tokenRefreshed", "system"),
        // A refresh the network refused for good: the account must be relinked (oauth-and-webhooks.md §11.7).
        "refresh_failed" | "relink_needed" => ("unlink", "system"),
        other => (other, "system"),
    };
    let mut payload = json!({
        "action": "social",
        "created": iso(now),
        "code": 200,
        "type": kind_type,
        "source": source,
        "platform": platform,
        "refId": ref_id(conn, profile_id).await?,
    });
    if let Some(name) = details.get("displayName") {
        payload["displayName"] = name.clone();
    }
    if kind == "refresh_failed" || kind == "relink_needed" {
        let message = details.get("reason").and_then(Value::as_str).unwrap_or("the network refused to refresh the account's token");
        payload["details"] = json!({"status": "error", "code": crier_core::Code::TokenInvalid.number(), "message": message});
    }
    if let Some(ms) = details.get("expiresMs").and_then(Value::as_i64) {
        payload["expiresAt"] = json!(iso(ms));
    }
    enqueue(conn, profile_id, "social", &payload, now).await?;
    Ok(())
}

/// Whether a post's status change is the one that finishes it (events fire once per settlement).
pub(crate) fn finishes(before: PostStatus, after: PostStatus) -> bool {
    let done = |s: PostStatus| matches!(s, PostStatus::Success | PostStatus::Error);
    !done(before) && done(after)
}

/// Whether a TikTok delivery settling as published was confirmed after acceptance (the late case).
pub(crate) fn is_late_confirmation(d: &DeliveryRecord) -> bool {
    matches!(d.state, DeliveryState::Accepted | DeliveryState::Publishing) && d.platform == Platform::Tiktok
}
