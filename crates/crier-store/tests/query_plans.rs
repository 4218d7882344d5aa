//! The worker's hot queries stay on indexes (issue 18): the next-wakeup question (0016's partial
//! indexes) and the claim. A full scan of `jobs` costs ~0.1 s per call at 10^6 pending posts.
//! Checked with the database's own planner, on SQLite, and on PostgreSQL when
//! CRIER_TEST_DATABASE_URL is set.

use crier_store::{CLAIM_POSTGRES_SQL, CLAIM_SQLITE_SQL, Cipher, NEXT_FREE_SQL, NEXT_HELD_SQL, Store};

/// The statement with its placeholders replaced by literals (plans need no real values).
fn literal(sql: &str) -> String {
    sql.replace("$1", "'node-a'").replace("$2", "2000").replace("$3", "1000").replace("$4", "16")
}

fn full_scan(plan: &str) -> bool {
    plan.lines().any(|l| l.trim() == "SCAN jobs" || l.contains("Seq Scan on jobs"))
}

#[tokio::test]
async fn wakeup_and_claim_queries_use_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let url = match std::env::var("CRIER_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin) => Some(Store::fresh_postgres_database(&admin).await.unwrap()),
        None => None,
    };
    let store = Store::open(url.as_deref(), dir.path(), Cipher::new([7; 32])).await.unwrap();
    let claim = if url.is_some() { CLAIM_POSTGRES_SQL } else { CLAIM_SQLITE_SQL };
    for (what, sql, index) in [
        ("next free job", NEXT_FREE_SQL, Some("jobs_free_by_run_at")),
        ("next held job", NEXT_HELD_SQL, Some("jobs_held_by_run_at")),
        ("claim", claim, None),
    ] {
        let plan = store.query_plan(&literal(sql)).await.unwrap();
        assert!(!full_scan(&plan), "{what} scans the whole jobs table:\n{plan}");
        if let Some(index) = index {
            assert!(plan.contains(index), "{what} does not use {index}:\n{plan}");
        }
    }
    // The control: a statement that can only scan is seen as one.
    let plan = store.query_plan("SELECT COUNT(*) FROM jobs WHERE lease_owner = 'x'").await.unwrap();
    assert!(full_scan(&plan), "the plan reader misses full scans:\n{plan}");
}
