//! Loading questions into the database: the banks in `quizzes/` and the questions
//! generated from cards. Runs with every content import (start, file change, SIGHUP,
//! `POST /api/v1/content/reload`).
//!
//! A bank file whose bytes are unchanged is skipped. A bank with any error is left as it
//! was last loaded (its questions stay in use) and its problems are listed with the card
//! problems. A question whose body changed gets a new revision; one that left its bank,
//! or whose card is gone, is retired (kept for past attempts, never drawn again).

use std::collections::{BTreeMap, HashMap, HashSet};

use sha2::{Digest, Sha256};

use crate::cards::domain::{Card, CardId, Diagnostic, Track};
use crate::cards::service::import::read_files;
use crate::cards::storage::cards;
use crate::error::AppError;
use crate::quizzes::domain::generate::{GENERATOR_VERSION, questions_from_card};
use crate::quizzes::domain::{check_banks, is_bank_path};
use crate::quizzes::storage::generated;
use crate::quizzes::storage::questions::{self, Origin, QuestionRow, Saved, ToSave};
use crate::state::AppState;

/// Bank diagnostics are shown under this prefix beside the card problems.
pub const BANK_PREFIX: &str = "quizzes/";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuizSummary {
    pub banks: usize,
    pub created: usize,
    pub revised: usize,
    pub retired: usize,
    pub errors: usize,
}

impl QuizSummary {
    fn count(&mut self, saved: Saved) {
        match saved {
            Saved::Created => self.created += 1,
            Saved::Revised => self.revised += 1,
            Saved::Unchanged => {}
        }
    }
}

/// Loads the generated questions of every live card and every bank.
pub async fn load(state: &AppState) -> Result<(QuizSummary, Vec<Diagnostic>), AppError> {
    let mut summary = QuizSummary::default();
    let begun = std::time::Instant::now();
    let existing = existing(state).await?;
    sync_generated(state, &existing, &mut summary).await?;
    tracing::debug!(
        ms = begun.elapsed().as_millis(),
        "questions: generated ones in sync"
    );
    let diagnostics = load_banks(state, &existing, &mut summary).await?;
    Ok((summary, diagnostics))
}

async fn existing(state: &AppState) -> Result<HashMap<String, QuestionRow>, AppError> {
    Ok(questions::all(&state.db)
        .await?
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect())
}

/// Rebuilds the generated questions after a card was saved in the editor (imports do it
/// as part of [`load`]).
pub async fn refresh_generated(state: &AppState) -> Result<QuizSummary, AppError> {
    let mut summary = QuizSummary::default();
    let existing = existing(state).await?;
    sync_generated(state, &existing, &mut summary).await?;
    Ok(summary)
}

/// Cards are read and parsed this many at a time for their generated questions.
const CARD_SLICE: usize = 500;

/// Generated questions from the current revision of every live card, whether it came
/// from a file or the web editor. A card whose questions were made from its current
/// revision by this generator (`generated_from`) is skipped; the others are read and
/// parsed a slice at a time, off the async threads.
async fn sync_generated(
    state: &AppState,
    existing: &HashMap<String, QuestionRow>,
    summary: &mut QuizSummary,
) -> Result<(), AppError> {
    let live = cards::live_revisions(&state.db).await?;
    let made_from = generated::all(&state.db).await?;
    let mut by_card: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in existing.values() {
        if row.origin == Origin::Generated.as_str() && !row.retired {
            by_card.entry(&row.card_id).or_default().push(&row.id);
        }
    }
    // Questions of up-to-date cards stay as they are.
    let mut current: HashSet<String> = HashSet::new();
    let mut stale = Vec::new();
    for (id, revision) in &live {
        if made_from.get(id) == Some(&(*revision, GENERATOR_VERSION)) {
            let kept = by_card.get(id.as_str()).into_iter().flatten();
            current.extend(kept.map(|q| (*q).to_owned()));
        } else {
            stale.push(id.clone());
        }
    }
    for slice in stale.chunks(CARD_SLICE) {
        let rows = cards::current_sources(&state.db, slice).await?;
        let (generated, made) = tokio::task::spawn_blocking(move || {
            let mut questions = Vec::new();
            let mut made = Vec::with_capacity(rows.len());
            for (row, source) in &rows {
                let card: Card = crate::cards::service::parse_stored(row, source)?;
                questions.extend(questions_from_card(&card));
                made.push((row.id.clone(), row.revision));
            }
            Ok::<_, AppError>((questions, made))
        })
        .await
        .map_err(AppError::internal)??;
        current.extend(generated.iter().map(|q| q.id.as_str().to_owned()));
        let batch: Vec<ToSave> = generated
            .iter()
            .map(|q| ToSave {
                question: q,
                origin: Origin::Generated,
                bank_path: None,
                existing: existing.get(q.id.as_str()),
            })
            .collect();
        for saved in questions::save_all(&state.db, &batch).await? {
            summary.count(saved);
        }
        generated::remember(&state.db, &made, GENERATOR_VERSION).await?;
    }
    let gone: Vec<String> = existing
        .values()
        .filter(|r| r.origin == Origin::Generated.as_str() && !r.retired)
        .filter(|r| !current.contains(&r.id))
        .map(|r| r.id.clone())
        .collect();
    summary.retired += gone.len();
    questions::retire(&state.db, &gone).await?;
    state.draw_pool.clear();
    Ok(())
}

