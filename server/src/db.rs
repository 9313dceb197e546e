//! Database connections for SQLite and PostgreSQL behind one type.
//!
//! SQLite allows one writer at a time. Several pooled connections writing at once make
//! SQLite answer "database is locked" whenever a transaction that started as a reader
//! tries to write. zhmp avoids that by sending every write through a pool with a single
//! connection: writers queue inside the process instead of failing. Other processes (the
//! CLI while the server runs) are covered by the busy timeout. PostgreSQL has no such
//! limit: there the reader and the writer are the same pool.

use std::str::FromStr;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbErr> {
        if url.starts_with("sqlite:") {
            ensure_sqlite_dir(url)?;
            let reader = sqlite_pool(url, 8).await?;
            let writer = sqlite_pool(url, 1).await?;
            Ok(Db {
                read: reader,
                write: writer,
            })
        } else {
            let mut options = ConnectOptions::new(url);
            options
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .sqlx_logging(false);
            let pool = Database::connect(options).await?;
            Ok(Db {
                read: pool.clone(),
                write: pool,
            })
        }
    }

    /// Connection for queries that only read.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// Connection for anything that writes, including transactions.
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    pub fn backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(self.writer(), None).await
    }

    pub async fn pending_migrations(&self) -> Result<usize, DbErr> {
        Ok(Migrator::get_pending_migrations(self.reader()).await?.len())
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await
    }
}

async fn sqlite_pool(url: &str, max: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    let conn = Database::connect(options).await?;
    // Prove the options took: a misconfigured pool would fail later, under load.
    conn.execute_unprepared("SELECT 1").await?;
    Ok(conn)
}

/// The database file of a SQLite URL (None for PostgreSQL or an in-memory database).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_owned())
}

/// SQLite creates the file but not its directory; do that so a fresh clone just runs.
fn ensure_sqlite_dir(url: &str) -> Result<(), DbErr> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| DbErr::Custom(format!("bad SQLite URL «{url}»: {e}")))?;
    if let Some(dir) = options.get_filename().parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(())
}
