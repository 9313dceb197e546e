//! Keeping certificates honest as time passes: renew those whose holder passed the next
//! quarterly test, lapse those whose holder failed or missed it (or whose end date came),
//! and assign recertification. Runs every minute on every replica; each change is made by
//! whichever replica ends the certificate first (a conditional update), so nothing happens
//! twice.

use crate::accounts::domain::Level;
use crate::accounts::storage::users::{self, UserFilter, UserRow};
use crate::certification::domain::{Outcome, Verdict, judge};
use crate::certification::storage::{self, CertificateRow, LAPSED, RENEWED, VALID};
use crate::error::AppError;
use crate::onboarding::service::assignments::{self, create};
use crate::onboarding::service::facts::Attempts;
use crate::onboarding::service::programs::{self, parse_stored};
use crate::onboarding::storage::assignments::RECERTIFICATION;
use crate::onboarding::storage::programs as program_store;
use crate::quizzes::service::campaigns::Campaign;
use crate::quizzes::storage::attempts;
use crate::state::AppState;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepSummary {
    pub checked: usize,
    pub renewed: usize,
    pub lapsed: usize,
    pub recertifications: usize,
    /// Lapsed holders who completed their recertification: certified again.
    pub recertified: usize,
}

pub async fn sweep(state: &AppState) -> Result<SweepSummary, AppError> {
    let now = state.clock.now();
    let quarterly: Vec<Campaign> = attempts::campaigns(&state.db)
        .await?
        .into_iter()
        .map(Campaign::from_row)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(Campaign::is_quarterly)
        .collect();
    let mut summary = SweepSummary::default();
    for cert in storage::with_status(&state.db, VALID).await? {
        summary.checked += 1;
        let Some(holder) = users::get(&state.db, cert.user_id).await? else {
            continue;
        };
        let level: Level = holder.level.parse().unwrap_or(Level::Trainee);
        let taken = Attempts::of(state, holder.id).await?;
        let outcomes: Vec<Outcome> = quarterly
            .iter()
            .filter(|c| c.audience.includes(holder.location_id, level))
            .map(|c| outcome(c, &taken, holder.id))
            .collect();
        match judge(cert.issued_at, cert.valid_until, now, &outcomes) {
            Verdict::Keep => {}
            Verdict::Renew { at, .. } => {
                if storage::end_certificate(&state.db, cert.id, RENEWED, at, "renewed").await? {
                    let cert_level = cert.level.parse().unwrap_or(level);
                    super::promotion::issue(
                        state,
                        holder.id,
                        cert_level,
                        None,
                        at,
                        "certificate_renewed",
                    )
                    .await?;
                    summary.renewed += 1;
                }
            }
            Verdict::Lapse { at, reason, .. } => {
                if storage::end_certificate(&state.db, cert.id, LAPSED, at, reason.as_str()).await?
                {
                    summary.lapsed += 1;
                    storage::record_event(
                        &state.db,
                        holder.id,
                        at,
                        "certificate_lapsed",
                        format!(
                            "Сертификат «{}» приостановлен: {}",
                            level_label(&cert),
                            reason.label_ru()
                        ),
                        None,
                    )
                    .await?;
                    if assign_recertification(state, &holder, &cert).await? {
                        summary.recertifications += 1;
                    }
                }
            }
        }
    }
    summary.recertified = recertify(state).await?;
    finish_renewals(state).await?;
    if summary.renewed + summary.lapsed + summary.recertified > 0 {
        tracing::info!(?summary, "certificates swept");
    }
    Ok(summary)
}

