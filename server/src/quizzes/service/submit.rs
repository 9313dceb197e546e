//! Submitting: grading on the server and storing the result exactly once.
//!
//! A submission is queued to the instance's writer (`submit_queue.rs`), which takes every
//! submission waiting, reads their attempts with a few queries, grades them and stores
//! them all in one transaction: when a quarter closes and hundreds press «Завершить» in
//! the same second, the database sees a handful of statements instead of thousands.
//! An attempt past its deadline is graded as of its deadline. Submitting a submitted
//! attempt returns it as it was. Report facts follow right after, from the report outbox
//! (`reports/storage/outbox.rs`), so the close does not wait for them.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::attempts::Loaded;
use super::campaigns::Campaign;
use crate::accounts::domain::Principal;
use crate::cards::domain::Track;
use crate::error::AppError;
use crate::quizzes::domain::campaign::score;
use crate::quizzes::domain::presentation::to_response;
use crate::quizzes::domain::{AnswerKey, Grade, grade};
use crate::quizzes::storage::attempts::{self, ItemRow};
use crate::quizzes::storage::finish::{self, Finish};
use crate::quizzes::storage::questions::Body;
use crate::state::AppState;

/// Attempts read per task when a batch is loaded.
const READ_CHUNK: usize = 64;

/// One press of «Завершить»: whose, which attempt, when.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub attempt_id: i32,
    pub user_id: i32,
    pub at: DateTime<Utc>,
}

/// Grades and submits `who`'s attempt (404 for anyone else's).
pub async fn submit(
    state: &AppState,
    who: &Principal,
    attempt_id: i32,
) -> Result<Loaded, AppError> {
    let request = Request {
        attempt_id,
        user_id: who.user_id,
        at: state.clock.now(),
    };
    state.submissions.submit(state, request).await
}

/// The grade of one drawn question from its saved answer.
pub fn grade_item(item: &ItemRow, key: &AnswerKey) -> Grade {
    let response =
        Loaded::answer(item).and_then(|a| to_response(key, &Loaded::presentation(item), &a).ok());
    grade(key, response.as_ref())
}

/// Submits a batch of requests together; an answer per request, in order. An `Err` of
/// the whole means nothing was stored (the caller retries the requests one by one).
pub async fn submit_batch(
    state: &AppState,
    requests: &[Request],
) -> Result<Vec<Result<Loaded, AppError>>, AppError> {
    let started = std::time::Instant::now();
    let mut attempts = gather(state, requests).await?;
    let read = started.elapsed();
    // An attempt is submitted by its owner only, as of the owner's first press (or its
    // deadline, when that came first).
    let mut to_store: Vec<(i32, Finish)> = Vec::new();
    for request in requests {
        let Some(loaded) = attempts.get(&request.attempt_id) else {
            continue;
        };
        if loaded.attempt.user_id != request.user_id
            || loaded.is_submitted()
            || to_store.iter().any(|(id, _)| *id == request.attempt_id)
        {
            continue;
        }
        let at = request.at.min(loaded.attempt.deadline_at);
        to_store.push((request.attempt_id, prepare(loaded, at)?));
    }
    let finishes: Vec<Finish> = to_store.into_iter().map(|(_, f)| f).collect();
    let graded = started.elapsed();
    let stored = finish::finish_many(&state.db, &finishes).await?;
    tracing::debug!(?read, ?graded, stored = ?started.elapsed(), "submission batch steps");
    if finishes.iter().zip(&stored).any(|(f, &s)| s && f.reported) {
        state.reporter.wake();
    }
    for (f, stored) in finishes.iter().zip(stored) {
        let Some(loaded) = attempts.remove(&f.attempt_id) else {
            continue;
        };
        let now = if stored {
            apply(loaded, f)
        } else {
            finish_again(state, loaded, f.at).await?
        };
        // Kept for a second tap: a submitted attempt's items no longer change.
        state.open_attempts.remember(&now);
        attempts.insert(f.attempt_id, now);
    }
    Ok(requests
        .iter()
        .map(|r| match attempts.get(&r.attempt_id) {
            Some(loaded) if loaded.attempt.user_id == r.user_id => Ok(loaded.clone()),
            _ => Err(AppError::not_found("attempt")),
        })
        .collect())
}

