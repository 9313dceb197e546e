//! The retraining list for the caller's scope (HR, trainers, admins: the chain; a shop
//! leader: their shop; staff: not available).

use std::collections::HashMap;

use super::scope::{self, Scope};
use crate::accounts::domain::Principal;
use crate::cards::storage::cards;
use crate::certification::domain::Quarter;
use crate::error::AppError;
use crate::quizzes::storage::questions;
use crate::reports::domain::{CardWeakness, QuestionTally, weakest};
use crate::reports::storage::facts;
use crate::reports::storage::outbox::Settled;
use crate::state::AppState;

/// Cards with fewer answers than this are not judged.
pub const MIN_ANSWERS: u64 = 5;

pub struct Weakest {
    pub quarter: Quarter,
    pub cards: Vec<CardWeakness>,
    /// card id → (title, track)
    pub card_info: HashMap<String, (String, String)>,
}

pub async fn list(
    state: &AppState,
    who: &Principal,
    quarter: Quarter,
    location: Option<i32>,
    min_answers: u64,
) -> Result<Weakest, AppError> {
    let scope = scope::of(who);
    if matches!(scope, Scope::Person(_)) {
        return Err(AppError::forbidden());
    }
    let location = scope::location_filter(scope, location)?;
    let key = format!("weakest:{}:{location:?}:{min_answers}", quarter.code());
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    let version = crate::reports::storage::cache::facts_version(&settled).await?;
    let ranked = state
        .reports
        .get_or(key, version, || {
            rank(state, &settled, quarter, location, min_answers)
        })
        .await?;
    let card_info = cards::all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, (c.title, c.track)))
        .collect();
    Ok(Weakest {
        quarter,
        cards: ranked.as_ref().clone(),
        card_info,
    })
}

/// The ranking itself (cached by the caller while no new results arrive).
async fn rank(
    state: &AppState,
    settled: &Settled<'_>,
    quarter: Quarter,
    location: Option<i32>,
    min_answers: u64,
) -> Result<Vec<CardWeakness>, AppError> {
    let rows = facts::question_tallies(settled, &[quarter.code()], location).await?;
    let mut ids: Vec<String> = rows.iter().map(|r| r.question_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let question_rows = questions::rows_of(&state.db, &ids).await?;
    let tallies: Vec<QuestionTally> = rows
        .into_iter()
        .filter_map(|r| {
            let q = question_rows.get(&r.question_id)?;
            Some(QuestionTally {
                question_id: r.question_id,
                card_id: q.card_id.clone(),
                location_id: (r.location_id != 0).then_some(r.location_id),
                answered: u64::try_from(r.answered).unwrap_or(0),
                failed: u64::try_from(r.failed).unwrap_or(0),
            })
        })
        .collect();
    Ok(weakest(&tallies, min_answers))
}
