//! The HTTP client networks share, and how its failures are classified.

use std::time::Duration;

pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10).min(timeout))
        .timeout(timeout)
        .user_agent(concat!("crier/", env!("CARGO_PKG_VERSION")))
        // Network APIs do not redirect API calls; a redirect would be a misconfiguration.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("static HTTP client configuration is valid")
}

/// A transport failure, split by whether the request can have reached the server.
#[derive(Debug)]
pub enum HttpFailure {
    /// No connection was made: the request was certainly not received.
    NotSent(String),
    /// Sent (or possibly sent) but no complete answer came back.
    MaybeSent(String),
}

impl HttpFailure {
    /// What went wrong, for `details`.
    pub fn into_text(self) -> String {
        match self {
            HttpFailure::NotSent(d) | HttpFailure::MaybeSent(d) => d,
        }
    }
}

/// One answer of a JSON API: status, headers, and the body (`Null` when empty or not JSON).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Answer {
    /// A 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header's value, trimmed; `None` when absent or empty.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// Sends `req` and reads the whole answer. A failure after the request left is `MaybeSent`.
pub async fn send(req: reqwest::RequestBuilder) -> Result<Answer, HttpFailure> {
    let resp = req.send().await.map_err(|e| classify_send_error(&e))?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.map_err(|e| HttpFailure::MaybeSent(describe(&e)))?;
    Ok(Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null) })
}

pub fn classify_send_error(e: &reqwest::Error) -> HttpFailure {
    let text = describe(e);
    if e.is_connect() || e.is_builder() {
        HttpFailure::NotSent(text)
    } else {
        HttpFailure::MaybeSent(text)
    }
}

/// A transport error's text, without its URL: a URL can carry a secret (Telegram's bot token is
/// in the path, some APIs take `access_token` in the query). The host stays, for diagnosis.
/// Every reqwest error text of a connector goes through here (the redaction point in redact.rs
/// then removes any secret the text still quotes).
pub fn describe(e: &reqwest::Error) -> String {
    let mut text = error_chain(e);
    if let Some(url) = e.url() {
        text = text.replace(&format!(" for url ({url})"), "").replace(url.as_str(), "<url>");
        if let Some(host) = url.host_str() {
            text.push_str(&format!(" (host {host})"));
        }
    }
    text
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}
