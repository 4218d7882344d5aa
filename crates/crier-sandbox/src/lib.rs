//! Wire-level emulators of the social networks' APIs that crier talks to,
//! with fault injection and a ledger of what was published.
//!
//! * `/telegram/bot<token>/<method>`: Telegram Bot API (base URL for crier:
//!   `<url>/telegram`, the real one is `https://api.telegram.org`).
//! * `/bluesky/xrpc/<nsid>`: Bluesky PDS XRPC (base URL `<url>/bluesky`, the
//!   real one is `https://bsky.social`).
//! * `/facebook/<vNN.0>/<id>[/<edge>]`: Meta Graph API for Facebook Pages and
//!   Instagram content publishing (base URL `<url>/facebook`, the real one is
//!   `https://graph.facebook.com`).
//! * `/threads/<v1.0>/<id>[/<edge>]`: Threads API (base URL `<url>/threads`,
//!   the real one is `https://graph.threads.net`).
//! * `/x/2/...`: X (Twitter) API v2 with OAuth 1.0a user context (base URL
//!   `<url>/x`, the real one is `https://api.x.com`).
//! * `/youtube/...`: YouTube Data API v3 uploads and reads (base URL
//!   `<url>/youtube`, the real one is `https://www.googleapis.com`).
//! * `/bitly/v4/...`: Bitly API v4 link shortening (base URL `<url>/bitly`,
//!   the real one is `https://api-ssl.bitly.com`).
//! * `/linkedin/...`, `/tiktok/...`, `/pinterest/...`, `/reddit/...`,
//!   `/gmb/...`, `/snapchat/...`: the other networks (see each module).
//! * `/robots.txt`, `/media-host/<path>`: a media host for the Meta crawler,
//!   which really downloads media URLs (from loopback hosts only).
//! * `/_sandbox/...`: control API (faults, ledger, held requests, late
//!   landings, reset); see the crate README.
//!
//! The emulators are written from the networks' public documentation and
//! observed wire behaviour; where those are silent the choice is marked in a
//! comment.

mod bitly;
mod bluesky;
mod codec;
mod conn;
mod control;
mod control_kit;
mod faults;
mod gmb;
mod ledger;
mod linkedin;
mod media_fetch;
mod meta;
mod multipart;
mod oauth;
mod params;
mod pinterest;
mod reddit;
mod request;
mod snapchat;
mod store;
mod telegram;
mod windows;
mod tiktok;
mod x;
mod youtube;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use tokio::task::JoinHandle;

pub use faults::Fault;
pub use ledger::LedgerEntry;