/// The requested attempts, by id (missing ids are absent). Open ones this instance
/// remembers are taken as remembered: storing checks that no answer was saved since
/// (`open_attempts.rs`). Submitted ones it remembers (a second tap) are taken if their
/// row, read afresh, is still of that submission. The rest are read.
async fn gather(state: &AppState, requests: &[Request]) -> Result<HashMap<i32, Loaded>, AppError> {
    let mut attempts = HashMap::with_capacity(requests.len());
    let mut submitted = Vec::new();
    let mut ids = Vec::new();
    for request in requests {
        if attempts.contains_key(&request.attempt_id) {
            continue;
        }
        match state.open_attempts.get(request.attempt_id) {
            Some(known) => {
                if known.is_submitted() {
                    submitted.push(request.attempt_id);
                }
                attempts.insert(request.attempt_id, known);
            }
            None => ids.push(request.attempt_id),
        }
    }
    // A submitted attempt changes only by a result override (its row): the rows, with
    // the items as remembered. One submitted elsewhere since is read in full.
    let mut current = std::collections::HashSet::new();
    for row in attempts::attempts_by_ids(&state.db, &submitted).await? {
        if let Some(known) = attempts.get_mut(&row.id)
            && row.submitted_at == known.attempt.submitted_at
        {
            current.insert(row.id);
            known.attempt = row;
        }
    }
    for id in submitted.into_iter().filter(|id| !current.contains(id)) {
        attempts.remove(&id);
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    // Reading and decoding is most of a batch's work when nothing is remembered: in
    // chunks on their own tasks, so every core (and reader connection) takes part.
    let mut reads = tokio::task::JoinSet::new();
    for chunk in ids.chunks(READ_CHUNK) {
        let (state, chunk) = (state.clone(), chunk.to_vec());
        reads.spawn(async move { load_many(&state, &chunk).await });
    }
    while let Some(read) = reads.join_next().await {
        attempts.extend(read.map_err(AppError::internal)??);
    }
    Ok(attempts)
}

/// Attempts with their campaigns and pinned questions, by id (missing ids are absent).
async fn load_many(state: &AppState, ids: &[i32]) -> Result<HashMap<i32, Loaded>, AppError> {
    let rows = attempts::attempts_by_ids(&state.db, ids).await?;
    let mut campaign_ids: Vec<i32> = rows.iter().map(|r| r.campaign_id).collect();
    campaign_ids.sort_unstable();
    campaign_ids.dedup();
    let mut campaigns = HashMap::new();
    for row in attempts::campaigns_by_ids(&state.db, &campaign_ids).await? {
        campaigns.insert(row.id, Arc::new(Campaign::from_row(row)?));
    }
    let mut items = attempts::items_of(&state.db, ids).await?;
    let mut pinned: Vec<(String, i32)> = items
        .values()
        .flatten()
        .map(|i| (i.question_id.clone(), i.revision))
        .collect();
    pinned.sort_unstable();
    pinned.dedup();
    let bodies = state.question_bodies.get(&state.db, &pinned).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let Some(campaign) = campaigns.get(&row.campaign_id) else {
            continue;
        };
        let items = items
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                let body = bodies.get(&(i.question_id.clone(), i.revision))?.clone();
                Some((i, body))
            })
            .collect();
        let loaded = Loaded {
            attempt: row,
            campaign: campaign.clone(),
            items,
        };
        out.insert(loaded.attempt.id, loaded);
    }
    Ok(out)
}

/// Grades a loaded attempt and stores it as of `at` (the deadline closing it, or one
/// submission on its own).
pub async fn finish(
    state: &AppState,
    loaded: Loaded,
    at: DateTime<Utc>,
) -> Result<Loaded, AppError> {
    let done = match store_one(state, loaded, at).await? {
        Ok(stored) => stored,
        Err(loaded) => finish_again(state, loaded, at).await?,
    };
    state.open_attempts.remember(&done);
    Ok(done)
}

