//! `app.bsky.actor.getProfile` and the author views the feed methods embed.
//!
//! The sandbox account's audience is fixed (nobody follows or unfollows in
//! the sandbox); its post count is what the repo holds.

use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::session::{Account, find_account};
use super::{BlueskyState, Call, XrpcError, XrpcResult, now_secs, required_str};

pub(super) const POST: &str = "app.bsky.feed.post";
const DISPLAY_NAME: &str = "Crier Sandbox";
const DESCRIPTION: &str = "The account crier's sandbox publishes to.";
/// When the sandbox account "signed up".
const ACCOUNT_CREATED: &str = "2024-01-01T00:00:00.000Z";
const FOLLOWERS: u64 = 512;
const FOLLOWS: u64 = 64;

/// A DID or a handle by syntax (the lexicon's `at-identifier` format).
pub(super) fn is_at_identifier(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("did:") {
        let Some((method, id)) = rest.split_once(':') else {
            return false;
        };
        return !method.is_empty()
            && method.bytes().all(|b| b.is_ascii_lowercase())
            && !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:%-".contains(&b));
    }
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && s.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// The account an `actor` parameter names; the AppView's wording for
/// malformed and unknown actors.
pub(super) fn resolve_actor(raw: &str) -> Result<&'static Account, XrpcError> {
    if !is_at_identifier(raw.trim()) {
        return Err(XrpcError::invalid(
            "Error: actor must be a valid did or a handle",
        ));
    }
    find_account(raw).ok_or_else(|| XrpcError::invalid("Profile not found"))
}

fn avatar(account: &Account) -> String {
    format!(
        "https://cdn.bsky.app/img/avatar/plain/{}/bafkreicriersandboxavatar@jpeg",
        account.did
    )
}

/// `app.bsky.actor.defs#profileViewBasic`, as posts carry their author.
pub(super) fn basic_view(account: &Account) -> Value {
    json!({
        "did": account.did,
        "handle": account.handle,
        "displayName": DISPLAY_NAME,
        "avatar": avatar(account),
        "associated": {"chat": {"allowIncoming": "following"}},
        "viewer": {"muted": false, "blockedBy": false},
        "labels": [],
        "createdAt": ACCOUNT_CREATED,
    })
}

/// `app.bsky.actor.getProfile?actor=<did|handle>` →
/// `app.bsky.actor.defs#profileViewDetailed`.
pub(crate) fn get_profile(bs: &BlueskyState, call: &Call) -> XrpcResult {
    let inner = bs.lock();
    inner.sessions.check_access(&call.headers, now_secs())?;
    let account = resolve_actor(required_str(&call.query, "Params", "actor")?)?;
    let posts = inner
        .records
        .keys()
        .filter(|(did, collection, _)| did == account.did && collection == POST)
        .count();
    Ok(axum::Json(json!({
        "did": account.did,
        "handle": account.handle,
        "displayName": DISPLAY_NAME,
        "description": DESCRIPTION,
        "avatar": avatar(account),
        "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": false},
        "followersCount": FOLLOWERS,
        "followsCount": FOLLOWS,
        "postsCount": posts,
        "indexedAt": ACCOUNT_CREATED,
        "createdAt": ACCOUNT_CREATED,
        "viewer": {"muted": false, "blockedBy": false},
        "labels": [],
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_at_identifier("crier.bsky.social"));
        assert!(is_at_identifier("did:plc:criersandbox000000000000"));
        assert!(is_at_identifier("did:web:example.com"));
        assert!(!is_at_identifier("crier"));
        assert!(!is_at_identifier("did:plc"));
        assert!(!is_at_identifier("bad handle.social"));
        assert!(!is_at_identifier("-x.social"));
    }
}
