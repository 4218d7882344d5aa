//! `oauth.<network>`: the apps registered at each network, with which crier exchanges linking
//! codes and refreshes tokens. Keys per network: `client_id`, `client_secret`, `redirect_url`,
//! `authorize_base` and `token_base` (defaults: the network's real hosts). Networks:
//! `facebook` (Facebook Pages and Instagram through their Page), `threads`, `google` (YouTube and
//! Business Profile), `linkedin`, `tiktok` (its client key), `pinterest`, `reddit`, `snapchat`,
//! `x` (the consumer key and secret the linking page signs X's OAuth 1.0a flow with when
//! generateJWT got no BYO keys; posts still take the keys from each request). A network without `client_id`
//! has no app: its tokens are used as stored and never refreshed.
//! `serve --sandbox` fills every unset app with the sandbox's own (crier_sandbox::seed).

use crier_core::Platform;
use crier_networks::oauth::{App, default_bases};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthAppConfig {
    /// Meta's app ids are all digits: an environment variable holding one reads as a number.
    #[serde(deserialize_with = "text_or_number")]
    pub client_id: Option<String>,
    #[serde(deserialize_with = "text_or_number")]
    pub client_secret: Option<String>,
    /// The callback registered at the network (the linking page's URL for this network).
    pub redirect_url: Option<String>,
    /// Host of the consent page. Unset: the network's own.
    pub authorize_base: Option<String>,
    /// Host of the token endpoint. Unset: the network's own.
    pub token_base: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Unsigned(u64),
        Signed(i64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::Text(s) => s,
        Raw::Unsigned(n) => n.to_string(),
        Raw::Signed(n) => n.to_string(),
    }))
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthConfig {
    pub facebook: OAuthAppConfig,
    pub threads: OAuthAppConfig,
    pub google: OAuthAppConfig,
    pub linkedin: OAuthAppConfig,
    pub tiktok: OAuthAppConfig,
    pub pinterest: OAuthAppConfig,
    pub reddit: OAuthAppConfig,
    pub snapchat: OAuthAppConfig,
    pub x: OAuthAppConfig,
}

/// Which config entry serves a platform (Instagram goes through Facebook Login; YouTube and
/// Business Profile share the Google app), and its folder on the sandbox.
fn entry(platform: Platform) -> Option<(&'static str, &'static str)> {
    Some(match platform {
        Platform::Facebook | Platform::Instagram => ("facebook", "facebook"),
        Platform::Threads => ("threads", "threads"),
        Platform::Youtube | Platform::Gmb => ("google", "google"),
        Platform::Linkedin => ("linkedin", "linkedin"),
        Platform::Tiktok => ("tiktok", "tiktok"),
        Platform::Pinterest => ("pinterest", "pinterest"),
        Platform::Reddit => ("reddit", "reddit"),
        Platform::Snapchat => ("snapchat", "snapchat"),
        Platform::Twitter => ("x", "x"),
        Platform::Telegram | Platform::Bluesky => return None,
    })
}

/// The sandbox's own apps (client id, secret) per config entry.
fn sandbox_app(name: &str) -> Option<(&'static str, &'static str)> {
    use crier_sandbox::seed as s;
    Some(match name {
        "facebook" => (s::FACEBOOK_CLIENT_ID, s::FACEBOOK_CLIENT_SECRET),
        "threads" => (s::THREADS_CLIENT_ID, s::THREADS_CLIENT_SECRET),
        "google" => (s::GOOGLE_CLIENT_ID, s::GOOGLE_CLIENT_SECRET),
        "linkedin" => (s::LINKEDIN_CLIENT_ID, s::LINKEDIN_CLIENT_SECRET),
        "tiktok" => (s::TIKTOK_CLIENT_ID, s::TIKTOK_CLIENT_SECRET),
        "pinterest" => (s::PINTEREST_CLIENT_ID, s::PINTEREST_CLIENT_SECRET),
        "reddit" => (s::REDDIT_CLIENT_ID, s::REDDIT_CLIENT_SECRET),
        "snapchat" => (s::SNAPCHAT_CLIENT_ID, s::SNAPCHAT_CLIENT_SECRET),
        _ => return None,
    })
}

