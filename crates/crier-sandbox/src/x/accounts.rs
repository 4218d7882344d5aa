//! Who exists on the emulated X: two developer apps (consumer keys), one
//! user, and that user's access tokens (issued to the first app, one
//! read-write and one read-only). The per-app credit balance and the
//! per-user account state are mutable through the control API.

use serde::{Deserialize, Serialize};

use crate::seed;

/// The permission level a token was issued with; X echoes it in
/// `x-access-level` on every answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AccessLevel {
    Read,
    ReadWrite,
    #[allow(dead_code)] // No seeded token has DM rights; kept for the header's full set.
    ReadWriteDm,
}

impl AccessLevel {
    pub(crate) fn header(self) -> &'static str {
        match self {
            AccessLevel::Read => "read",
            AccessLevel::ReadWrite => "read-write",
            AccessLevel::ReadWriteDm => "read-write-directmessages",
        }
    }

    pub(crate) fn can_write(self) -> bool {
        self != AccessLevel::Read
    }
}

/// A developer app (consumer key/secret pair) and its developer account.
pub(crate) struct AppDef {
    pub key: &'static str,
    pub secret: &'static str,
    /// The enrolled developer account, as named in billing errors.
    pub account_id: u64,
}

pub(crate) const APPS: [AppDef; 2] = [
    AppDef {
        key: seed::X_CONSUMER_KEY,
        secret: seed::X_CONSUMER_SECRET,
        account_id: 1_600_000_000_000_000_901,
    },
    AppDef {
        key: seed::X_OTHER_CONSUMER_KEY,
        secret: seed::X_OTHER_CONSUMER_SECRET,
        account_id: 1_600_000_000_000_000_902,
    },
];

pub(crate) fn app(key: &str) -> Option<&'static AppDef> {
    APPS.iter().find(|a| a.key == key)
}

/// An OAuth 1.0a access token: which user, issued to which app, with which
/// permission level.
pub(crate) struct TokenDef {
    pub token: &'static str,
    pub secret: &'static str,
    pub user_id: &'static str,
    pub consumer_key: &'static str,
    pub level: AccessLevel,
}

pub(crate) const TOKENS: [TokenDef; 2] = [
    TokenDef {
        token: seed::X_ACCESS_TOKEN,
        secret: seed::X_ACCESS_TOKEN_SECRET,
        user_id: seed::X_USER_ID,
        consumer_key: seed::X_CONSUMER_KEY,
        level: AccessLevel::ReadWrite,
    },
    TokenDef {
        token: seed::X_READONLY_ACCESS_TOKEN,
        secret: seed::X_READONLY_ACCESS_TOKEN_SECRET,
        user_id: seed::X_USER_ID,
        consumer_key: seed::X_CONSUMER_KEY,
        level: AccessLevel::Read,
    },
];

pub(crate) fn token(token: &str) -> Option<&'static TokenDef> {
    TOKENS.iter().find(|t| t.token == token)
}

pub(crate) struct UserDef {
    pub id: &'static str,
    pub username: &'static str,
    pub name: &'static str,
}

pub(crate) const USERS: [UserDef; 1] = [UserDef {
    id: seed::X_USER_ID,
    username: seed::X_USERNAME,
    name: "Crier Sandbox",
}];

pub(crate) fn user(id: &str) -> Option<&'static UserDef> {
    USERS.iter().find(|u| u.id == id)
}

/// A user's standing on X (`POST /_sandbox/x/users`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AccountState {
    #[default]
    Ok,
    Suspended,
    Locked,
}

/// Mutable per-user settings.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserState {
    pub state: AccountState,
    /// Long-post rights (X Premium): up to 25,000 weighted characters.
    pub long_posts: bool,
}

/// Mutable per-app billing state.
#[derive(Clone, Debug)]
pub(crate) struct AppState {
    /// Prepaid credits in thousandths of a dollar (0.015 = 15).
    pub credits_mills: i64,
    /// `YYYY-MM` the monthly counter belongs to.
    pub month: String,
    /// Posts created this month (for the optional monthly cap).
    pub month_creates: u64,
}

/// Credits every app starts with (chosen: enough for thousands of posts).
pub(crate) const DEFAULT_CREDITS_MILLS: i64 = 100_000;

impl Default for AppState {
    fn default() -> Self {
        Self {
            credits_mills: DEFAULT_CREDITS_MILLS,
            month: String::new(),
            month_creates: 0,
        }
    }
}

impl AppState {
    /// The monthly counter, restarted when the month changed.
    pub(crate) fn creates_this_month(&mut self, month: &str) -> u64 {
        if self.month != month {
            self.month = month.to_owned();
            self.month_creates = 0;
        }
        self.month_creates
    }
}

/// Price of one post creation in thousandths of a dollar ($0.015, or $0.200
/// when the text contains a URL), from X's pay-per-use price list.
pub(crate) fn create_cost_mills(has_url: bool) -> i64 {
    if has_url { 200 } else { 15 }
}