/// Credentials of the accounts the sandbox knows from the start.
pub mod seed {
    /// The one bot token the Telegram emulator accepts.
    pub const TELEGRAM_BOT_TOKEN: &str = "7000000001:AAcrierSandboxBotToken0000000000000";
    /// A public channel; numeric id `-1001000000001` is the same chat.
    pub const TELEGRAM_CHAT_ID: &str = "@crier_sandbox";
    pub const BLUESKY_HANDLE: &str = "crier.bsky.social";
    pub const BLUESKY_APP_PASSWORD: &str = "sand-box0-crie-rapp";
    pub const BLUESKY_DID: &str = "did:plc:criersandbox000000000000";
    /// The Facebook Page ("Crier Sandbox") and its Page access token.
    pub const FACEBOOK_PAGE_ID: &str = "100000000000001";
    pub const FACEBOOK_PAGE_TOKEN: &str = "EAAsandboxPageToken0000000000000000";
    /// The Instagram professional account (`@crier_sandbox`), reached on the
    /// Facebook host with this token (Facebook Login for Instagram).
    pub const INSTAGRAM_USER_ID: &str = "17841400000000001";
    pub const INSTAGRAM_TOKEN: &str = "EAAsandboxIgToken00000000000000000000";
    pub const INSTAGRAM_USERNAME: &str = "crier_sandbox";
    /// The Threads profile (`@crier_sandbox`) and its token.
    pub const THREADS_USER_ID: &str = "26000000000000001";
    pub const THREADS_TOKEN: &str = "THsandboxThreadsToken000000000000000";
    pub const THREADS_USERNAME: &str = "crier_sandbox";
    /// X: the developer app (API key / API key secret) the user's tokens
    /// were issued to.
    pub const X_CONSUMER_KEY: &str = "xSbxCrierConsumerKey00001";
    pub const X_CONSUMER_SECRET: &str = "xSbxCrierConsumerSecret0000000000000000000000001";
    /// X: a second developer app. Its keys with the user's tokens fail as
    /// X fails keys of another app (401, code 89).
    pub const X_OTHER_CONSUMER_KEY: &str = "xSbxOtherConsumerKey00002";
    pub const X_OTHER_CONSUMER_SECRET: &str = "xSbxOtherConsumerSecret0000000000000000000000002";
    /// X: the user `@crier_sandbox`.
    pub const X_USER_ID: &str = "1600000000000000001";
    pub const X_USERNAME: &str = "crier_sandbox";
    /// X: the user's read-write access token, issued to `X_CONSUMER_KEY`.
    pub const X_ACCESS_TOKEN: &str = "1600000000000000001-xSbxReadWriteToken0000000001";
    pub const X_ACCESS_TOKEN_SECRET: &str = "xSbxReadWriteTokenSecret000000000000000000001";
    /// X: the same user's read-only access token (`x-access-level: read`).
    pub const X_READONLY_ACCESS_TOKEN: &str = "1600000000000000001-xSbxReadOnlyToken00000000001";
    pub const X_READONLY_ACCESS_TOKEN_SECRET: &str =
        "xSbxReadOnlyTokenSecret0000000000000000000001";
    /// YouTube: the OAuth bearer token and the channel it uploads to.
    pub const YOUTUBE_ACCESS_TOKEN: &str = "ya29.a0CrierSandboxYoutubeToken000000000000000";
    /// A playlist of the sandbox channel (`youTubeOptions.playListId`).
    pub const YOUTUBE_PLAYLIST_ID: &str = "PLcrierSandbox000000000001";
    pub const YOUTUBE_CHANNEL_ID: &str = "UCcrierSandbox000000000001";
    /// Bitly: the generic access token (`Authorization: Bearer …`).
    pub const BITLY_TOKEN: &str = "b1tlySandboxCrierToken00000000000000001";
    /// Bitly: the token's one group (`group_guid`); any other is 403.
    pub const BITLY_GROUP_GUID: &str = "Bcrier00001";
    /// LinkedIn: the member's OAuth token (`w_member_social`) and URN, and a
    /// company page the member administers (`w_organization_social`).
    pub const LINKEDIN_ACCESS_TOKEN: &str = "AQVcrierSandboxLinkedinToken000000000001";
    pub const LINKEDIN_PERSON_URN: &str = "urn:li:person:crierSbx001";
    pub const LINKEDIN_ORG_URN: &str = "urn:li:organization:100000001";
    /// TikTok: the creator's user access token and `open_id`.
    pub const TIKTOK_ACCESS_TOKEN: &str = "act.crierSandboxTiktokToken00000000000001";
    pub const TIKTOK_OPEN_ID: &str = "crier-sandbox-open-id-0001";
    pub const TIKTOK_USERNAME: &str = "crier_sandbox";
    /// Pinterest: the user's access token and their one board.
    pub const PINTEREST_ACCESS_TOKEN: &str = "pina_crierSandboxPinterestToken000000001";
    pub const PINTEREST_BOARD_ID: &str = "1000000000000000001";
    pub const PINTEREST_USERNAME: &str = "crier_sandbox";
    /// Reddit: the user's bearer token, username, and the one subreddit that
    /// exists (`r/crier_sandbox`); any other answers `SUBREDDIT_NOEXIST`.
    pub const REDDIT_ACCESS_TOKEN: &str = "crier-sandbox-reddit-token-0000000001";
    pub const REDDIT_USERNAME: &str = "crier_sandbox";
    pub const REDDIT_SUBREDDIT: &str = "crier_sandbox";
    /// Google Business Profile: the OAuth token and the verified location
    /// `accounts/{GMB_ACCOUNT_ID}/locations/{GMB_LOCATION_ID}`.
    pub const GMB_ACCESS_TOKEN: &str = "ya29.a0CrierSandboxGmbToken0000000000000000";
    pub const GMB_ACCOUNT_ID: &str = "100000000000000000001";
    pub const GMB_LOCATION_ID: &str = "200000000000000000001";
    /// Snapchat: the OAuth token and the Public Profile it posts to.
    pub const SNAPCHAT_ACCESS_TOKEN: &str = "crierSandboxSnapchatToken000000000000001";
    pub const SNAPCHAT_PROFILE_ID: &str = "c0ffee00-0000-4000-8000-000000000001";
    /// The sandbox's OAuth apps (one per authorization server, see the
    /// README's "OAuth authorization servers"); TikTok calls the id `client_key`.
    pub const FACEBOOK_CLIENT_ID: &str = "1000000000000001";
    pub const FACEBOOK_CLIENT_SECRET: &str = "sbxFacebookAppSecret000000000001";
    pub const THREADS_CLIENT_ID: &str = "2000000000000001";
    pub const THREADS_CLIENT_SECRET: &str = "sbxThreadsAppSecret0000000000001";
    pub const GOOGLE_CLIENT_ID: &str = "100000000001-criersandbox.apps.googleusercontent.com";
    pub const GOOGLE_CLIENT_SECRET: &str = "GOCSPX-crierSandboxSecret00001";
    pub const LINKEDIN_CLIENT_ID: &str = "78sbxcrierli01";
    pub const LINKEDIN_CLIENT_SECRET: &str = "sbxLinkedinSecret001";
    pub const TIKTOK_CLIENT_ID: &str = "awsbxcriertiktok01";
    pub const TIKTOK_CLIENT_SECRET: &str = "sbxTiktokClientSecret00000000001";
    pub const PINTEREST_CLIENT_ID: &str = "1500001";
    pub const PINTEREST_CLIENT_SECRET: &str = "sbxPinterestAppSecret00000000000000000001";
    pub const REDDIT_CLIENT_ID: &str = "sbxCrierRedditApp01";
    pub const REDDIT_CLIENT_SECRET: &str = "sbxCrierRedditSecret0000000001";
    pub const SNAPCHAT_CLIENT_ID: &str = "c0ffee00-0000-4000-8000-0000000000a1";
    pub const SNAPCHAT_CLIENT_SECRET: &str = "sbxSnapchatClientSecret000000001";
}

