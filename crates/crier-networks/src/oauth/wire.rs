//! One token-endpoint request as data (so its wire format is testable without a network),
//! sending it, and reading the answer into a token set or a classified failure.

use crier_core::Platform;
use serde_json::Value;

/// A request to a token endpoint: GET with a query (Meta, Threads) or POST with a form body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TokenRequest {
    pub post: bool,
    pub url: String,
    /// Query parameters (GET) or form fields (POST), in order.
    pub params: Vec<(&'static str, String)>,
    /// HTTP Basic client authentication (Reddit, Pinterest, X confidential clients).
    pub basic: Option<(String, String)>,
}

/// What a token endpoint granted. Lifetimes are seconds from when the request was sent.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: String,
    /// Present when the network issued (or rotated) one.
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
    pub refresh_expires_in: Option<i64>,
    /// Granted scopes, split on `,` or ` ` (networks differ).
    pub scopes: Vec<String>,
    /// Other identity fields of the answer (`open_id`, `user_id`), for the linking page.
    pub extra: serde_json::Map<String, Value>,
}

impl std::fmt::Debug for TokenSet {
    // Tokens are secrets: never in logs, even through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "…"))
            .field("expires_in", &self.expires_in)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Why a token request failed. Details never contain a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The grant is dead (`invalid_grant`, revoked, expired refresh token, Meta 190): only the
    /// user can fix it, by linking again.
    Relink(String),
    /// 5xx, 429 or transport: the same request can succeed later.
    Transient(String),
    /// The app is refused (`invalid_client`, `unauthorized_client`) or not configured: an
    /// operator fixes it in the config; the account itself may be fine.
    App(String),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Relink(d) => write!(f, "the grant is no longer valid: {d}"),
            TokenError::Transient(d) => write!(f, "token endpoint unavailable: {d}"),
            TokenError::App(d) => write!(f, "the app was refused: {d}"),
        }
    }
}

fn split_scopes(raw: &str) -> Vec<String> {
    raw.split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn int(v: Option<&Value>) -> Option<i64> {
    v.and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
}

/// Reads a token endpoint's answer. `status` is the HTTP status.
pub(crate) fn parse(platform: Platform, status: u16, body: &Value) -> Result<TokenSet, TokenError> {
    let name = platform.display_name();
    // TikTok wraps nothing but may answer 200 with an `error`; Meta uses its Graph envelope.
    let error = body.get("error");
    let ok = (200..300).contains(&status) && error.is_none();
    if ok && let Some(access) = body.get("access_token").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        let mut extra = serde_json::Map::new();
        for k in ["open_id", "user_id", "id_token", "token_type"] {
            if let Some(v) = body.get(k) {
                extra.insert(k.into(), v.clone());
            }
        }
        return Ok(TokenSet {
            access_token: access.to_string(),
            refresh_token: body.get("refresh_token").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
            expires_in: int(body.get("expires_in")),
            refresh_expires_in: int(body.get("refresh_token_expires_in").or_else(|| body.get("refresh_expires_in"))),
            scopes: body.get("scope").and_then(Value::as_str).map(split_scopes).unwrap_or_default(),
            extra,
        });
    }
    if status == 429 || status >= 500 {
        return Err(TokenError::Transient(format!("{name} token endpoint answered HTTP {status}")));
    }
    // RFC 6749 §5.2 (`error` string), Meta's Graph envelope (`error.code`), Pinterest (`code`).
    let (code, text) = match error {
        Some(Value::String(s)) => (s.clone(), body.get("error_description").and_then(Value::as_str).unwrap_or("").to_string()),
        Some(Value::Object(o)) => (
            o.get("code").map(|c| c.to_string()).unwrap_or_default(),
            o.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
        ),
        _ => (int(body.get("code")).map(|c| c.to_string()).unwrap_or_default(), body.get("message").and_then(Value::as_str).unwrap_or("").to_string()),
    };
    let what = if text.is_empty() { format!("{name}: {code} (HTTP {status})") } else { format!("{name}: {code}: {text} (HTTP {status})") };
    match code.as_str() {
        "invalid_client" | "unauthorized_client" | "unsupported_grant_type" => Err(TokenError::App(what)),
        // Everything else in 4xx (invalid_grant, invalid_request with a dead token at X, Meta 190,
        // Pinterest's codes, a 2xx without a token) is the grant's end.
        _ => Err(TokenError::Relink(what)),
    }
}

/// Sends one token request and reads its answer.
pub(crate) async fn send(http: &reqwest::Client, platform: Platform, req: TokenRequest) -> Result<TokenSet, TokenError> {
    let mut builder = if req.post { http.post(&req.url).form(&req.params) } else { http.get(&req.url).query(&req.params) };
    builder = builder.header(reqwest::header::ACCEPT, "application/json");
    if let Some((id, secret)) = &req.basic {
        builder = builder.basic_auth(id, Some(secret));
    }
    match crate::http::send(builder).await {
        Ok(answer) => parse(platform, answer.status, &answer.body),
        Err(e) => Err(TokenError::Transient(format!("{} token endpoint: {}", platform.display_name(), e.into_text()))),
    }
}
