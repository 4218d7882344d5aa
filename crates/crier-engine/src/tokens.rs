//! Keeping linked accounts' OAuth tokens valid (oauth-and-webhooks.md §11): refresh ahead of
//! expiry, and once after the network answered that the token expired; one refresh at a time
//! per account across nodes (the store's lease); the new token set is stored before it is used;
//! a grant that is dead for good marks the account for relinking, and from then on its posts
//! fail with the relink code (908, Facebook 161) without a call to the network.
//!
//! Credentials without refresh metadata (a bare `accessToken` linked by `crier account link`)
//! are used exactly as stored: nothing is refreshed and nothing is marked.

use crate::Engine;
use crier_core::{Action, Code, ErrorReport, Platform};
use crier_networks::Failure;
use crier_networks::oauth::{self, App, TokenError};
use crier_store::{GrantedTokens, TokenMeta};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The apps crier refreshes with, per network (from `oauth.<network>` in the config).
pub type OAuthApps = HashMap<Platform, App>;

/// How long one node may hold an account's refresh lease (a refresh is one HTTP call).
const LEASE: Duration = Duration::from_secs(30);
/// How often a node waiting for another's refresh looks again.
const WAIT_STEP: Duration = Duration::from_millis(100);

/// Refresh this long before expiry: max(5 min, 10 % of the lifetime), but never more than half
/// of it (short sandbox lifetimes of ~20 s stay usable).
pub fn skew_ms(lifetime_ms: Option<i64>) -> i64 {
    let five_min = 300_000;
    match lifetime_ms {
        Some(l) if l > 0 => five_min.max(l / 10).min(l / 2),
        _ => five_min,
    }
}

/// The catalog's relink error of a network (Facebook has its own, 161).
pub fn relink_error(platform: Platform, action: Action) -> ErrorReport {
    let code = if platform == Platform::Facebook { Code::FacebookAuthBroken } else { Code::TokenInvalid };
    ErrorReport::for_platform(code, action, platform).arg("network", platform.display_name())
}

/// True for the network's own "this token expired or was revoked" answer, as connectors map it.
pub fn is_token_failure(platform: Platform, e: &ErrorReport) -> bool {
    e.code == Code::TokenInvalid.entry().code || (platform == Platform::Facebook && e.code == Code::FacebookAuthBroken.entry().code)
}

fn access_token(credentials: &Value) -> Option<&str> {
    credentials.get("accessToken").and_then(Value::as_str)
}

/// Whether crier refreshes these credentials at all: a refresh token, or (Threads) a known expiry.
fn managed(platform: Platform, credentials: &Value, meta: &TokenMeta) -> bool {
    let has_refresh = credentials.get("refreshToken").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    oauth::refreshable(platform, credentials) && (has_refresh || meta.expires_ms.is_some())
}

fn scopes_text(tokens: &oauth::TokenSet) -> Option<String> {
    (!tokens.scopes.is_empty()).then(|| tokens.scopes.join(" "))
}

/// What a token answer granted, in absolute times counted from when the request was sent.
fn granted<'a>(tokens: &oauth::TokenSet, sent_ms: i64, scopes: Option<&'a str>) -> GrantedTokens<'a> {
    let lifetime_ms = tokens.expires_in.map(|s| s * 1000);
    GrantedTokens {
        expires_ms: lifetime_ms.map(|l| sent_ms + l),
        refresh_expires_ms: tokens.refresh_expires_in.map(|s| sent_ms + s * 1000),
        lifetime_ms,
        scopes,
        app: None,
    }
}

impl Engine {
    /// Sets the OAuth apps used to refresh tokens (at start-up, from the config).
    pub fn set_oauth_apps(&self, apps: OAuthApps) {
        if let Ok(mut a) = self.oauth.write() {
            *a = Arc::new(apps);
        }
    }

    /// The configured app of a network (the linking page exchanges codes with the same app the
    /// engine refreshes with). `None`: `oauth.<network>` is not configured.
    pub fn oauth_app(&self, platform: Platform) -> Option<App> {
        self.oauth.read().ok().and_then(|a| a.get(&platform).cloned())
    }