pub(crate) struct Inner {
    pub(crate) ledger: ledger::Ledger,
    pub(crate) faults: faults::FaultBook,
    pub(crate) holds: faults::HoldGate,
    pub(crate) landings: faults::Landings,
    pub(crate) telegram: telegram::TelegramState,
    pub(crate) bluesky: bluesky::BlueskyState,
    pub(crate) meta: meta::MetaState,
    pub(crate) x: x::XState,
    pub(crate) youtube: youtube::YoutubeState,
    pub(crate) bitly: bitly::BitlyState,
    pub(crate) linkedin: linkedin::LinkedinState,
    pub(crate) tiktok: tiktok::TiktokState,
    pub(crate) pinterest: pinterest::PinterestState,
    pub(crate) reddit: reddit::RedditState,
    pub(crate) gmb: gmb::GmbState,
    pub(crate) snapchat: snapchat::SnapchatState,
    pub(crate) oauth: oauth::OauthState,
}

/// All sandbox state; cheap to clone (shared).
#[derive(Clone)]
pub struct SandboxState {
    pub(crate) inner: Arc<Inner>,
}

impl Default for SandboxState {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxState").finish_non_exhaustive()
    }
}

impl SandboxState {
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Inner {
                ledger: ledger::Ledger::new(),
                faults: faults::FaultBook::new(),
                holds: faults::HoldGate::new(),
                landings: faults::Landings::new(),
                telegram: telegram::TelegramState::new(),
                bluesky: bluesky::BlueskyState::new(),
                meta: meta::MetaState::new(),
                x: x::XState::new(),
                youtube: youtube::YoutubeState::new(),
                bitly: bitly::BitlyState::new(),
                linkedin: linkedin::LinkedinState::new(),
                tiktok: tiktok::TiktokState::new(),
                pinterest: pinterest::PinterestState::new(),
                reddit: reddit::RedditState::new(),
                gmb: gmb::GmbState::new(),
                snapchat: snapchat::SnapchatState::new(),
                oauth: oauth::OauthState::new(),
            }),
        }
    }

    /// Everything published so far, in order.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.inner.ledger.snapshot()
    }

    /// Event-driven wait: resolves `true` as soon as `pred(ledger)` holds,
    /// `false` after `timeout`.
    pub async fn wait_for_ledger(
        &self,
        pred: impl Fn(&[LedgerEntry]) -> bool,
        timeout: Duration,
    ) -> bool {
        self.inner.ledger.wait_for(pred, timeout).await
    }

    /// Event-driven: resolves `true` once at least `n` requests are currently
    /// held by a `hold` fault, `false` after `timeout`.
    pub async fn wait_for_held(&self, n: usize, timeout: Duration) -> bool {
        self.inner.holds.wait_for_held(n, timeout).await
    }

    /// Registers a fault; returns its id.
    pub fn add_fault(&self, fault: Fault) -> u64 {
        self.inner.faults.add(fault)
    }

    pub fn clear_faults(&self) {
        self.inner.faults.clear();
    }

    /// Sends every answer currently held by a `hold` fault.
    pub fn release_held(&self) {
        self.inner.holds.release_all();
    }

    /// How many answers are held right now.
    pub fn held_count(&self) -> usize {
        self.inner.holds.held()
    }

    /// How many requests taken by a `landLateMs` fault have not landed yet
    /// (their client may still be waiting, or they wait out their delay).
    pub fn pending_landings(&self) -> usize {
        self.inner.landings.pending()
    }

    /// Event-driven: resolves `true` once no request of a `landLateMs` fault
    /// is still to land, `false` after `timeout`.
    pub async fn wait_for_landings(&self, timeout: Duration) -> bool {
        self.inner.landings.wait_for_pending(0, timeout).await
    }

    /// Clears the ledger, faults, Bluesky sessions/records/limits, the
    /// Telegram messages/flood setting, all Meta state (posts, containers,
    /// media, token states, throttles, config, media host setup), all X
    /// state (posts, media, windows, credits, account states, config) and
    /// all YouTube state (sessions, videos, quota, config, token state) and
    /// all Bitly state (links, counters, config), and the LinkedIn, TikTok,
    /// Pinterest, Reddit, Google Business Profile and Snapchat state, and the
    /// OAuth authorization servers' codes, tokens, lifetimes and counters: what
    /// `POST /_sandbox/reset` does. Held answers are released, and requests
    /// a `landLateMs` fault has not landed yet never land.
    pub fn reset(&self) {
        self.inner.faults.clear();
        self.inner.holds.release_all();
        self.inner.landings.cancel_all();
        self.inner.telegram.reset();
        self.inner.bluesky.reset();
        self.inner.meta.reset();
        self.inner.x.reset();
        self.inner.youtube.reset();
        self.inner.bitly.reset();
        self.inner.linkedin.reset();
        self.inner.tiktok.reset();
        self.inner.pinterest.reset();
        self.inner.reddit.reset();
        self.inner.gmb.reset();
        self.inner.snapchat.reset();
        self.inner.oauth.reset();
        self.inner.ledger.clear();
    }

    /// Every open YouTube upload session expires (next use answers 404).
    /// Returns how many.
    pub fn expire_youtube_sessions(&self) -> usize {
        self.inner.youtube.expire_sessions()
    }

    /// Every issued Bluesky access token becomes expired (next use answers
    /// `400 ExpiredToken`; refreshSession still works). Returns how many.
    pub fn expire_bluesky_sessions(&self) -> usize {
        self.inner.bluesky.expire_sessions()
    }

    /// A YouTube video's custom thumbnail size (bytes) and the playlists it was added to.
    pub fn youtube_video_extras(&self, video_id: &str) -> (Option<usize>, Vec<String>) {
        self.inner.youtube.extras(video_id)
    }

    /// Marks a URL prefix as verified with TikTok (what an operator does in TikTok's developer
    /// portal for a domain PULL_FROM_URL media comes from). `crier serve --sandbox` verifies its own
    /// `/media/` prefix, where converted images are staged. `POST /_sandbox/reset` forgets it.
    pub fn verify_tiktok_url_prefix(&self, prefix: &str) {
        self.inner.tiktok.lock().config.verified_url_prefixes.push(prefix.to_string());
    }

    /// Telegram per-chat flood limit in messages per minute (`None`/0 = off).
    pub fn set_telegram_flood_limit(&self, per_chat_per_minute: Option<u32>) {
        self.inner.telegram.set_flood_limit(per_chat_per_minute);
    }
}

