//! The store: one sea-orm connection pool, opened with the settings each backend needs.

use roster_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use std::time::Duration;

/// Why the store could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The database could not be reached or refused the connection.
    #[error("cannot open the database: {0}")]
    Connect(#[source] DbErr),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] DbErr),
}

/// Rows sqlx's SQLite worker buffers for the reading task.
const ROW_BUFFER: usize = 4_096;

/// Every storage port of the domain over one connection pool. Cheap to clone: clones share
/// the pool.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Opens the database at `url` (`sqlite://path?mode=rwc`, `sqlite::memory:`,
    /// `postgres://…`, `mysql://…`). SQLite files use WAL and enforce foreign keys; an
    /// in-memory SQLite database lives in one connection, so the pool holds just one.
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        let mut options = ConnectOptions::new(url.to_owned());
        // sqlx logs every statement at INFO otherwise, parameters included.
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(30));
        if url.starts_with("sqlite") {
            if url.contains(":memory:") || url.contains("mode=memory") {
                options.max_connections(1).min_connections(1);
            } else {
                options.max_connections(8);
            }
            // sqlx's SQLite worker thread hands rows over in batches of this size (50 by
            // default): a 100k-row read then costs thousands of thread hand-offs.
            options.map_sqlx_sqlite_opts(|o| o.row_buffer_size(ROW_BUFFER));
        } else {
            options.max_connections(16);
        }
        let db = Database::connect(options)
            .await
            .map_err(ConnectError::Connect)?;
        let store = Self { db };
        if store.backend() == DbBackend::Sqlite {
            store
                .prepare_sqlite()
                .await
                .map_err(ConnectError::Connect)?;
        }
        Ok(store)
    }

    /// Opens the database and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self, ConnectError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        Migrator::up(&self.db, None)
            .await
            .map_err(ConnectError::Migrate)
    }

    /// Which database this is.
    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// The underlying connection, for hosts that run their own queries beside Roster's.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Calls `observe` with the SQL of every statement this store runs from now on (clones
    /// made afterwards share it). For hosts that count or time statements, and for the tests
    /// that pin how many statements a request costs; nothing is observed by default.
    pub fn observe_statements(&mut self, observe: impl Fn(&str) + Send + Sync + 'static) {
        self.db
            .set_metric_callback(move |info| observe(&info.statement.sql));
    }

    /// The pool, for the adapters of this crate.
    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Closes the pool (tests drop their database afterwards).
    pub async fn close(self) -> Result<(), DbErr> {
        self.db.close().await
    }

    async fn prepare_sqlite(&self) -> Result<(), DbErr> {
        // WAL lets readers go on while one writer writes; it is a property of the file, so
        // setting it once per open is enough (an in-memory database ignores it).
        self.db
            .execute_unprepared("PRAGMA journal_mode = WAL")
            .await?;
        // sqlx turns foreign keys on for every connection it opens; asked again here so a
        // change of that default cannot silently drop the cascades this schema relies on.
        self.db
            .execute_unprepared("PRAGMA foreign_keys = ON")
            .await?;
        Ok(())
    }
}
