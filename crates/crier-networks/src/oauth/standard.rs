//! The RFC 6749 family: Google (YouTube, Business Profile), LinkedIn, TikTok, Pinterest, Reddit,
//! Snapchat and X OAuth 2.0. They differ only in paths, how the client authenticates, the name
//! of the client id, the scope separator and a few extra parameters (one row each below).

use super::App;
use super::wire::TokenRequest;
use crier_core::Platform;

/// How one network speaks RFC 6749.
pub(crate) struct Profile {
    authorize_path: &'static str,
    token_path: &'static str,
    /// `client_key` at TikTok.
    client_id_param: &'static str,
    /// HTTP Basic client authentication (Reddit, Pinterest, X) instead of the secret in the body.
    basic: bool,
    scope_separator: &'static str,
    default_scopes: &'static [&'static str],
    /// Extra authorize parameters: Google needs `access_type=offline` + `prompt=consent` to get a
    /// refresh token at all; Reddit `duration=permanent`.
    authorize_extra: &'static [(&'static str, &'static str)],
    /// Whether a PKCE challenge is sent when the caller has one (X requires it).
    pkce: bool,
}

const GOOGLE_EXTRA: &[(&str, &str)] = &[("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true")];

pub(crate) fn profile(platform: Platform) -> Option<&'static Profile> {
    static YOUTUBE: Profile = Profile {
        authorize_path: "/o/oauth2/v2/auth",
        token_path: "/token",
        client_id_param: "client_id",
        basic: false,
        scope_separator: " ",
        default_scopes: &["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly"],
        authorize_extra: GOOGLE_EXTRA,
        pkce: true,
    };
    static GMB: Profile = Profile { default_scopes: &["https://www.googleapis.com/auth/business.manage"], ..YOUTUBE };
    static LINKEDIN: Profile = Profile {
        authorize_path: "/oauth/v2/authorization",
        token_path: "/oauth/v2/accessToken",
        client_id_param: "client_id",
        basic: false,
        scope_separator: " ",
        default_scopes: &["openid", "profile", "w_member_social"],
        authorize_extra: &[],
        pkce: false,
    };
    static TIKTOK: Profile = Profile {
        authorize_path: "/v2/auth/authorize/",
        token_path: "/v2/oauth/token/",
        client_id_param: "client_key",
        basic: false,
        scope_separator: ",",
        default_scopes: &["user.info.basic", "video.publish", "video.upload"],
        authorize_extra: &[],
        pkce: true,
    };
    static PINTEREST: Profile = Profile {
        authorize_path: "/oauth/",
        token_path: "/v5/oauth/token",
        client_id_param: "client_id",
        basic: true,
        scope_separator: ",",
        default_scopes: &["boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read"],
        authorize_extra: &[],
        pkce: false,
    };
    static REDDIT: Profile = Profile {
        authorize_path: "/api/v1/authorize",
        token_path: "/api/v1/access_token",
        client_id_param: "client_id",
        basic: true,
        scope_separator: " ",
        default_scopes: &["identity", "submit", "read", "flair"],
        authorize_extra: &[("duration", "permanent")],
        pkce: false,
    };
    static SNAPCHAT: Profile = Profile {
        authorize_path: "/login/oauth2/authorize",
        token_path: "/login/oauth2/access_token",
        client_id_param: "client_id",
        basic: false,
        scope_separator: " ",
        default_scopes: &["snapchat-profile-api"],
        authorize_extra: &[],
        pkce: false,
    };
    static X: Profile = Profile {
        authorize_path: "/i/oauth2/authorize",
        token_path: "/2/oauth2/token",
        client_id_param: "client_id",
        basic: true,
        scope_separator: " ",
        default_scopes: &["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"],
        authorize_extra: &[],
        pkce: true,
    };
    Some(match platform {
        Platform::Youtube => &YOUTUBE,
        Platform::Gmb => &GMB,
        Platform::Linkedin => &LINKEDIN,
        Platform::Tiktok => &TIKTOK,
        Platform::Pinterest => &PINTEREST,
        Platform::Reddit => &REDDIT,
        Platform::Snapchat => &SNAPCHAT,
        Platform::Twitter => &X,
        _ => return None,
    })
}

fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

impl Profile {
    pub(crate) fn authorize_url(&self, app: &App, redirect_uri: &str, state: &str, pkce_challenge: Option<&str>, scopes: &[&str]) -> String {
        let scopes = if scopes.is_empty() { self.default_scopes } else { scopes };
        let mut url = url::Url::parse(&join(&app.authorize_base, self.authorize_path)).unwrap_or_else(|_| url::Url::parse("invalid:").expect("static"));
        {
            let mut q = url.query_pairs_mut();
            q.append_pair(self.client_id_param, &app.client_id)
                .append_pair("response_type", "code")
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("scope", &scopes.join(self.scope_separator))
                .append_pair("state", state);
            for (k, v) in self.authorize_extra {
                q.append_pair(k, v);
            }
            if let (true, Some(c)) = (self.pkce, pkce_challenge) {
                q.append_pair("code_challenge", c).append_pair("code_challenge_method", "S256");
            }
        }
        url.to_string()
    }

    fn request(&self, app: &App, mut params: Vec<(&'static str, String)>) -> TokenRequest {
        let basic = self.basic.then(|| (app.client_id.clone(), app.client_secret.clone()));
        if !self.basic {
            params.push((self.client_id_param, app.client_id.clone()));
            params.push(("client_secret", app.client_secret.clone()));
        }
        TokenRequest { post: true, url: join(&app.token_base, self.token_path), params, basic }
    }

    pub(crate) fn code_request(&self, app: &App, code: &str, redirect_uri: &str, pkce_verifier: Option<&str>) -> TokenRequest {
        let mut params = vec![("grant_type", "authorization_code".to_string()), ("code", code.to_string()), ("redirect_uri", redirect_uri.to_string())];
        if let (true, Some(v)) = (self.pkce, pkce_verifier) {
            params.push(("code_verifier", v.to_string()));
        }
        self.request(app, params)
    }

    pub(crate) fn refresh_request(&self, app: &App, refresh_token: &str) -> TokenRequest {
        self.request(app, vec![("grant_type", "refresh_token".to_string()), ("refresh_token", refresh_token.to_string())])
    }
}
