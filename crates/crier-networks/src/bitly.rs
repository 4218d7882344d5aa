//! Bitly API v4 (`POST /v4/shorten`), the external shortener crier can use for
//! `shortenLinks`. Errors are `{"message", "resource", "description", "errors"}`.

use crate::classify_send_error;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
pub struct Bitly {
    pub base: String,
    pub token: String,
    /// Branded short domain, if the account has one.
    pub domain: Option<String>,
}

impl Bitly {
    /// The short link for `url`, or Bitly's reason for refusing (goes to `details` of 441).
    pub async fn shorten(&self, http: &reqwest::Client, url: &str) -> Result<String, String> {
        let mut body = json!({"long_url": url});
        if let Some(d) = &self.domain {
            body["domain"] = json!(d);
        }
        let resp = http
            .post(format!("{}/v4/shorten", self.base.trim_end_matches('/')))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .map_err(|e| match classify_send_error(&e) {
                crate::HttpFailure::NotSent(d) | crate::HttpFailure::MaybeSent(d) => format!("Bitly unreachable: {d}"),
            })?;
        let status = resp.status().as_u16();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        if (200..300).contains(&status)
            && let Some(link) = v.get("link").and_then(Value::as_str)
        {
            return Ok(link.to_string());
        }
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (message, description) = (text("message"), text("description"));
        Err(match (message.is_empty(), description.is_empty()) {
            (true, true) => format!("Bitly answered HTTP {status}"),
            (false, true) => format!("Bitly: {message} (HTTP {status})"),
            (_, false) => format!("Bitly: {message} — {description} (HTTP {status})"),
        })
    }
}
