//! Typed configuration: defaults, then a TOML file, then `CRIER_*` environment
//! variables (nested keys with `__`, e.g. `CRIER_NETWORKS__TELEGRAM`), then flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the API listens on.
    pub listen: SocketAddr,
    /// Where the SQLite database (and, without `encryption_key`, the generated key file) live.
    pub data_dir: PathBuf,
    /// `postgres://user:password@host/db` to share one PostgreSQL between several crier nodes.
    /// Unset: SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Run the network emulators in-process and point every network at them.
    pub sandbox: bool,
    /// Address of the in-process sandbox (port 0: any free port).
    pub sandbox_listen: SocketAddr,
    /// Seconds `POST /api/post` waits for immediate deliveries before answering with `pending`.
    pub wait_limit_secs: u64,
    /// Seconds in-flight deliveries get to finish on shutdown.
    pub shutdown_grace_secs: u64,
    /// Base64 of 32 bytes that encrypt network credentials at rest. Unset: `<data_dir>/secret.key`.
    pub encryption_key: Option<String>,
    pub networks: NetworksConfig,
    pub engine: EngineSettings,
    pub media: MediaSettings,
    pub links: LinksConfig,
    pub log: LogConfig,
    pub metrics: MetricsConfig,
    pub limits: LimitsConfig,
    pub cors: CorsConfig,
    pub http: HttpSettings,
    pub linking: crate::linking_cfg::LinkingConfig,
    /// The apps registered at each network (`oauth.<network>.client_id`, …): oauth_cfg.rs.
    pub oauth: crate::oauth_cfg::OAuthConfig,
    /// Webhook delivery: retry schedule, timeout, when a failing registration is disabled (webhooks_cfg.rs).
    pub webhooks: crate::webhooks_cfg::WebhooksConfig,
}

/// Logging to stderr. `RUST_LOG`, when set, overrides `level`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` (default: one readable line per event) or `json` (one JSON object per line).
    pub format: LogFormat,
    /// A tracing filter: `info` (default), `debug`, or per target, e.g. `info,crier::access=warn`.
    pub level: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { format: LogFormat::Text, level: "info".into() }
    }
}

/// Prometheus `GET /metrics`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Serve `/metrics` (default true). Off: 404, and nothing is recorded.
    pub enabled: bool,
    /// When set, scrapes must send `Authorization: Bearer <token>` (default: unset, open).
    pub token: Option<String>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig { enabled: true, token: None }
    }
}

/// crier's own API rate limit, per API key and per profile (the one `Profile-Key` selects, else the
/// key's primary profile), counted in the store so all nodes share it. Over a limit: 429, code 903.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Count requests and refuse those over a limit. Default `true`.
    pub enabled: bool,
    /// Requests per window per API key; 0: no per-key limit. Default 3000 (Ayrshare publishes no
    /// per-key limit; this lets one key run ten profiles at their full rate).
    pub per_key: u32,
    /// Requests per window per profile; 0: no per-profile limit. Default 300 (Ayrshare's).
    pub per_profile: u32,
    /// Window length: a bucket's window starts with its first request. Default 300 (Ayrshare's 5 minutes).
    pub window_secs: u64,
}

/// Browser clients (CORS). Off unless origins are listed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsConfig {
    /// Origins allowed to call crier from a browser, e.g. `["https://app.example.com"]`; `["*"]`: any.
    /// Default `[]`: CORS off, no CORS headers.
    pub allowed_origins: Vec<String>,
    /// Seconds a browser may reuse a preflight's answer. Default 600.
    pub max_age_secs: u64,
}

/// The HTTP server's own limits against slow and piled-up clients (`http_serve.rs`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// Seconds a client has to send a request's headers (slowloris); also how long an idle
    /// keep-alive connection stays open. Default 10.
    pub header_read_timeout_secs: u64,
    /// Seconds a client has to send a whole request body, counted from the request's start; then
    /// the request fails (900) and the connection closes. Default 60: a 40 MiB upload at about
    /// 6 Mbit/s. Raise it when clients upload large media over slow links.
    pub body_read_timeout_secs: u64,
    /// Connections served at once; more wait in the kernel's listen backlog until one closes.
    /// Default 512: keep it well below the process's open-file limit (`ulimit -n`), since
    /// deliveries, media fetches and the database need descriptors too.
    pub max_connections: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings { header_read_timeout_secs: 10, body_read_timeout_secs: 60, max_connections: 512 }
    }
}