    /// Links an account with the tokens of a code exchange (the linking page's last step):
    /// `credentials` already hold `accessToken` (and `refreshToken` when issued) plus the
    /// network's own fields; `sent_ms` is when the token request was sent. Records `linked`.
    pub async fn link_with_tokens(&self, profile_id: &str, platform: Platform, credentials: &Value, display_name: Option<&str>, tokens: &oauth::TokenSet, sent_ms: i64) -> crier_store::Result<()> {
        let app = self.oauth_app(platform).map(|a| a.client_id);
        let scopes = scopes_text(tokens);
        let mut granted = granted(tokens, sent_ms, scopes.as_deref());
        granted.app = app.as_deref();
        self.store.link_network_with_tokens(profile_id, platform, credentials, display_name, &granted).await
    }

    /// The credentials to use now for `platform` of a profile, refreshed first when they expire
    /// within the skew. `Ok(None)`: not linked. `Err(Rejected)`: the account needs a relink.
    /// A refresh that fails for a passing reason keeps the stored token (it may still work; if
    /// not, the network's expired answer brings the caller back through `after_token_failure`).
    pub async fn fresh_credentials(&self, profile_id: &str, platform: Platform, action: Action) -> crier_store::Result<Result<Option<Value>, Failure>> {
        self.credentials_with(profile_id, platform, action, None).await
    }

    /// After the network refused `used` credentials as expired/revoked: refreshes once (unless
    /// another run already did) and gives the new credentials to retry with. `Ok(Err(_))`: no
    /// refresh is possible (the failure to report), or the grant is dead (relink, now marked).
    pub async fn after_token_failure(&self, profile_id: &str, platform: Platform, action: Action, used: &Value, failure: &ErrorReport) -> crier_store::Result<Result<Value, Failure>> {
        let Some((stored, meta)) = self.store.token_state(profile_id, platform).await? else {
            return Ok(Err(Failure::Rejected(failure.clone())));
        };
        if !managed(platform, &stored, &meta) {
            // Linked through OAuth but nothing to refresh with (Meta Page tokens): the network
            // says the grant is gone, so the account needs a relink. Bare tokens stay as today.
            if meta.app.is_some() && meta.relink_reason.is_none() {
                self.store.mark_needs_relink(profile_id, platform, &format!("{} refused the token", platform.display_name())).await?;
            }
            return Ok(Err(Failure::Rejected(failure.clone())));
        }
        match self.credentials_with(profile_id, platform, action, access_token(used)).await? {
            Ok(Some(fresh)) if access_token(&fresh) != access_token(used) => Ok(Ok(fresh)),
            Ok(_) => Ok(Err(Failure::Rejected(failure.clone()))),
            Err(f) => Ok(Err(f)),
        }
    }

    /// The single path of every refresh. `forced_for`: the access token the network refused
    /// (refresh unless the stored one already differs); `None`: refresh only when due.
    async fn credentials_with(&self, profile_id: &str, platform: Platform, action: Action, forced_for: Option<&str>) -> crier_store::Result<Result<Option<Value>, Failure>> {
        let deadline = tokio::time::Instant::now() + LEASE;
        loop {
            let Some((credentials, meta)) = self.store.token_state(profile_id, platform).await? else { return Ok(Ok(None)) };
            if let Some(reason) = &meta.relink_reason {
                return Ok(Err(Failure::Rejected(relink_error(platform, action).details(format!("relink needed: {reason}")))));
            }
            if !self.refresh_due(platform, &credentials, &meta, forced_for) {
                return Ok(Ok(Some(credentials)));
            }
            if self.store.claim_refresh(profile_id, platform, &self.owner, LEASE.as_millis() as i64).await? {
                // Re-read under the lease: another node may have refreshed just before.
                let Some((credentials, meta)) = self.store.token_state(profile_id, platform).await? else { return Ok(Ok(None)) };
                if !self.refresh_due(platform, &credentials, &meta, forced_for) || meta.relink_reason.is_some() {
                    self.store.release_refresh(profile_id, platform, &self.owner).await?;
                    continue;
                }
                return self.refresh_now(profile_id, platform, action, credentials, &meta, forced_for.is_some()).await;
            }
            if tokio::time::Instant::now() >= deadline {
                // The holder is slow or gone (its lease will lapse): use what is stored.
                return Ok(Ok(Some(credentials)));
            }
            tokio::time::sleep(WAIT_STEP).await;
        }
    }

