//! New jobs are announced to every node on PostgreSQL (LISTEN/NOTIFY), so another node's
//! worker wakes at once instead of at its next poll.

use crier_core::Platform;
use crier_store::{Cipher, NewDelivery, NewPost, Store};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[tokio::test]
async fn a_post_created_on_one_node_wakes_the_others() {
    let Some(admin) = std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("LISTEN/NOTIFY needs PostgreSQL: set CRIER_TEST_DATABASE_URL (.ci/run does)");
        return;
    };
    let url = Store::fresh_postgres_database(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let node_a = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();
    let node_b = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();

    let woken = Arc::new(Notify::new());
    let listening = {
        let woken = woken.clone();
        tokio::spawn(async move { node_b.listen_for_jobs(move || woken.notify_one()).await })
    };
    let account = node_a.create_account().await.unwrap();
    let profile = node_a.primary_profile(&account).await.unwrap();
    // The listener may need a moment to subscribe: create posts until one wakes it (bounded).
    let mut got = false;
    for _ in 0..20 {
        let post = NewPost {
            profile_id: profile.id.clone(),
            request: serde_json::json!({}),
            text: "hi".into(),
            deliveries: vec![NewDelivery { platform: Platform::Telegram, text: None, failed: None, pinned: false }],
            media_urls: vec![],
            schedule_ms: None,
            notes: None,
            idempotency: None,
            affinity: None,
            awaiting_approval: false,
        };
        node_a.create_post(post).await.unwrap();
        if tokio::time::timeout(Duration::from_millis(500), woken.notified()).await.is_ok() {
            got = true;
            break;
        }
    }
    listening.abort();
    assert!(got, "node B was never woken by node A's new job");
}
