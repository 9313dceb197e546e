//! Card use cases: importing the content directory, editing in the web editor, reading
//! and confirming, and keeping the search index in step with the database.

pub mod card_cache;
pub mod editor;
pub mod import;
pub mod index_sync;
pub mod reading;

use crate::cards::domain::{Card, parse_card};
use crate::cards::storage::cards::{CardMeta, CardRow};
use crate::error::AppError;

pub fn meta_of(card: &Card) -> CardMeta {
    let front = &card.front;
    CardMeta {
        id: front.id.as_str().to_owned(),
        title: front.title.clone(),
        track: front.track.as_str().to_owned(),
        tags: front.tags.clone(),
        stage: front.stage.clone(),
        level: front.level.as_str().to_owned(),
        season: front.season.as_str().to_owned(),
        mandatory: front.mandatory,
    }
}

/// Parses a stored source. Stored revisions were valid when saved, so a failure here means
/// the format rules changed underneath them: an internal error, logged.
pub fn parse_stored(row: &CardRow, source: &str) -> Result<Card, AppError> {
    let parsed = parse_card(&format!("{}.md", row.id), source.as_bytes());
    parsed.card.ok_or_else(|| {
        let first = parsed
            .diagnostics
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        AppError::internal(format!("stored card {} no longer parses: {first}", row.id))
    })
}

pub fn tags_of(row: &CardRow) -> Vec<String> {
    serde_json::from_str(&row.tags).unwrap_or_default()
}

/// Whether the change from `old` to `new` asks staff to re-read: what they must do
/// (steps) or never do (taboo) changed. Wording elsewhere is a minor change.
pub fn is_significant_change(old: &Card, new: &Card) -> bool {
    let texts = |sections: &[crate::cards::domain::Section]| -> Vec<String> {
        sections.iter().map(|s| s.text.clone()).collect()
    };
    texts(&old.steps) != texts(&new.steps)
        || texts(&old.taboo) != texts(&new.taboo)
        || old.front.level != new.front.level
        || old.front.mandatory != new.front.mandatory
}
