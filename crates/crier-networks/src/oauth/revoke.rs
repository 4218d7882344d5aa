//! Revoking a grant at the network when an account is unlinked (`oauth-and-webhooks.md`, the
//! Revoke rows of §1-§9). Best effort: one request with a short timeout; the caller records the
//! outcome and unlinks whatever it is.
//!
//! | Network | Request |
//! |---|---|
//! | Google (YouTube, Business Profile) | `POST /revoke` form `token` (refresh token, else access) |
//! | LinkedIn | `POST /oauth/v2/revoke` form `client_id, client_secret, token` |
//! | TikTok | `POST /v2/oauth/revoke/` form `client_key, client_secret, token` |
//! | Reddit | `POST /api/v1/revoke_token` Basic, form `token, token_type_hint` |
//! | Pinterest | `POST /v5/oauth/token/revoke` Basic, form `token, token_type_hint` |
//! | Facebook / Instagram | `DELETE /{version}/me/permissions` with the stored user token (`userToken`); Page tokens alone: nothing |
//!
//! Nothing is revoked for Threads and Snapchat (no documented endpoint), Telegram (the bot is
//! the user's), Bluesky (the app password is the user's to delete) and X (OAuth 1.0a needs the
//! app keys, which crier does not keep).

use super::App;
use crate::redact::{redact_text, secrets_of};
use crier_core::Platform;
use serde_json::Value;
use std::time::Duration;

/// Longest wait for a revoke answer: unlinking must not hang on a slow network.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What came of asking the network to revoke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// The network has no revoke endpoint, or there is no token it could revoke.
    NotOffered,
    /// The network accepted the revocation (2xx).
    Revoked,
    /// The network refused or could not be reached; the text never holds a token or secret.
    Failed(String),
}

impl Revocation {
    /// The word stored in the `unlinked` event's details (`revoke`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Revocation::NotOffered => "none",
            Revocation::Revoked => "revoked",
            Revocation::Failed(_) => "failed",
        }
    }
}

/// One revoke request as data (its wire format is tested without a network).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RevokeRequest {
    /// `DELETE` with the params in the query (Meta) instead of a `POST` form.
    pub delete: bool,
    pub url: String,
    pub params: Vec<(&'static str, String)>,
    pub basic: Option<(String, String)>,
}

fn field<'a>(credentials: &'a Value, key: &str) -> Option<&'a str> {
    credentials.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// The request revoking `credentials` at `platform`. `Ok(None)`: nothing to revoke there.