impl OAuthConfig {
    fn get(&self, name: &str) -> &OAuthAppConfig {
        match name {
            "facebook" => &self.facebook,
            "threads" => &self.threads,
            "google" => &self.google,
            "linkedin" => &self.linkedin,
            "tiktok" => &self.tiktok,
            "pinterest" => &self.pinterest,
            "reddit" => &self.reddit,
            "snapchat" => &self.snapchat,
            _ => &self.x,
        }
    }

    /// The app for `platform`. `sandbox`: the sandbox's URL when `serve --sandbox` runs; then an
    /// app the config leaves unset is the sandbox's, at the sandbox.
    pub fn app(&self, platform: Platform, sandbox: Option<&str>) -> Option<App> {
        let (name, folder) = entry(platform)?;
        let c = self.get(name);
        let (authorize, token) = default_bases(platform)?;
        if let Some(id) = c.client_id.as_deref().filter(|s| !s.is_empty()) {
            return Some(App {
                client_id: id.into(),
                client_secret: c.client_secret.clone().unwrap_or_default(),
                redirect_url: c.redirect_url.clone(),
                authorize_base: c.authorize_base.clone().unwrap_or_else(|| authorize.into()),
                token_base: c.token_base.clone().unwrap_or_else(|| token.into()),
            });
        }
        let base = format!("{}/{folder}", sandbox?.trim_end_matches('/'));
        let (id, secret) = sandbox_app(name)?;
        Some(App { client_id: id.into(), client_secret: secret.into(), redirect_url: c.redirect_url.clone(), authorize_base: base.clone(), token_base: base })
    }

    /// Every app set to the sandbox's at `sandbox_url` (tests that run their own sandbox
    /// beside a crier not in `--sandbox` mode).
    pub fn sandbox(sandbox_url: &str) -> OAuthConfig {
        let mut c = OAuthConfig::default();
        for name in ["facebook", "threads", "google", "linkedin", "tiktok", "pinterest", "reddit", "snapchat"] {
            let Some((id, secret)) = sandbox_app(name) else { continue };
            let base = format!("{}/{name}", sandbox_url.trim_end_matches('/'));
            let app = OAuthAppConfig { client_id: Some(id.into()), client_secret: Some(secret.into()), redirect_url: None, authorize_base: Some(base.clone()), token_base: Some(base) };
            match name {
                "facebook" => c.facebook = app,
                "threads" => c.threads = app,
                "google" => c.google = app,
                "linkedin" => c.linkedin = app,
                "tiktok" => c.tiktok = app,
                "pinterest" => c.pinterest = app,
                "reddit" => c.reddit = app,
                _ => c.snapchat = app,
            }
        }
        c
    }

    /// Every configured app, per platform (what the engine refreshes with).
    pub fn apps(&self, sandbox: Option<&str>) -> HashMap<Platform, App> {
        Platform::ALL.iter().filter_map(|p| Some((*p, self.app(*p, sandbox)?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apps_come_from_config_with_real_hosts_by_default_and_the_sandbox_fills_the_rest() {
        let mut c = OAuthConfig::default();
        assert!(c.apps(None).is_empty(), "no app configured: nothing is refreshed");
        c.google = OAuthAppConfig { client_id: Some("gid".into()), client_secret: Some("gs".into()), ..Default::default() };
        let yt = c.app(Platform::Youtube, None).unwrap();
        assert_eq!((yt.token_base.as_str(), yt.client_id.as_str()), ("https://oauth2.googleapis.com", "gid"));
        assert_eq!(c.app(Platform::Gmb, None), Some(yt));
        assert!(c.app(Platform::Telegram, Some("http://127.0.0.1:9")).is_none());
        let tt = c.app(Platform::Tiktok, Some("http://127.0.0.1:9/")).unwrap();
        assert_eq!((tt.token_base.as_str(), tt.client_id.as_str()), ("http://127.0.0.1:9/tiktok", crier_sandbox::seed::TIKTOK_CLIENT_ID));
        assert_eq!(c.app(Platform::Youtube, Some("http://127.0.0.1:9")).unwrap().client_id, "gid", "the config wins over the sandbox");
    }

    #[test]
    fn a_numeric_app_id_reads_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("crier.toml");
        std::fs::write(&file, "[oauth.facebook]\nclient_id = 1000000000000001\nclient_secret = \"s\"\n").unwrap();
        let c = crate::cfg::Config::load(Some(&file)).unwrap();
        assert_eq!(c.oauth.app(Platform::Instagram, None).unwrap().client_id, "1000000000000001");
    }
}
