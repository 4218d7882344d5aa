//! crier-store: everything crier must not forget, behind one `Store`.
//!
//! All SQL is written once, with `$n` placeholders and primitive column types,
//! and runs through sqlx's `Any` driver: SQLite (default, embedded) today and
//! PostgreSQL on the same code path. Only the connection setup differs.

/// Dynamic SQL built only from the crate's own column lists (never from input).
macro_rules! sql {
    ($($t:tt)*) => { sqlx::AssertSqlSafe(format!($($t)*)) };
}

mod account_events;
mod accounts;
mod attempts;
mod auto_schedules;
mod clock;
mod crypto;
mod holds;
mod jobs;
mod links;
mod links_short;
mod linking_oauth;
mod linking_sessions;
mod media_objects;
mod migrate;
mod posts;
mod profiles;
mod query_plans;
mod rate_limits;
mod refused;
mod removals;
mod tokens;
mod token_sweep;
mod webhook_outbox;
mod webhooks;

pub use account_events::AccountEvent;
pub use accounts::{Account, hash_secret};
pub use tokens::{GrantedTokens, TokenMeta};
pub use token_sweep::TokenTimes;
pub use clock::Clock;
pub use crypto::Cipher;
pub use jobs::{CLAIM_POSTGRES_SQL, CLAIM_SQLITE_SQL, Cap, CapReservation, ClaimedJob, JobCounts, NEXT_FREE_SQL, NEXT_HELD_SQL, Settlement};
pub use attempts::{Calls, Phase};
pub use posts::{
    Affinity, CreatedPost, DeliveryRecord, DeliveryState, HistoryFilter, NewDelivery, NewPost, PostRecord, PostStatus,
    REQUEST_ID_KEY,
};
pub use holds::HoldChange;
pub use refused::REFUSAL_KEY;
pub use links::LinkedAccount;
pub use links_short::{ClickStats, ShortLink};
pub use linking_oauth::OAuthState;
pub use linking_sessions::{LinkingSession, NewLinkingSession, browser_secret};
pub use media_objects::MediaObject;
pub use profiles::{Profile, ProfileFilter};
pub use rate_limits::RateWindow;
pub use webhook_outbox::WEBHOOK_ACTIONS;
pub use webhooks::{EventNext, RegistrationNext, WebhookAttempt, WebhookEvent, WebhookRegistration, attempt_id};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("credentials could not be decrypted (wrong encryption key?)")]
    Decrypt,
    #[error("{0}")]
    Conflict(&'static str),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Which database engine a store runs on. The SQL is shared; only connection setup,
/// migrations' types, job claiming and cap serialisation differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    /// Writes go through one connection on SQLite (single writer, no SQLITE_BUSY on upgrade).
    write: AnyPool,
    read: AnyPool,
    cipher: Cipher,
    dialect: Dialect,
    /// PostgreSQL's URL, for the LISTEN connection that wakes other nodes' workers.
    url: Option<String>,
    clock: Clock,
}

/// The channel on which new or re-queued jobs are announced to every node (PostgreSQL).
pub const JOBS_CHANNEL: &str = "crier_jobs";

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub fn random_token(len: usize) -> String {
    use rand::Rng;
    let mut bytes = vec![0u8; len];
    rand::rng().fill(&mut bytes[..]);
    crier_core::ids::alphanumeric(&bytes, len)
}