async fn load_banks(
    state: &AppState,
    existing: &HashMap<String, QuestionRow>,
    summary: &mut QuizSummary,
) -> Result<Vec<Diagnostic>, AppError> {
    let dir = state.config.quizzes_dir.clone();
    let files = tokio::task::spawn_blocking(move || {
        if dir.is_dir() {
            read_files(&dir, is_bank_path)
        } else {
            Ok(Vec::new())
        }
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| AppError::internal(format!("cannot read the quizzes directory: {e}")))?;
    let tracks: BTreeMap<CardId, Track> = cards::live_tracks(&state.db)
        .await?
        .into_iter()
        .filter_map(|(id, track)| Some((CardId::parse(&id).ok()?, Track::parse(&track)?)))
        .collect();
    let (banks, mut diagnostics) = check_banks(&files, &tracks);
    summary.banks = banks.len();
    summary.errors = diagnostics
        .iter()
        .filter(|d| d.severity == crate::cards::domain::Severity::Error)
        .count();
    let stored: HashMap<String, String> = questions::banks(&state.db)
        .await?
        .into_iter()
        .map(|b| (b.path, b.file_hash))
        .collect();
    let bytes_of: HashMap<&str, &[u8]> = files.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    let mut changed: Vec<(&str, HashSet<&str>)> = Vec::new();
    for (path, bank) in &banks {
        let hash = hex::encode(Sha256::digest(
            bytes_of.get(path.as_str()).unwrap_or(&&[][..]),
        ));
        if stored.get(path) == Some(&hash) {
            continue;
        }
        let batch: Vec<ToSave> = bank
            .questions
            .iter()
            .map(|q| ToSave {
                question: q,
                origin: Origin::Bank,
                bank_path: Some(path),
                existing: existing.get(q.id.as_str()),
            })
            .collect();
        for saved in questions::save_all(&state.db, &batch).await? {
            summary.count(saved);
        }
        questions::remember_bank(&state.db, path, bank.track.as_str(), &hash).await?;
        changed.push((path, bank.questions.iter().map(|q| q.id.as_str()).collect()));
    }
    let gone_files: Vec<&String> = stored
        .keys()
        .filter(|p| !bytes_of.contains_key(p.as_str()))
        .collect();
    if !changed.is_empty() || !gone_files.is_empty() {
        retire_left_behind(state, &changed, &gone_files, summary).await?;
    }
    state.draw_pool.clear();
    for d in &mut diagnostics {
        d.file = format!("{BANK_PREFIX}{}", d.file);
    }
    Ok(diagnostics)
}

/// Retires what left a changed bank, and everything of a bank file that is gone. The rows
/// are read again: a question that moved to another bank now carries that path.
async fn retire_left_behind(
    state: &AppState,
    changed: &[(&str, HashSet<&str>)],
    gone_files: &[&String],
    summary: &mut QuizSummary,
) -> Result<(), AppError> {
    let rows = questions::all(&state.db).await?;
    let mut gone = Vec::new();
    for (path, ids) in changed {
        gone.extend(
            rows.iter()
                .filter(|r| !r.retired && r.bank_path.as_deref() == Some(*path))
                .filter(|r| !ids.contains(r.id.as_str()))
                .map(|r| r.id.clone()),
        );
    }
    for path in gone_files {
        gone.extend(
            rows.iter()
                .filter(|r| !r.retired && r.bank_path.as_deref() == Some(path.as_str()))
                .map(|r| r.id.clone()),
        );
        questions::forget_bank(&state.db, path).await?;
    }
    summary.retired += gone.len();
    questions::retire(&state.db, &gone).await?;
    Ok(())
}
