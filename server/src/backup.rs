//! `zhmp backup FILE`: a consistent snapshot of a live SQLite database.
//!
//! SQLite's `VACUUM INTO` copies the database as one read transaction sees it, so the
//! server keeps serving (and writing) while the snapshot is taken, and the copy holds
//! every committed transaction up to that moment and nothing half-written. The copy is
//! written beside FILE under a temporary name, checked, and only then renamed into place,
//! so FILE is either absent or a whole, verified database. PostgreSQL has its own tool
//! for this (pg_dump); see docs/operations.md.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::db::Db;

/// What a finished backup holds, for the operator's log.
#[derive(Debug)]
pub struct Snapshot {
    pub path: PathBuf,
    pub bytes: u64,
    pub users: i64,
    pub cards: i64,
    pub attempts: i64,
}

/// Writes a snapshot of `db` to `file`, which must not exist yet.
pub async fn backup(db: &Db, file: &Path) -> anyhow::Result<Snapshot> {
    if db.backend() != DbBackend::Sqlite {
        bail!(
            "zhmp backup snapshots the embedded SQLite database; for PostgreSQL use pg_dump \
             (see docs/operations.md, «Backup and restore»)"
        );
    }
    if file.exists() {
        bail!("{} already exists; choose a new file name", file.display());
    }
    let partial = partial_name(file);
    // A leftover from an interrupted run would make VACUUM INTO fail.
    let _ = std::fs::remove_file(&partial);
    let target = partial
        .to_str()
        .context("the backup path must be valid UTF-8")?
        .to_owned();
    let vacuum =
        Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()]);
    if let Err(err) = db.reader().execute_raw(vacuum).await {
        let _ = std::fs::remove_file(&partial);
        return Err(err).with_context(|| format!("cannot write {}", partial.display()));
    }
    let snapshot = verify(&partial).await;
    match snapshot {
        Ok(mut snapshot) => {
            std::fs::rename(&partial, file).with_context(|| {
                format!("cannot rename {} to {}", partial.display(), file.display())
            })?;
            snapshot.path = file.to_owned();
            Ok(snapshot)
        }
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            Err(err)
        }
    }
}

fn partial_name(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    file.with_file_name(name)
}

/// Opens the copy on its own and proves it whole: SQLite's integrity check, and the
/// tables an operator cares about can be read.
async fn verify(path: &Path) -> anyhow::Result<Snapshot> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let conn = sea_orm::Database::connect(&url)
        .await
        .with_context(|| format!("cannot open the snapshot {}", path.display()))?;
    let check = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .context("integrity check returned nothing")?;
    let verdict: String = check.try_get_by_index(0)?;
    if verdict != "ok" {
        bail!("the snapshot failed SQLite's integrity check: {verdict}");
    }
    let count = |table: &str| {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let conn = &conn;
        async move {
            let row = conn
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
                .await?
                .context("count returned nothing")?;
            anyhow::Ok(row.try_get_by_index::<i64>(0)?)
        }
    };
    let snapshot = Snapshot {
        path: path.to_owned(),
        bytes: std::fs::metadata(path)?.len(),
        users: count("users").await?,
        cards: count("cards").await?,
        attempts: count("attempts").await?,
    };
    conn.close().await?;
    Ok(snapshot)
}
