//! The sandbox's OAuth 2.0 authorization servers, one per network family:
//! a consent page (Consent / Deny), a token endpoint speaking the network's
//! own wire format (code exchange, refresh, rotation where the network
//! rotates, `invalid_grant`), revoke where the network has one, and the
//! gate that lets the emulators accept the access tokens issued here.
//! Paths mirror the real ones under the emulator prefix of the network's
//! host (see the crate README, "OAuth authorization servers").

pub(crate) mod control;
mod flow;
mod gate;
mod google;
pub(crate) mod grants;
mod linkedin;
mod meta;
mod meta_pages;
pub(crate) mod net;
mod page;
mod pinterest;
mod reddit;
mod snapchat;
mod threads;
mod tiktok;
mod wire;
mod x;

use std::sync::{Mutex, MutexGuard};

use axum::Router;
use axum::routing::{any, get, post};

pub(crate) use gate::middleware;
use grants::Grants;
use net::Net;

use crate::SandboxState;

pub(crate) struct OauthState(Mutex<Grants>);

impl OauthState {
    pub(crate) fn new() -> Self {
        OauthState(Mutex::new(Grants::default()))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Grants> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets codes, grants, tokens, lifetimes, redirects and counters.
    pub(crate) fn reset(&self) {
        *self.lock() = Grants::default();
    }
}

/// The authorize pages and token/revoke endpoints (see the crate README).
/// Their versioned Graph paths (`/facebook/v25.0/oauth/access_token` …)
/// cannot sit beside the emulators' catch-alls: [`gate`] routes those.
pub(crate) fn routes() -> Router<SandboxState> {
    let page = |net: Net| any(move |s, r| page::authorize(s, net, r));
    Router::new()
        // Facebook Login (www.facebook.com + graph.facebook.com → /facebook).
        .route("/facebook/dialog/oauth", page(Net::Facebook))
        .route("/facebook/oauth/access_token", any(meta::access_token))
        .route("/facebook/me/accounts", get(meta::accounts))
        // Threads (threads.com / threads.net + graph.threads.net → /threads).
        .route("/threads/oauth/authorize", page(Net::Threads))
        .route("/threads/oauth/access_token", post(threads::code))
        .route("/threads/access_token", get(threads::exchange))
        .route("/threads/refresh_access_token", get(threads::refresh))
        // Google (accounts.google.com + oauth2.googleapis.com → /google).
        .route("/google/o/oauth2/v2/auth", page(Net::Google))
        .route("/google/o/oauth2/auth", page(Net::Google))
        .route("/google/token", post(google::token))
        .route("/google/revoke", post(google::revoke))
        .route("/google/o/oauth2/revoke", any(google::revoke))
        // LinkedIn (www.linkedin.com → /linkedin).
        .route("/linkedin/oauth/v2/authorization", page(Net::Linkedin))
        .route("/linkedin/oauth/v2/accessToken", post(linkedin::token))
        .route("/linkedin/oauth/v2/revoke", post(linkedin::revoke))
        // TikTok (www.tiktok.com + open.tiktokapis.com → /tiktok).
        .route("/tiktok/v2/auth/authorize/", page(Net::Tiktok))
        .route("/tiktok/v2/auth/authorize", page(Net::Tiktok))
        .route("/tiktok/v2/oauth/token/", post(tiktok::token))
        .route("/tiktok/v2/oauth/token", post(tiktok::token))
        .route("/tiktok/v2/oauth/revoke/", post(tiktok::revoke))
        .route("/tiktok/v2/oauth/revoke", post(tiktok::revoke))
        // Pinterest (www.pinterest.com + api.pinterest.com → /pinterest).
        .route("/pinterest/oauth/", page(Net::Pinterest))
        .route("/pinterest/oauth", page(Net::Pinterest))
        .route("/pinterest/v5/oauth/token", post(pinterest::token))
        .route("/pinterest/v5/oauth/token/revoke", post(pinterest::revoke))
        // Reddit (www.reddit.com → /reddit, like oauth.reddit.com).
        .route("/reddit/api/v1/authorize", page(Net::Reddit))
        .route("/reddit/api/v1/authorize.compact", page(Net::Reddit))
        .route("/reddit/api/v1/access_token", post(reddit::token))
        .route("/reddit/api/v1/revoke_token", post(reddit::revoke))
        // Snapchat (accounts.snapchat.com → /snapchat).
        .route("/snapchat/login/oauth2/authorize", page(Net::Snapchat))
        .route("/snapchat/login/oauth2/access_token", post(snapchat::token))
        // X OAuth 1.0a (api.x.com → /x).
        .route("/x/oauth/request_token", post(x::request_token))
        .route("/x/oauth/authorize", any(x::authorize))
        .route("/x/oauth/authenticate", any(x::authorize))
        .route("/x/oauth/access_token", post(x::access_token))
}
