//! X's OAuth 1.0a three-legged flow, crier's side (oauth-and-webhooks.md §9.1), for linking with
//! the customer's own app keys (Ayrshare's BYO model):
//!
//! 1. [`request_token`]: `POST {base}/oauth/request_token`, signed with the consumer key and
//!    secret only (no `oauth_token`), `oauth_callback` in the `Authorization` header. X answers
//!    `oauth_token=…&oauth_token_secret=…&oauth_callback_confirmed=true` (form-encoded); anything
//!    else is refused.
//! 2. [`authorize_url`]: `{authorize_base}/oauth/authorize?oauth_token=…&force_login=true` — the
//!    consent screen every time, and the user may pick another X account than the one logged in.
//! 3. [`access_token`]: `POST {base}/oauth/access_token` with `oauth_token` (the request token) and
//!    `oauth_verifier` in the header, signed with the consumer secret and the request-token secret.
//!    X answers `oauth_token`, `oauth_token_secret`, `user_id`, `screen_name`.
//!
//! Header placement as tweepy (requests-oauthlib) sends it; X also takes the parameters in the
//! query (its docs' examples, twitter-api-v2). The request-token secret never leaves the server.

use super::TokenError;
use crate::twitter::oauth1::{Keys, authorization_protocol, encode};

/// An X user's token from the access-token step. `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub oauth_token: String,
    pub oauth_token_secret: String,
    pub user_id: String,
    pub screen_name: String,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccessToken(user_id={}, screen_name={}, <tokens redacted>)", self.user_id, self.screen_name)
    }
}

/// The consent page for a request token.
pub fn authorize_url(authorize_base: &str, oauth_token: &str) -> String {
    format!("{}/oauth/authorize?oauth_token={}&force_login=true", authorize_base.trim_end_matches('/'), encode(oauth_token))
}

/// Step 1: a request token and its secret for `callback` (which must be registered on the app).
pub async fn request_token(http: &reqwest::Client, base: &str, consumer_key: &str, consumer_secret: &str, callback: &str) -> Result<(String, String), TokenError> {
    let url = format!("{}/oauth/request_token", base.trim_end_matches('/'));
    let keys = Keys { consumer_key, consumer_secret, token: "", token_secret: "" };
    let auth = authorization_protocol("POST", &url, &[], &keys, &[("oauth_callback", callback)]);
    let fields = send(http.post(&url).header(reqwest::header::AUTHORIZATION, auth), "request_token").await?;
    if field(&fields, "oauth_callback_confirmed") != Some("true") {
        return Err(TokenError::App("X did not confirm the callback (oauth_callback_confirmed)".into()));
    }
    match (field(&fields, "oauth_token"), field(&fields, "oauth_token_secret")) {
        (Some(t), Some(s)) => Ok((t.to_string(), s.to_string())),
        _ => Err(TokenError::App("X's request_token answer lacks oauth_token or oauth_token_secret".into())),
    }
}

/// Step 3: the user's token for the request token the user authorized (`verifier` from the callback).
pub async fn access_token(http: &reqwest::Client, base: &str, consumer_key: &str, consumer_secret: &str, request_token: &str, request_secret: &str, verifier: &str) -> Result<AccessToken, TokenError> {
    let url = format!("{}/oauth/access_token", base.trim_end_matches('/'));
    let keys = Keys { consumer_key, consumer_secret, token: request_token, token_secret: request_secret };
    let auth = authorization_protocol("POST", &url, &[], &keys, &[("oauth_verifier", verifier)]);
    let fields = send(http.post(&url).header(reqwest::header::AUTHORIZATION, auth), "access_token").await?;
    let get = |k: &str| field(&fields, k).map(str::to_string);
    match (get("oauth_token"), get("oauth_token_secret"), get("user_id"), get("screen_name")) {
        (Some(oauth_token), Some(oauth_token_secret), Some(user_id), Some(screen_name)) => Ok(AccessToken { oauth_token, oauth_token_secret, user_id, screen_name }),
        _ => Err(TokenError::App("X's access_token answer lacks oauth_token, oauth_token_secret, user_id or screen_name".into())),
    }
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// Sends a step and reads X's form-encoded answer. 401/403 (bad keys, callback not approved,
/// spent verifier) are the app's or the consent's, not passing: no retry helps.
async fn send(req: reqwest::RequestBuilder, step: &str) -> Result<Vec<(String, String)>, TokenError> {
    let resp = req.send().await.map_err(|e| TokenError::Transient(format!("X {step}: {}", crate::classify_send_error(&e).into_text())))?;
    let status = resp.status().as_u16();
    let body = resp.text().await.map_err(|e| TokenError::Transient(format!("X {step}: {e}")))?;
    match status {
        200 => Ok(parse(&body)),
        429 | 500..=599 => Err(TokenError::Transient(format!("X {step} answered {status}"))),
        _ => Err(TokenError::App(format!("X {step} answered {status}: {}", error_text(&body)))),
    }
}

fn parse(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.trim().as_bytes()).into_owned().collect()
}

/// X's error message (`{"errors":[{"code","message"}]}` or plain text), short, never a token.
fn error_text(body: &str) -> String {
    let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let msg = json
        .as_ref()
        .and_then(|v| v.pointer("/errors/0"))
        .map(|e| format!("{} {}", e.get("code").map(|c| c.to_string()).unwrap_or_default(), e.get("message").and_then(|m| m.as_str()).unwrap_or_default()))
        .unwrap_or_else(|| body.chars().take(200).collect());
    msg.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_forces_the_login_screen() {
        assert_eq!(authorize_url("https://api.x.com/", "Z6eE/ab+"), "https://api.x.com/oauth/authorize?oauth_token=Z6eE%2Fab%2B&force_login=true");
    }

    #[test]
    fn request_token_header_carries_the_callback_and_no_token() {
        let keys = Keys { consumer_key: "ck", consumer_secret: "cs", token: "", token_secret: "" };
        let h = authorization_protocol("POST", "https://api.x.com/oauth/request_token", &[], &keys, &[("oauth_callback", "https://crier.example/link/callback/x")]);
        assert!(h.starts_with("OAuth "), "{h}");
        assert!(h.contains(r#"oauth_callback="https%3A%2F%2Fcrier.example%2Flink%2Fcallback%2Fx""#), "{h}");
        assert!(!h.contains("oauth_token="), "no token yet: {h}");
        assert!(h.contains(r#"oauth_consumer_key="ck""#) && h.contains("oauth_signature="), "{h}");
    }

    #[test]
    fn answers_are_form_encoded() {
        let f = parse("oauth_token=NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0&oauth_token_secret=veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI&oauth_callback_confirmed=true\n");
        assert_eq!(field(&f, "oauth_callback_confirmed"), Some("true"));
        assert_eq!(field(&f, "oauth_token_secret"), Some("veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI"));
        assert_eq!(error_text(r#"{"errors":[{"code":415,"message":"Callback URL not approved for this client application."}]}"#), "415 Callback URL not approved for this client application.");
    }

    #[test]
    fn debug_hides_the_tokens() {
        let t = AccessToken { oauth_token: "tok-secretish".into(), oauth_token_secret: "very-secret".into(), user_id: "1".into(), screen_name: "a".into() };
        let d = format!("{t:?}");
        assert!(!d.contains("tok-secretish") && !d.contains("very-secret"), "{d}");
    }
}
