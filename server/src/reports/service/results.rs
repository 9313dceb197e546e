//! Results tables and trends for the caller's scope.

use std::collections::HashMap;

use super::scope::{self, Scope};
use crate::accounts::domain::{Principal, Role};
use crate::accounts::storage::locations;
use crate::accounts::storage::users::{self, UserFilter};
use crate::cards::domain::Track;
use crate::certification::domain::Quarter;
use crate::error::{AppError, FieldError};
use crate::reports::domain::chart::{Series, percent_lines};
use crate::reports::domain::results::row_of;
use crate::reports::domain::{GroupBy, Headcount, ResultRow};
use crate::reports::storage::facts;
use crate::state::AppState;

/// How many quarters trends show.
pub const TREND_QUARTERS: usize = 8;

/// The current quarter and the ones before it, oldest first.
pub fn recent_quarters(state: &AppState, n: usize) -> Vec<Quarter> {
    let mut q = Quarter::containing(state.clock.now());
    let mut out = vec![q];
    for _ in 1..n {
        q = q.previous();
        out.push(q);
    }
    out.reverse();
    out
}

pub fn parse_quarter(raw: Option<&str>, state: &AppState) -> Result<Quarter, AppError> {
    match raw {
        None | Some("") => Ok(Quarter::containing(state.clock.now())),
        Some(code) => Quarter::parse(code).ok_or_else(|| {
            AppError::validation(vec![FieldError::field("quarter", "в виде 2026-Q4")])
        }),
    }
}

pub fn parse_group(raw: Option<&str>) -> Result<GroupBy, AppError> {
    let mut by = GroupBy::default();
    for word in raw
        .unwrap_or("location,track")
        .split(',')
        .filter(|w| !w.is_empty())
    {
        match word.trim() {
            "quarter" => by.quarter = true,
            "location" => by.location = true,
            "level" => by.level = true,
            "track" => by.track = true,
            other => {
                return Err(AppError::validation(vec![FieldError::field(
                    "by",
                    format!("«{other}»: допустимо quarter, location, level, track"),
                )]));
            }
        }
    }
    Ok(by)
}

/// Report rows for `quarters` grouped `by`, in the caller's scope: aggregated by the
/// database, with headcounts of active staff now.
async fn rows_in_scope(
    state: &AppState,
    who: &Principal,
    quarters: &[Quarter],
    by: GroupBy,
    location: Option<i32>,
) -> Result<Vec<ResultRow>, AppError> {
    let scope = scope::of(who);
    let location = scope::location_filter(scope, location)?;
    let mut heads = Headcount::default();
    let person = match scope {
        Scope::Person(me) => {
            heads.add(who.location_id, who.level.as_str());
            Some(me)
        }
        _ => {
            let filter = UserFilter {
                location_id: location,
                role: Some(Role::Staff.as_str().to_owned()),
                active: Some(true),
            };
            for u in users::list(&state.db, &filter).await? {
                heads.add(u.location_id, &u.level);
            }
            None
        }
    };
    let key = format!("results:{quarters:?}:{location:?}:{person:?}:{by:?}");
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    let version = crate::reports::storage::cache::facts_version(&settled).await?;
    let figures = state
        .reports
        .get_or(key, version, || {
            facts::aggregate(&settled, quarters, location, person, by)
        })
        .await?;
    Ok(figures
        .iter()
        .cloned()
        .map(|f| {
            let n = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
            row_of(f.key, n(f.takers), n(f.passed), f.average, by, &heads)
        })
        .collect())
}

pub struct Table {
    pub quarter: Quarter,
    pub rows: Vec<ResultRow>,
    pub location_names: HashMap<i32, String>,
}

pub async fn table(
    state: &AppState,
    who: &Principal,
    quarter: Quarter,
    by: GroupBy,
    location: Option<i32>,
) -> Result<Table, AppError> {
    let quarters = if by.quarter {
        recent_quarters(state, TREND_QUARTERS)
    } else {
        vec![quarter]
    };
    Ok(Table {
        quarter,
        rows: rows_in_scope(state, who, &quarters, by, location).await?,
        location_names: location_names(state).await?,
    })
}

