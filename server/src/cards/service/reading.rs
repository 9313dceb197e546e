//! Reading cards, their history, and confirming significant revisions.

use std::collections::HashMap;
use std::sync::Arc;

use similar::{ChangeTag, TextDiff};

use crate::accounts::domain::{Level, Principal, Role};
use crate::accounts::storage::users::{self, UserFilter, UserRow};
use crate::authz::{self, Action, PeopleScope};
use crate::cards::service::card_cache::CachedCard;
use crate::cards::storage::acks;
use crate::cards::storage::cards::{self, CardFilter, CardRow, RevisionRow};
use crate::error::AppError;
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    who: &Principal,
    filter: &CardFilter,
    page: u64,
    per_page: u64,
) -> Result<(u64, Vec<CardRow>), AppError> {
    authz::require(who, Action::ReadContent)?;
    Ok(cards::list(&state.db, filter, page, per_page).await?)
}

/// A live card with its current parsed content.
pub async fn get(state: &AppState, who: &Principal, id: &str) -> Result<Arc<CachedCard>, AppError> {
    authz::require(who, Action::ReadContent)?;
    live(state, id).await
}

/// A live card from this instance's cache, or read, parsed and remembered.
async fn live(state: &AppState, id: &str) -> Result<Arc<CachedCard>, AppError> {
    if let Some(cached) = state.cards.get(id) {
        return Ok(cached);
    }
    let generation = state.cards.generation();
    let row = cards::get(&state.db, id)
        .await?
        .filter(|row| !row.archived)
        .ok_or_else(|| AppError::not_found("card"))?;
    let revision = cards::revision(&state.db, id, row.revision)
        .await?
        .ok_or_else(|| AppError::internal(format!("card {id} lacks its current revision")))?;
    let card = super::parse_stored(&row, &revision.source)?;
    let cached = Arc::new(CachedCard::new(row, revision.source, card));
    state.cards.insert_if_unchanged(generation, cached.clone());
    Ok(cached)
}

pub async fn revisions(
    state: &AppState,
    who: &Principal,
    id: &str,
) -> Result<Vec<RevisionRow>, AppError> {
    authz::require(who, Action::AuthorContent)?;
    let rows = cards::revisions(&state.db, id).await?;
    if rows.is_empty() {
        return Err(AppError::not_found("card"));
    }
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// `equal`, `insert` or `delete`.
    pub op: &'static str,
    pub text: String,
}

/// Line diff between two revisions of a card.
pub async fn diff(
    state: &AppState,
    who: &Principal,
    id: &str,
    from: i32,
    to: i32,
) -> Result<Vec<DiffLine>, AppError> {
    authz::require(who, Action::AuthorContent)?;
    let load = |n: i32| async move {
        cards::revision(&state.db, id, n)
            .await?
            .ok_or_else(|| AppError::not_found("revision"))
    };
    let (old, new) = (load(from).await?, load(to).await?);
    Ok(diff_lines(&old.source, &new.source))
}

pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            op: match change.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// Whether a person must confirm reading cards of `card_level`: staff at or above it.
fn must_confirm(role: Role, level: Level, card_level: &str) -> bool {
    role == Role::Staff && card_level.parse::<Level>().is_ok_and(|card| level >= card)
}

/// Mandatory cards whose latest significant revision the person has not confirmed.
pub async fn to_read(state: &AppState, who: &Principal) -> Result<Vec<CardRow>, AppError> {
    authz::require(who, Action::ConfirmReading)?;
    let confirmed = latest_confirmations(
        acks::of_user(&state.db, who.user_id)
            .await?
            .into_iter()
            .map(|a| (a.card_id, a.revision)),
    );
    if who.role != Role::Staff {
        return Ok(Vec::new());
    }
    let levels: Vec<&str> = Level::ALL
        .into_iter()
        .filter(|l| *l <= who.level)
        .map(Level::as_str)
        .collect();
    let candidates = cards::mandatory_at_levels(&state.db, &levels).await?;
    Ok(candidates
        .into_iter()
        .filter(|c| confirmed.get(&c.id).copied().unwrap_or(0) < c.significant_revision)
        .collect())
}

