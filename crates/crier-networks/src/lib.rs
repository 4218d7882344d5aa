//! crier-networks: one module per social network. Each speaks the network's
//! real API over HTTP and owns the table that maps the network's answers to
//! catalog codes. A network module never touches the database.

pub mod bitly;
pub mod bluesky;
pub mod gmb;
mod http;
pub mod link_check;
pub mod link_targets;
pub mod linkedin;
pub mod meta;
pub mod oauth;
pub mod pinterest;
pub mod reddit;
pub mod redact;
pub mod snapchat;
pub mod telegram;
pub mod tiktok;
pub mod twitter;
pub mod youtube;

pub use http::{Answer, HttpFailure, classify_send_error, describe, send};

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

impl Failure {
    /// The same failure, reported for `action` (a delete or a read mapped through the publish table).
    pub fn for_action(self, action: crier_core::Action) -> Failure {
        match self {
            Failure::Rejected(mut e) => {
                e.action = action;
                Failure::Rejected(e)
            }
            Failure::Transient { mut error, retry_after } => {
                error.action = action;
                Failure::Transient { error, retry_after }
            }
            ambiguous => ambiguous,
        }
    }
}

/// After an ambiguous publish, what the network says now (see docs/delivery.md).
#[derive(Clone, Debug)]
pub enum Reconciled {
    Published(Published),
    /// The network proves the post is not there *now*. The engine re-sends only once the first
    /// request can no longer land (its start + HTTP timeout + `landing_lag`); before that it asks again.
    NotPublished,
    /// The lookup could not tell this time (the call failed, or the answer proves nothing): ask
    /// again under the retry policy; when it runs out, the outcome is unknown (905).
    Unknown,
    /// The network offers no way to look the post up: the outcome is unknown (905) at once.
    NoLookup,
}

/// After `prepare`: can the post be published yet?
#[derive(Clone, Debug)]
pub enum Poll {
    /// Ready; carries the (possibly updated) step data.
    Ready(Value),
    /// The network is still processing (e.g. a media container): ask again later.
    Pending { step: Value, retry_in: Duration },
}

/// After a publish the network accepted: is the post live yet?
#[derive(Clone, Debug)]
pub enum Confirmed {
    /// Live, or as final as the network will say: the delivery is published with this identity.
    Done(Published),
    /// The network is still processing what it accepted (TikTok `PROCESSING_*`): ask again after
    /// `retry_in`. Until then the post answers `"status": "pending"` for this network.
    Pending { retry_in: Duration },
}

/// A rolling-window publishing cap that crier enforces itself before calling the network.
#[derive(Clone, Debug)]
pub struct PublishCap {
    /// Identifies the capped account, e.g. `instagram:<ig-user-id>`.
    pub key: String,
    pub limit: u32,
    pub window: Duration,
    /// The error when the cap is reached (details are filled in by the engine).
    pub error: ErrorReport,
}

/// One page of a network's own post list.
#[derive(Clone, Debug, Default)]
pub struct HistoryPage {
    pub posts: Vec<Value>,
    /// Cursor of the next page, if there is one.
    pub next: Option<String>,
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

    /// Asks whether what `prepare` made is ready. Default: ready at once.
    async fn poll(&self, _call: &Call<'_>, _content: &Content, step: &Value) -> Result<Poll, Failure> {
        Ok(Poll::Ready(step.clone()))
    }

