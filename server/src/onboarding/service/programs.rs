//! Reading programmes, and editing one in the web UI (a new revision, same checks as files).

use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::cards::service::editor::diagnostics_to_errors;
use crate::certification::domain::Rules;
use crate::error::{AppError, FieldError};
use crate::onboarding::domain::{Program, check_careers};
use crate::onboarding::storage::programs::{self, NewProgramRevision, ProgramRow, Saved};
use crate::state::AppState;

/// A stored programme with its parsed definition.
#[derive(Debug, Clone)]
pub struct Stored {
    pub row: ProgramRow,
    pub program: Program,
}

pub fn parse_stored(row: ProgramRow) -> Result<Stored, AppError> {
    let program = serde_json::from_str(&row.definition).map_err(AppError::internal)?;
    Ok(Stored { row, program })
}

/// Live programmes, by title.
pub async fn list(state: &AppState, who: &Principal) -> Result<Vec<Stored>, AppError> {
    authz::require(who, Action::ReadContent)?;
    programs::all(&state.db)
        .await?
        .into_iter()
        .filter(|r| !r.archived)
        .map(parse_stored)
        .collect()
}

pub async fn get(state: &AppState, who: &Principal, id: &str) -> Result<Stored, AppError> {
    authz::require(who, Action::ReadContent)?;
    let row = programs::get(&state.db, id)
        .await?
        .filter(|r| !r.archived)
        .ok_or_else(|| AppError::not_found("program"))?;
    parse_stored(row)
}

/// One revision as it was (assignments pin theirs).
pub async fn at_revision(state: &AppState, id: &str, revision: i32) -> Result<Program, AppError> {
    let row = programs::revision(&state.db, id, revision)
        .await?
        .ok_or_else(|| AppError::not_found("program revision"))?;
    serde_json::from_str(&row.definition).map_err(AppError::internal)
}

/// The certification rules in force (empty when none were ever loaded).
pub async fn rules(state: &AppState) -> Result<Rules, AppError> {
    match programs::rules(&state.db).await? {
        Some(row) => serde_json::from_str(&row.definition).map_err(AppError::internal),
        None => Ok(Rules::default()),
    }
}

pub struct Edit<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub base_revision: i32,
}

/// Saves a trainer's edit; 422 with `file:line:column` problems, 409 when someone else
/// saved a newer revision since the editor opened.
pub async fn edit(state: &AppState, who: &Principal, edit: Edit<'_>) -> Result<Stored, AppError> {
    authz::require(who, Action::AuthorContent)?;
    let current = programs::get(&state.db, edit.id)
        .await?
        .filter(|r| !r.archived)
        .ok_or_else(|| AppError::not_found("program"))?;
    let file = current
        .file_path
        .clone()
        .unwrap_or_else(|| format!("programs/{}.yaml", edit.id));
    let source = edit.source.replace("\r\n", "\n");
    let cards = super::load::card_ids(state).await?;
    let checked = check_careers(&[(file.clone(), source.as_bytes().to_vec())], &cards);
    if !checked.diagnostics.is_empty() || checked.programs.is_empty() {
        return Err(AppError::validation(diagnostics_to_errors(
            &checked.diagnostics,
        )));
    }
    let (_, program) = checked.programs.into_iter().next().expect("checked above");
    if program.id != edit.id {
        return Err(AppError::validation(vec![FieldError {
            field: None,
            file: Some(file),
            line: Some(1),
            column: Some(1),
            message: format!(
                "id «{}» differs from the programme being edited, «{}»",
                program.id, edit.id
            ),
        }]));
    }
    let saved = programs::save_revision(
        &state.db,
        NewProgramRevision {
            id: &program.id,
            title: &program.title,
            level: program.level.map(|l| l.as_str()),
            source: &source,
            definition: serde_json::to_string(&program).map_err(AppError::internal)?,
            note: "редактор",
            author: Some(who.user_id),
            file: None,
            base_revision: Some(edit.base_revision),
            at: state.clock.now(),
        },
    )
    .await?;
    match saved {
        Saved::Revision(_) => get(state, who, edit.id).await,
        Saved::Conflict(current) => Err(AppError::conflict(
            "edit_conflict",
            format!(
                "The programme was changed meanwhile (now revision {current}); reload and edit again."
            ),
        )),
    }
}
