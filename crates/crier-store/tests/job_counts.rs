//! The queue counts behind the `crier_jobs` gauges: due, leased and pending are disjoint, and a
//! job moves between them as it is scheduled, claimed and settled. Runs on SQLite, and on
//! PostgreSQL too when CRIER_TEST_DATABASE_URL is set.

use crier_core::Platform;
use crier_store::{Cipher, JobCounts, NewDelivery, NewPost, Store};

fn post(profile_id: &str, platforms: &[Platform], schedule_ms: Option<i64>) -> NewPost {
    NewPost {
        profile_id: profile_id.to_string(),
        request: serde_json::json!({}),
        text: "queue".into(),
        deliveries: platforms.iter().map(|p| NewDelivery { platform: *p, text: None, failed: None, pinned: false }).collect(),
        media_urls: vec![],
        schedule_ms,
        notes: None,
        idempotency: None,
        affinity: None,
        awaiting_approval: false,
    }
}

#[tokio::test]
async fn counts_follow_jobs_from_scheduled_to_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let url = match std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin) => Some(Store::fresh_postgres_database(&admin).await.unwrap()),
        None => None,
    };
    let store = Store::open(url.as_deref(), dir.path(), Cipher::new([7; 32])).await.unwrap();
    assert_eq!(store.job_counts().await.unwrap(), JobCounts::default());
    assert_eq!(store.schema_version().await.unwrap(), Some(Store::latest_schema_version()));

    let account = store.create_account().await.unwrap();
    let profile = store.primary_profile(&account).await.unwrap();
    store.create_post(post(&profile.id, &[Platform::Telegram, Platform::Bluesky], None)).await.unwrap();
    let in_an_hour = store.now_ms() + 3_600_000;
    store.create_post(post(&profile.id, &[Platform::Telegram], Some(in_an_hour))).await.unwrap();

    let counts = store.job_counts().await.unwrap();
    assert_eq!((counts.due, counts.leased, counts.pending), (2, 0, 1), "{counts:?}");
    assert!(counts.oldest_due_ms.is_some_and(|at| at <= store.now_ms()), "{counts:?}");

    let claimed = store.claim_due("node-a", 60_000, 1).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let counts = store.job_counts().await.unwrap();
    assert_eq!((counts.due, counts.leased, counts.pending), (1, 1, 1), "{counts:?}");

    store.claim_due("node-a", 60_000, 10).await.unwrap();
    let counts = store.job_counts().await.unwrap();
    assert_eq!((counts.due, counts.leased, counts.pending, counts.oldest_due_ms), (0, 2, 1, None), "{counts:?}");
    store.close().await;
}
