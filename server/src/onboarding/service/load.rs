//! Importing programme files and the certification rules from the content directory.
//! Runs as part of every content import, after the cards (programmes name cards). Same
//! rules as cards: unchanged files are skipped, a changed valid file becomes a new
//! revision, a file with an error never replaces the last good revision, and a
//! programme whose file is gone is archived (running assignments keep their revision).

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use crate::cards::domain::{Diagnostic, Severity};
use crate::cards::service::import::read_files;
use crate::cards::storage::cards;
use crate::error::AppError;
use crate::onboarding::domain::{Checked, RULES_PATH, check_careers, is_career_path};
use crate::onboarding::storage::programs::{self, NewProgramRevision};
use crate::state::AppState;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadSummary {
    pub programs: usize,
    pub saved: usize,
    pub archived: usize,
    pub rules_saved: bool,
    pub errors: usize,
}

/// The ids of the cards that exist now.
pub async fn card_ids(state: &AppState) -> Result<HashSet<String>, AppError> {
    Ok(cards::live_ids(&state.db).await?.into_iter().collect())
}

/// Reads and checks the programme and rules files (for import and `zhmp check`).
pub fn check_dir(dir: &std::path::Path, cards: &HashSet<String>) -> std::io::Result<Checked> {
    let files = read_files(dir, is_career_path)?;
    Ok(check_careers(&files, cards))
}

pub async fn load(state: &AppState) -> Result<(LoadSummary, Vec<Diagnostic>), AppError> {
    let dir = state.config.content_dir.clone();
    let files = tokio::task::spawn_blocking(move || read_files(&dir, is_career_path))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::internal(format!("cannot read the content directory: {e}")))?;
    let checked = check_careers(&files, &card_ids(state).await?);
    let hash_of = |path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| hex::encode(Sha256::digest(bytes)))
            .unwrap_or_default()
    };
    let text_of = |path: &str| {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).replace("\r\n", "\n"))
            .unwrap_or_default()
    };
    let mut summary = LoadSummary {
        programs: checked.programs.len(),
        errors: checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        ..Default::default()
    };
    let now = state.clock.now();
    let existing = programs::all(&state.db).await?;
    for (path, program) in &checked.programs {
        let hash = hash_of(path);
        let row = existing.iter().find(|r| r.id == program.id);
        if let Some(row) = row
            && row.file_hash.as_deref() == Some(hash.as_str())
            && row.file_path.as_deref() == Some(path.as_str())
            && !row.archived
        {
            continue;
        }
        let source = text_of(path);
        if let Some(row) = row
            && row.source == source
            && !row.archived
        {
            programs::remember_file(&state.db, &program.id, path, &hash).await?;
            continue;
        }
        programs::save_revision(
            &state.db,
            NewProgramRevision {
                id: &program.id,
                title: &program.title,
                level: program.level.map(|l| l.as_str()),
                source: &source,
                definition: serde_json::to_string(program).map_err(AppError::internal)?,
                note: &format!("файл {path}"),
                author: None,
                file: Some((path.clone(), hash)),
                base_revision: None,
                at: now,
            },
        )
        .await?;
        summary.saved += 1;
    }
    // Archive programmes whose file is gone; an invalid file keeps its last good revision.
    let present: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let valid: HashSet<&str> = checked
        .programs
        .iter()
        .map(|(_, p)| p.id.as_str())
        .collect();
    for row in &existing {
        if let Some(path) = row.file_path.as_deref()
            && !row.archived
            && !present.contains(path)
            && !valid.contains(row.id.as_str())
        {
            programs::archive(&state.db, &row.id).await?;
            summary.archived += 1;
        }
    }
    if let Some(rules) = &checked.rules {
        let hash = hash_of(RULES_PATH);
        let stored = programs::rules(&state.db).await?;
        if stored.is_none_or(|s| s.file_hash != hash) {
            let definition = serde_json::to_string(rules).map_err(AppError::internal)?;
            programs::save_rules(&state.db, &text_of(RULES_PATH), definition, &hash, now).await?;
            summary.rules_saved = true;
        }
    }
    Ok((summary, checked.diagnostics))
}
