//! crier-networks: one module per social network. Each speaks the network's
//! real API over HTTP and owns the table that maps the network's answers to
//! catalog codes. A network module never touches the database.

pub mod bluesky;
mod http;
pub mod telegram;

pub use http::{HttpFailure, classify_send_error};

use async_trait::async_trait;
use crier_core::{ErrorReport, Platform};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// What is published: the text and media of a post plus this network's option object.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub text: String,
    pub media_urls: Vec<String>,
    pub is_video: bool,
    pub options: Map<String, Value>,
}

/// A published post, as the network identifies it.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub id: String,
    pub url: Option<String>,
    pub extras: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub enum Failure {
    /// The network refused; retrying the same request cannot help.
    Rejected(ErrorReport),
    /// The network certainly did not publish and a later attempt can succeed.
    /// `error` is what the user sees if automatic retries run out.
    Transient { error: ErrorReport, retry_after: Option<Duration> },
    /// The request may have reached the network: the post may exist.
    Ambiguous { details: String },
}

/// After an ambiguous publish, what the network says now.
#[derive(Clone, Debug)]
pub enum Reconciled {
    Published(Published),
    /// Certainly not there: sending again cannot duplicate.
    NotPublished,
    /// The network offers no way to know.
    Unknown,
}

/// Everything a network call needs besides the content.
pub struct Call<'a> {
    pub http: &'a reqwest::Client,
    /// Decrypted credentials of the linked account (network-specific JSON).
    pub credentials: &'a Value,
}

/// One social network. Steps: `prepare` (repeatable, publishes nothing) →
/// `publish` (the single call that makes the post visible) → on doubt, `reconcile`.
#[async_trait]
pub trait Network: Send + Sync {
    fn platform(&self) -> Platform;

    /// Uploads, sessions, record keys… Returns the step data `publish` needs; it is persisted.
    async fn prepare(&self, call: &Call<'_>, content: &Content) -> Result<Value, Failure>;

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure>;

    /// Finds out whether an interrupted publish landed. Default: no way to know.
    async fn reconcile(&self, _call: &Call<'_>, _content: &Content, _step: &Value) -> Reconciled {
        Reconciled::Unknown
    }

    /// Deletes a published post at the network.
    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure>;
}

/// Where each network's API lives. Defaults are the real networks; tests and
/// `--sandbox` point them at crier's sandbox.
#[derive(Clone, Debug)]
pub struct Endpoints {
    pub telegram: String,
    pub bluesky: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints { telegram: "https://api.telegram.org".into(), bluesky: "https://bsky.social".into() }
    }
}

impl Endpoints {
    /// All networks served by one sandbox at `base` (e.g. `http://127.0.0.1:7000`).
    pub fn sandbox(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Endpoints { telegram: format!("{base}/telegram"), bluesky: format!("{base}/bluesky") }
    }
}

/// The networks crier can publish to, with the HTTP client they share.
#[derive(Clone)]
pub struct Networks {
    pub http: reqwest::Client,
    by_platform: HashMap<Platform, Arc<dyn Network>>,
}

impl Networks {
    pub fn new(endpoints: &Endpoints, media: Arc<dyn MediaSource>) -> Networks {
        let http = http::client();
        let mut by_platform: HashMap<Platform, Arc<dyn Network>> = HashMap::new();
        by_platform.insert(Platform::Telegram, Arc::new(telegram::Telegram::new(&endpoints.telegram)));
        by_platform.insert(Platform::Bluesky, Arc::new(bluesky::Bluesky::new(&endpoints.bluesky, media)));
        Networks { http, by_platform }
    }

    pub fn get(&self, platform: Platform) -> Option<&Arc<dyn Network>> {
        self.by_platform.get(&platform)
    }

    pub fn supported(&self) -> Vec<Platform> {
        let mut v: Vec<_> = self.by_platform.keys().copied().collect();
        v.sort();
        v
    }
}

/// Bytes of a user's media URL, fetched safely (the SSRF guard lives behind this).
#[async_trait]
pub trait MediaSource: Send + Sync {
    async fn fetch(&self, url: &str, max_bytes: usize) -> Result<FetchedMedia, ErrorReport>;
}

#[derive(Clone, Debug)]
pub struct FetchedMedia {
    pub bytes: Vec<u8>,
    /// Sniffed from the bytes, never taken from the URL or Content-Type.
    pub mime: &'static str,
}