/// `Err`: a revoke is offered but `app` (client credentials) is missing.
pub(crate) fn request(platform: Platform, app: Option<&App>, credentials: &Value) -> Result<Option<RevokeRequest>, String> {
    let refresh = field(credentials, "refreshToken");
    let token = refresh.or_else(|| field(credentials, "accessToken"));
    let hint = if refresh.is_some() { "refresh_token" } else { "access_token" };
    let need_app = || app.ok_or_else(|| format!("oauth.{} is not configured", config_name(platform)));
    let form = |url: String, params: Vec<(&'static str, String)>, basic: Option<(String, String)>| Ok(Some(RevokeRequest { delete: false, url, params, basic }));
    match platform {
        Platform::Youtube | Platform::Gmb => {
            let Some(token) = token else { return Ok(None) };
            // Google's revoke takes no client authentication: the default host serves without an app.
            let base = app.map(|a| a.token_base.clone()).unwrap_or_else(|| super::default_bases(platform).map(|b| b.1.to_string()).unwrap_or_default());
            form(join(&base, "/revoke"), vec![("token", token.into())], None)
        }
        Platform::Linkedin | Platform::Tiktok => {
            let Some(token) = token else { return Ok(None) };
            let app = need_app()?;
            let (path, id) = if platform == Platform::Linkedin { ("/oauth/v2/revoke", "client_id") } else { ("/v2/oauth/revoke/", "client_key") };
            form(join(&app.token_base, path), vec![(id, app.client_id.clone()), ("client_secret", app.client_secret.clone()), ("token", token.into())], None)
        }
        Platform::Reddit | Platform::Pinterest => {
            let Some(token) = token else { return Ok(None) };
            let app = need_app()?;
            let path = if platform == Platform::Reddit { "/api/v1/revoke_token" } else { "/v5/oauth/token/revoke" };
            form(join(&app.token_base, path), vec![("token", token.into()), ("token_type_hint", hint.into())], Some((app.client_id.clone(), app.client_secret.clone())))
        }
        Platform::Facebook | Platform::Instagram => {
            // Only the user token removes the app; a Page token alone is left to expire with it.
            let Some(user) = field(credentials, "userToken") else { return Ok(None) };
            let base = app.map(|a| a.token_base.clone()).unwrap_or_else(|| super::default_bases(platform).map(|b| b.1.to_string()).unwrap_or_default());
            Ok(Some(RevokeRequest { delete: true, url: join(&base, &format!("/{}/me/permissions", super::meta::GRAPH_VERSION)), params: vec![("access_token", user.into())], basic: None }))
        }
        Platform::Threads | Platform::Snapchat | Platform::Twitter | Platform::Telegram | Platform::Bluesky => Ok(None),
    }
}

fn config_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Youtube | Platform::Gmb => "google",
        Platform::Facebook | Platform::Instagram => "facebook",
        Platform::Twitter => "x",
        p => p.as_str(),
    }
}

/// Asks the network to revoke the grant behind `credentials`, waiting at most [`TIMEOUT`].
pub async fn revoke(http: &reqwest::Client, platform: Platform, app: Option<&App>, credentials: &Value) -> Revocation {
    let req = match request(platform, app, credentials) {
        Ok(Some(r)) => r,
        Ok(None) => return Revocation::NotOffered,
        Err(why) => return Revocation::Failed(why),
    };
    let mut secrets = secrets_of(credentials);
    if let Some(a) = app.filter(|a| a.client_secret.len() >= 6) {
        secrets.push(a.client_secret.clone());
    }
    let builder = if req.delete { http.delete(&req.url).query(&req.params) } else { http.post(&req.url).form(&req.params) };
    let mut builder = builder.header(reqwest::header::ACCEPT, "application/json").timeout(TIMEOUT);
    if let Some((id, secret)) = &req.basic {
        builder = builder.basic_auth(id, Some(secret));
    }
    let name = platform.display_name();
    let text = match crate::http::send(builder).await {
        Ok(a) if a.ok() => return Revocation::Revoked,
        Ok(a) => format!("{name} revoke answered HTTP {}{}", a.status, error_code(&a.body).map(|c| format!(": {c}")).unwrap_or_default()),
        Err(e) => format!("{name} revoke: {}", e.into_text()),
    };
    Revocation::Failed(redact_text(&text, &secrets))
}