impl HttpSettings {
    pub(crate) fn limits(&self) -> crate::http_serve::Limits {
        use std::time::Duration;
        crate::http_serve::Limits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs.max(1)),
            body_deadline: Duration::from_secs(self.body_read_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }
}

/// Link shortening: crier's own short links, and who shortens for `shortenLinks`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// Public base of short links. Unset: `http://<listen address>/l`.
    pub base_url: Option<String>,
    /// `internal` (crier's own) or `bitly` (a Bitly-compatible API).
    pub provider: LinkProvider,
    pub bitly_url: String,
    pub bitly_token: Option<String>,
    pub bitly_domain: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkProvider {
    #[default]
    Internal,
    Bitly,
}

/// API base URL of each network (defaults: the real networks), and how crier paces them.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworksConfig {
    pub telegram: String,
    pub bluesky: String,
    /// Graph API host for Facebook Pages and Instagram.
    pub facebook: String,
    pub threads: String,
    pub twitter: String,
    /// Google APIs host for YouTube.
    pub youtube: String,
    pub linkedin: String,
    pub tiktok: String,
    pub pinterest: String,
    /// Reddit's OAuth API host.
    pub reddit: String,
    /// Google Business Profile (My Business v4) host.
    pub gmb: String,
    pub snapchat: String,
    /// Bytes per YouTube upload chunk (a multiple of 256 KiB).
    pub youtube_chunk_bytes: usize,
    /// Seconds one network call may take.
    pub http_timeout_secs: u64,
    /// Replaces every network's own processing lag (docs/delivery.md): after a lost answer, a
    /// lookup's "not published" counts as proof only `http_timeout_secs` + this after the attempt
    /// began. Unset: each network's documented lag. Tests against the local sandbox set it.
    pub landing_lag_ms: Option<u64>,
    /// How often a processing Instagram/Threads media container is checked.
    pub container_poll_ms: u64,
    /// How long a container may process before the post fails (Instagram: 436).
    pub container_deadline_secs: u64,
    /// Instagram's cap per professional account and rolling 24 h, enforced before calling Meta.
    pub instagram_daily_limit: u32,
    /// LinkedIn's posts per member or page and rolling 24 h, enforced before calling LinkedIn.
    pub linkedin_daily_limit: u32,
    /// TikTok's posts per creator and rolling 24 h, enforced before calling TikTok.
    pub tiktok_daily_limit: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineSettings {
    pub concurrency: usize,
    pub lease_secs: u64,
    pub retry_max_attempts: u32,
    pub retry_base_ms: u64,
    pub retry_deadline_secs: u64,
    /// Seconds an X delivery is left to the node that holds its request's keys.
    pub byo_affinity_secs: u64,
    /// How long after a post was due crier keeps asking a network that accepted it (TikTok) whether
    /// it went live; then the delivery settles as unknown (905).
    pub confirm_deadline_secs: u64,
    /// How often idle OAuth accounts are refreshed before their grant dies (0: never).
    pub token_sweep_secs: u64,
    /// The sweep refreshes refresh tokens ending within this many seconds.
    pub token_sweep_margin_secs: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaSettings {
    /// Lets media URLs point at 127.0.0.0/8 and ::1 (tests and the local sandbox only).
    pub allow_loopback: bool,
    pub max_bytes: usize,
    /// Fetch media only on this machine (no DNS, loopback interface only). `--sandbox` turns it on.
    pub local_only: bool,
    /// A hosts table for media fetches (name → addresses), consulted before DNS. The SSRF guard
    /// checks these addresses like any DNS answer.
    pub hosts: std::collections::BTreeMap<String, Vec<std::net::IpAddr>>,
    /// Public base URL of this crier for `/media/{token}` (networks fetch from it). Unset: `http://<listen>`.
    pub public_url: Option<String>,
    /// How long an uploaded file is kept (Ayrshare: 90 days).
    pub upload_ttl_secs: u64,
    /// How long an image converted to JPEG for a network stays at `/media/{token}` (networks pull
    /// it within minutes; a scheduled retry may need it later).
    pub converted_ttl_secs: u64,
    /// Longest time one media download may take, redirects included (also the wait for each chunk).
    pub fetch_timeout_secs: u64,
    /// Images decoded at once (each may take up to ~400 MB at the pixel limit). 0: one per CPU.
    pub convert_threads: usize,
    /// `local` (a folder: `staging_dir`, default `<data_dir>/media`) or `s3` (needs the s3_* keys).
    pub staging: StagingKind,
    pub staging_dir: Option<std::path::PathBuf>,
    pub s3_endpoint: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_region: String,
    pub s3_access_key: Option<String>,
    pub s3_secret_key: Option<String>,
}

impl MediaSettings {
    /// The SSRF guard's limits for user media URLs.
    pub fn fetch_policy(&self, allow_loopback: bool) -> crier_media::FetchPolicy {
        let total = std::time::Duration::from_secs(self.fetch_timeout_secs.max(1));
        let d = crier_media::FetchPolicy::default();
        crier_media::FetchPolicy {
            allow_loopback,
            max_bytes: self.max_bytes,
            total_timeout: total,
            read_timeout: d.read_timeout.min(total),
            connect_timeout: d.connect_timeout.min(total),
            ..d
        }
    }

    pub fn convert_parallelism(&self) -> usize {
        match self.convert_threads {
            0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            n => n,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StagingKind {
    #[default]
    Local,
    S3,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".parse().expect("valid literal"),
            data_dir: PathBuf::from("data"),
            database_url: None,
            sandbox: false,
            sandbox_listen: "127.0.0.1:0".parse().expect("valid literal"),
            wait_limit_secs: 60,
            shutdown_grace_secs: 10,
            encryption_key: None,
            networks: NetworksConfig::default(),
            engine: EngineSettings::default(),
            media: MediaSettings::default(),
            links: LinksConfig { bitly_url: "https://api-ssl.bitly.com".into(), ..LinksConfig::default() },
            log: LogConfig::default(),
            metrics: MetricsConfig::default(),
            limits: LimitsConfig::default(),
            cors: CorsConfig::default(),
            http: HttpSettings::default(),
            linking: Default::default(),
            oauth: Default::default(),
            webhooks: Default::default(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let d = crier_api::RateLimits::default();
        LimitsConfig { enabled: d.enabled, per_key: d.per_key, per_profile: d.per_profile, window_secs: d.window.as_secs() }
    }
}

impl Default for CorsConfig {
    fn default() -> Self {
        CorsConfig { allowed_origins: Vec::new(), max_age_secs: 600 }
    }
}

impl Default for NetworksConfig {
    fn default() -> Self {
        let s = crier_networks::Settings::default();
        let d = s.endpoints;
        NetworksConfig {
            telegram: d.telegram,
            bluesky: d.bluesky,
            facebook: d.facebook,
            threads: d.threads,
            twitter: d.twitter,
            youtube: d.youtube,
            linkedin: d.linkedin,
            tiktok: d.tiktok,
            pinterest: d.pinterest,
            reddit: d.reddit,
            gmb: d.gmb,
            snapchat: d.snapchat,
            youtube_chunk_bytes: s.youtube_chunk,
            http_timeout_secs: s.http_timeout.as_secs(),
            landing_lag_ms: s.landing_lag.map(|l| l.as_millis() as u64),
            container_poll_ms: s.container_poll.as_millis() as u64,
            container_deadline_secs: s.container_deadline.as_secs(),
            instagram_daily_limit: s.instagram_daily_limit,
            linkedin_daily_limit: s.linkedin_daily_limit,
            tiktok_daily_limit: s.tiktok_daily_limit,
        }
    }
}

impl NetworksConfig {
    pub fn settings(&self) -> crier_networks::Settings {
        use std::time::Duration;
        crier_networks::Settings {
            endpoints: crier_networks::Endpoints {
                telegram: self.telegram.clone(),
                bluesky: self.bluesky.clone(),
                facebook: self.facebook.clone(),
                threads: self.threads.clone(),
                twitter: self.twitter.clone(),
                youtube: self.youtube.clone(),
                linkedin: self.linkedin.clone(),
                tiktok: self.tiktok.clone(),
                pinterest: self.pinterest.clone(),
                reddit: self.reddit.clone(),
                gmb: self.gmb.clone(),
                snapchat: self.snapchat.clone(),
            },
            youtube_chunk: self.youtube_chunk_bytes,
            http_timeout: Duration::from_secs(self.http_timeout_secs.max(1)),
            landing_lag: self.landing_lag_ms.map(Duration::from_millis),
            container_poll: Duration::from_millis(self.container_poll_ms),
            container_deadline: Duration::from_secs(self.container_deadline_secs),
            instagram_daily_limit: self.instagram_daily_limit,
            linkedin_daily_limit: self.linkedin_daily_limit,
            tiktok_daily_limit: self.tiktok_daily_limit,
        }
    }
}

impl Default for EngineSettings {
    fn default() -> Self {
        let e = crier_engine::EngineConfig::default();
        EngineSettings {
            concurrency: e.concurrency,
            lease_secs: e.lease.as_secs(),
            retry_max_attempts: e.retry.max_attempts,
            retry_base_ms: e.retry.base.as_millis() as u64,
            retry_deadline_secs: e.retry.deadline.as_secs(),
            byo_affinity_secs: e.byo_affinity.as_secs(),
            confirm_deadline_secs: e.confirm_deadline.as_secs(),
            token_sweep_secs: e.token_sweep.as_secs(),
            token_sweep_margin_secs: e.token_sweep_margin.as_secs(),
        }
    }
}

impl Default for MediaSettings {
    fn default() -> Self {
        MediaSettings {
            allow_loopback: false,
            max_bytes: 50 << 20,
            local_only: false,
            hosts: Default::default(),
            public_url: None,
            upload_ttl_secs: 90 * 86_400,
            converted_ttl_secs: 7 * 86_400,
            fetch_timeout_secs: 120,
            convert_threads: 0,
            staging: StagingKind::Local,
            staging_dir: None,
            s3_endpoint: None,
            s3_bucket: None,
            s3_region: "us-east-1".into(),
            s3_access_key: None,
            s3_secret_key: None,
        }
    }
}

/// The top-level keys of `Config`, for picking crier's variables out of the environment.
const TOP_LEVEL_KEYS: &[&str] = &[
    "listen", "data_dir", "database_url", "sandbox", "sandbox_listen", "wait_limit_secs", "shutdown_grace_secs",
    "encryption_key", "networks", "engine", "media", "links", "log", "metrics", "limits", "cors", "http", "linking",
    "oauth", "webhooks",
];

impl Config {
    /// Defaults ← TOML file (if given, or `crier.toml` if present) ← `CRIER_*` environment.
    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => fig = fig.merge(Toml::file_exact(f)),
            None => fig = fig.merge(Toml::file("crier.toml")),
        }
        // Only crier's own keys: other CRIER_* variables (scripts' CRIER_URL, …) are not configuration.
        let env = Env::prefixed("CRIER_").split("__").filter(|key| {
            let top = key.as_str().split('.').next().unwrap_or("").to_ascii_lowercase();
            TOP_LEVEL_KEYS.contains(&top.as_str())
        });
        fig.merge(env).extract().map_err(Box::new)
    }

    /// Media staging and addressing once the listening address is known.
    pub fn media_settings(&self, listening: std::net::SocketAddr, fetcher: crier_media::SafeFetcher) -> Result<crier_api::MediaSettings, String> {
        let m = &self.media;
        let staging = match m.staging {
            StagingKind::Local => crier_media::StagingConfig::Local { dir: m.staging_dir.clone().unwrap_or_else(|| self.data_dir.join("media")) },
            StagingKind::S3 => crier_media::StagingConfig::S3 {
                endpoint: m.s3_endpoint.clone(),
                bucket: m.s3_bucket.clone().ok_or("media.staging is s3 but media.s3_bucket is not set")?,
                region: m.s3_region.clone(),
                access_key: m.s3_access_key.clone().ok_or("media.staging is s3 but media.s3_access_key is not set")?,
                secret_key: m.s3_secret_key.clone().ok_or("media.staging is s3 but media.s3_secret_key is not set")?,
            },
        };
        Ok(crier_api::MediaSettings {
            staging: crier_media::Staging::new(&staging).map_err(|e| e.to_string())?,
            public_base: m.public_url.clone().unwrap_or_else(|| format!("http://{listening}")),
            upload_ttl: std::time::Duration::from_secs(m.upload_ttl_secs),
            fetcher,
        })
    }

    /// Link settings once the listening address is known.
    pub fn link_settings(&self, listening: std::net::SocketAddr) -> Result<crier_engine::LinkSettings, String> {
        let base_url = self.links.base_url.clone().unwrap_or_else(|| format!("http://{listening}/l"));
        let provider = match self.links.provider {
            LinkProvider::Internal => crier_engine::Provider::Internal,
            LinkProvider::Bitly => crier_engine::Provider::Bitly(crier_networks::bitly::Bitly {
                base: self.links.bitly_url.clone(),
                token: self.links.bitly_token.clone().ok_or("links.provider is bitly but links.bitly_token is not set")?,
                domain: self.links.bitly_domain.clone(),
            }),
        };
        Ok(crier_engine::LinkSettings { base_url, provider })
    }

    pub fn rate_limits(&self) -> crier_api::RateLimits {
        let l = &self.limits;
        crier_api::RateLimits {
            enabled: l.enabled,
            per_key: l.per_key,
            per_profile: l.per_profile,
            window: std::time::Duration::from_secs(l.window_secs.max(1)),
        }
    }

    /// CORS settings; an entry of `cors.allowed_origins` that is not an origin is an error.
    pub fn cors_settings(&self) -> Result<crier_api::CorsSettings, String> {
        crier_api::CorsSettings::new(&self.cors.allowed_origins, std::time::Duration::from_secs(self.cors.max_age_secs))
    }

    pub fn engine_config(&self) -> crier_engine::EngineConfig {
        use std::time::Duration;
        crier_engine::EngineConfig {
            concurrency: self.engine.concurrency.max(1),
            lease: Duration::from_secs(self.engine.lease_secs.max(1)),
            retry: crier_engine::RetryPolicy {
                max_attempts: self.engine.retry_max_attempts.max(1),
                base: Duration::from_millis(self.engine.retry_base_ms),
                deadline: Duration::from_secs(self.engine.retry_deadline_secs),
            },
            byo_affinity: Duration::from_secs(self.engine.byo_affinity_secs),
            confirm_deadline: Duration::from_secs(self.engine.confirm_deadline_secs),
            jitter_seed: None,
            answer_wait: Some(Duration::from_secs(self.wait_limit_secs)),
            token_sweep: Duration::from_secs(self.engine.token_sweep_secs),
            token_sweep_margin: Duration::from_secs(self.engine.token_sweep_margin_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn top_level_keys_match_the_struct() {
        let v = serde_json::to_value(super::Config::default()).unwrap();
        let mut fields: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        fields.sort();
        let mut known = super::TOP_LEVEL_KEYS.to_vec();
        known.sort();
        assert_eq!(fields, known);
    }

    #[test]
    fn limits_and_cors_come_from_the_file_with_ayrshare_defaults_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("crier.toml");
        std::fs::write(&file, "[limits]\nper_profile = 10\n\n[cors]\nallowed_origins = [\"https://app.example.com\"]\n").unwrap();
        let c = super::Config::load(Some(&file)).unwrap();
        let limits = c.rate_limits();
        assert_eq!((limits.enabled, limits.per_key, limits.per_profile, limits.window.as_secs()), (true, 3000, 10, 300));
        assert!(c.cors_settings().unwrap().is_on());
        assert!(!super::Config::default().cors_settings().unwrap().is_on(), "off by default");
    }
}
