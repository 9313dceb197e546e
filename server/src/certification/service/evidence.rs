//! Gathering a person's evidence for the next level, and their results by quarter.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use crate::accounts::domain::Level;
use crate::accounts::storage::users::UserRow;
use crate::cards::domain::Track;
use crate::certification::domain::{Check, Evidence, Quarter, Rules, checks, next_level};
use crate::certification::storage;
use crate::error::AppError;
use crate::onboarding::domain::ItemKind;
use crate::onboarding::service::assignments::{View, build};
use crate::onboarding::service::facts::Attempts;
use crate::onboarding::storage::assignments::{self, SIGNOFF};
use crate::quizzes::domain::campaign::Score;
use crate::state::AppState;

/// One quarter's quarterly-test results for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterResult {
    pub quarter: Quarter,
    /// Best percent per direction that quarter.
    pub tracks: BTreeMap<Track, f64>,
    /// Some attempt that quarter passed as a whole.
    pub passed: bool,
}

/// Quarterly results, newest quarter first.
pub fn results_by_quarter(attempts: &Attempts) -> Vec<QuarterResult> {
    let mut by: BTreeMap<Quarter, QuarterResult> = BTreeMap::new();
    for (attempt, _) in attempts.quarterly() {
        let Some(at) = attempt.submitted_at else {
            continue;
        };
        let quarter = Quarter::containing(at);
        let entry = by.entry(quarter).or_insert_with(|| QuarterResult {
            quarter,
            tracks: BTreeMap::new(),
            passed: false,
        });
        entry.passed |= attempt.passed == Some(true);
        let score: Option<Score> = attempt
            .score
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok());
        for t in score.map(|s| s.tracks).unwrap_or_default() {
            if let Some(track) = Track::parse(&t.track) {
                let best = entry.tracks.entry(track).or_insert(t.percent);
                *best = best.max(t.percent);
            }
        }
    }
    by.into_values().rev().collect()
}

/// What a person has to show, and the checks for their next level.
pub struct Standing {
    pub next: Option<Level>,
    pub checks: Vec<Check>,
    pub eligible: bool,
    pub results: Vec<QuarterResult>,
    pub assignments: Vec<View>,
}

pub async fn standing(
    state: &AppState,
    person: &UserRow,
    rules: &Rules,
) -> Result<Standing, AppError> {
    let level: Level = person.level.parse().unwrap_or(Level::Trainee);
    let attempts = Attempts::of(state, person.id).await?;
    let results = results_by_quarter(&attempts);
    let rows = assignments::of_user(&state.db, person.id).await?;
    let views = build(state, rows).await?;
    let next = next_level(level);
    let requirements = next.and_then(|l| rules.of(l));
    let Some((next_level, req)) = next.zip(requirements) else {
        return Ok(Standing {
            next,
            checks: Vec::new(),
            eligible: false,
            results,
            assignments: views,
        });
    };
    let now = state.clock.now();
    let mut evidence = Evidence::default();
    // The quarterly test counts in the quarter it was taken and the next one.
    let current = Quarter::containing(now);
    for r in &results {
        if r.quarter == current || r.quarter == current.previous() {
            for (track, percent) in &r.tracks {
                let best = evidence.best_scores.entry(*track).or_insert(*percent);
                *best = best.max(*percent);
            }
        }
    }
    evidence.programs_completed = views
        .iter()
        .filter(|v| v.row.cancelled_at.is_none())
        // Once complete, it stays complete: a later card revision reopens a read item
        // for the person, not the requirement.
        .filter(|v| v.row.completed_at.is_some() || v.progress.complete())
        .map(|v| v.row.program_id.clone())
        .collect();
    evidence.skills_passed = skills_passed(&views);
    let since = last_promotion(state, person.id).await?;
    evidence.interview_passed = storage::interviews_of(&state.db, person.id)
        .await?
        .iter()
        .any(|i| {
            i.passed && i.level == next_level.as_str() && since.is_none_or(|s| i.recorded_at >= s)
        });
    let checks = checks(req, &evidence);
    Ok(Standing {
        next,
        eligible: crate::certification::domain::all_met(&checks),
        checks,
        results,
        assignments: views,
    })
}

/// Skills with a passed sign-off in any of the person's assignments.
fn skills_passed(views: &[View]) -> HashSet<String> {
    views
        .iter()
        .flat_map(|v| {
            v.records.iter().filter(move |r| {
                r.kind == SIGNOFF
                    && r.passed
                    && v.program
                        .item(&r.item_id)
                        .is_some_and(|i| matches!(i.kind, ItemKind::Skill { .. }))
            })
        })
        .map(|r| r.item_id.clone())
        .collect()
}

/// When the person's level last changed.
pub async fn last_promotion(
    state: &AppState,
    user_id: i32,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(storage::events_of(&state.db, user_id)
        .await?
        .into_iter()
        .find(|e| e.kind == "level_changed")
        .map(|e| e.at))
}
