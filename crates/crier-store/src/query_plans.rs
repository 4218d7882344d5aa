//! How the database would run a statement (for the tests that keep the worker's queries on
//! indexes, and for operators): SQLite's `EXPLAIN QUERY PLAN`, PostgreSQL's `EXPLAIN` with
//! sequential scans discouraged (a tiny test table would otherwise always be scanned).

use crate::{Dialect, Result, Store};
use sqlx::Row;

impl Store {
    /// The plan of `sql` (written with literal values, no placeholders), one line per step.
    pub async fn query_plan(&self, sql: &str) -> Result<String> {
        let mut conn = self.read.acquire().await?;
        let lines: Vec<String> = match self.dialect {
            Dialect::Sqlite => {
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"))).fetch_all(&mut *conn).await?;
                rows.iter().map(|r| r.try_get::<String, _>("detail")).collect::<std::result::Result<_, _>>()?
            }
            Dialect::Postgres => {
                sqlx::query("SET enable_seqscan = off").execute(&mut *conn).await?;
                let rows = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}"))).fetch_all(&mut *conn).await;
                sqlx::query("SET enable_seqscan = on").execute(&mut *conn).await?;
                rows?.iter().map(|r| r.try_get::<String, _>(0)).collect::<std::result::Result<_, _>>()?
            }
        };
        Ok(lines.join("\n"))
    }
}
