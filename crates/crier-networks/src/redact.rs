//! The one redaction point for network error texts. Every connector is reached through
//! `Networks::get`, which wraps it in `Redacted`: whatever text a failure carries (a transport
//! error quoting a URL with the bot token in its path, an API echoing the token it refused) has
//! the call's secrets replaced before it reaches the engine, and so `details`, history, logs and
//! the database.

use crate::{Call, Confirmed, Content, Failure, HistoryPage, Network, Poll, PublishCap, Published, Reconciled};
use async_trait::async_trait;
use crier_core::{ErrorReport, Platform};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Shorter values are identifiers or flags, not secrets (and replacing them would garble texts).
const MIN_SECRET_LEN: usize = 6;

/// The secret values of a credentials JSON: strings under keys naming a token, secret,
/// password or key (`botToken`, `accessToken`, `appPassword`, `consumerSecret`, `refreshToken`…).
pub fn secrets_of(credentials: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(credentials, false, &mut out);
    // Longest first: a secret containing another is replaced whole.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

fn collect(v: &Value, secret_key: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) if secret_key && s.len() >= MIN_SECRET_LEN => out.push(s.clone()),
        Value::Object(map) => {
            for (k, v) in map {
                collect(v, secret_key || is_secret_key(k), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, secret_key, out)),
        _ => {}
    }
}

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["token", "secret", "password", "key"].iter().any(|w| k.contains(w))
}

/// `text` with every secret replaced, in the spellings a URL or a form may give it
/// (as is, percent-encoded, `+` for space).
pub fn redact_text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        for spelling in spellings(s) {
            if out.contains(&spelling) {
                out = out.replace(&spelling, REDACTED);
            }
        }
    }
    out
}

fn spellings(secret: &str) -> Vec<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut v = vec![secret.to_string()];
    for e in [encoded.clone(), encoded.replace('+', "%20")] {
        if !v.contains(&e) {
            v.push(e);
        }
    }
    v
}

fn redact_report(mut e: ErrorReport, secrets: &[String]) -> ErrorReport {
    e.details = e.details.map(|d| redact_text(&d, secrets));
    for (_, value) in e.args.iter_mut() {
        *value = redact_text(value, secrets);
    }
    e
}

fn redact_failure(f: Failure, secrets: &[String]) -> Failure {
    match f {
        Failure::Rejected(e) => Failure::Rejected(redact_report(e, secrets)),
        Failure::Transient { error, retry_after } => Failure::Transient { error: redact_report(error, secrets), retry_after },
        Failure::Ambiguous { details } => Failure::Ambiguous { details: redact_text(&details, secrets) },
    }
}

/// A connector whose failures never carry the call's secrets.
pub struct Redacted(pub Arc<dyn Network>);

impl Redacted {
    fn scrub<T>(r: Result<T, Failure>, call: &Call<'_>) -> Result<T, Failure> {
        r.map_err(|f| redact_failure(f, &secrets_of(call.credentials)))
    }

    fn scrub_report<T>(r: Result<T, ErrorReport>, call: &Call<'_>) -> Result<T, ErrorReport> {
        r.map_err(|e| redact_report(e, &secrets_of(call.credentials)))
    }
}

#[async_trait]
impl Network for Redacted {
    fn platform(&self) -> Platform {
        self.0.platform()
    }

    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure> {
        Self::scrub(self.0.prepare(call, content).await, call)
    }

    async fn poll(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Poll, Failure> {
        Self::scrub(self.0.poll(call, content, step).await, call)
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure> {
        Self::scrub(self.0.publish(call, content, step).await, call)
    }

    async fn confirm(&self, call: &Call<'_>, content: &Content, published: &Published) -> Result<Confirmed, Failure> {
        Self::scrub(self.0.confirm(call, content, published).await, call)
    }

    async fn reconcile(&self, call: &Call<'_>, content: &Content, step: &Value) -> Reconciled {
        self.0.reconcile(call, content, step).await
    }

    fn landing_lag(&self) -> Duration {
        self.0.landing_lag()
    }

    fn unavailable(&self, details: String) -> ErrorReport {
        self.0.unavailable(details)
    }

    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure> {
        Self::scrub(self.0.delete(call, native_id).await, call)
    }

    fn publish_cap(&self, credentials: &Value) -> Option<PublishCap> {
        self.0.publish_cap(credentials)
    }

    async fn post_analytics(&self, call: &Call<'_>, native_id: &str) -> Result<Value, ErrorReport> {
        Self::scrub_report(self.0.post_analytics(call, native_id).await, call)
    }

    async fn account_analytics(&self, call: &Call<'_>) -> Result<Value, ErrorReport> {
        Self::scrub_report(self.0.account_analytics(call).await, call)
    }

    async fn history(&self, call: &Call<'_>, limit: usize, cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        Self::scrub_report(self.0.history(call, limit, cursor).await, call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_the_values_under_secret_keys() {
        let creds = json!({"botToken": "123456:ABC-def", "chatId": "@channel_name", "nested": {"refreshToken": "r-abcdefgh"},
                           "appPassword": "abcd-efgh-ijkl", "username": "someone_long", "consumerKey": "ck"});
        let s = secrets_of(&creds);
        assert!(s.contains(&"123456:ABC-def".to_string()));
        assert!(s.contains(&"r-abcdefgh".to_string()));
        assert!(s.contains(&"abcd-efgh-ijkl".to_string()));
        assert!(!s.iter().any(|v| v == "@channel_name" || v == "someone_long"), "identifiers are not secrets: {s:?}");
        assert!(!s.iter().any(|v| v == "ck"), "too short to be a secret");
    }

    #[test]
    fn every_spelling_of_a_secret_is_replaced() {
        let secrets = secrets_of(&json!({"botToken": "123456:ABC def"}));
        let text = "error sending request for url (https://api.telegram.org/bot123456:ABC def/sendMessage) \
                    or 123456%3AABC+def or 123456%3AABC%20def";
        let out = redact_text(text, &secrets);
        assert!(!out.contains("123456"), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 3, "{out}");
    }
}
