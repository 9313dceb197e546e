//! Taking a test: start (or resume), autosave answers, submit, review.
//!
//! The server owns the clock: an attempt's deadline is the earlier of its start plus the
//! time limit and the campaign's close. Answers saved after it are refused, and an attempt
//! found past its deadline is graded and closed on the spot. Submitting twice is harmless
//! (the first submission is the one stored). Only the owner sees an attempt; to anyone
//! else it does not exist.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use sea_orm::Set;

use super::campaigns::{self, Campaign};
use super::submit::finish;
pub use super::submit::grade_item;
use crate::accounts::domain::Principal;
use crate::authz::{self, Action};
use crate::cards::domain::Track;
use crate::error::{AppError, FieldError};
use crate::quizzes::domain::campaign::Score;
use crate::quizzes::domain::presentation::{Answer, Presentation, present, to_response};
use crate::quizzes::service::draw_pool::Drawable;
use crate::quizzes::storage::attempts::{self, AttemptRow, ItemRow};
use crate::quizzes::storage::entities::{attempt, item};
use crate::quizzes::storage::questions::Body;
use crate::state::AppState;

/// An attempt with its campaign and each drawn question's pinned body.
#[derive(Clone)]
pub struct Loaded {
    pub attempt: AttemptRow,
    pub campaign: Arc<Campaign>,
    pub items: Vec<(ItemRow, Arc<Body>)>,
}

impl Loaded {
    pub fn is_submitted(&self) -> bool {
        self.attempt.submitted_at.is_some()
    }

    pub fn presentation(item: &ItemRow) -> Presentation {
        serde_json::from_str(&item.presentation).unwrap_or_default()
    }

    pub fn answer(item: &ItemRow) -> Option<Answer> {
        item.answer
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
    }

    pub fn score(&self) -> Option<Score> {
        self.attempt
            .score
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
    }
}

/// Starts an attempt, or returns the one in progress (a reload or another phone resumes).
pub async fn start(
    state: &AppState,
    who: &Principal,
    campaign_id: i32,
) -> Result<Loaded, AppError> {
    authz::require(who, Action::TakeTests)?;
    let campaign = Arc::new(campaigns::get(state, who, campaign_id).await?);
    if !campaign.is_for(who) {
        return Err(AppError::not_found("campaign"));
    }
    let now = state.clock.now();
    if !campaign.is_open(now) {
        return Err(AppError::conflict(
            "campaign_closed",
            "The campaign is not open now.",
        ));
    }
    for _ in 0..3 {
        let mine = attempts::attempts_of(&state.db, campaign_id, who.user_id).await?;
        for row in &mine {
            if row.submitted_at.is_none() {
                let loaded = load_row(state, row.clone(), campaign.clone()).await?;
                if !loaded.is_submitted() {
                    return Ok(loaded);
                }
            }
        }
        if mine.len() >= campaign.row.attempts_allowed as usize {
            return Err(AppError::conflict(
                "no_attempts_left",
                "All attempts of this campaign are used.",
            ));
        }
        let number = i32::try_from(mine.len()).unwrap_or(i32::MAX) + 1;
        let items = draw_items(state, who, &campaign).await?;
        let deadline = (now + Duration::minutes(i64::from(campaign.row.time_limit_minutes)))
            .min(campaign.row.closes_at);
        let created = attempts::create_attempt(
            &state.db,
            attempt::ActiveModel {
                campaign_id: Set(campaign_id),
                user_id: Set(who.user_id),
                number: Set(number),
                started_at: Set(now),
                deadline_at: Set(deadline),
                location_id: Set(who.location_id),
                level: Set(Some(who.level.as_str().to_owned())),
                ..Default::default()
            },
            items,
        )
        .await;
        match created {
            Ok(row) => return load_row(state, row, campaign).await,
            // Another request (a second tap, another phone) created it first: use that.
            Err(err) => tracing::info!(error = %err, "attempt created concurrently; resuming"),
        }
    }
    Err(AppError::internal("could not start an attempt"))
}

/// Draws the blueprint's questions for `who` and shuffles how each is shown.
async fn draw_items(
    state: &AppState,
    who: &Principal,
    campaign: &Campaign,
) -> Result<Vec<item::ActiveModel>, AppError> {
    let seen: HashSet<String> = attempts::seen_by(&state.db, who.user_id)
        .await?
        .into_iter()
        .collect();
    let pool = state.draw_pool.get(&state.db).await?;
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let mut picked = Vec::new();
    for track in Track::ALL {
        let n = campaign.blueprint.count(track) as usize;
        if n == 0 {
            continue;
        }
        let admits =
            |q: &Drawable| (campaign.pool.as_ref()).is_none_or(|p| p.admits(&q.card_id, &q.track));
        for q in pool.draw(track.as_str(), n, admits, &seen, &mut rng) {
            picked.push((track, q.id, q.revision));
        }
    }
    let pinned: Vec<(String, i32)> = picked.iter().map(|p| (p.1.clone(), p.2)).collect();
    let bodies = state.question_bodies.get(&state.db, &pinned).await?;
    let mut items = Vec::new();
    for (position, (track, id, revision)) in picked.into_iter().enumerate() {
        let Some(body) = bodies.get(&(id.clone(), revision)) else {
            continue;
        };
        let presentation = present(&body.answer, &mut rng);
        items.push(item::ActiveModel {
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            question_id: Set(id),
            revision: Set(revision),
            track: Set(track.as_str().to_owned()),
            presentation: Set(serde_json::to_string(&presentation).map_err(AppError::internal)?),
            ..Default::default()
        });
    }
    Ok(items)
}

