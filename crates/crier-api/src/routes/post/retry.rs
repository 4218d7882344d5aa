//! `PUT /post/retry`: re-send the deliveries that failed with `retryAvailable`, once per post.
//!
//! Like Ayrshare, the retry is answered at once: the retried networks run in the background, as a
//! scheduled post does, and the outcome is read with `GET /post/:id`, `/history` or a webhook.
//! `waitSeconds` (query or body, at most the server's wait limit) waits for the outcome instead and
//! answers the post's new envelope. A second call while the one retry runs (an HTTP client that
//! re-sends a PUT on a 503) answers the same in-flight state; once that retry has finished, 906.

use super::answer;
use super::remove::ids_of;
use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{error_json, flat_error, internal, iso, json_response};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use crier_core::outcome::{DeliveryOutcome, NetworkResult, summarize};
use crier_core::validate::{TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_store::PostRecord;
use serde_json::{Value, json};
use std::time::Duration;

/// Re-sends only the deliveries that failed with `retryAvailable`, once per post, and answers
/// `status: "pending"` at once (or, with `waitSeconds`, the post's new envelope once settled).
#[utoipa::path(put, path = "/api/post/retry", tag = "post", request_body = crate::openapi::IdBody,
    params(("waitSeconds" = Option<i64>, Query, description = "crier extension (also accepted in the body): wait up to this long (≤ wait_limit_secs) and answer the post's new envelope instead of `pending`")),
    responses((status = 200, description = "`{status: \"pending\", id, postIds (retried networks: status/id \"pending\"), errors (networks not retried), refId, profileTitle, post, retriedPlatforms}`; with waitSeconds the post's new envelope", body = crate::openapi::PostEnvelope), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn retry(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Retry, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let wait = match wait_of(&body, &q) {
        Ok(w) => Duration::from_secs(w).min(s.wait_limit),
        Err(d) => return flat_error(t, lang, &ErrorReport::new(Code::MalformedBody, Action::Retry).details(d)),
    };
    let Some(id) = ids_of(&body, &q).into_iter().next() else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Retry).details("id").arg("field", "id"));
    };
    let post = match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Retry).details(id)),
        Err(e) => return internal(t, lang, &e),
    };
    if in_flight(&post) {
        return settle_or_pending(&s, &caller, post, None, wait).await;
    }
    let keys = caller.byo.clone();
    let x_retry = post.deliveries.iter().any(|d| d.platform == Platform::Twitter && d.error.as_ref().is_some_and(|e| e.retry_available));
    if x_retry && keys.is_none() {
        // Checked before the one retry is spent: X cannot be sent without the app keys.
        let missing = [TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER];
        let e = ErrorReport::for_platform(Code::TwitterByoMissing, Action::Retry, Platform::Twitter)
            .arg("count", 2)
            .arg("missing", missing.join(", "));
        return flat_error(t, lang, &e);
    }
    if let Some(k) = keys {
        s.engine.remember_byo(&id, k);
    }
    let affinity = s.engine.affinity_from(crier_store::now_ms());
    let pin = caller.byo.as_ref().map(|_| (Platform::Twitter, &affinity));
    match s.store.requeue_retryable(&id, pin).await {
        Ok(platforms) if platforms.is_empty() => {
            // Another call may have started the one retry since the read above (two at once).
            match s.store.get_post(&caller.profile.id, &id).await {
                Ok(Some(p)) if in_flight(&p) => settle_or_pending(&s, &caller, p, None, wait).await,
                Ok(_) => flat_error(t, lang, &ErrorReport::new(Code::RetryRefused, Action::Retry)),
                Err(e) => internal(t, lang, &e),
            }
        }
        Ok(platforms) => {
            s.engine.wake();
            settle_or_pending(&s, &caller, post, Some(&platforms), wait).await
        }
        Err(e) => internal(t, lang, &e),
    }
}

/// `waitSeconds` from the query or the body (a number, or a string of one), in seconds.
fn wait_of(body: &Value, q: &QueryParams) -> Result<u64, String> {
    let secs = match body.get("waitSeconds") {
        None | Some(Value::Null) => q.number("waitSeconds")?.unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().ok_or("waitSeconds must be a whole number")?,
        Some(Value::String(v)) => v.trim().parse().map_err(|_| "waitSeconds must be a number")?,
        Some(_) => return Err("waitSeconds must be a number".into()),
    };
    Ok(secs.max(0) as u64)
}

/// The one retry of this post was started and has not finished yet.
fn in_flight(p: &PostRecord) -> bool {
    p.retried && !p.is_settled()
}

/// With a wait: the post's envelope once answered (as `POST /post` waits). Without: `pending` now.
async fn settle_or_pending(s: &AppState, caller: &Caller, post: PostRecord, requeued: Option<&[Platform]>, wait: Duration) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    if wait.is_zero() {
        return json_response(200, pending_envelope(s, caller, &post, requeued));
    }
    match s.engine.wait_answered(&post.id, wait).await {
        Ok(Some(p)) => answer(s, caller, &p),
        Ok(None) => internal(t, lang, &"post vanished during retry"),
        Err(e) => internal(t, lang, &e),
    }
}

/// The at-once answer: Ayrshare's `/post` envelope with `status: "pending"`. Networks being sent
/// again show in `postIds` as `{status: "pending", id: "pending"}` (Ayrshare's TikTok convention),
/// networks published earlier as they were, networks not retried keep their error in `errors`.
/// `requeued`: the platforms this call re-queued (`post` was read before); `None`: read the
/// post's current state (a repeated call while the retry runs).
fn pending_envelope(s: &AppState, caller: &Caller, post: &PostRecord, requeued: Option<&[Platform]>) -> Value {
    let again = |p: Platform, unsettled: bool| requeued.map_or(unsettled, |r| r.contains(&p));
    let results: Vec<NetworkResult> = post
        .deliveries
        .iter()
        .map(|d| NetworkResult {
            platform: d.platform,
            outcome: if again(d.platform, !d.state.is_settled()) { DeliveryOutcome::Pending } else { d.outcome() },
        })
        .collect();
    let retried: Vec<Platform> = results.iter().filter(|r| r.outcome == DeliveryOutcome::Pending).map(|r| r.platform).collect();
    let summary = summarize(&results);
    let mut body = json!({
        "status": "pending",
        "errors": summary.errors.iter().map(|e| error_json(&s.i18n, caller.lang, e)).collect::<Vec<_>>(),
        "postIds": summary.post_ids,
        "id": post.id,
        "refId": caller.profile.ref_id,
        "profileTitle": caller.profile.title,
        "post": post.text,
        "retriedPlatforms": retried,
    });
    if let Some(ms) = post.schedule_ms {
        body["scheduleDate"] = json!(iso(ms));
    }
    body
}
