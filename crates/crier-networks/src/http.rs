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

pub fn classify_send_error(e: &reqwest::Error) -> HttpFailure {
    let text = error_chain(e);
    if e.is_connect() || e.is_builder() {
        HttpFailure::NotSent(text)
    } else {
        HttpFailure::MaybeSent(text)
    }
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