impl Store {
    /// Opens (creating if needed) the SQLite database `crier.db` in `data_dir`, in WAL mode, and migrates it.
    pub async fn open_sqlite(data_dir: &Path, cipher: Cipher) -> Result<Store> {
        install_default_drivers();
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Corrupt(format!("{}: {e}", data_dir.display())))?;
        let url = format!("sqlite://{}?mode=rwc", data_dir.join("crier.db").display());
        let pragmas = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute("PRAGMA synchronous=NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout=10000").await?;
                        Ok(())
                    })
                })
        };
        let write = pragmas(1).connect(&url).await?;
        migrate::run(&write, Dialect::Sqlite).await?;
        let read = pragmas(4).connect(&url).await?;
        Ok(Store { write, read, cipher, dialect: Dialect::Sqlite, url: None, clock: Clock::system() })
    }

    /// Opens a PostgreSQL database (`postgres://…`) shared by any number of crier nodes, and migrates it.
    pub async fn open_postgres(url: &str, cipher: Cipher) -> Result<Store> {
        install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(30)).connect(url).await?;
        // Two nodes starting at once must not both migrate.
        let mut conn = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock(4242)").execute(&mut *conn).await?;
        let migrated = migrate::run(&pool, Dialect::Postgres).await;
        sqlx::query("SELECT pg_advisory_unlock(4242)").execute(&mut *conn).await?;
        drop(conn);
        migrated?;
        Ok(Store { write: pool.clone(), read: pool, cipher, dialect: Dialect::Postgres, url: Some(url.to_string()), clock: Clock::system() })
    }

    /// `postgres://` URLs open PostgreSQL; otherwise SQLite in `data_dir`.
    pub async fn open(database_url: Option<&str>, data_dir: &Path, cipher: Cipher) -> Result<Store> {
        match database_url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => Store::open_postgres(u, cipher).await,
            _ => Store::open_sqlite(data_dir, cipher).await,
        }
    }

    /// Makes an empty database next to `admin_url` (same server) and returns its URL.
    /// For test suites that run once per backend: each test gets its own database.
    pub async fn fresh_postgres_database(admin_url: &str) -> Result<String> {
        install_default_drivers();
        let name = format!("crier_t_{}", random_token(12).to_ascii_lowercase());
        let pool = AnyPoolOptions::new().max_connections(1).connect(admin_url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await?;
        pool.close().await;
        let (base, _) = admin_url.rsplit_once('/').ok_or_else(|| StoreError::Corrupt(format!("database URL without a path: {admin_url}")))?;
        Ok(format!("{base}/{name}"))
    }

    /// Calls `wake` whenever any node announces jobs (PostgreSQL LISTEN), until the connection
    /// cannot be (re)made. SQLite has one process and nothing to listen to: returns at once.
    /// Polling stays the backstop, so a lost notification only delays, never loses, a job.
    pub async fn listen_for_jobs(&self, wake: impl Fn()) {
        let Some(url) = &self.url else { return };
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect(url).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "job notifications unavailable; polling only");
                    return;
                }
            };
            if let Err(e) = listener.listen(JOBS_CHANNEL).await {
                tracing::warn!(error = %e, "LISTEN failed; polling only");
                return;
            }
            while listener.recv().await.is_ok() {
                wake();
            }
            tracing::info!("job notification connection lost; reconnecting");
        }
    }

    /// A read-only transaction whose statements all see one snapshot (SQLite's deferred
    /// transactions do; PostgreSQL needs REPEATABLE READ, its default gives each statement its own).
    pub(crate) async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        let mut tx = self.read.begin().await?;
        if self.dialect == Dialect::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// Inside a transaction: other nodes learn of new jobs when it commits.
    pub(crate) async fn announce_jobs(&self, tx: &mut sqlx::AnyConnection) -> Result<()> {
        if self.dialect == Dialect::Postgres {
            sqlx::query(sqlx::AssertSqlSafe(format!("NOTIFY {JOBS_CHANNEL}"))).execute(tx).await?;
        }
        Ok(())
    }

    /// The same store reading time from `clock` (simulations drive time themselves).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// Now, by this store's clock: every time the store writes comes from here.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The highest migration applied to the database (readiness). `None`: none recorded.
    pub async fn schema_version(&self) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations").fetch_one(&self.read).await?)
    }

    /// The schema version this build migrates to.
    pub const fn latest_schema_version() -> i64 {
        migrate::LATEST
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// True when one process owns the job queue (SQLite): leases left by a previous run are dead.
    /// On PostgreSQL other nodes may hold live leases; expired ones are taken over by claiming.
    pub fn single_node(&self) -> bool {
        self.dialect == Dialect::Sqlite
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}
