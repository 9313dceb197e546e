//! Request and response bodies of the questions API (field names are a contract).

use poem_openapi::Object;

use crate::error::FieldError;
use crate::quizzes::storage::questions::{Body, QuestionRow};

/// A question as listed.
#[derive(Debug, Object)]
pub struct QuestionSummary {
    pub id: String,
    pub card: String,
    pub track: String,
    /// single | multiple | true_false | short | matching | ordering | numeric
    #[oai(rename = "type")]
    pub kind: String,
    /// `bank` (a file in quizzes/ or a GIFT import) or `generated` (from a card).
    pub origin: String,
    /// The bank file under quizzes/, or `import/<name>`; null for generated questions.
    #[oai(nullable)]
    pub bank: Option<String>,
    pub revision: i32,
    /// Switched off by a trainer: never drawn.
    pub disabled: bool,
    /// Gone from its bank or its card: kept for past attempts, never drawn.
    pub retired: bool,
    pub prompt: String,
}

impl QuestionSummary {
    pub fn of(row: &QuestionRow, body: &Body) -> QuestionSummary {
        QuestionSummary {
            id: row.id.clone(),
            card: row.card_id.clone(),
            track: row.track.clone(),
            kind: row.kind.clone(),
            origin: row.origin.clone(),
            bank: row.bank_path.clone(),
            revision: row.revision,
            disabled: row.disabled,
            retired: row.retired,
            prompt: body.prompt.clone(),
        }
    }
}

#[derive(Debug, Object)]
pub struct QuestionList {
    pub total: u64,
    pub items: Vec<QuestionSummary>,
}

/// A question with its answer key (trainers only: answers never reach staff).
#[derive(Debug, Object)]
pub struct QuestionDetail {
    pub id: String,
    pub card: String,
    pub track: String,
    #[oai(rename = "type")]
    pub kind: String,
    pub origin: String,
    #[oai(nullable)]
    pub bank: Option<String>,
    pub revision: i32,
    pub disabled: bool,
    pub retired: bool,
    #[oai(nullable)]
    pub name: Option<String>,
    pub prompt: String,
    #[oai(nullable)]
    pub explanation: Option<String>,
    /// The answer key: `{"type": …, "key": …}` as in docs/quiz-format.md.
    pub answer: serde_json::Value,
}

impl QuestionDetail {
    pub fn of(row: QuestionRow, body: Body) -> QuestionDetail {
        QuestionDetail {
            answer: serde_json::to_value(&body.answer).unwrap_or_default(),
            id: row.id,
            card: row.card_id,
            track: row.track,
            kind: row.kind,
            origin: row.origin,
            bank: row.bank_path,
            revision: row.revision,
            disabled: row.disabled,
            retired: row.retired,
            name: body.name,
            prompt: body.prompt,
            explanation: body.explanation,
        }
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct DisabledChange {
    pub disabled: bool,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct GiftImportRequest {
    /// The bank name: the questions become `import/<name>`, ids `<name>-<n>`.
    pub name: String,
    /// The GIFT text.
    pub gift: String,
    /// coffee | service | bar
    pub track: String,
    /// The card for questions whose $CATEGORY does not end with a card id.
    #[oai(nullable)]
    pub card: Option<String>,
}

#[derive(Debug, Object)]
pub struct GiftImportResult {
    pub bank: String,
    pub questions: u64,
    pub created: u64,
    pub revised: u64,
    pub retired: u64,
    /// Questions skipped (essays, descriptions), with their line.
    pub warnings: Vec<FieldError>,
}
