//! Importing the content directory into the database.
//!
//! Runs at start, when files change (watched), on SIGHUP and on
//! `POST /api/v1/content/reload`. A file whose bytes match what was last imported is
//! skipped; a changed valid file becomes a new revision; a file that fails validation
//! never replaces the card's last good revision, and its problems are kept for trainers
//! in [`ContentStatus`]. A card whose file disappeared is archived (its history stays).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tokio::sync::RwLock;

use crate::cards::domain::{Card, CorpusCheck, Diagnostic, Severity, is_card_path};
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
    list_files(dir, wanted)?
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name))?;
            Ok((name, bytes))
        })
        .collect()
}

/// The relative paths (`/` separators, sorted) of the files under `dir` that `wanted`
/// accepts, skipping hidden directories (blocking).
pub fn list_files(dir: &Path, wanted: fn(&Path) -> bool) -> std::io::Result<Vec<String>> {
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
                files.push(name);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A valid file whose bytes differ from what was last imported for its card.
struct Changed {
    path: String,
    card: Card,
    source: String,
    hash: String,
}

/// What reading and checking the content directory found.
struct Scan {
    files: usize,
    /// Every card file present, valid or not.
    present: HashSet<String>,
    /// Valid files (path, id), changed or not; some may share an id (see `duplicated`).
    valid: Vec<(String, String)>,
    changed: Vec<Changed>,
    duplicated: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads and checks every card file (blocking), on every core. Only the cards whose file
/// changed are kept whole: `known` maps each live card's id to the hash of the file it was
/// last imported from, and an unchanged file is dropped as soon as it is checked. This
/// keeps a 10,000-card start-up to a few files in memory instead of the whole corpus.
fn scan(dir: &Path, known: &HashMap<String, String>) -> std::io::Result<Scan> {
    let paths = list_files(dir, is_card_path)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = paths.len().div_ceil(threads).max(1);
    let parts: Vec<std::io::Result<Part>> = std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(share)
            .map(|chunk| scope.spawn(move || scan_part(dir, chunk, known)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut check = CorpusCheck::default();
    let mut valid = Vec::new();
    let mut changed = Vec::new();
    for part in parts {
        let part = part?;
        check.merge(part.check);
        valid.extend(part.valid);
        changed.extend(part.changed);
    }
    let (duplicated, diagnostics) = check.finish();
    Ok(Scan {
        files: paths.len(),
        present: paths.into_iter().collect(),
        valid,
        changed,
        duplicated,
        diagnostics,
    })
}

/// One thread's share of [`scan`].
struct Part {
    check: CorpusCheck,
    valid: Vec<(String, String)>,
    changed: Vec<Changed>,
}

fn scan_part(
    dir: &Path,
    paths: &[String],
    known: &HashMap<String, String>,
) -> std::io::Result<Part> {
    let mut part = Part {
        check: CorpusCheck::default(),
        valid: Vec::new(),
        changed: Vec::new(),
    };
    for path in paths {
        let bytes = std::fs::read(dir.join(path))?;
        let Some(card) = part.check.add(path, &bytes) else {
            continue;
        };
        let id = card.front.id.as_str().to_owned();
        let file_hash = hash(&bytes);
        if known.get(&id) != Some(&file_hash) {
            part.changed.push(Changed {
                path: path.clone(),
                card,
                source: String::from_utf8_lossy(&bytes).into_owned(),
                hash: file_hash,
            });
        }
        part.valid.push((path.clone(), id));
    }
    Ok(part)
}

pub async fn import(state: &AppState) -> Result<ImportSummary, AppError> {
    let _one_at_a_time = state.import_lock.lock().await;
    let begun = std::time::Instant::now();
    let existing: HashMap<String, cards::CardRow> = cards::all(&state.db)
        .await?
        .into_iter()
        .map(|row| (row.id.clone(), row))
        .collect();
    let known: HashMap<String, String> = existing
        .values()
        .filter(|row| !row.archived)
        .filter_map(|row| Some((row.id.clone(), row.file_hash.clone()?)))
        .collect();
    let dir = state.config.content_dir.clone();
    let scan = tokio::task::spawn_blocking(move || scan(&dir, &known))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::internal(format!("cannot read the content directory: {e}")))?;
    tracing::debug!(ms = begun.elapsed().as_millis(), "import: files checked");
    let mut summary = ImportSummary {
        files: scan.files,
        errors: scan
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: scan
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        ..Default::default()
    };
    // Files sharing an id are errors: none of them is used. Each usable file counts as
    // unchanged until it is saved below.
    let mut valid_ids = HashSet::new();
    for (path, id) in &scan.valid {
        if !scan.duplicated.contains(path) {
            valid_ids.insert(id.clone());
            summary.unchanged += 1;
        }
    }
    for changed in &scan.changed {
        if scan.duplicated.contains(&changed.path) {
            continue;
        }
        summary.unchanged -= 1;
        match save_changed(state, existing.get(changed.card.front.id.as_str()), changed).await? {
            Outcome::Created => summary.created += 1,
            Outcome::Updated => summary.updated += 1,
            Outcome::Unchanged => summary.unchanged += 1,
        }
    }
    // Archive cards whose file is gone. A file that is present but invalid keeps its card.
    for row in existing.values() {
        let from_file = row.source_path.as_deref();
        let file_present = from_file.is_some_and(|p| scan.present.contains(p));
        if from_file.is_some() && !row.archived && !file_present && !valid_ids.contains(&row.id) {
            cards::archive(&state.db, &row.id).await?;
            summary.archived += 1;
        }
    }
    let Scan {
        files, diagnostics, ..
    } = scan;
    tracing::debug!(ms = begun.elapsed().as_millis(), "import: cards saved");
    // The index needs only the cards: it catches up on its own thread while the questions
    // and programmes, which need the cards too, are loaded here.
    let index = tokio::spawn({
        let state = state.clone();
        async move { super::index_sync::sync(&state).await }
    });
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
        files,
        diagnostics,
    };
    tracing::debug!(
        ms = begun.elapsed().as_millis(),
        "import: questions and programmes loaded"
    );
    index.await.map_err(AppError::internal)??;
    tracing::debug!(ms = begun.elapsed().as_millis(), "import: index in sync");
    if summary.created + summary.updated + summary.archived > 0 || summary.errors > 0 {
        tracing::info!(?summary, ?quizzes, ?careers, "content imported");
    }
    Ok(summary)
}

enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Stores a changed file as the card's new revision, unless the card's current revision
/// already has exactly this text (e.g. the file was written by `zhmp export`).
async fn save_changed(
    state: &AppState,
    row: Option<&cards::CardRow>,
    changed: &Changed,
) -> Result<Outcome, AppError> {
    let Changed {
        path,
        card,
        source,
        hash: file_hash,
    } = changed;
    let id = card.front.id.as_str();
    let significant = match row {
        Some(row) => match cards::revision(&state.db, id, row.revision).await? {
            Some(current) if current.source == *source && !row.archived => {
                cards::remember_file(&state.db, id, path, file_hash).await?;
                return Ok(Outcome::Unchanged);
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
            source,
            significant,
            note: Some(&format!("файл {path}")),
            author_id: None,
            file: Some((path.clone(), file_hash.clone())),
            base_revision: None,
        },
    )
    .await?;
    Ok(if row.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    })
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