/// The whole sandbox: `/telegram/...`, `/bluesky/...`, `/facebook/...`,
/// `/threads/...`, `/x/...`, `/youtube/...`, `/bitly/...`, the media host (`/robots.txt`,
/// `/media-host/...`) and `/_sandbox/...`.
///
/// Serve it through [`start`] for `reset` faults to drop connections cleanly;
/// served another way, a reset answer's body fails instead (see README).
pub fn router(state: SandboxState) -> Router {
    let networks = Router::new()
        .route("/telegram/{*rest}", any(telegram::handle))
        .route("/bluesky/{*rest}", any(bluesky::handle))
        .route("/facebook/{*rest}", any(meta::handle_facebook))
        .route("/threads/{*rest}", any(meta::handle_threads))
        .route("/x/{*rest}", any(x::handle))
        .route("/youtube/{*rest}", any(youtube::handle))
        .route("/bitly/{*rest}", any(bitly::handle))
        .route("/linkedin/{*rest}", any(linkedin::handle))
        .route("/tiktok/{*rest}", any(tiktok::handle))
        .route("/pinterest/{*rest}", any(pinterest::handle))
        .route("/reddit/{*rest}", any(reddit::handle))
        .route("/gmb/{*rest}", any(gmb::handle))
        .route("/snapchat/{*rest}", any(snapchat::handle))
        // Access tokens issued by the authorization servers below.
        .layer(axum::middleware::from_fn_with_state(state.clone(), oauth::middleware))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::middleware,
        ));
    // The authorization servers: more specific paths under the same prefixes.
    let authorization = oauth::routes().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        faults::middleware,
    ));
    Router::new()
        .merge(networks)
        .merge(authorization)
        // The media host is not a network: no faults apply to it.
        .route("/robots.txt", get(meta::media_host::robots_txt))
        .route("/media-host/{*path}", get(meta::media_host::media))
        .nest("/_sandbox", control::routes())
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                axum::Json(serde_json::json!({"error": "not found"})),
            )
                .into_response()
        })
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(state)
}

/// A running sandbox server.
pub struct SandboxHandle {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
    pub state: SandboxState,
    task: JoinHandle<()>,
    connections: Arc<conn::ConnRegistry>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// Stops accepting connections and drops every open one.
    pub fn shutdown(self) {
        self.task.abort();
        self.connections.kill_all();
    }
}

/// Binds `addr` (port 0 picks a free port) and serves a fresh sandbox on a
/// tokio task.
pub async fn start(addr: SocketAddr) -> std::io::Result<SandboxHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let connections = Arc::new(conn::ConnRegistry::default());
    let listener = conn::SandboxListener::new(listener, connections.clone());
    let state = SandboxState::new();
    let app = router(state.clone()).into_make_service_with_connect_info::<conn::ConnHandle>();
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!("sandbox server stopped: {err}");
        }
    });
    let host = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let url = format!("http://{}", SocketAddr::new(host, local.port()));
    Ok(SandboxHandle {
        url,
        state,
        task,
        connections,
    })
}
