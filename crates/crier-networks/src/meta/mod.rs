//! Meta's Graph API, shared by Facebook Pages, Instagram and Threads:
//! the HTTP client, the `{"error": {...}}` envelope, and the throttle signals
//! (`Retry-After`, `X-Business-Use-Case-Usage` minutes to regain access).

pub mod container;
pub mod facebook;
pub mod instagram;
pub mod threads;

use crate::{Call, Failure, HttpFailure, classify_send_error};
use crier_core::ErrorReport;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::time::Duration;

/// Graph API version crier speaks for Facebook and Instagram.
pub const FACEBOOK_VERSION: &str = "v21.0";
/// Threads has its own versioning.
pub const THREADS_VERSION: &str = "v1.0";

pub struct Graph {
    base: String,
    version: &'static str,
}

pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status) && self.body.get("error").is_none()
    }
    pub fn str(&self, field: &str) -> Option<&str> {
        self.body.get(field).and_then(Value::as_str)
    }
}

impl Graph {
    pub fn new(base: &str, version: &'static str) -> Graph {
        Graph { base: base.trim_end_matches('/').to_string(), version }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}/{}", self.base, self.version, path.trim_start_matches('/'))
    }

    async fn send(&self, req: reqwest::RequestBuilder, token: &str) -> Result<Answer, HttpFailure> {
        let resp = req.bearer_auth(token).send().await.map_err(|e| classify_send_error(&e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(crate::describe(&e)))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, body, headers })
    }

    /// A form-encoded POST (Graph's native encoding).
    pub async fn post<K: serde::Serialize>(&self, call: &Call<'_>, token: &str, path: &str, form: &[(K, String)]) -> Result<Answer, HttpFailure> {
        self.send(call.http.post(self.url(path)).form(form), token).await
    }

    pub async fn get(&self, call: &Call<'_>, token: &str, path: &str, query: &[(&str, String)]) -> Result<Answer, HttpFailure> {
        self.send(call.http.get(self.url(path)).query(query), token).await
    }

    pub async fn delete(&self, call: &Call<'_>, token: &str, path: &str) -> Result<Answer, HttpFailure> {
        self.send(call.http.delete(self.url(path)), token).await
    }
}

/// Meta's error object, read from an answer.
#[derive(Clone, Debug, Default)]
pub struct GraphError {
    pub http: u16,
    pub code: i64,
    pub subcode: Option<i64>,
    pub message: String,
    pub user_title: Option<String>,
    pub user_msg: Option<String>,
    pub is_transient: bool,
    /// From `Retry-After`, or the usage header's minutes to regain access.
    pub retry_after: Option<Duration>,
    /// The `Retry-After` header exactly as sent (seconds), for `details` (435).
    pub retry_after_header: Option<String>,
}

impl GraphError {
    pub fn from_answer(a: &Answer) -> GraphError {
        let e = a.body.get("error").cloned().unwrap_or(Value::Null);
        let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
        let retry_after_header = a.headers.get("retry-after").and_then(|v| v.to_str().ok()).map(|s| s.trim().to_string());
        let retry_after = retry_after_header
            .as_deref()
            .and_then(|s| s.parse::<u64>().ok())
            .map(Duration::from_secs)
            .or_else(|| regain_access(&a.headers));
        GraphError {
            http: a.status,
            code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
            subcode: e.get("error_subcode").and_then(Value::as_i64),
            message: text("message").unwrap_or_else(|| format!("HTTP {}", a.status)),
            user_title: text("error_user_title"),
            user_msg: text("error_user_msg"),
            is_transient: e.get("is_transient").and_then(Value::as_bool).unwrap_or(false),
            retry_after,
            retry_after_header,
        }
    }

    /// Meta's own words for `details`: the message, and the user-facing text when it adds something.
    pub fn details(&self) -> String {
        let mut d = self.message.clone();
        for extra in [&self.user_title, &self.user_msg].into_iter().flatten() {
            if !extra.is_empty() && !d.contains(extra.as_str()) {
                if !d.is_empty() {
                    d.push_str(": ");
                }
                d.push_str(extra);
            }
        }
        d
    }

    pub fn is_throttle(&self) -> bool {
        matches!(self.code, 4 | 17 | 32 | 613 | 80001 | 80002 | 341) || self.http == 429
    }

    pub fn is_token(&self) -> bool {
        matches!(self.code, 190 | 102)
    }

    /// Meta says a retry may succeed: transient codes, `is_transient`, or a server error.
    pub fn is_transient(&self) -> bool {
        self.is_transient || matches!(self.code, 1 | 2) || self.http >= 500 || matches!(self.subcode, Some(2207001 | 2207032 | 2207053))
    }
}

/// The longest `estimated_time_to_regain_access` (minutes) in the BUC usage header.
fn regain_access(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get("x-business-use-case-usage")?.to_str().ok()?;
    let v: Value = serde_json::from_str(raw).ok()?;
    let minutes = v
        .as_object()?
        .values()
        .flat_map(|entries| entries.as_array().into_iter().flatten())
        .filter_map(|e| e.get("estimated_time_to_regain_access").and_then(Value::as_u64))
        .max()?;
    (minutes > 0).then(|| Duration::from_secs(minutes * 60))
}

/// How a Graph read for analytics or history reports errors.
pub struct ReadErrors {
    pub action: crier_core::Action,
    /// The network's own mapping of Meta's errors.
    pub map: fn(&GraphError) -> Failure,
    /// The report used for transport trouble.
    pub fallback: ErrorReport,
}

impl Graph {
    /// A GET for analytics or history; Meta's error mapped and tagged with the action.
    pub async fn read(&self, call: &Call<'_>, token: &str, path: &str, query: &[(&str, String)], errors: &ReadErrors) -> Result<Value, ErrorReport> {
        let tag = |f: Failure| {
            let mut e = match f {
                Failure::Rejected(e) | Failure::Transient { error: e, .. } => e,
                Failure::Ambiguous { details } => errors.fallback.clone().details(details),
            };
            e.action = errors.action;
            e
        };
        let a = self.get(call, token, path, query).await.map_err(|h| tag(transport(h, errors.fallback.clone())))?;
        if a.ok() { Ok(a.body) } else { Err(tag((errors.map)(&GraphError::from_answer(&a)))) }
    }
}

/// The `after` cursor of a Graph page, when there is a next page.
pub fn next_cursor(body: &Value) -> Option<String> {
    body.pointer("/paging/next").and(body.pointer("/paging/cursors/after")).and_then(Value::as_str).map(str::to_string)
}

/// A Graph call outside the publish step: a lost answer publishes nothing, so it is transient.
pub fn transport(h: HttpFailure, error: ErrorReport) -> Failure {
    let details = match h {
        HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => d,
    };
    Failure::Transient { error: error.details(details), retry_after: None }
}

/// The access token and account id of a linked Meta account.
pub fn account<'a>(credentials: &'a Value, id_field: &str) -> Option<(&'a str, &'a str)> {
    let token = credentials.get("accessToken").and_then(Value::as_str)?;
    let id = credentials.get(id_field).and_then(Value::as_str)?;
    Some((token, id))
}

pub fn is_video_url(url: &str, flagged: bool) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    flagged || path.ends_with(".mp4") || path.ends_with(".mov")
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