/// An attempt of `who`'s (404 for anyone else's), closed first if past its deadline.
/// Its row is read each time; its items come from `open_attempts` when no answer was
/// saved and no submission stored since they were remembered.
pub async fn load(state: &AppState, who: &Principal, attempt_id: i32) -> Result<Loaded, AppError> {
    let row = attempts::attempt(&state.db, attempt_id)
        .await?
        .filter(|a| a.user_id == who.user_id)
        .ok_or_else(|| AppError::not_found("attempt"))?;
    if let Some(mut known) = state.open_attempts.get(attempt_id)
        && row.saves == known.attempt.saves
        && row.submitted_at == known.attempt.submitted_at
    {
        known.attempt = row;
        return close_if_due(state, known).await;
    }
    let campaign = attempts::campaign(&state.db, row.campaign_id)
        .await?
        .map(Campaign::from_row)
        .transpose()?
        .ok_or_else(|| AppError::not_found("attempt"))?;
    load_row(state, row, Arc::new(campaign)).await
}

/// An attempt of `who`'s to save an answer to: what never changes in it (owner,
/// deadline, questions and their presentation), from `open_attempts` when remembered.
/// Whether it is still open is for the conditional write to decide.
async fn load_to_save(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
) -> Result<Loaded, AppError> {
    match state.open_attempts.get(attempt_id) {
        Some(known)
            if known.attempt.user_id == who.user_id
                && state.clock.now() < known.attempt.deadline_at =>
        {
            Ok(known)
        }
        _ => load(state, who, attempt_id).await,
    }
}

async fn load_row(
    state: &AppState,
    row: AttemptRow,
    campaign: Arc<Campaign>,
) -> Result<Loaded, AppError> {
    let items = attempts::items(&state.db, row.id).await?;
    let pinned: Vec<(String, i32)> = items
        .iter()
        .map(|i| (i.question_id.clone(), i.revision))
        .collect();
    let mut bodies = state.question_bodies.get(&state.db, &pinned).await?;
    let items = items
        .into_iter()
        .filter_map(|i| {
            let body = bodies.remove(&(i.question_id.clone(), i.revision))?;
            Some((i, body))
        })
        .collect();
    let loaded = Loaded {
        attempt: row,
        campaign,
        items,
    };
    state.open_attempts.remember(&loaded);
    close_if_due(state, loaded).await
}

/// An open attempt past its deadline is graded as of the deadline and closed.
async fn close_if_due(state: &AppState, loaded: Loaded) -> Result<Loaded, AppError> {
    if !loaded.is_submitted() && state.clock.now() >= loaded.attempt.deadline_at {
        let at = loaded.attempt.deadline_at;
        return finish(state, loaded, at).await;
    }
    Ok(loaded)
}

/// Saves one answer; 409 `attempt_closed` after submission or the deadline.
pub async fn save_answer(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
    question_id: &str,
    answer: &Answer,
) -> Result<DateTime<Utc>, AppError> {
    let loaded = load_to_save(state, who, attempt_id).await?;
    if loaded.is_submitted() {
        return Err(closed());
    }
    let (item, body) = loaded
        .items
        .iter()
        .find(|(i, _)| i.question_id == question_id)
        .ok_or_else(|| AppError::not_found("question in this attempt"))?;
    to_response(&body.answer, &Loaded::presentation(item), answer)
        .map_err(|m| AppError::validation(vec![FieldError::field("answer", m)]))?;
    let now = state.clock.now();
    let json = serde_json::to_string(answer).map_err(AppError::internal)?;
    let Some(saves) =
        attempts::save_answer(&state.db, attempt_id, question_id, json.clone(), now).await?
    else {
        // Submitted or past its deadline (perhaps elsewhere): what this instance
        // remembers of it is of no more use.
        state.open_attempts.forget(attempt_id);
        return Err(closed());
    };
    state
        .open_attempts
        .saved(attempt_id, question_id, &json, now, saves);
    Ok(now)
}

fn closed() -> AppError {
    AppError::conflict(
        "attempt_closed",
        "The attempt is submitted or its time is up; the answer was not saved.",
    )
}

/// Grades and submits. Submitting a submitted attempt returns it as it was.
pub async fn submit(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
) -> Result<Loaded, AppError> {
    super::submit::submit(state, who, attempt_id).await
}

/// The review after submission; 409 `attempt_open` before it. Besides its owner, whoever
/// may see the person (their shop leader, HR, admin) reads it: the drill-down from
/// reports. To anyone else it does not exist.
pub async fn review(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
) -> Result<Loaded, AppError> {
    let row = attempts::attempt(&state.db, attempt_id)
        .await?
        .ok_or_else(|| AppError::not_found("attempt"))?;
    let loaded = if row.user_id == who.user_id {
        load(state, who, attempt_id).await?
    } else {
        let owner = crate::accounts::storage::users::get(&state.db, row.user_id)
            .await?
            .ok_or_else(|| AppError::not_found("attempt"))?;
        let person = crate::accounts::service::people::person_ref(&owner)?;
        if !authz::allows(who, Action::ViewPerson(person)) {
            return Err(AppError::not_found("attempt"));
        }
        let campaign = attempts::campaign(&state.db, row.campaign_id)
            .await?
            .map(Campaign::from_row)
            .transpose()?
            .ok_or_else(|| AppError::not_found("attempt"))?;
        load_row(state, row, Arc::new(campaign)).await?
    };
    if !loaded.is_submitted() {
        return Err(AppError::conflict(
            "attempt_open",
            "Answers are shown after the attempt is submitted.",
        ));
    }
    Ok(loaded)
}
