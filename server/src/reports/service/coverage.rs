//! Per location: how much of what staff must confirm they have confirmed, onboarding in
//! progress and overdue, and certificates valid, expiring and lapsed.

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;

use super::scope::{self, Scope};
use crate::accounts::domain::{Level, Principal, Role};
use crate::accounts::storage::users::{self, UserFilter};
use crate::cards::storage::cards;
use crate::certification::storage::{self as certs, LAPSED, VALID};
use crate::error::AppError;
use crate::onboarding::service::assignments;
use crate::reports::storage::coverage;
use crate::state::AppState;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverageRow {
    pub location_id: Option<i32>,
    pub staff: u32,
    /// Confirmations staff owe: each mandatory card at or below their level.
    pub required: i64,
    pub confirmed: i64,
    /// confirmed / required, 0 – 100 (100 when nothing is required).
    pub coverage: f64,
    pub onboarding: u32,
    pub overdue: u32,
    pub certified: u32,
    pub expiring: u32,
    pub lapsed: u32,
}

/// Coverage per location in the caller's scope. The figures are kept for up to a minute
/// (they join every confirmation; a dashboard does not need them to the second).
pub async fn by_location(state: &AppState, who: &Principal) -> Result<Vec<CoverageRow>, AppError> {
    let scope = scope::of(who);
    let only = match scope {
        Scope::Everyone => None,
        Scope::Location(id) => Some(id),
        Scope::Person(_) => return Err(AppError::forbidden()),
    };
    let minute = format!("minute:{}", state.clock.now().timestamp() / 60);
    let rows = state
        .reports
        .get_or(format!("coverage:{only:?}"), minute, || {
            compute(state, only)
        })
        .await?;
    Ok(rows.as_ref().clone())
}

async fn compute(state: &AppState, only: Option<i32>) -> Result<Vec<CoverageRow>, AppError> {
    // Mandatory live cards per level, cumulative: a barista owes trainee and barista cards.
    let mut per_level: HashMap<Level, i64> = HashMap::new();
    for card in cards::all(&state.db).await? {
        if card.mandatory
            && !card.archived
            && let Ok(level) = card.level.parse::<Level>()
        {
            *per_level.entry(level).or_default() += 1;
        }
    }
    let owed = |level: Level| -> i64 {
        Level::ALL
            .into_iter()
            .filter(|l| *l <= level)
            .map(|l| per_level.get(&l).copied().unwrap_or(0))
            .sum()
    };
    let filter = UserFilter {
        location_id: only,
        role: Some(Role::Staff.as_str().to_owned()),
        active: Some(true),
    };
    let staff = users::list(&state.db, &filter).await?;
    let location_of: HashMap<i32, Option<i32>> =
        staff.iter().map(|u| (u.id, u.location_id)).collect();
    let mut rows: BTreeMap<Option<i32>, CoverageRow> = BTreeMap::new();
    for u in &staff {
        let row = rows.entry(u.location_id).or_insert_with(|| CoverageRow {
            location_id: u.location_id,
            ..Default::default()
        });
        row.staff += 1;
        row.required += owed(u.level.parse().unwrap_or(Level::Trainee));
    }
    for (location, n) in coverage::confirmed_by_location(&state.db, only).await? {
        if let Some(row) = rows.get_mut(&location) {
            row.confirmed = n;
        }
    }
    // The scope was checked above; trainers see the chain here too.
    let running = crate::onboarding::storage::assignments::running(&state.db).await?;
    for view in assignments::build(state, running).await? {
        if view.row.cancelled_at.is_some() || !view.is_running() {
            continue;
        }
        if let Some(row) = rows.get_mut(&view.person.location_id) {
            row.onboarding += 1;
            if view.progress.overdue > 0 {
                row.overdue += 1;
            }
        }
    }
    let soon = state.clock.now() + Duration::days(30);
    // The newest issue time of a valid or renewed certificate per person.
    let mut newer: HashMap<i32, chrono::DateTime<chrono::Utc>> = HashMap::new();
    for status in [VALID, certs::RENEWED, certs::SUPERSEDED] {
        for c in certs::with_status(&state.db, status).await? {
            let at = newer.entry(c.user_id).or_insert(c.issued_at);
            *at = (*at).max(c.issued_at);
        }
    }
    for (status, lapsed) in [(VALID, false), (LAPSED, true)] {
        for cert in certs::with_status(&state.db, status).await? {
            let Some(location) = location_of.get(&cert.user_id) else {
                continue;
            };
            let Some(row) = rows.get_mut(location) else {
                continue;
            };
            if lapsed {
                // Only a lapse not made good by a newer certificate counts.
                if newer
                    .get(&cert.user_id)
                    .is_none_or(|at| *at <= cert.issued_at)
                {
                    row.lapsed += 1;
                }
            } else {
                row.certified += 1;
                if cert.valid_until <= soon {
                    row.expiring += 1;
                }
            }
        }
    }
    Ok(rows
        .into_values()
        .map(|mut r| {
            r.coverage = if r.required == 0 {
                100.0
            } else {
                (r.confirmed as f64 * 1000.0 / r.required as f64).round() / 10.0
            };
            r
        })
        .collect())
}
