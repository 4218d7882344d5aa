//! Token lifecycle in the store: the refresh lease has one holder at a time (also across two
//! stores on one PostgreSQL), a refreshed token set is stored encrypted with its event, a dead
//! grant marks the account for relinking, and a relink starts clean.

use crier_core::Platform;
use crier_store::{Cipher, Clock, GrantedTokens, Store};
use serde_json::json;

const T0: i64 = 1_800_000_000_000;

async fn lifecycle(store: &Store, clock: &Clock) {
    let account = store.create_account().await.unwrap();
    let profile = store.primary_profile(&account).await.unwrap();
    let p = Platform::Tiktok;
    let granted = GrantedTokens { expires_ms: Some(T0 + 7_200_000), lifetime_ms: Some(7_200_000), scopes: Some("video.publish"), app: Some("cid"), ..Default::default() };
    store.link_network_with_tokens(&profile.id, p, &json!({"accessToken":"a1","refreshToken":"r1","openId":"o"}), Some("me"), &granted).await.unwrap();
    let (creds, meta) = store.token_state(&profile.id, p).await.unwrap().unwrap();
    assert_eq!(creds["refreshToken"], "r1");
    assert_eq!((meta.expires_ms, meta.scopes.as_deref(), meta.app.as_deref(), meta.relink_reason), (Some(T0 + 7_200_000), Some("video.publish"), Some("cid"), None));

    // One holder at a time; the lease ends by time or by release.
    assert!(store.claim_refresh(&profile.id, p, "node-a", 30_000).await.unwrap());
    assert!(!store.claim_refresh(&profile.id, p, "node-b", 30_000).await.unwrap());
    clock.advance_to(T0 + 30_001);
    assert!(store.claim_refresh(&profile.id, p, "node-b", 30_000).await.unwrap(), "an expired lease is taken over");
    store.release_refresh(&profile.id, p, "node-a").await.unwrap();
    assert!(!store.claim_refresh(&profile.id, p, "node-a", 30_000).await.unwrap(), "only the holder releases");

    // A refresh is stored (rotated token inside the encrypted credentials) and frees the lease.
    let new = GrantedTokens { expires_ms: Some(T0 + 40_000_000), lifetime_ms: Some(7_200_000), ..Default::default() };
    assert!(store.save_refreshed(&profile.id, p, "node-b", &json!({"accessToken":"access-token-2","refreshToken":"refresh-token-2","openId":"o"}), &new).await.unwrap());
    let (creds, meta) = store.token_state(&profile.id, p).await.unwrap().unwrap();
    assert_eq!((creds["accessToken"].as_str(), creds["refreshToken"].as_str()), (Some("access-token-2"), Some("refresh-token-2")));
    assert_eq!((meta.expires_ms, meta.refresh_count, meta.scopes.as_deref()), (Some(T0 + 40_000_000), 1, Some("video.publish")));
    assert!(store.claim_refresh(&profile.id, p, "node-a", 30_000).await.unwrap(), "saving released the lease");

    store.mark_needs_relink(&profile.id, p, "TikTok: invalid_grant (HTTP 400)").await.unwrap();
    let health: Vec<_> =
        store.linked_accounts(&profile.id).await.unwrap().into_iter().map(|a| (a.platform, a.relink_reason, a.token_expires_ms)).collect();
    assert_eq!(health, [(p, Some("TikTok: invalid_grant (HTTP 400)".to_string()), Some(T0 + 40_000_000))]);
    assert!(store.claim_refresh(&profile.id, p, "node-b", 30_000).await.unwrap(), "marking released the lease");

    let kinds: Vec<String> = store.account_events(&profile.id).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["linked", "refreshed", "refresh_failed"]);
    let events = format!("{:?}", store.account_events(&profile.id).await.unwrap());
    assert!(!events.contains("refresh-token-2") && !events.contains("access-token-2"), "no token in events: {events}");

    // A new link starts clean (no relink mark, no lease, no metadata of the old tokens).
    store.link_network(&profile.id, p, &json!({"accessToken":"bare","openId":"o"}), None).await.unwrap();
    let (_, meta) = store.token_state(&profile.id, p).await.unwrap().unwrap();
    assert_eq!(meta, Default::default());
    assert!(store.claim_refresh(&profile.id, p, "node-a", 30_000).await.unwrap());
    assert!(!store.claim_refresh(&profile.id, Platform::Youtube, "node-a", 30_000).await.unwrap(), "no account, no lease");
}

#[tokio::test]
async fn token_lifecycle_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(T0);
    let store = Store::open_sqlite(dir.path(), Cipher::new([1; 32])).await.unwrap().with_clock(clock.clone());
    lifecycle(&store, &clock).await;
}

fn pg_admin() -> Option<String> {
    let url = std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("the PostgreSQL half needs CRIER_TEST_DATABASE_URL (.ci/run sets it)");
    }
    url
}

#[tokio::test]
async fn token_lifecycle_postgres() {
    let Some(admin) = pg_admin() else { return };
    let url = Store::fresh_postgres_database(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(T0);
    let store = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap().with_clock(clock.clone());
    lifecycle(&store, &clock).await;
}

/// Two nodes on one PostgreSQL claim the same account's refresh lease at once, many times:
/// exactly one wins each round.
#[tokio::test]
async fn two_nodes_racing_for_a_refresh_one_wins() {
    let Some(admin) = pg_admin() else { return };
    let url = Store::fresh_postgres_database(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();
    let b = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();
    let account = a.create_account().await.unwrap();
    let profile = a.primary_profile(&account).await.unwrap();
    a.link_network(&profile.id, Platform::Youtube, &json!({"accessToken":"x","refreshToken":"r"}), None).await.unwrap();
    for round in 0..20 {
        let claim = |s: Store, owner: &'static str| {
            let id = profile.id.clone();
            tokio::spawn(async move { s.claim_refresh(&id, Platform::Youtube, owner, 60_000).await.unwrap() })
        };
        let tasks = [claim(a.clone(), "a1"), claim(b.clone(), "b1"), claim(a.clone(), "a2"), claim(b.clone(), "b2")];
        let mut wins = 0;
        for t in tasks {
            wins += t.await.unwrap() as usize;
        }
        assert_eq!(wins, 1, "round {round}");
        for owner in ["a1", "b1", "a2", "b2"] {
            a.release_refresh(&profile.id, Platform::Youtube, owner).await.unwrap();
        }
    }
}
