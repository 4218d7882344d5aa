//! `[linking]`: the account-linking page behind `POST /api/profiles/generateJWT`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkingConfig {
    /// Public base URL of crier as end users' browsers reach it; the page is `<public_url>/link/<token>`.
    /// Unset: `http://<listen>` (fine on one machine, not behind a proxy).
    pub public_url: Option<String>,
    /// White-label title in the page's header and window title. Default `crier`.
    pub title: String,
    /// Optional logo (http(s) URL) shown before the title.
    pub logo_url: Option<String>,
    /// Colour of buttons, as `#rrggbb`. Default `#1d4ed8` (white text on it passes WCAG AA).
    pub accent_color: String,
    /// Page background. Default `#f8fafc`.
    pub background_color: String,
    /// Body text. Default `#0f172a`.
    pub text_color: String,
    /// Minutes a URL stays valid when generateJWT gives no `expiresIn` (Ayrshare: 5).
    pub link_minutes: u32,
    /// Minutes the page stays usable once opened in a browser. Default 30.
    pub session_minutes: u32,
}

impl Default for LinkingConfig {
    fn default() -> Self {
        let d = crier_api::LinkingSettings::default();
        LinkingConfig {
            public_url: None,
            title: d.title,
            logo_url: None,
            accent_color: d.accent_color,
            background_color: d.background_color,
            text_color: d.text_color,
            link_minutes: d.default_minutes,
            session_minutes: d.session_minutes,
        }
    }
}

impl LinkingConfig {
    /// The page's settings once the listening address is known.
    /// `oauth_apps`: the apps of `[oauth]`, for the OAuth cards.
    pub fn settings(
        &self,
        listening: std::net::SocketAddr,
        oauth_apps: std::collections::HashMap<crier_core::Platform, crier_networks::oauth::App>,
    ) -> Result<crier_api::LinkingSettings, String> {
        let s = crier_api::LinkingSettings {
            public_base: self.public_url.clone().unwrap_or_else(|| format!("http://{listening}")),
            title: self.title.clone(),
            logo_url: self.logo_url.clone().filter(|l| !l.is_empty()),
            accent_color: self.accent_color.clone(),
            background_color: self.background_color.clone(),
            text_color: self.text_color.clone(),
            default_minutes: self.link_minutes.clamp(1, 2880),
            session_minutes: self.session_minutes.max(1),
            oauth_apps,
        };
        s.validate()?;
        Ok(s)
    }
}