pub async fn location_names(state: &AppState) -> Result<HashMap<i32, String>, AppError> {
    Ok(locations::list(&state.db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect())
}

/// Pass rate per direction and participation over the last quarters.
pub struct Trends {
    pub quarters: Vec<Quarter>,
    /// Per direction, one value per quarter (`None`: nobody took it).
    pub pass_rate: Vec<(Track, Vec<Option<f64>>)>,
    pub participation: Vec<Option<f64>>,
    pub average: Vec<Option<f64>>,
}

pub async fn trends(
    state: &AppState,
    who: &Principal,
    location: Option<i32>,
) -> Result<Trends, AppError> {
    let quarters = recent_quarters(state, TREND_QUARTERS);
    let codes: Vec<String> = quarters.iter().map(|q| q.code()).collect();
    // The two aggregations are independent: run them at once (two connections, two cores).
    let (by_track, overall) = tokio::try_join!(
        rows_in_scope(
            state,
            who,
            &quarters,
            GroupBy {
                quarter: true,
                track: true,
                ..Default::default()
            },
            location,
        ),
        rows_in_scope(
            state,
            who,
            &quarters,
            GroupBy {
                quarter: true,
                ..Default::default()
            },
            location,
        ),
    )?;
    let at = |rows: &[ResultRow], code: &str, track: Option<&str>| {
        rows.iter()
            .find(|r| r.key.quarter.as_deref() == Some(code) && r.key.track.as_deref() == track)
            .cloned()
    };
    Ok(Trends {
        pass_rate: Track::ALL
            .into_iter()
            .map(|t| {
                let values = codes
                    .iter()
                    .map(|c| at(&by_track, c, Some(t.as_str())).map(|r| r.pass_rate))
                    .collect();
                (t, values)
            })
            .collect(),
        participation: codes
            .iter()
            .map(|c| at(&overall, c, None).and_then(|r| r.participation))
            .collect(),
        average: codes
            .iter()
            .map(|c| at(&overall, c, None).map(|r| r.average))
            .collect(),
        quarters,
    })
}

/// The trends as an SVG line chart (pass rate per direction).
pub fn trends_svg(t: &Trends) -> String {
    let labels: Vec<String> = t
        .quarters
        .iter()
        .map(|q| format!("{}/{}", q.q, q.year % 100))
        .collect();
    let series: Vec<Series> = t
        .pass_rate
        .iter()
        .map(|(track, values)| Series {
            label: track.label_ru().to_owned(),
            values: values.clone(),
        })
        .collect();
    percent_lines("Сдали квартальный тест, %", &labels, &series)
}

/// One person's best result per direction in a quarter (drill-down from a location).
pub struct PersonResult {
    pub user_id: i32,
    pub name: String,
    pub level: String,
    /// coffee, service, bar
    pub tracks: [Option<f64>; 3],
    pub passed: bool,
    pub took: bool,
}

/// Everyone on the staff of a location with their results in `quarter` (those who did
/// not take the test included: participation is part of the picture).
pub async fn people(
    state: &AppState,
    who: &Principal,
    quarter: Quarter,
    location: i32,
) -> Result<Vec<PersonResult>, AppError> {
    let scope = scope::of(who);
    if matches!(scope, Scope::Person(_)) {
        return Err(AppError::forbidden());
    }
    let location = scope::location_filter(scope, Some(location))?;
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    let facts = facts::results(&settled, &[quarter.code()], location).await?;
    let filter = UserFilter {
        location_id: location,
        role: Some(Role::Staff.as_str().to_owned()),
        active: Some(true),
    };
    let mut out: Vec<PersonResult> = users::list(&state.db, &filter)
        .await?
        .into_iter()
        .map(|u| PersonResult {
            user_id: u.id,
            name: u.name,
            level: u.level,
            tracks: [None; 3],
            passed: false,
            took: false,
        })
        .collect();
    for f in facts {
        let Some(p) = out.iter_mut().find(|p| p.user_id == f.user_id) else {
            continue;
        };
        let slot = match Track::parse(&f.track) {
            Some(Track::Coffee) => 0,
            Some(Track::Service) => 1,
            Some(Track::Bar) => 2,
            None => continue,
        };
        let best = p.tracks[slot].get_or_insert(f.percent);
        *best = best.max(f.percent);
        p.took = true;
    }
    // Passed: every direction taken passed in some attempt.
    let passed = facts::passed_users(&settled, &quarter.code(), location).await?;
    for p in &mut out {
        p.passed = passed.contains(&p.user_id);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
