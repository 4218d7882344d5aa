//! Embedded, ordered migrations recorded in `schema_migrations`.
//! (sqlx's `migrate!` macro would pull its proc-macro stack into the build for ~30 lines of work.)

use crate::{Dialect, Result};
use sqlx::AnyPool;

/// One schema for both engines, written with portable types; the few that differ are
/// translated for PostgreSQL when it runs (`BLOB` → `BYTEA`, `INTEGER` → `BIGINT`).
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/shared/0001_init.sql")),
    (2, include_str!("../migrations/shared/0002_rate_ledger.sql")),
    (3, include_str!("../migrations/shared/0003_links.sql")),
    (4, include_str!("../migrations/shared/0004_job_affinity.sql")),
    (5, include_str!("../migrations/shared/0005_media_objects.sql")),
    (6, include_str!("../migrations/shared/0006_delivery_media.sql")),
    (7, include_str!("../migrations/shared/0007_delivery_thumbnail.sql")),
    (8, include_str!("../migrations/shared/0008_attempt_model.sql")),
    (9, include_str!("../migrations/shared/0009_api_rate_windows.sql")),
    (10, include_str!("../migrations/shared/0010_token_lifecycle.sql")),
    (11, include_str!("../migrations/shared/0011_linking_sessions.sql")),
    (12, include_str!("../migrations/shared/0012_linking_oauth.sql")),
    (13, include_str!("../migrations/shared/0013_account_pictures.sql")),
    (14, include_str!("../migrations/shared/0014_auto_schedules.sql")),
    (15, include_str!("../migrations/shared/0015_webhooks.sql")),
    (16, include_str!("../migrations/shared/0016_job_wakeup_indexes.sql")),
];

/// The schema version this build migrates to (readiness compares the database's with it).
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The statement text for `dialect`.
fn translate(sql: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => sql.to_string(),
        Dialect::Postgres => sql.replace(" BLOB ", " BYTEA ").replace(" INTEGER ", " BIGINT "),
    }
}

pub async fn run(pool: &AnyPool, dialect: Dialect) -> Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)")
        .execute(pool)
        .await?;
    for (version, sql) in MIGRATIONS {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_optional(pool)
            .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(translate(sql, dialect))).execute(&mut *tx).await?;
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
    use super::*;

    #[test]
    fn postgres_gets_its_own_types_and_nothing_else_changes() {
        let pg = translate(MIGRATIONS[0].1, Dialect::Postgres);
        assert!(pg.contains("credentials BYTEA NOT NULL") && !pg.contains(" BLOB "));
        assert!(pg.contains("is_primary BIGINT NOT NULL") && !pg.contains(" INTEGER "));
        assert_eq!(translate(MIGRATIONS[0].1, Dialect::Sqlite), MIGRATIONS[0].1);
        assert_eq!(pg.lines().count(), MIGRATIONS[0].1.lines().count());
    }
}
