//! Importing the content directory into the database.
//!
//! Runs at start, when files change (watched), on SIGHUP and on
//! `POST /api/v1/content/reload`. A file whose bytes match what was last imported is
//! skipped; a changed valid file becomes a new revision; a file that fails validation
//! never replaces the card's last good revision, and its problems are kept for trainers
//! in [`ContentStatus`]. A card whose file disappeared is archived (its history stays).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

use crate::cards::domain::{Diagnostic, Severity, check_corpus, is_card_path};
use crate::cards::storage::cards::{self, NewRevision};
use crate::error::AppError;
use crate::state::AppState;

/// The outcome of the last import, shown to trainers.
#[derive(Debug, Clone, Default)]
pub struct ContentStatus {
    pub loaded_at: Option<DateTime<Utc>>,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

pub type SharedStatus = Arc<RwLock<ContentStatus>>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub files: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub archived: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Reads every card file under `dir` (blocking; call from `spawn_blocking`). Paths are
/// relative to `dir` with `/` separators.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    read_files(dir, is_card_path)
}

/// Reads every file under `dir` whose relative path `wanted` accepts, skipping hidden
/// directories (blocking). Paths are relative to `dir` with `/` separators, sorted.
pub fn read_files(
    dir: &Path,
    wanted: fn(&Path) -> bool,
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in std::fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            let kind = entry.file_type()?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if kind.is_dir() && !hidden {
                pending.push(path);
            } else if kind.is_file() && wanted(&path) {
                let name = path
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, std::fs::read(dir.join(&path))?));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub async fn import(state: &AppState) -> Result<ImportSummary, AppError> {
    let _one_at_a_time = state.import_lock.lock().await;
    let dir = state.config.content_dir.clone();
    let files = tokio::task::spawn_blocking(move || read_dir(&dir))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::internal(format!("cannot read the content directory: {e}")))?;
    let (valid, diagnostics) = check_corpus(&files);
    let bytes_of: HashMap<&str, &[u8]> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let existing: HashMap<String, cards::CardRow> = cards::all(&state.db)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let mut summary = ImportSummary {
        files: files.len(),
        errors: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        ..Default::default()
    };
    let mut valid_ids = HashSet::new();
    for (path, card) in &valid {
        let id = card.front.id.as_str();
        valid_ids.insert(id.to_owned());
        let bytes = bytes_of.get(path.as_str()).copied().unwrap_or_default();
        let file_hash = hash(bytes);
        let row = existing.get(id);
        if let Some(row) = row
            && row.file_hash.as_deref() == Some(file_hash.as_str())
            && !row.archived
        {
            summary.unchanged += 1;
            continue;
        }
        let source = String::from_utf8_lossy(bytes);
        let significant = match row {
            Some(row) => match cards::revision(&state.db, id, row.revision).await? {
                Some(current) if current.source == source && !row.archived => {
                    cards::remember_file(&state.db, id, path, &file_hash).await?;
                    summary.unchanged += 1;
                    continue;
                }
                Some(current) => super::parse_stored(row, &current.source)
                    .map(|old| super::is_significant_change(&old, card))
                    .unwrap_or(true),
                None => true,
            },
            None => true,
        };
        cards::save_revision(
            &state.db,
            NewRevision {
                meta: super::meta_of(card),
                source: &source,
                significant,
                note: Some(&format!("файл {path}")),
                author_id: None,
                file: Some((path.clone(), file_hash)),
                base_revision: None,
            },
        )
        .await?;
        if row.is_some() {
            summary.updated += 1;
        } else {
            summary.created += 1;
        }
    }
    // Archive cards whose file is gone. A file that is present but invalid keeps its card.
    for row in existing.values() {
        let from_file = row.source_path.as_deref();
        let file_present = from_file.is_some_and(|p| bytes_of.contains_key(p));
        if from_file.is_some() && !row.archived && !file_present && !valid_ids.contains(&row.id) {
            cards::archive(&state.db, &row.id).await?;
            summary.archived += 1;
        }
    }
    // Questions follow the cards: generated ones from the cards now stored, banks checked
    // against them. Their problems are listed with the card problems.
    let (quizzes, quiz_diagnostics) = crate::quizzes::service::load::load(state).await?;
    summary.errors += quizzes.errors;
    let mut diagnostics = diagnostics;
    diagnostics.extend(quiz_diagnostics);
    // Programmes and certification rules name cards: they come after them.
    let (careers, career_diagnostics) = crate::onboarding::service::load::load(state).await?;
    summary.errors += careers.errors;
    diagnostics.extend(career_diagnostics);
    *state.content.write().await = ContentStatus {
        loaded_at: Some(Utc::now()),
        files: files.len(),
        diagnostics,
    };
    super::index_sync::sync(state).await?;
    if summary.created + summary.updated + summary.archived > 0 || summary.errors > 0 {
        tracing::info!(?summary, ?quizzes, ?careers, "content imported");
    }
    Ok(summary)
}

/// Re-imports when files under the content directory change (debounced), and on SIGHUP.
pub fn spawn_watchers(state: AppState) {
    use notify::{RecursiveMode, Watcher};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let notify_tx = tx.clone();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = notify_tx.send(());
        }
    });
    let watcher = match watcher {
        Ok(mut watcher) => match watcher.watch(&state.config.content_dir, RecursiveMode::Recursive)
        {
            Ok(()) => {
                // The banks are content too; a missing quizzes directory is simply not watched.
                let quizzes = &state.config.quizzes_dir;
                if quizzes.is_dir()
                    && let Err(err) = watcher.watch(quizzes, RecursiveMode::Recursive)
                {
                    tracing::warn!(error = %err, "cannot watch the quizzes directory; use SIGHUP or POST /api/v1/content/reload");
                }
                Some(watcher)
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot watch the content directory; use SIGHUP or POST /api/v1/content/reload");
                None
            }
        },
        Err(err) => {
            tracing::warn!(error = %err, "no file watcher; use SIGHUP or POST /api/v1/content/reload");
            None
        }
    };
    #[cfg(unix)]
    {
        let hup_tx = tx.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut hup) = signal(SignalKind::hangup()) {
                while hup.recv().await.is_some() {
                    tracing::info!("SIGHUP: reloading content");
                    let _ = hup_tx.send(());
                }
            }
        });
    }
    tokio::spawn(async move {
        let _keep_watching = watcher;
        while rx.recv().await.is_some() {
            // Editors write files in several steps; wait for the burst to settle.
            tokio::time::sleep(Duration::from_millis(300)).await;
            while rx.try_recv().is_ok() {}
            if let Err(err) = import(&state).await {
                tracing::warn!(error = %err, "content reload failed");
            }
        }
    });
}
