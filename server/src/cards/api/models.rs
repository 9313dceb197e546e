//! Card JSON bodies. Field names are a contract (docs/api.md).

use chrono::{DateTime, Utc};
use poem_openapi::Object;

use crate::cards::domain::Card;
use crate::cards::service::card_cache::CachedCard;
use crate::cards::service::tags_of;
use crate::cards::storage::cards::CardRow;
use crate::http::encoded::Encoded;

#[derive(Debug, Clone, Object)]
pub struct CardSummary {
    pub id: String,
    pub title: String,
    /// coffee | service | bar
    pub track: String,
    pub tags: Vec<String>,
    #[oai(nullable)]
    pub stage: Option<String>,
    /// trainee | barista | senior | leader
    pub level: String,
    /// all | summer | winter
    pub season: String,
    pub mandatory: bool,
    pub revision: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<&CardRow> for CardSummary {
    fn from(row: &CardRow) -> CardSummary {
        CardSummary {
            id: row.id.clone(),
            title: row.title.clone(),
            track: row.track.clone(),
            tags: tags_of(row),
            stage: row.stage.clone(),
            level: row.level.clone(),
            season: row.season.clone(),
            mandatory: row.mandatory,
            revision: row.revision,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct CardList {
    pub total: u64,
    pub items: Vec<CardSummary>,
}

/// Sections rendered to HTML (raw HTML in the source is shown as text).
#[derive(Debug, Clone, Object)]
pub struct Sections {
    pub situation: String,
    pub steps: Vec<String>,
    pub example: String,
    pub anti_example: String,
    /// Null when the card has no explanation.
    #[oai(nullable)]
    pub explanation: Option<String>,
    pub taboo: Vec<String>,
}

impl From<&Card> for Sections {
    fn from(card: &Card) -> Sections {
        Sections {
            situation: card.situation.html.clone(),
            steps: card.steps.iter().map(|s| s.html.clone()).collect(),
            example: card.example.html.clone(),
            anti_example: card.anti_example.html.clone(),
            explanation: card.explanation.as_ref().map(|s| s.html.clone()),
            taboo: card.taboo.iter().map(|s| s.html.clone()).collect(),
        }
    }
}

#[derive(Debug, Clone, Object)]
pub struct CardDetail {
    #[oai(flatten)]
    pub summary: CardSummary,
    pub sections: Sections,
    /// The Markdown source of the current revision.
    pub source: String,
}

impl CardDetail {
    pub fn new(cached: &CachedCard) -> CardDetail {
        CardDetail {
            summary: (&cached.row).into(),
            sections: (&cached.card).into(),
            source: cached.source.clone(),
        }
    }

    /// The card's body as JSON, encoded once per revision and instance.
    pub fn encoded(cached: &CachedCard) -> Encoded<CardDetail> {
        Encoded::kept(&cached.json, || CardDetail::new(cached))
    }
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CardEdit {
    /// The whole card in the card format (front matter + sections).
    pub source: String,
    /// The revision the edit started from; 0 creates a new card.
    pub base_revision: i32,
    /// True when staff must re-read and confirm (steps or taboo changed in substance).
    pub significant: bool,
    #[oai(nullable)]
    pub note: Option<String>,
}

#[derive(Debug, Object)]
pub struct RevisionInfo {
    pub revision: i32,
    pub significant: bool,
    #[oai(nullable)]
    pub note: Option<String>,
    /// `file` (from the content directory) or `editor`.
    pub origin: String,
    #[oai(nullable)]
    pub author_id: Option<i32>,
    #[oai(nullable)]
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
pub struct RevisionList {
    pub items: Vec<RevisionInfo>,
}

#[derive(Debug, Object)]
pub struct DiffLine {
    /// equal | insert | delete
    pub op: String,
    pub text: String,
}

#[derive(Debug, Object)]
pub struct CardDiff {
    pub from: i32,
    pub to: i32,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Object)]
pub struct Confirmation {
    pub card_id: String,
    pub revision: i32,
}

#[derive(Debug, Object)]
pub struct PersonBrief {
    pub id: i32,
    pub login: String,
    pub name: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
}

#[derive(Debug, Object)]
pub struct ReadingStatus {
    pub card_id: String,
    /// The significant revision people must confirm.
    pub revision: i32,
    pub confirmed: Vec<PersonBrief>,
    pub pending: Vec<PersonBrief>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct PreviewRequest {
    pub source: String,
}

#[derive(Debug, Object)]
pub struct ContentProblem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// error | warning
    pub severity: String,
    pub message: String,
}

#[derive(Debug, Object)]
pub struct Preview {
    /// True when the source is a valid card.
    pub valid: bool,
    #[oai(nullable)]
    pub title: Option<String>,
    #[oai(nullable)]
    pub sections: Option<Sections>,
    pub problems: Vec<ContentProblem>,
}

#[derive(Debug, Object)]
pub struct ContentErrors {
    #[oai(nullable)]
    pub loaded_at: Option<DateTime<Utc>>,
    pub files: u64,
    pub errors: Vec<ContentProblem>,
}

#[derive(Debug, Object)]
pub struct ReloadSummary {
    pub files: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub archived: u64,
    pub errors: u64,
    pub warnings: u64,
}
