//! Account linking: `POST /api/profiles/generateJWT` hands out a short-lived URL; the page
//! behind it (`/link/{token}`, server-rendered, no JavaScript needed) lets the end user connect
//! networks to that one profile; `DELETE /api/profiles/social` unlinks.
//!
//! Seams for OAuth networks: `oauth_ready` decides which cards offer a Link button that leads to
//! the network's consent page; until a network's OAuth client exists its card says "not
//! available yet". X's BYO keys given to generateJWT stay in memory (`Linking::byo`) for the
//! X OAuth 1.0a flow. Revocation at the network on unlink goes in `unlink::revoke`.

mod choose;
mod forms;
pub(crate) mod generate_jwt;
mod html;
mod oauth;
mod oauth_x;
mod page;
mod session;
pub(crate) mod unlink;

use crate::AppState;
use axum::Router;
use axum::routing::{delete, get, post};
use crier_core::Platform;
use crier_engine::ByoKeys;
use std::collections::HashMap;
use std::sync::Mutex;

use generate_jwt::generate_jwt;
use unlink::unlink_social;

/// The page's look and the defaults of generateJWT.
#[derive(Clone, Debug)]
pub struct LinkingSettings {
    /// Public base URL of crier as the end user's browser reaches it (`/link/{token}` is appended).
    pub public_base: String,
    /// White-label title shown in the header and the window title.
    pub title: String,
    /// Optional logo (an http(s) URL) shown next to the title.
    pub logo_url: Option<String>,
    /// Colours as `#rrggbb`: buttons, page background, text.
    pub accent_color: String,
    pub background_color: String,
    pub text_color: String,
    /// Lifetime of a URL nobody opened yet, when generateJWT gives no `expiresIn`.
    pub default_minutes: u32,
    /// How long the page stays usable once opened (the URL itself still works only once).
    pub session_minutes: u32,
    /// The apps registered at each network (`oauth.<network>`); a card offers OAuth only with one.
    pub oauth_apps: HashMap<Platform, crier_networks::oauth::App>,
}

impl Default for LinkingSettings {
    fn default() -> Self {
        LinkingSettings {
            public_base: "http://127.0.0.1:8080".into(),
            title: "crier".into(),
            logo_url: None,
            accent_color: "#1d4ed8".into(),
            background_color: "#f8fafc".into(),
            text_color: "#0f172a".into(),
            default_minutes: 5,
            session_minutes: 30,
            oauth_apps: HashMap::new(),
        }
    }
}

impl LinkingSettings {
    /// Refuses colours that are not `#rgb`/`#rrggbb` (they go into CSS) and logos that are not http(s).
    pub fn validate(&self) -> Result<(), String> {
        for (key, c) in [("accent_color", &self.accent_color), ("background_color", &self.background_color), ("text_color", &self.text_color)] {
            let hex = c.strip_prefix('#').unwrap_or("");
            if !matches!(hex.len(), 3 | 6) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("linking.{key} must be a colour like #1d4ed8, not {c:?}"));
            }
        }
        if let Some(l) = &self.logo_url
            && !html::is_http_url(l)
        {
            return Err(format!("linking.logo_url must be an http(s) URL, not {l:?}"));
        }
        if !html::is_http_url(&self.public_base) {
            return Err(format!("linking.public_url must be an http(s) URL, not {:?}", self.public_base));
        }
        Ok(())
    }
}

/// Linking state shared by the handlers.
pub struct Linking {
    pub settings: LinkingSettings,
    /// X BYO keys per session (token hash), in memory only, with their expiry (ms).
    byo: Mutex<HashMap<String, (ByoKeys, i64)>>,
}

impl Linking {
    pub fn new(settings: LinkingSettings) -> Linking {
        Linking { settings, byo: Mutex::new(HashMap::new()) }
    }

    fn keep_byo(&self, token_hash: String, keys: ByoKeys, until_ms: i64, now_ms: i64) {
        let mut map = self.byo.lock().expect("byo map lock");
        map.retain(|_, (_, until)| *until > now_ms);
        map.insert(token_hash, (keys, until_ms));
    }

    /// The X app keys given to generateJWT for this session (for X's OAuth 1.0a flow).
    pub(crate) fn byo_for(&self, token_hash: &str) -> Option<ByoKeys> {
        self.byo.lock().expect("byo map lock").get(token_hash).map(|(k, _)| k.clone())
    }
}

/// Networks linked through a form on the page.
pub(crate) const FORM_NETWORKS: [Platform; 2] = [Platform::Telegram, Platform::Bluesky];

/// Networks the page links through their OAuth 2.0 consent page, once an app is configured
/// (`oauth.<network>`). After consent the grant's accounts are listed (`choose`): Pages,
/// Instagram accounts through their Page, channels, locations, boards, member or organisations.
pub(crate) const OAUTH_NETWORKS: [Platform; 10] = [
    Platform::Facebook,
    Platform::Instagram,
    Platform::Threads,
    Platform::Youtube,
    Platform::Gmb,
    Platform::Linkedin,
    Platform::Tiktok,
    Platform::Pinterest,
    Platform::Reddit,
    Platform::Snapchat,
];

/// Whether the page can link `p` through the network's OAuth consent page.
pub(crate) fn oauth_ready(settings: &LinkingSettings, p: Platform) -> bool {
    OAUTH_NETWORKS.contains(&p) && settings.oauth_apps.contains_key(&p)
}

/// `/api/profiles/generateJWT` and `/api/profiles/social` (nested under `/api`).
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/profiles/generateJWT", post(generate_jwt))
        .route("/profiles/social", delete(unlink_social))
}

/// The page and its forms, at the root.
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route("/link/{token}", get(page::show))
        .route("/link/{token}/telegram", post(forms::telegram))
        .route("/link/{token}/bluesky", post(forms::bluesky))
        .route("/link/{token}/unlink", post(unlink::from_page))
        .route("/link/{token}/done", post(page::done))
        .route("/link/{token}/oauth/{network}", post(oauth::start))
        .route("/link/{token}/choose", post(choose::choose))
        .route("/link/{token}/oauth/x", post(oauth_x::start))
        .route("/link/callback/x", get(oauth_x::callback))
        .route("/link/callback/{network}", get(oauth::callback))
}
