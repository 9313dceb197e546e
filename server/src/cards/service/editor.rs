//! Writing cards in the web editor: validation, optimistic locking, preview, export.

use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::cards::domain::{Card, Diagnostic, Severity, parse_card, render_source};
use crate::cards::storage::cards::{self, CardRow, NewRevision, Saved};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

pub struct Edit<'a> {
    pub id: &'a str,
    pub source: &'a str,
    /// 0 to create a new card.
    pub base_revision: i32,
    pub significant: bool,
    pub note: Option<&'a str>,
}

/// What the editor sends back instead of saving: the card's current state.
pub struct Conflict {
    pub current: Option<CardRow>,
}

pub enum EditOutcome {
    Saved(CardRow),
    Conflict(Conflict),
}

/// The file name diagnostics use for a card edited in the browser.
pub fn editor_file(id: &str) -> String {
    format!("{id}.md")
}

/// The errors (not warnings) among `diagnostics`, as problem entries.
pub fn diagnostics_to_errors(diagnostics: &[Diagnostic]) -> Vec<FieldError> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(diagnostic_to_error)
        .collect()
}

/// A file position problem (`file`, `line`, `column`, `message`).
pub fn diagnostic_to_error(d: &Diagnostic) -> FieldError {
    FieldError {
        field: None,
        file: Some(d.file.clone()),
        line: Some(d.line),
        column: Some(d.column),
        message: d.message.clone(),
    }
}

/// Parses the source and checks that it is the card being edited.
pub fn validate(id: &str, source: &str) -> Result<(Card, Vec<Diagnostic>), AppError> {
    let file = editor_file(id);
    let parsed = parse_card(&file, source.as_bytes());
    let mut card = match parsed.card {
        Some(card) => card,
        None => {
            return Err(AppError::validation(diagnostics_to_errors(
                &parsed.diagnostics,
            )));
        }
    };
    if card.front.id.as_str() != id {
        return Err(AppError::validation(vec![FieldError {
            field: None,
            file: Some(file),
            line: Some(2),
            column: Some(1),
            message: format!(
                "id «{}» differs from the card being edited, «{id}»",
                card.front.id.as_str()
            ),
        }]));
    }
    card.front.tags.sort();
    card.front.tags.dedup();
    Ok((card, parsed.diagnostics))
}

pub async fn save(
    state: &AppState,
    who: &Principal,
    edit: Edit<'_>,
) -> Result<EditOutcome, AppError> {
    authz::require(who, Action::AuthorContent)?;
    let (card, _warnings) = validate(edit.id, edit.source)?;
    let note = edit.note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::validation(vec![FieldError::field(
            "note",
            "не длиннее 500 символов",
        )]));
    }
    let saved = cards::save_revision(
        &state.db,
        NewRevision {
            meta: super::meta_of(&card),
            source: edit.source,
            significant: edit.significant,
            note,
            author_id: Some(who.user_id),
            file: None,
            base_revision: Some(edit.base_revision),
        },
    )
    .await?;
    match saved {
        Saved::Stored(row) => {
            super::index_sync::sync(state).await?;
            // Its generated quiz questions follow the new revision; not while a content
            // import (watcher, SIGHUP) refreshes them too, or both would write the same
            // new question revisions.
            let _one_at_a_time = state.import_lock.lock().await;
            crate::quizzes::service::load::refresh_generated(state).await?;
            Ok(EditOutcome::Saved(row))
        }
        Saved::Conflict(current) => Ok(EditOutcome::Conflict(Conflict { current })),
    }
}

/// Writes every live card back as `<track>/<id>.md` (or its original path) under `dir`.
pub async fn export(state: &AppState, dir: &std::path::Path) -> anyhow::Result<usize> {
    let ids = cards::live_ids(&state.db).await?;
    let rows = cards::current_sources(&state.db, &ids).await?;
    let mut written = 0;
    for (row, source) in rows {
        let card =
            super::parse_stored(&row, &source).map_err(|e| anyhow::anyhow!("{}", e.detail))?;
        let relative = row
            .source_path
            .clone()
            .unwrap_or_else(|| format!("{}/{}.md", row.track, row.id));
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Keep the author's own formatting when it is the stored source; fall back to the
        // canonical rendering only if the stored text is somehow not a card.
        let text = if crate::cards::domain::parse_card(&relative, source.as_bytes())
            .card
            .is_some()
        {
            source
        } else {
            render_source(&card)
        };
        std::fs::write(&path, text)?;
        written += 1;
    }
    Ok(written)
}
