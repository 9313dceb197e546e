//! HR's part: interviews, and confirming a promotion (which issues a certificate).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::Set;

use super::evidence::standing;
use crate::accounts::domain::{Level, Principal};
use crate::accounts::storage::users::{self, UserRow};
use crate::authz::{self, Action};
use crate::certification::domain::{end_of_next_quarter, next_level};
use crate::certification::storage::entities::{certificate, interview};
use crate::certification::storage::{self, CertificateRow, InterviewRow, SUPERSEDED, VALID};
use crate::error::{AppError, FieldError};
use crate::onboarding::service::programs;
use crate::state::AppState;

pub struct NewInterview {
    pub level: String,
    pub passed: bool,
    pub notes: String,
    pub held_on: NaiveDate,
}

async fn person(state: &AppState, user_id: i32) -> Result<UserRow, AppError> {
    users::get(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))
}

pub async fn record_interview(
    state: &AppState,
    who: &Principal,
    user_id: i32,
    new: NewInterview,
) -> Result<InterviewRow, AppError> {
    authz::require(who, Action::ManageCertification)?;
    let person = person(state, user_id).await?;
    let mut problems = Vec::new();
    let level = match new.level.parse::<Level>() {
        Ok(Level::Trainee) | Err(_) => {
            problems.push(FieldError::field("level", "barista, senior или leader"));
            None
        }
        Ok(level) => Some(level),
    };
    let notes = new.notes.trim().to_owned();
    if notes.chars().count() > 4000 {
        problems.push(FieldError::field("notes", "не длиннее 4000 символов"));
    }
    if !new.passed && notes.is_empty() {
        problems.push(FieldError::field(
            "notes",
            "запишите, почему собеседование не пройдено",
        ));
    }
    if new.held_on > state.clock.today() {
        problems.push(FieldError::field("held_on", "дата ещё не наступила"));
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let level = level.expect("checked above");
    let now = state.clock.now();
    let row = storage::insert_interview(
        &state.db,
        interview::ActiveModel {
            user_id: Set(person.id),
            level: Set(level.as_str().to_owned()),
            passed: Set(new.passed),
            notes: Set(notes),
            held_on: Set(new.held_on),
            recorded_by: Set(Some(who.user_id)),
            recorded_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    storage::record_event(
        &state.db,
        person.id,
        now,
        "interview",
        format!(
            "Собеседование на уровень «{}»: {}",
            level.label_ru(),
            if new.passed {
                "пройдено"
            } else {
                "не пройдено"
            }
        ),
        Some(who.user_id),
    )
    .await?;
    crate::reports::service::audit::record(
        state,
        Some(who.user_id),
        crate::reports::service::audit::INTERVIEW,
        Some(person.id),
        format!(
            "{}: {}",
            level.as_str(),
            if new.passed { "passed" } else { "failed" }
        ),
    )
    .await;
    Ok(row)
}

/// Confirms a promotion to `level` (the next one) when every requirement is met; 409
/// `not_eligible` listing what is missing otherwise.
pub async fn promote(
    state: &AppState,
    who: &Principal,
    user_id: i32,
    level: &str,
) -> Result<CertificateRow, AppError> {
    authz::require(who, Action::ManageCertification)?;
    let person = person(state, user_id).await?;
    let current: Level = person.level.parse().unwrap_or(Level::Trainee);
    let target = level.parse::<Level>().ok();
    if target.is_none() || target != next_level(current) {
        let next = next_level(current).map_or("—", Level::as_str);
        return Err(AppError::validation(vec![FieldError::field(
            "level",
            format!("следующий уровень — {next}"),
        )]));
    }
    let target = target.expect("checked above");
    let rules = programs::rules(state).await?;
    if rules.of(target).is_none() {
        return Err(AppError::conflict(
            "no_requirements",
            format!(
                "content/certification.yaml has no requirements for {}",
                target.as_str()
            ),
        ));
    }
    let standing = standing(state, &person, &rules).await?;
    if !standing.eligible {
        let missing: Vec<String> = standing
            .checks
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.label.clone())
            .collect();
        return Err(AppError::conflict(
            "not_eligible",
            format!("Not all requirements are met: {}", missing.join("; ")),
        ));
    }
    let now = state.clock.now();
    users::save(&state.db, person.clone(), |m| {
        m.level = Set(target.as_str().to_owned());
    })
    .await?;
    state.sessions.clear();
    level_changed(state, person.id, current, target, Some(who.user_id), now).await?;
    crate::reports::service::audit::record(
        state,
        Some(who.user_id),
        crate::reports::service::audit::PROMOTED,
        Some(person.id),
        format!("{} → {}", current.as_str(), target.as_str()),
    )
    .await;
    issue(
        state,
        person.id,
        target,
        Some(who.user_id),
        now,
        "certificate_issued",
    )
    .await
}

/// Notes a level change in the history (promotions and HR edits alike).
pub async fn level_changed(
    state: &AppState,
    user_id: i32,
    from: Level,
    to: Level,
    by: Option<i32>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    storage::record_event(
        &state.db,
        user_id,
        at,
        "level_changed",
        format!("Уровень: {} → {}", from.label_ru(), to.label_ru()),
        by,
    )
    .await?;
    Ok(())
}

/// Issues a certificate valid to the end of the next quarter; a valid one it replaces is
/// marked superseded.
pub async fn issue(
    state: &AppState,
    user_id: i32,
    level: Level,
    by: Option<i32>,
    at: DateTime<Utc>,
    event: &str,
) -> Result<CertificateRow, AppError> {
    for old in storage::certificates_of(&state.db, user_id).await? {
        if old.status == VALID {
            storage::end_certificate(&state.db, old.id, SUPERSEDED, at, "superseded").await?;
        }
    }
    let valid_until = end_of_next_quarter(at);
    let row = storage::insert_certificate(
        &state.db,
        certificate::ActiveModel {
            user_id: Set(user_id),
            level: Set(level.as_str().to_owned()),
            issued_at: Set(at),
            valid_until: Set(valid_until),
            issued_by: Set(by),
            status: Set(VALID.to_owned()),
            ended_at: Set(None),
            end_reason: Set(None),
            ..Default::default()
        },
    )
    .await?;
    let what = if event == "certificate_renewed" {
        "Сертификат продлён"
    } else {
        "Выдан сертификат"
    };
    storage::record_event(
        &state.db,
        user_id,
        at,
        event,
        format!(
            "{what}: {} (действует до {})",
            level.label_ru(),
            valid_until.format("%d.%m.%Y")
        ),
        by,
    )
    .await?;
    Ok(row)
}
