//! Media containers (Instagram, Threads): created in `prepare`, processed by
//! Meta, published by id. Both read a status, with different field names.

use super::{Answer, Graph, GraphError};
use crate::{Call, Failure, HttpFailure, Poll, Published};
use crier_core::ErrorReport;
use serde_json::Map;
use serde_json::{Value, json};
use std::time::Duration;

/// How one network names its container fields.
pub struct Dialect {
    /// `status_code` on Instagram, `status` on Threads.
    pub status_field: &'static str,
    /// Text explaining an `ERROR`: `status` on Instagram, `error_message` on Threads.
    pub detail_field: &'static str,
}

pub const INSTAGRAM: Dialect = Dialect { status_field: "status_code", detail_field: "status" };
pub const THREADS: Dialect = Dialect { status_field: "status", detail_field: "error_message" };

#[derive(Debug, PartialEq, Eq)]
pub enum State {
    InProgress,
    Finished,
    Published,
    Error(String),
    Expired,
}

/// Reads a container's state. `Err` carries Meta's error (or the transport failure).
pub async fn state(graph: &Graph, call: &Call<'_>, token: &str, id: &str, d: &Dialect) -> Result<State, Result<GraphError, HttpFailure>> {
    let fields = format!("{},{},id", d.status_field, d.detail_field);
    let a: Answer = graph.get(call, token, id, &[("fields", fields)]).await.map_err(Err)?;
    if !a.ok() {
        return Err(Ok(GraphError::from_answer(&a)));
    }
    let detail = a.str(d.detail_field).unwrap_or("").to_string();
    Ok(match a.str(d.status_field).unwrap_or("") {
        "FINISHED" => State::Finished,
        "PUBLISHED" => State::Published,
        "ERROR" => State::Error(detail),
        "EXPIRED" => State::Expired,
        _ => State::InProgress,
    })
}

/// Step data of a container-based delivery.
pub fn step(children: &[String], container: Option<&str>) -> Value {
    json!({"children": children, "container": container, "createdAt": super::now_ms()})
}

pub fn children_of(step: &Value) -> Vec<String> {
    step.get("children")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

pub fn container_of(step: &Value) -> Option<&str> {
    step.get("container").and_then(Value::as_str)
}

pub fn created_at(step: &Value) -> i64 {
    step.get("createdAt").and_then(Value::as_i64).unwrap_or_else(super::now_ms)
}

/// A failure whose answer may be lost in the publish call.
pub fn publish_transport(h: HttpFailure, not_sent: impl FnOnce(String) -> Failure) -> Failure {
    match h {
        HttpFailure::NotSent(d) => not_sent(d),
        HttpFailure::MaybeSent(d) => Failure::Ambiguous { details: d },
    }
}

/// How one network's containers are polled and what its failures are.
pub struct Poller<'a> {
    pub graph: &'a Graph,
    pub dialect: &'a Dialect,
    pub every: Duration,
    pub deadline: Duration,
    /// Meta's answer (or a transport failure) while reading a container.
    pub graph_failure: fn(Result<GraphError, HttpFailure>) -> Failure,
    /// A container in `ERROR`, from its status text.
    pub container_error: fn(&str) -> Failure,
    /// Anything else final: an expired container, or processing past the deadline.
    pub failure: fn(String) -> Failure,
}

/// What polling found.
pub enum Checked {
    Done(Poll),
    /// Every carousel item is processed and the carousel container does not exist yet.
    CreateParent,
}

impl Poller<'_> {
    /// Checks a carousel's items (while it has no container of its own), else the container.
    pub async fn check(&self, call: &Call<'_>, token: &str, step: &Value) -> Result<Checked, Failure> {
        let late = super::now_ms() - created_at(step) > self.deadline.as_millis() as i64;
        let pending = || Ok(Checked::Done(Poll::Pending { step: step.clone(), retry_in: self.every }));
        let timed_out = || (self.failure)(format!("still processing after {} s", self.deadline.as_secs()));
        let Some(id) = container_of(step) else {
            for child in children_of(step) {
                match state(self.graph, call, token, &child, self.dialect).await.map_err(self.graph_failure)? {
                    State::Finished => {}
                    State::Error(m) => return Err((self.container_error)(&m)),
                    State::Expired => return Err((self.failure)("carousel item container expired".into())),
                    _ if late => return Err(timed_out()),
                    _ => return pending(),
                }
            }
            return Ok(Checked::CreateParent);
        };
        match state(self.graph, call, token, id, self.dialect).await.map_err(self.graph_failure)? {
            State::Finished | State::Published => Ok(Checked::Done(Poll::Ready(step.clone()))),
            State::Error(m) => Err((self.container_error)(&m)),
            State::Expired => Err((self.failure)("media container expired before publishing".into())),
            State::InProgress if late => Err(timed_out()),
            State::InProgress => pending(),
        }
    }
}

/// The step once the carousel container exists.
pub fn with_parent(step: &Value, parent: &str) -> Value {
    let mut next = step.clone();
    next["container"] = json!(parent);
    next
}

/// Publishes the step's container at `path` (`{user}/media_publish`, `{user}/threads_publish`).
/// `not_sent` is the (retryable) error when the call never left; a lost answer is ambiguous.
pub async fn publish(graph: &Graph, call: &Call<'_>, token: &str, path: &str, step: &Value, not_sent: ErrorReport, map: fn(&GraphError) -> Failure) -> Result<Published, Failure> {
    let container = container_of(step).unwrap_or_default().to_string();
    let a = graph
        .post(call, token, path, &[("creation_id", container)])
        .await
        .map_err(|h| publish_transport(h, |d| Failure::Transient { error: not_sent.details(d), retry_after: None }))?;
    if !a.ok() {
        return Err(map(&GraphError::from_answer(&a)));
    }
    let Some(id) = a.str("id").map(str::to_string) else {
        return Err(Failure::Ambiguous { details: format!("{path} answer without id: {}", a.body) });
    };
    // The permalink is cosmetic: never fail a published post over it.
    let url = match graph.get(call, token, &id, &[("fields", "permalink".into())]).await {
        Ok(p) if p.ok() => p.str("permalink").map(str::to_string),
        _ => None,
    };
    Ok(Published { id, url, extras: Map::new() })
}
