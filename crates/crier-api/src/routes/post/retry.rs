//! `PUT /post/retry`: re-send the deliveries that failed with `retryAvailable`, once per post.

use super::answer;
use super::remove::ids_of;
use crate::auth::Caller;
use crate::query::QueryParams;
use crate::render::{flat_error, internal};
use crate::routes::body::json_body;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use crier_core::validate::{TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER};
use crier_core::{Action, Code, ErrorReport};

/// Re-sends only the deliveries that failed with `retryAvailable`, once per post, and answers
/// with the post's new envelope (waiting like `POST /post` does).
#[utoipa::path(put, path = "/api/post/retry", tag = "post", request_body = crate::openapi::IdBody,
    responses((status = 200, description = "The post's new envelope", body = crate::openapi::PostEnvelope), (status = "default", description = "Catalog error (docs/errors.md): a flat error, or a post envelope with errors[]", body = crate::openapi::ErrorResponse)))]
pub(crate) async fn retry(State(s): State<AppState>, caller: Caller, RawQuery(q): RawQuery, body: Result<Bytes, BytesRejection>) -> Response {
    let (t, lang) = (&s.i18n, caller.lang);
    let body = match json_body(t, lang, Action::Retry, body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let q = QueryParams::parse(q.as_deref());
    let Some(id) = ids_of(&body, &q).into_iter().next() else {
        return flat_error(t, lang, &ErrorReport::new(Code::MissingField, Action::Retry).details("id").arg("field", "id"));
    };
    let post = match s.store.get_post(&caller.profile.id, &id).await {
        Ok(Some(p)) => p,
        Ok(None) => return flat_error(t, lang, &ErrorReport::new(Code::PostNotFound, Action::Retry).details(id)),
        Err(e) => return internal(t, lang, &e),
    };
    let keys = caller.byo.clone();
    let x_retry = post.deliveries.iter().any(|d| {
        d.platform == crier_core::Platform::Twitter && d.error.as_ref().is_some_and(|e| e.retry_available)
    });
    if x_retry && keys.is_none() {
        // Checked before the one retry is spent: X cannot be sent without the app keys.
        let missing = [TWITTER_KEY_HEADER, TWITTER_SECRET_HEADER];
        let e = ErrorReport::for_platform(Code::TwitterByoMissing, Action::Retry, crier_core::Platform::Twitter)
            .arg("count", 2)
            .arg("missing", missing.join(", "));
        return flat_error(t, lang, &e);
    }
    if let Some(k) = keys {
        s.engine.remember_byo(&id, k);
    }
    let affinity = s.engine.affinity_from(crier_store::now_ms());
    let pin = caller.byo.as_ref().map(|_| (crier_core::Platform::Twitter, &affinity));
    match s.store.requeue_retryable(&id, pin).await {
        Ok(platforms) if platforms.is_empty() => return flat_error(t, lang, &ErrorReport::new(Code::RetryRefused, Action::Retry)),
        Ok(_) => s.engine.wake(),
        Err(e) => return internal(t, lang, &e),
    }
    match s.engine.wait_answered(&id, s.wait_limit).await {
        Ok(Some(p)) => answer(&s, &caller, &p),
        Ok(None) => internal(t, lang, &"post vanished during retry"),
        Err(e) => internal(t, lang, &e),
    }
}
