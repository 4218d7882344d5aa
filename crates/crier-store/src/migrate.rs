//! Embedded, ordered migrations recorded in `schema_migrations`.
//! (sqlx's `migrate!` macro would pull its proc-macro stack into the build for ~30 lines of work.)

use crate::{Dialect, Result};
use sqlx::AnyPool;

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_rate_ledger.sql")),
    (3, include_str!("../migrations/sqlite/0003_links.sql")),
    (4, include_str!("../migrations/sqlite/0004_job_affinity.sql")),
    (5, include_str!("../migrations/sqlite/0005_media_objects.sql")),
];

/// The same schema in PostgreSQL's types (BYTEA, BIGINT); a test keeps the two lists in step.
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_rate_ledger.sql")),
    (3, include_str!("../migrations/postgres/0003_links.sql")),
    (4, include_str!("../migrations/postgres/0004_job_affinity.sql")),
    (5, include_str!("../migrations/postgres/0005_media_objects.sql")),
];

pub async fn run(pool: &AnyPool, dialect: Dialect) -> Result<()> {
    let steps = match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)")
        .execute(pool)
        .await?;
    for (version, sql) in steps {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_optional(pool)
            .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)")
            .bind(*version)
            .bind(crate::now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_dialects_have_the_same_migrations() {
        let v = |m: &[(i64, &str)]| m.iter().map(|(v, _)| *v).collect::<Vec<_>>();
        assert_eq!(v(super::SQLITE), v(super::POSTGRES));
        for ((_, a), (_, b)) in super::SQLITE.iter().zip(super::POSTGRES) {
            let tables = |s: &str| s.matches("CREATE TABLE").count() + s.matches("ADD COLUMN").count() + s.matches("CREATE INDEX").count();
            assert_eq!(tables(a), tables(b));
        }
    }
}
