//! Around every request: its id (`X-Request-Id`), the span its log lines carry, one access log
//! line, and the HTTP metrics.

use crate::telemetry::{HTTP_IN_FLIGHT, HTTP_REQUESTS, HTTP_SECONDS};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a caller; longer (or odd) ones are replaced by crier's own.
const MAX_ID_LEN: usize = 128;

/// Probe and scrape routes: logged at debug when they succeed, so that a load balancer or
/// Prometheus polling every few seconds does not drown the access log.
const QUIET_ROUTES: &[&str] = &["/health", "/ready", "/metrics"];

/// A caller's id is kept when it is short and made of characters safe in logs and headers.
fn acceptable(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(&b))
}

/// The request's id: the caller's `X-Request-Id` when acceptable, else a fresh one.
fn request_id(req: &Request) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| acceptable(v))
        .map_or_else(|| crier_store::random_token(24), str::to_string)
}

/// Methods as metric labels: the standard ones, anything else as `other` (bounded cardinality).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// What the access line and the metrics say about one request.
struct Exchange {
    id: String,
    method: Method,
    path: String,
    route: String,
    started: Instant,
    /// Set once the answer is ready; still `None` on drop: the caller went away first.
    status: Option<u16>,
}

/// nginx's "client closed request": the caller hung up before the answer was ready.
const CLIENT_CLOSED: u16 = 499;

impl Drop for Exchange {
    /// Runs however the request ends (answered, or dropped when its caller hung up), so that
    /// every request gets its one access line and the in-flight gauge always comes back down.
    fn drop(&mut self) {
        metrics::gauge!(HTTP_IN_FLIGHT).decrement(1.0);
        let status = self.status.unwrap_or(CLIENT_CLOSED);
        let took = self.started.elapsed();
        let labels = [("route", self.route.clone()), ("method", method_label(&self.method).to_string()), ("status", status.to_string())];
        metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
        metrics::histogram!(HTTP_SECONDS, &labels).record(took.as_secs_f64());

        // Outside the request's span: the line carries the id itself, once.
        let latency_ms = (took.as_secs_f64() * 1e4).round() / 10.0;
        let (id, method, path, route) = (&self.id, &self.method, &self.path, &self.route);
        if status >= 500 {
            tracing::warn!(target: "crier::access", request_id = %id, %method, %path, %route, status, latency_ms, "request");
        } else if status < 400 && QUIET_ROUTES.contains(&route.as_str()) {
            tracing::debug!(target: "crier::access", request_id = %id, %method, %path, %route, status, latency_ms, "request");
        } else {
            tracing::info!(target: "crier::access", request_id = %id, %method, %path, %route, status, latency_ms, "request");
        }
    }
}

/// The middleware (`axum::middleware::from_fn`). The id is also written into the request's
/// headers, so handlers (e.g. `POST /post`, which stores it with the post) read it there.
pub async fn observe(mut req: Request, next: Next) -> Response {
    let id = request_id(&req);
    let value = HeaderValue::from_str(&id).expect("an acceptable id is a valid header value");
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let mut exchange = Exchange {
        id,
        method: req.method().clone(),
        path: req.uri().path().to_string(),
        // The route template, never the raw path: ids in paths would make a series per post.
        route: req.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_string(),
        started: Instant::now(),
        status: None,
    };
    metrics::gauge!(HTTP_IN_FLIGHT).increment(1.0);
    let span = tracing::info_span!("request", request_id = %exchange.id);
    let mut resp = next.run(req).instrument(span).await;
    resp.headers_mut().insert(REQUEST_ID, value);
    exchange.status = Some(resp.status().as_u16());
    resp
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn caller_ids_are_kept_only_when_short_and_plain() {
        assert!(acceptable("req-123_abc.DEF:9/x+y=z@host"));
        assert!(acceptable(&"a".repeat(128)));
        assert!(!acceptable(&"a".repeat(129)));
        assert!(!acceptable(""));
        for odd in ["a b", "a\"b", "a\nb", "é", "a;b", "<x>"] {
            assert!(!acceptable(odd), "{odd:?}");
        }
    }
}
