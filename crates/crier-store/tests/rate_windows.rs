//! The API rate limit's counters: one upsert counts a request in its buckets, a window ends
//! exactly `window_ms` after its first request, and two stores on one PostgreSQL count together.
//! Time comes from a manual clock, so window boundaries are hit exactly.

use crier_store::{Cipher, Clock, RateWindow, Store};

const WINDOW_MS: i64 = 300_000;
const T0: i64 = 1_800_000_000_000;

fn hits(windows: &[RateWindow]) -> Vec<(&str, i64)> {
    windows.iter().map(|w| (w.bucket.as_str(), w.hits)).collect()
}

async fn counts_and_windows(store: &Store, clock: &Clock) {
    let (now, w) = store.count_request(&["key:a", "profile:p"], WINDOW_MS).await.unwrap();
    assert_eq!(now, T0);
    assert_eq!(hits(&w), [("key:a", 1), ("profile:p", 1)]);
    assert!(w.iter().all(|w| w.window_start_ms == T0));

    clock.advance_to(T0 + 1_000);
    let (_, w) = store.count_request(&["key:a", "profile:q"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("key:a", 2), ("profile:q", 1)]);
    assert_eq!(w[0].window_start_ms, T0, "a running window keeps its start");
    assert_eq!(w[1].window_start_ms, T0 + 1_000);

    // One millisecond before the end: still the same window.
    clock.advance_to(T0 + WINDOW_MS - 1);
    let (_, w) = store.count_request(&["profile:p"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("profile:p", 2)]);

    // At the end: a fresh window for p and for the key, q's (begun later) still runs.
    clock.advance_to(T0 + WINDOW_MS);
    let (_, w) = store.count_request(&["key:a", "profile:p", "profile:q"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("key:a", 1), ("profile:p", 1), ("profile:q", 2)]);
    assert_eq!(w[0].window_start_ms, T0 + WINDOW_MS);
    assert_eq!(w[2].window_start_ms, T0 + 1_000);

    // Pruning removes only windows that ended: q's, once its time is up.
    assert_eq!(store.prune_rate_windows(WINDOW_MS).await.unwrap(), 0);
    clock.advance_to(T0 + 1_000 + WINDOW_MS);
    assert_eq!(store.prune_rate_windows(WINDOW_MS).await.unwrap(), 1);
    let (_, w) = store.count_request(&["profile:q"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("profile:q", 1)]);
    let (_, w) = store.count_request(&["profile:p"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("profile:p", 2)], "p's window (begun at T0 + window) was not pruned");
}

#[tokio::test]
async fn requests_count_per_bucket_until_the_window_ends_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(T0);
    let store = Store::open_sqlite(dir.path(), Cipher::new([1; 32])).await.unwrap().with_clock(clock.clone());
    counts_and_windows(&store, &clock).await;
}

#[tokio::test]
async fn requests_count_per_bucket_until_the_window_ends_postgres() {
    let Some(admin) = std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("the PostgreSQL half needs CRIER_TEST_DATABASE_URL (.ci/run sets it)");
        return;
    };
    let url = Store::fresh_postgres_database(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(T0);
    let store = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap().with_clock(clock.clone());
    counts_and_windows(&store, &clock).await;
}

/// Two nodes counting the same buckets at once lose no request: the counts end at the total.
#[tokio::test]
async fn two_nodes_counting_at_once_lose_no_request() {
    let Some(admin) = std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("the PostgreSQL half needs CRIER_TEST_DATABASE_URL (.ci/run sets it)");
        return;
    };
    let url = Store::fresh_postgres_database(&admin).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let node_a = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();
    let node_b = Store::open(Some(&url), dir.path(), Cipher::new([1; 32])).await.unwrap();
    const EACH: usize = 40;
    let count = |store: Store, profile: &'static str| {
        tokio::spawn(async move {
            let mut seen = Vec::new();
            for _ in 0..EACH {
                let (_, w) = store.count_request(&["key:shared", profile], WINDOW_MS).await.unwrap();
                seen.push(w[0].hits);
            }
            seen
        })
    };
    let tasks = [count(node_a.clone(), "profile:a"), count(node_b.clone(), "profile:b"), count(node_a, "profile:a"), count(node_b.clone(), "profile:b")];
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    // Every request saw its own count: 1, 2, …, 4 × EACH, each once.
    assert_eq!(all, (1..=(4 * EACH) as i64).collect::<Vec<_>>());
    let (_, w) = node_b.count_request(&["profile:a", "profile:b"], WINDOW_MS).await.unwrap();
    assert_eq!(hits(&w), [("profile:a", 2 * EACH as i64 + 1), ("profile:b", 2 * EACH as i64 + 1)]);
}