    fn refresh_due(&self, platform: Platform, credentials: &Value, meta: &TokenMeta, forced_for: Option<&str>) -> bool {
        if !managed(platform, credentials, meta) {
            return false;
        }
        match forced_for {
            Some(used) => access_token(credentials) == Some(used),
            None => meta.expires_ms.is_some_and(|exp| self.store.now_ms() + skew_ms(meta.lifetime_ms) >= exp),
        }
    }

    /// Holding the lease: one call to the token endpoint; the answer is stored before use.
    async fn refresh_now(&self, profile_id: &str, platform: Platform, action: Action, credentials: Value, meta: &TokenMeta, forced: bool) -> crier_store::Result<Result<Option<Value>, Failure>> {
        let name = platform.display_name();
        let Some(app) = self.oauth_app(platform) else {
            self.store.release_refresh(profile_id, platform, &self.owner).await?;
            tracing::warn!(network = platform.as_str(), "token due for refresh but oauth.{} is not configured", platform.as_str());
            return Ok(if forced { Err(Failure::Rejected(relink_error(platform, action).details(format!("oauth.{} is not configured: crier cannot refresh the token", platform.as_str())))) } else { Ok(Some(credentials)) });
        };
        // Lifetimes count from when the request was sent, not when the answer came.
        let sent_ms = self.store.now_ms();
        match oauth::refresh(&self.networks.http, platform, &app, &credentials).await {
            Ok(tokens) => {
                let mut fresh = oauth::apply(&credentials, &tokens);
                if let (Some(old), Some(_)) = (credentials.get("refreshToken"), &tokens.refresh_token)
                    && let Some(map) = fresh.as_object_mut()
                {
                    // Kept one refresh long, for networks with a grace period and for diagnosis.
                    map.insert("previousRefreshToken".into(), old.clone());
                }
                let scopes = scopes_text(&tokens);
                let mut granted = granted(&tokens, sent_ms, scopes.as_deref());
                granted.lifetime_ms = granted.lifetime_ms.or(meta.lifetime_ms);
                // Persisted (encrypted) before anything uses the new access token.
                if !self.store.save_refreshed(profile_id, platform, &self.owner, &fresh, &granted).await? {
                    return Ok(Ok(None));
                }
                tracing::info!(network = platform.as_str(), "token refreshed");
                Ok(Ok(Some(fresh)))
            }
            Err(TokenError::Relink(why)) => {
                tracing::warn!(network = platform.as_str(), reason = %why, "refresh refused for good: relink needed");
                self.store.mark_needs_relink(profile_id, platform, &why).await?;
                Ok(Err(Failure::Rejected(relink_error(platform, action).details(format!("relink needed: {why}")))))
            }
            Err(e @ (TokenError::Transient(_) | TokenError::App(_))) => {
                self.store.release_refresh(profile_id, platform, &self.owner).await?;
                tracing::warn!(network = platform.as_str(), error = %e, "token refresh failed");
                if !forced {
                    return Ok(Ok(Some(credentials)));
                }
                let error = match e {
                    TokenError::Transient(d) => Failure::Transient { error: ErrorReport::for_platform(Code::NetworkUnavailable, action, platform).arg("network", name).details(d), retry_after: None },
                    e => Failure::Rejected(relink_error(platform, action).details(e.to_string())),
                };
                Ok(Err(error))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_is_five_minutes_or_a_tenth_but_at_most_half_the_lifetime() {
        assert_eq!(skew_ms(None), 300_000);
        assert_eq!(skew_ms(Some(3_600_000)), 360_000, "1 h: a tenth (6 min)");
        assert_eq!(skew_ms(Some(5_184_000_000)), 518_400_000, "60 days: 6 days");
        assert_eq!(skew_ms(Some(20_000)), 10_000, "20 s sandbox tokens: 10 s");
    }

    #[test]
    fn the_relink_code_is_161_on_facebook_and_908_elsewhere() {
        assert_eq!(relink_error(Platform::Facebook, Action::Post).code, 161);
        assert_eq!(relink_error(Platform::Tiktok, Action::Post).code, 908);
        assert!(is_token_failure(Platform::Facebook, &relink_error(Platform::Facebook, Action::Post)));
        assert!(!is_token_failure(Platform::Tiktok, &relink_error(Platform::Facebook, Action::Post)));
    }
}