/// The error code of an answer (RFC 6749 `error`, Graph's `error.code`, Pinterest's `code`);
/// never the whole body, which may echo the token.
fn error_code(body: &Value) -> Option<String> {
    match body.get("error") {
        Some(Value::String(s)) => Some(s.chars().take(64).collect()),
        Some(Value::Object(o)) => o.get("code").map(|c| c.to_string()),
        _ => body.get("code").filter(|c| c.is_number()).map(|c| c.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn app(p: Platform) -> App {
        App::new(p, "cid", "csecret").unwrap()
    }

    fn param<'a>(r: &'a RevokeRequest, k: &str) -> Option<&'a str> {
        r.params.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str())
    }

    fn req(p: Platform, credentials: Value) -> RevokeRequest {
        request(p, Some(&app(p)), &credentials).unwrap().unwrap()
    }

    #[test]
    fn google_revokes_the_refresh_token_else_the_access_token_without_client_auth() {
        let r = req(Platform::Youtube, json!({"accessToken": "at", "refreshToken": "rt"}));
        assert_eq!((r.url.as_str(), r.delete, &r.basic), ("https://oauth2.googleapis.com/revoke", false, &None));
        assert_eq!(r.params, vec![("token", "rt".to_string())]);
        assert_eq!(param(&req(Platform::Gmb, json!({"accessToken": "at"})), "token"), Some("at"));
        assert!(request(Platform::Youtube, None, &json!({"accessToken": "at"})).unwrap().is_some(), "no app needed");
    }

    #[test]
    fn linkedin_and_tiktok_put_the_client_in_the_form() {
        let r = req(Platform::Linkedin, json!({"accessToken": "at", "refreshToken": "rt"}));
        assert_eq!(r.url, "https://www.linkedin.com/oauth/v2/revoke");
        assert_eq!((param(&r, "client_id"), param(&r, "client_secret"), param(&r, "token")), (Some("cid"), Some("csecret"), Some("rt")));
        let r = req(Platform::Tiktok, json!({"accessToken": "at", "refreshToken": "rt"}));
        assert_eq!(r.url, "https://open.tiktokapis.com/v2/oauth/revoke/");
        assert_eq!((param(&r, "client_key"), param(&r, "client_secret"), param(&r, "client_id")), (Some("cid"), Some("csecret"), None));
        assert_eq!(request(Platform::Tiktok, None, &json!({"accessToken": "at"})), Err("oauth.tiktok is not configured".into()));
    }

    #[test]
    fn reddit_and_pinterest_use_basic_auth_and_a_type_hint() {
        for (p, url) in [(Platform::Reddit, "https://www.reddit.com/api/v1/revoke_token"), (Platform::Pinterest, "https://api.pinterest.com/v5/oauth/token/revoke")] {
            let r = req(p, json!({"accessToken": "at", "refreshToken": "rt"}));
            assert_eq!(r.url, url);
            assert_eq!(r.basic, Some(("cid".into(), "csecret".into())));
            assert_eq!((param(&r, "token"), param(&r, "token_type_hint"), param(&r, "client_secret")), (Some("rt"), Some("refresh_token"), None));
            assert_eq!(param(&req(p, json!({"accessToken": "at"})), "token_type_hint"), Some("access_token"));
        }
    }

    #[test]
    fn meta_deletes_the_permissions_with_the_user_token_only() {
        let r = req(Platform::Facebook, json!({"accessToken": "page", "userToken": "user"}));
        assert!(r.delete);
        assert_eq!(r.url, format!("https://graph.facebook.com/{}/me/permissions", crate::oauth::meta::GRAPH_VERSION));
        assert_eq!(param(&r, "access_token"), Some("user"));
        assert_eq!(request(Platform::Instagram, Some(&app(Platform::Instagram)), &json!({"accessToken": "page"})), Ok(None));
    }

    #[test]
    fn networks_without_a_revoke_endpoint_or_a_token_revoke_nothing() {
        for p in [Platform::Threads, Platform::Snapchat, Platform::Twitter, Platform::Telegram, Platform::Bluesky] {
            assert_eq!(request(p, None, &json!({"accessToken": "at", "refreshToken": "rt", "appPassword": "pw"})), Ok(None), "{p}");
        }
        assert_eq!(request(Platform::Linkedin, None, &json!({})), Ok(None));
    }

    #[test]
    fn error_codes_are_read_without_the_body() {
        assert_eq!(error_code(&json!({"error": "invalid_token", "error_description": "x"})).as_deref(), Some("invalid_token"));
        assert_eq!(error_code(&json!({"error": {"code": 190, "message": "token abc"}})).as_deref(), Some("190"));
        assert_eq!(error_code(&json!({"code": 2, "message": "m"})).as_deref(), Some("2"));
        assert_eq!(error_code(&json!("abc")), None);
    }
}