/// Grades and stores one attempt: `Ok` with it as stored, or `Err` with it unchanged
/// when the closing stored nothing (see `finish_again`).
async fn store_one(
    state: &AppState,
    loaded: Loaded,
    at: DateTime<Utc>,
) -> Result<Result<Loaded, Loaded>, AppError> {
    let f = prepare(&loaded, at)?;
    if !finish::finish(&state.db, &f).await? {
        return Ok(Err(loaded));
    }
    if f.reported {
        state.reporter.wake();
    }
    Ok(Ok(apply(loaded, &f)))
}

/// Tries to store an attempt whose closing stored nothing. Either another submission
/// stored it first (a second tap, another replica): answer with what that one stored.
/// Or an answer was saved after the grading read them (`attempts.saves` moved on): grade
/// what is stored now and try again.
async fn finish_again(
    state: &AppState,
    mut loaded: Loaded,
    at: DateTime<Utc>,
) -> Result<Loaded, AppError> {
    // Each retry follows a save that got in first; only the owner saves, so a few
    // suffice unless the client keeps saving while it submits.
    for _ in 0..5 {
        let now = reread(state, loaded).await?;
        if now.is_submitted() {
            return Ok(now);
        }
        match store_one(state, now, at).await? {
            Ok(stored) => return Ok(stored),
            Err(unchanged) => loaded = unchanged,
        }
    }
    Err(AppError::conflict(
        "attempt_busy",
        "Answers were being saved while the attempt was submitted; submit again.",
    ))
}

/// Grades every drawn question and scores the attempt: what a submission stores.
fn prepare(loaded: &Loaded, at: DateTime<Utc>) -> Result<Finish, AppError> {
    // As stored: PostgreSQL keeps microseconds, so the answer matches a later read.
    let at = chrono::SubsecRound::trunc_subsecs(at, 6);
    let graded: Vec<(i32, Track, f64)> = loaded
        .items
        .iter()
        .map(|(item, body)| {
            let track = Track::parse(&item.track).unwrap_or(Track::Coffee);
            (item.id, track, grade_item(item, &body.answer).fraction)
        })
        .collect();
    let result = score(
        &graded.iter().map(|g| (g.1, g.2)).collect::<Vec<_>>(),
        &loaded.campaign.pass_marks,
    );
    let fractions: Vec<(i32, f64)> = graded.iter().map(|g| (g.0, g.2)).collect();
    Ok(Finish {
        attempt_id: loaded.attempt.id,
        at,
        percent: result.percent,
        passed: result.passed,
        score_json: serde_json::to_string(&result).map_err(AppError::internal)?,
        saves: loaded.attempt.saves,
        reported: loaded.campaign.is_quarterly(),
        fractions,
    })
}

/// The attempt as this submission stored it, without reading it back.
fn apply(mut loaded: Loaded, f: &Finish) -> Loaded {
    loaded.attempt.submitted_at = Some(f.at);
    loaded.attempt.percent = Some(f.percent);
    loaded.attempt.passed = Some(f.passed);
    loaded.attempt.score = Some(f.score_json.clone());
    for ((item, _), (_, fraction)) in loaded.items.iter_mut().zip(&f.fractions) {
        item.fraction = Some(*fraction);
    }
    loaded
}

/// The attempt as stored now, with the bodies already at hand.
async fn reread(state: &AppState, loaded: Loaded) -> Result<Loaded, AppError> {
    let row = attempts::attempt(&state.db, loaded.attempt.id)
        .await?
        .ok_or_else(|| AppError::not_found("attempt"))?;
    let items = attempts::items(&state.db, row.id).await?;
    let mut bodies: HashMap<i32, Arc<Body>> =
        loaded.items.into_iter().map(|(i, b)| (i.id, b)).collect();
    Ok(Loaded {
        attempt: row,
        campaign: loaded.campaign,
        items: items
            .into_iter()
            .filter_map(|i| Some((i.clone(), bodies.remove(&i.id)?)))
            .collect(),
    })
}
