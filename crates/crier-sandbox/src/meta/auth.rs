//! The seeded accounts, their tokens, and the token lifecycle a test can
//! drive (`/_sandbox/meta/tokens`): expired → 190/463, revoked → 190/467,
//! password changed → 190/460.

use std::collections::HashMap;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::Host;
use super::error::GraphError;
use crate::seed;

/// An account the sandbox knows; each has exactly one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Account {
    Page,
    IgUser,
    ThreadsUser,
}

impl Account {
    pub(crate) const ALL: [Account; 3] = [Account::Page, Account::IgUser, Account::ThreadsUser];

    pub(crate) fn id(self) -> &'static str {
        match self {
            Account::Page => seed::FACEBOOK_PAGE_ID,
            Account::IgUser => seed::INSTAGRAM_USER_ID,
            Account::ThreadsUser => seed::THREADS_USER_ID,
        }
    }

    fn token(self) -> &'static str {
        match self {
            Account::Page => seed::FACEBOOK_PAGE_TOKEN,
            Account::IgUser => seed::INSTAGRAM_TOKEN,
            Account::ThreadsUser => seed::THREADS_TOKEN,
        }
    }

    pub(crate) fn host(self) -> Host {
        match self {
            Account::ThreadsUser => Host::Threads,
            _ => Host::Facebook,
        }
    }

    /// The account whose token this is, whatever the host.
    pub(crate) fn by_token(token: &str) -> Option<Account> {
        Self::ALL.into_iter().find(|a| a.token() == token)
    }
}

/// Lifecycle state of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TokenState {
    Valid,
    Expired,
    Revoked,
    #[serde(alias = "passwordChanged")]
    PasswordChanged,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenRecord {
    pub state: TokenState,
    /// When the state was set (the expiry moment for `expired`).
    pub since_ms: i64,
}

/// Meta prints times in Pacific time in 190/463 messages; a fixed UTC-8 is
/// close enough for a message nobody parses.
fn pacific(ms: i64) -> String {
    let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    match FixedOffset::west_opt(8 * 3600) {
        Some(offset) => utc
            .with_timezone(&offset)
            .format("%A, %d-%b-%y %H:%M:%S PST")
            .to_string(),
        None => utc.format("%A, %d-%b-%y %H:%M:%S UTC").to_string(),
    }
}

/// Which account the call's token stands for on this host.
pub(crate) fn authenticate(
    tokens: &HashMap<String, TokenRecord>,
    host: Host,
    token: Option<&str>,
    now_ms: i64,
) -> Result<Account, GraphError> {
    let token = match token.map(str::trim) {
        None | Some("") => return Err(GraphError::token_required()),
        Some(token) => token,
    };
    if let Some(record) = tokens.get(token) {
        match record.state {
            TokenState::Valid => {}
            TokenState::Expired => {
                return Err(GraphError::token_dead(
                    463,
                    format!(
                        "Error validating access token: Session has expired on {}. The current time is {}.",
                        pacific(record.since_ms),
                        pacific(now_ms)
                    ),
                ));
            }
            TokenState::Revoked => {
                return Err(GraphError::token_dead(
                    467,
                    "Error validating access token: The session is invalid because the user logged out."
                        .into(),
                ));
            }
            TokenState::PasswordChanged => {
                return Err(GraphError::token_dead(
                    460,
                    "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."
                        .into(),
                ));
            }
        }
    }
    match Account::by_token(token) {
        Some(account) if account.host() == host => Ok(account),
        // A Facebook token sent to graph.threads.net (or the other way round)
        // cannot even be parsed there.
        _ => Err(GraphError::bad_token()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_states() {
        let mut tokens = HashMap::new();
        let ok = authenticate(&tokens, Host::Facebook, Some(seed::FACEBOOK_PAGE_TOKEN), 0);
        assert_eq!(ok.ok(), Some(Account::Page));
        assert_eq!(
            authenticate(&tokens, Host::Threads, Some(seed::FACEBOOK_PAGE_TOKEN), 0)
                .err()
                .map(|e| e.code()),
            Some(190)
        );
        assert_eq!(
            authenticate(&tokens, Host::Facebook, None, 0)
                .err()
                .map(|e| e.code()),
            Some(104)
        );
        tokens.insert(
            seed::INSTAGRAM_TOKEN.to_owned(),
            TokenRecord {
                state: TokenState::Expired,
                since_ms: 1_700_000_000_000,
            },
        );
        let err = authenticate(
            &tokens,
            Host::Facebook,
            Some(seed::INSTAGRAM_TOKEN),
            1_700_000_100_000,
        )
        .err()
        .map(|e| e.body("t"));
        let body = err.unwrap_or_default();
        assert_eq!(body["error"]["error_subcode"], 463);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("Session has expired on")
        );
    }
}