/// Whether the person has yet to confirm this card: `to_read` for one card, without
/// listing every mandatory card (a card page asks this on every view).
pub async fn still_to_read(
    state: &AppState,
    who: &Principal,
    row: &CardRow,
) -> Result<bool, AppError> {
    if row.archived || !row.mandatory || !must_confirm(who.role, who.level, &row.level) {
        return Ok(false);
    }
    let confirmed = acks::of_user(&state.db, who.user_id)
        .await?
        .into_iter()
        .filter(|a| a.card_id == row.id)
        .map(|a| a.revision)
        .max()
        .unwrap_or(0);
    Ok(confirmed < row.significant_revision)
}

fn latest_confirmations(rows: impl Iterator<Item = (String, i32)>) -> HashMap<String, i32> {
    let mut latest = HashMap::new();
    for (key, revision) in rows {
        let entry = latest.entry(key).or_insert(revision);
        *entry = (*entry).max(revision);
    }
    latest
}

/// Confirms the card's current revision; returns the revision confirmed.
pub async fn confirm(state: &AppState, who: &Principal, id: &str) -> Result<i32, AppError> {
    authz::require(who, Action::ConfirmReading)?;
    let row = cards::get(&state.db, id)
        .await?
        .filter(|row| !row.archived)
        .ok_or_else(|| AppError::not_found("card"))?;
    acks::confirm(&state.db, who.user_id, id, row.revision).await?;
    Ok(row.revision)
}

/// Who must confirm a card's current significant revision, split by whether they did.
pub struct ReadingStatus {
    pub card: CardRow,
    pub confirmed: Vec<UserRow>,
    pub pending: Vec<UserRow>,
}

pub async fn reading_status(
    state: &AppState,
    who: &Principal,
    id: &str,
    location_id: Option<i32>,
) -> Result<ReadingStatus, AppError> {
    authz::require(who, Action::ViewReadingStatus)?;
    let card = cards::get(&state.db, id)
        .await?
        .filter(|row| !row.archived)
        .ok_or_else(|| AppError::not_found("card"))?;
    let location_id = match authz::people_scope(who)? {
        PeopleScope::Everyone => location_id,
        PeopleScope::Location(own) if location_id.is_none_or(|l| l == own) => Some(own),
        PeopleScope::Location(_) => return Err(AppError::forbidden()),
    };
    let filter = UserFilter {
        location_id,
        role: Some(Role::Staff.as_str().to_owned()),
        active: Some(true),
    };
    let confirmed = latest_confirmations(
        acks::of_card(&state.db, id)
            .await?
            .into_iter()
            .map(|a| (a.user_id.to_string(), a.revision)),
    );
    let mut status = ReadingStatus {
        card,
        confirmed: Vec::new(),
        pending: Vec::new(),
    };
    for person in users::list(&state.db, &filter).await? {
        let level = person.level.parse().unwrap_or(Level::Trainee);
        if !status.card.mandatory || !must_confirm(Role::Staff, level, &status.card.level) {
            continue;
        }
        let done = confirmed.get(&person.id.to_string()).copied().unwrap_or(0)
            >= status.card.significant_revision;
        if done {
            status.confirmed.push(person);
        } else {
            status.pending.push(person);
        }
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_at_or_above_the_card_level_must_confirm() {
        assert!(must_confirm(Role::Staff, Level::Barista, "trainee"));
        assert!(must_confirm(Role::Staff, Level::Barista, "barista"));
        assert!(!must_confirm(Role::Staff, Level::Trainee, "barista"));
        assert!(!must_confirm(Role::Trainer, Level::Leader, "trainee"));
    }

    #[test]
    fn diff_marks_changed_lines() {
        let lines = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        let ops: Vec<_> = lines.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                ("equal", "a"),
                ("delete", "b"),
                ("insert", "B"),
                ("equal", "c")
            ]
        );
    }
}
