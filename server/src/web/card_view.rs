//! How cards look on pages: the summary of a list entry, the rendered body (shared by the
//! card page and the editor's preview) and problems found in a card's source.

use chrono::{DateTime, Utc};

use crate::accounts::domain::Level;
use crate::cards::domain::{Card, Diagnostic, FrontMatter, Season, Severity, Track};
use crate::cards::storage::cards::CardRow;
use crate::error::FieldError;

/// One card in a list: what a reader needs to pick it.
pub struct CardBrief {
    pub id: String,
    pub title: String,
    pub track: &'static str,
    pub stage: Option<String>,
    pub level: &'static str,
    pub mandatory: bool,
    /// «лето» / «зима»; `None` for all-year cards.
    pub season: Option<&'static str>,
    /// The person still has to confirm reading it.
    pub to_read: bool,
}

impl CardBrief {
    pub fn of(row: &CardRow) -> CardBrief {
        CardBrief {
            id: row.id.clone(),
            title: row.title.clone(),
            track: track_label(&row.track),
            stage: row.stage.as_deref().map(stage_label),
            level: level_label(&row.level),
            mandatory: row.mandatory,
            season: Season::parse(&row.season).and_then(season_label),
            to_read: false,
        }
    }

    /// The symbol shown before the season mark (decorative; the text says the season).
    pub fn season_icon(&self) -> &'static str {
        match self.season {
            Some("лето") => "☀",
            _ => "❄",
        }
    }

    pub fn of_front(front: &FrontMatter) -> CardBrief {
        CardBrief {
            id: front.id.as_str().to_owned(),
            title: front.title.clone(),
            track: front.track.label_ru(),
            stage: front.stage.as_deref().map(stage_label),
            level: front.level.label_ru(),
            mandatory: front.mandatory,
            season: season_label(front.season),
            to_read: false,
        }
    }
}

/// A card's sections as sanitised HTML (rendered by the card parser), with the heading
/// level its section titles use on the page.
pub struct CardBody {
    pub heading: u8,
    pub situation: String,
    pub steps: Vec<String>,
    pub example: String,
    pub anti_example: String,
    pub explanation: Option<String>,
    pub taboo: Vec<String>,
}

impl CardBody {
    pub fn of(card: &Card, heading: u8) -> CardBody {
        CardBody {
            heading,
            situation: card.situation.html.clone(),
            steps: card.steps.iter().map(|s| s.html.clone()).collect(),
            example: card.example.html.clone(),
            anti_example: card.anti_example.html.clone(),
            explanation: card.explanation.as_ref().map(|s| s.html.clone()),
            taboo: card.taboo.iter().map(|s| s.html.clone()).collect(),
        }
    }
}

/// A problem in a card's source, as the editor lists it.
pub struct Problem {
    /// «строка 3, столбец 1», or empty when the problem has no position.
    pub place: String,
    pub message: String,
    pub warning: bool,
}

impl Problem {
    pub fn of_diagnostic(d: &Diagnostic) -> Problem {
        Problem {
            place: place(Some(d.line), Some(d.column)),
            message: d.message.clone(),
            warning: d.severity == Severity::Warning,
        }
    }

    pub fn of_field_error(e: &FieldError) -> Problem {
        let message = match e.field.as_deref() {
            Some("note") => format!("«Что изменено»: {}", e.message),
            Some(field) => format!("{field}: {}", e.message),
            None => e.message.clone(),
        };
        Problem {
            place: place(e.line, e.column),
            message,
            warning: false,
        }
    }

    /// A problem with no position.
    pub fn general(message: impl Into<String>) -> Problem {
        Problem {
            place: String::new(),
            message: message.into(),
            warning: false,
        }
    }
}

fn place(line: Option<u32>, column: Option<u32>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("строка {l}, столбец {c}"),
        (Some(l), None) => format!("строка {l}"),
        _ => String::new(),
    }
}

pub fn track_label(word: &str) -> &'static str {
    Track::parse(word).map_or("—", Track::label_ru)
}

pub fn level_label(word: &str) -> &'static str {
    word.parse::<Level>().map_or("—", Level::label_ru)
}

pub fn season_label(season: Season) -> Option<&'static str> {
    match season {
        Season::All => None,
        Season::Summer => Some("лето"),
        Season::Winter => Some("зима"),
    }
}

/// Stages are free words in the front matter; the usual ones read in Russian.
pub fn stage_label(stage: &str) -> String {
    let known = [
        ("opening", "Открытие смены"),
        ("greeting", "Встреча гостя"),
        ("order", "Приём заказа"),
        ("payment", "Оплата"),
        ("preparation", "Приготовление"),
        ("serving", "Подача"),
        ("service", "Обслуживание"),
        ("farewell", "Прощание"),
        ("complaint", "Жалоба"),
        ("cleaning", "Уборка"),
        ("closing", "Закрытие смены"),
    ];
    known
        .iter()
        .find(|(word, _)| *word == stage)
        .map_or_else(|| stage.to_owned(), |(_, label)| (*label).to_owned())
}

/// A moment as pages show it (the server keeps UTC).
pub fn when(at: DateTime<Utc>) -> String {
    at.format("%d.%m.%Y %H:%M UTC").to_string()
}

/// Percent-encodes a value for a URL query (everything but RFC 3986 unreserved bytes).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