/// Issues a new certificate at the same level to holders whose latest certificate lapsed
/// and who have since completed a recertification programme (it ends with the quarterly
/// test, so completing it is passing it).
async fn recertify(state: &AppState) -> Result<usize, AppError> {
    let mut issued = 0;
    for cert in storage::with_status(&state.db, LAPSED).await? {
        let newest = storage::certificates_of(&state.db, cert.user_id).await?;
        if newest.first().map(|c| c.id) != Some(cert.id) {
            continue;
        }
        let since = cert.ended_at.unwrap_or(cert.issued_at);
        let rows: Vec<_> =
            crate::onboarding::storage::assignments::of_user(&state.db, cert.user_id)
                .await?
                .into_iter()
                .filter(|a| {
                    a.reason == RECERTIFICATION
                        && a.cancelled_at.is_none()
                        && a.assigned_at >= since
                })
                .collect();
        if rows.is_empty() {
            // Lapsed without its recertification (the process stopped between the two
            // writes): assign it now.
            if let Some(holder) = users::get(&state.db, cert.user_id).await? {
                assign_recertification(state, &holder, &cert).await?;
            }
            continue;
        }
        let done = assignments::build(state, rows)
            .await?
            .iter()
            .any(|v| v.row.completed_at.is_some() || v.progress.complete());
        if done && let Ok(level) = cert.level.parse::<Level>() {
            super::promotion::issue(
                state,
                cert.user_id,
                level,
                None,
                state.clock.now(),
                "certificate_issued",
            )
            .await?;
            issued += 1;
        }
    }
    Ok(issued)
}

/// A certificate marked renewed whose successor was never issued (the process stopped
/// between the two writes) gets it now, dated at the renewal.
async fn finish_renewals(state: &AppState) -> Result<(), AppError> {
    for cert in storage::with_status(&state.db, RENEWED).await? {
        let newest = storage::certificates_of(&state.db, cert.user_id).await?;
        if newest.first().map(|c| c.id) == Some(cert.id)
            && let Ok(level) = cert.level.parse::<Level>()
        {
            let at = cert.ended_at.unwrap_or_else(|| state.clock.now());
            super::promotion::issue(state, cert.user_id, level, None, at, "certificate_renewed")
                .await?;
        }
    }
    Ok(())
}

fn level_label(cert: &CertificateRow) -> &'static str {
    cert.level.parse::<Level>().map_or("—", Level::label_ru)
}

fn outcome(c: &Campaign, taken: &Attempts, user_id: i32) -> Outcome {
    let mine: Vec<_> = taken
        .rows
        .iter()
        .filter(|a| a.campaign_id == c.row.id && a.user_id == user_id)
        .collect();
    Outcome {
        campaign_id: c.row.id,
        opens_at: c.row.opens_at,
        closes_at: c.row.closes_at,
        attempts_allowed: u32::try_from(c.row.attempts_allowed).unwrap_or(1),
        submitted: u32::try_from(mine.iter().filter(|a| a.submitted_at.is_some()).count())
            .unwrap_or(u32::MAX),
        passed_at: mine
            .iter()
            .filter(|a| a.passed == Some(true))
            .filter_map(|a| a.submitted_at)
            .min(),
    }
}

/// Assigns the level's recertification programme (from tomorrow's point of view: today),
/// with the shop leader as mentor; not when one is already running.
async fn assign_recertification(
    state: &AppState,
    holder: &UserRow,
    cert: &CertificateRow,
) -> Result<bool, AppError> {
    let Ok(level) = cert.level.parse::<Level>() else {
        return Ok(false);
    };
    let rules = programs::rules(state).await?;
    let Some(program_id) = rules.of(level).and_then(|r| r.recertification.clone()) else {
        return Ok(false);
    };
    let Some(row) = program_store::get(&state.db, &program_id)
        .await?
        .filter(|r| !r.archived)
    else {
        tracing::warn!(program_id, "recertification programme is missing");
        return Ok(false);
    };
    let existing = crate::onboarding::storage::assignments::of_user(&state.db, holder.id).await?;
    let running = assignments::build(state, existing)
        .await?
        .into_iter()
        .any(|v| v.is_running() && v.row.program_id == program_id);
    if running {
        return Ok(false);
    }
    let mentor = shop_leader(state, holder).await?;
    create(
        state,
        holder,
        &parse_stored(row)?,
        mentor,
        state.clock.today(),
        RECERTIFICATION,
        None,
    )
    .await?;
    Ok(true)
}

/// An active shop leader of the holder's location, other than the holder.
async fn shop_leader(state: &AppState, holder: &UserRow) -> Result<Option<i32>, AppError> {
    let Some(location_id) = holder.location_id else {
        return Ok(None);
    };
    let filter = UserFilter {
        location_id: Some(location_id),
        role: Some("staff".into()),
        active: Some(true),
    };
    Ok(users::list(&state.db, &filter)
        .await?
        .into_iter()
        .find(|u| u.level == Level::Leader.as_str() && u.id != holder.id)
        .map(|u| u.id))
}