    async fn publish(&self, call: &Call<'_>, content: &Content, step: &Value) -> Result<Published, Failure>;

    /// Asks whether an accepted publish went live. Called after every successful `publish`, then
    /// again after each `Pending`. `Err(Rejected)`: the network says it finally failed (nothing is
    /// visible); `Err(Transient | Ambiguous)`: could not ask now, ask again later.
    /// Default: a publish is live once accepted.
    async fn confirm(&self, _call: &Call<'_>, _content: &Content, published: &Published) -> Result<Confirmed, Failure> {
        Ok(Confirmed::Done(published.clone()))
    }

    /// Finds out whether an interrupted publish landed, by an exact key (an id crier chose or the
    /// network returned before publishing) or by reading the account's posts back to the attempt's
    /// start, never "the newest N". Default: the network offers no lookup.
    async fn reconcile(&self, _call: &Call<'_>, _content: &Content, _step: &Value) -> Reconciled {
        Reconciled::NoLookup
    }

    /// How long after the HTTP timeout a request this network received may still take effect
    /// (queues, asynchronous processing). A lookup's "not published" is proof only once the
    /// attempt began more than HTTP timeout + this ago. Documented per network in docs/delivery.md.
    fn landing_lag(&self) -> Duration {
        Duration::from_secs(30)
    }

    /// The error reported when transient failures (including proven-absent lost answers) used up
    /// the automatic retries: nothing was published, a retry is safe.
    fn unavailable(&self, details: String) -> ErrorReport {
        ErrorReport::for_platform(crier_core::Code::NetworkUnavailable, crier_core::Action::Post, self.platform())
            .arg("network", self.platform().display_name())
            .details(details)
    }

    /// Deletes a published post at the network.
    async fn delete(&self, call: &Call<'_>, native_id: &str) -> Result<(), Failure>;

    /// The cap crier must enforce for this linked account, if the network has one.
    fn publish_cap(&self, _credentials: &Value) -> Option<PublishCap> {
        None
    }

    /// Metrics of one published post, in Ayrshare's shape for this network.
    async fn post_analytics(&self, _call: &Call<'_>, _native_id: &str) -> Result<Value, ErrorReport> {
        Err(not_supported(self.platform(), crier_core::Action::Analytics))
    }

    /// Account-level metrics (`/analytics/social`).
    async fn account_analytics(&self, _call: &Call<'_>) -> Result<Value, ErrorReport> {
        Err(not_supported(self.platform(), crier_core::Action::Analytics))
    }

    /// The account's own posts at the network (also those not made through crier), newest first,
    /// a page at a time: `cursor` is the `next` of the previous page.
    async fn history(&self, _call: &Call<'_>, _limit: usize, _cursor: Option<&str>) -> Result<HistoryPage, ErrorReport> {
        Err(not_supported(self.platform(), crier_core::Action::History))
    }
}

fn not_supported(platform: Platform, action: crier_core::Action) -> ErrorReport {
    ErrorReport::for_platform(crier_core::Code::NotSupported, action, platform)
        .arg("network", platform.display_name())
        .details(format!("crier does not offer {} for {} yet", action.as_str(), platform.display_name()))
}

/// Where each network's API lives. Defaults are the real networks; tests and
/// `--sandbox` point them at crier's sandbox.
#[derive(Clone, Debug)]
pub struct Endpoints {
    pub telegram: String,
    pub bluesky: String,
    /// Graph API host for Facebook Pages and Instagram.
    pub facebook: String,
    pub threads: String,
    pub twitter: String,
    /// Google APIs host (YouTube uploads and data API).
    pub youtube: String,
    pub linkedin: String,
    pub tiktok: String,
    pub pinterest: String,
    /// Reddit's OAuth API host.
    pub reddit: String,
    /// Google Business Profile (My Business v4) host.
    pub gmb: String,
    pub snapchat: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            telegram: "https://api.telegram.org".into(),
            bluesky: "https://bsky.social".into(),
            facebook: "https://graph.facebook.com".into(),
            threads: "https://graph.threads.net".into(),
            twitter: "https://api.x.com".into(),
            youtube: "https://www.googleapis.com".into(),
            linkedin: "https://api.linkedin.com".into(),
            tiktok: "https://open.tiktokapis.com".into(),
            pinterest: "https://api.pinterest.com".into(),
            reddit: "https://oauth.reddit.com".into(),
            gmb: "https://mybusiness.googleapis.com".into(),
            snapchat: "https://businessapi.snapchat.com".into(),
        }
    }
}

impl Endpoints {
    /// All networks served by one sandbox at `base` (e.g. `http://127.0.0.1:7000`).
    pub fn sandbox(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Endpoints {
            telegram: format!("{base}/telegram"),
            bluesky: format!("{base}/bluesky"),
            facebook: format!("{base}/facebook"),
            threads: format!("{base}/threads"),
            twitter: format!("{base}/x"),
            youtube: format!("{base}/youtube"),
            linkedin: format!("{base}/linkedin"),
            tiktok: format!("{base}/tiktok"),
            pinterest: format!("{base}/pinterest"),
            reddit: format!("{base}/reddit"),
            gmb: format!("{base}/gmb"),
            snapchat: format!("{base}/snapchat"),
        }
    }
}

