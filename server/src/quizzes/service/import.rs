//! GIFT uploaded through the API (`POST /api/v1/questions/import`). The questions go
//! straight into the database under the bank name `import/<name>`, so every replica has
//! them; importing the same name again revises them (and retires what the new file no
//! longer has). Banks in `quizzes/` never touch imported ones, nor the other way round.

use std::collections::{HashMap, HashSet};

use crate::cards::domain::{CardId, Track};
use crate::cards::service::editor::diagnostic_to_error;
use crate::cards::storage::cards;
use crate::error::{AppError, FieldError};
use crate::quizzes::domain::gift::{ImportOptions, gift_to_bank};
use crate::quizzes::storage::questions::{self, Origin, Saved};
use crate::state::AppState;

/// Bank names of imports: `import/<name>`.
pub const IMPORT_PREFIX: &str = "import/";

#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub bank: String,
    pub questions: usize,
    pub created: usize,
    pub revised: usize,
    pub retired: usize,
    /// Skipped questions (essays, descriptions), as `line: message`.
    pub warnings: Vec<FieldError>,
}

pub struct GiftUpload<'a> {
    pub name: &'a str,
    pub gift: &'a str,
    pub track: &'a str,
    pub card: Option<&'a str>,
}

pub async fn import_gift(state: &AppState, upload: GiftUpload<'_>) -> Result<Imported, AppError> {
    let mut problems = Vec::new();
    let name_ok = CardId::parse(upload.name).is_ok() && upload.name.len() <= 40;
    if !name_ok {
        problems.push(FieldError::field(
            "name",
            "латинские строчные буквы, цифры и «-», от 2 до 40 символов",
        ));
    }
    let track = Track::parse(upload.track);
    if track.is_none() {
        problems.push(FieldError::field("track", "coffee, service или bar"));
    }
    let card = upload
        .card
        .map(CardId::parse)
        .transpose()
        .unwrap_or_else(|m| {
            problems.push(FieldError::field("card", m));
            None
        });
    let (Some(track), true, true) = (track, name_ok, problems.is_empty()) else {
        return Err(AppError::validation(problems));
    };
    let file = format!("{}.gift", upload.name);
    let options = ImportOptions {
        track,
        card: card.as_ref(),
        id_prefix: upload.name,
    };
    let converted = gift_to_bank(&file, upload.gift, &options)
        .map_err(|diagnostics| AppError::validation(at_lines(&diagnostics)))?;
    let known: HashMap<String, bool> = cards::all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.archived))
        .collect();
    let unknown: Vec<FieldError> = converted
        .questions
        .iter()
        .filter(|q| known.get(q.card.as_str()) != Some(&false))
        .map(|q| FieldError {
            field: None,
            file: Some(file.clone()),
            line: Some(q.line),
            column: Some(1),
            message: format!("unknown card «{}»: no card has this id", q.card.as_str()),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::validation(unknown));
    }
    let bank = format!("{IMPORT_PREFIX}{}", upload.name);
    let existing: HashMap<String, questions::QuestionRow> = questions::all(&state.db)
        .await?
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect();
    for q in &converted.questions {
        if let Some(row) = existing.get(q.id.as_str())
            && row.bank_path.as_deref() != Some(bank.as_str())
            && !row.retired
        {
            return Err(AppError::conflict(
                "question_id_taken",
                format!(
                    "Question id «{}» already belongs to {}; import under another name.",
                    q.id,
                    row.bank_path.as_deref().unwrap_or("a generated question")
                ),
            ));
        }
    }
    let mut imported = Imported {
        bank: bank.clone(),
        questions: converted.questions.len(),
        created: 0,
        revised: 0,
        retired: 0,
        warnings: at_lines(&converted.warnings),
    };
    let ids: HashSet<&str> = converted.questions.iter().map(|q| q.id.as_str()).collect();
    for q in &converted.questions {
        match questions::save(
            &state.db,
            q,
            Origin::Bank,
            Some(&bank),
            existing.get(q.id.as_str()),
        )
        .await?
        {
            Saved::Created => imported.created += 1,
            Saved::Revised => imported.revised += 1,
            Saved::Unchanged => {}
        }
    }
    let gone: Vec<String> = existing
        .values()
        .filter(|r| r.bank_path.as_deref() == Some(bank.as_str()) && !r.retired)
        .filter(|r| !ids.contains(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    imported.retired = gone.len();
    questions::retire(&state.db, &gone).await?;
    state.draw_pool.clear();
    Ok(imported)
}

fn at_lines(diagnostics: &[crate::cards::domain::Diagnostic]) -> Vec<FieldError> {
    diagnostics.iter().map(diagnostic_to_error).collect()
}