/// How networks behave beyond their addresses.
#[derive(Clone, Debug)]
pub struct Settings {
    pub endpoints: Endpoints,
    /// How often a processing media container (Instagram, Threads) is asked about.
    pub container_poll: Duration,
    /// How long a container may stay in processing before the post fails (Instagram: 436).
    pub container_deadline: Duration,
    /// Instagram's publishing cap per professional account, rolling 24 h.
    pub instagram_daily_limit: u32,
    /// LinkedIn's posting cap per author, rolling 24 h (LinkedIn: 150 a day).
    pub linkedin_daily_limit: u32,
    /// TikTok's posting cap per creator, rolling 24 h (TikTok: 15 a day).
    pub tiktok_daily_limit: u32,
    /// Bytes per YouTube upload chunk (rounded up to a multiple of 256 KiB).
    pub youtube_chunk: usize,
    /// Longest wait for one network call (connect, send, answer).
    pub http_timeout: Duration,
    /// Replaces every connector's own `landing_lag` (tests against the local sandbox, whose
    /// requests land at once or by a fault's explicit delay).
    pub landing_lag: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoints: Endpoints::default(),
            container_poll: Duration::from_secs(10),
            container_deadline: Duration::from_secs(300),
            instagram_daily_limit: 50,
            linkedin_daily_limit: 150,
            tiktok_daily_limit: 15,
            youtube_chunk: 8 << 20,
            http_timeout: Duration::from_secs(60),
            landing_lag: None,
        }
    }
}

/// The networks crier can publish to, with the HTTP client they share.
#[derive(Clone)]
pub struct Networks {
    pub http: reqwest::Client,
    /// Longest wait for one network call: a request older than this plus the network's
    /// `landing_lag` can no longer take effect.
    pub http_timeout: Duration,
    landing_lag: Option<Duration>,
    /// Where each network's API lives (the linking page's checks call the same addresses).
    pub endpoints: Endpoints,
    by_platform: HashMap<Platform, Arc<dyn Network>>,
}

impl Networks {
    pub fn new(settings: &Settings, media: Arc<dyn MediaSource>) -> Networks {
        let http = http::client(settings.http_timeout);
        let endpoints = &settings.endpoints;
        let mut by_platform: HashMap<Platform, Arc<dyn Network>> = HashMap::new();
        by_platform.insert(Platform::Telegram, Arc::new(telegram::Telegram::new(&endpoints.telegram)));
        by_platform.insert(Platform::Bluesky, Arc::new(bluesky::Bluesky::new(&endpoints.bluesky, media.clone())));
        by_platform.insert(Platform::Twitter, Arc::new(twitter::Twitter::new(&endpoints.twitter, media.clone())));
        by_platform.insert(Platform::Youtube, Arc::new(youtube::Youtube::new(&endpoints.youtube, media.clone(), settings.youtube_chunk)));
        by_platform.insert(Platform::Facebook, Arc::new(meta::facebook::Facebook::new(&endpoints.facebook)));
        by_platform.insert(Platform::Instagram, Arc::new(meta::instagram::Instagram::new(&endpoints.facebook, settings)));
        by_platform.insert(Platform::Threads, Arc::new(meta::threads::Threads::new(&endpoints.threads, settings)));
        by_platform.insert(Platform::Linkedin, Arc::new(linkedin::Linkedin::new(&endpoints.linkedin, media.clone(), settings)));
        by_platform.insert(Platform::Tiktok, Arc::new(tiktok::Tiktok::new(&endpoints.tiktok, media.clone(), settings)));
        by_platform.insert(Platform::Pinterest, Arc::new(pinterest::Pinterest::new(&endpoints.pinterest, media.clone(), settings)));
        by_platform.insert(Platform::Reddit, Arc::new(reddit::Reddit::new(&endpoints.reddit)));
        by_platform.insert(Platform::Gmb, Arc::new(gmb::Gmb::new(&endpoints.gmb, settings)));
        by_platform.insert(Platform::Snapchat, Arc::new(snapchat::Snapchat::new(&endpoints.snapchat, media.clone())));
        let by_platform = by_platform.into_iter().map(|(p, n)| (p, redacted(n))).collect();
        Networks { http, http_timeout: settings.http_timeout, landing_lag: settings.landing_lag, endpoints: settings.endpoints.clone(), by_platform }
    }

    /// A set of networks built elsewhere (simulations of the engine plug their own `Network` in).
    pub fn from_parts(settings: &Settings, networks: Vec<Arc<dyn Network>>) -> Networks {
        let by_platform = networks.into_iter().map(|n| (n.platform(), redacted(n))).collect();
        Networks {
            http: http::client(settings.http_timeout),
            http_timeout: settings.http_timeout,
            landing_lag: settings.landing_lag,
            endpoints: settings.endpoints.clone(),
            by_platform,
        }
    }

    /// How long after a publish attempt began a lookup's "not published" becomes proof.
    pub fn settle_window(&self, network: &dyn Network) -> Duration {
        self.http_timeout + self.landing_lag.unwrap_or_else(|| network.landing_lag())
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

/// Every connector is reached through the redaction point (redact.rs).
fn redacted(network: Arc<dyn Network>) -> Arc<dyn Network> {
    Arc::new(redact::Redacted(network))
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
