//! What mentors and trainers record against an assignment's items, and the trainee's own
//! practice quizzes.

use chrono::NaiveDate;
use sea_orm::Set;

use super::assignments::{self, View};
use super::facts::practice_source;
use crate::accounts::domain::Principal;
use crate::accounts::service::people::person_ref;
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::onboarding::domain::{Item, ItemKind};
use crate::onboarding::storage::assignments::{self as store, ATTENDANCE, SIGNOFF};
use crate::onboarding::storage::entities::item_record;
use crate::quizzes::domain::campaign::Pool;
use crate::quizzes::service::campaigns::{self, Campaign, NewPractice};
use crate::state::AppState;

pub struct SignOff {
    pub passed: bool,
    /// One per criterion; `None` means all met when passed, none recorded when not.
    pub criteria: Option<Vec<bool>>,
    pub comment: Option<String>,
    /// What to practise before the retry (failed checks).
    pub practise: Option<String>,
}

/// The assignment and the item; the caller checks its own permission.
async fn target(
    state: &AppState,
    assignment_id: i32,
    item_id: &str,
) -> Result<(View, Item), AppError> {
    let view = assignments::load(state, assignment_id).await?;
    if view.row.cancelled_at.is_some() {
        return Err(AppError::conflict(
            "assignment_cancelled",
            "The assignment was cancelled.",
        ));
    }
    let item = view
        .program
        .item(item_id)
        .cloned()
        .ok_or_else(|| AppError::not_found("item"))?;
    Ok((view, item))
}

fn clean(text: Option<String>, field: &str, problems: &mut Vec<FieldError>) -> Option<String> {
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 2000) {
        problems.push(FieldError::field(field, "не длиннее 2000 символов"));
    }
    text
}

pub async fn sign_off(
    state: &AppState,
    who: &Principal,
    assignment_id: i32,
    item_id: &str,
    s: SignOff,
) -> Result<View, AppError> {
    let (view, item) = target(state, assignment_id, item_id).await?;
    authz::require(
        who,
        Action::SignOff {
            person: person_ref(&view.person)?,
            mentor_id: view.row.mentor_id,
        },
    )?;
    let ItemKind::Skill { criteria } = &item.kind else {
        return Err(AppError::validation(vec![FieldError::field(
            "item",
            "подписывается только навык (skill)",
        )]));
    };
    let mut problems = Vec::new();
    let marked = s.criteria.is_some();
    let marks = match s.criteria {
        Some(marks) if marks.len() != criteria.len() => {
            problems.push(FieldError::field(
                "criteria",
                format!("нужно {} отметок — по одной на критерий", criteria.len()),
            ));
            marks
        }
        Some(marks) => marks,
        None => vec![s.passed; criteria.len()],
    };
    if s.passed && marks.iter().any(|m| !m) {
        problems.push(FieldError::field(
            "criteria",
            "«зачтено» — только когда выполнены все критерии",
        ));
    }
    let comment = clean(s.comment, "comment", &mut problems);
    let mut practise = clean(s.practise, "practise", &mut problems);
    if !s.passed && practise.is_none() && marked {
        // What failed is what to practise; the mentor may say more.
        let unmet: Vec<&str> = criteria
            .iter()
            .zip(&marks)
            .filter(|(_, met)| !**met)
            .map(|(c, _)| c.as_str())
            .collect();
        practise = (!unmet.is_empty()).then(|| unmet.join("; "));
    }
    if !s.passed && practise.is_none() {
        problems.push(FieldError::field(
            "practise",
            "что отработать перед пересдачей (или отметьте невыполненные критерии)",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    store::insert_record(
        &state.db,
        item_record::ActiveModel {
            assignment_id: Set(assignment_id),
            item_id: Set(item.id.clone()),
            kind: Set(SIGNOFF.to_owned()),
            passed: Set(s.passed),
            criteria: Set(Some(
                serde_json::to_string(&marks).map_err(AppError::internal)?,
            )),
            comment: Set(comment),
            practise: Set(if s.passed { None } else { practise }),
            event_date: Set(None),
            trainer: Set(None),
            recorded_by: Set(Some(who.user_id)),
            recorded_at: Set(state.clock.now()),
            ..Default::default()
        },
    )
    .await?;
    assignments::load(state, assignment_id).await
}

pub async fn attend(
    state: &AppState,
    who: &Principal,
    assignment_id: i32,
    item_id: &str,
    date: NaiveDate,
    trainer: Option<String>,
) -> Result<View, AppError> {
    let (view, item) = target(state, assignment_id, item_id).await?;
    authz::require(
        who,
        Action::RecordAttendance {
            person: person_ref(&view.person)?,
            mentor_id: view.row.mentor_id,
        },
    )?;
    if item.kind != ItemKind::Event {
        return Err(AppError::validation(vec![FieldError::field(
            "item",
            "посещение отмечается только у мероприятия (event)",
        )]));
    }
    let mut problems = Vec::new();
    let trainer = clean(trainer, "trainer", &mut problems).unwrap_or_else(|| who.name.clone());
    if (date - state.clock.today()).num_days() > 0 {
        problems.push(FieldError::field("date", "дата ещё не наступила"));
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    store::insert_record(
        &state.db,
        item_record::ActiveModel {
            assignment_id: Set(assignment_id),
            item_id: Set(item.id.clone()),
            kind: Set(ATTENDANCE.to_owned()),
            passed: Set(true),
            criteria: Set(None),
            comment: Set(None),
            practise: Set(None),
            event_date: Set(Some(date)),
            trainer: Set(Some(trainer)),
            recorded_by: Set(Some(who.user_id)),
            recorded_at: Set(state.clock.now()),
            ..Default::default()
        },
    )
    .await?;
    assignments::load(state, assignment_id).await
}

/// The person's practice quiz for a quiz item (created on first use, then reused); the
/// attempt itself goes through the ordinary test flow.
pub async fn practice(
    state: &AppState,
    who: &Principal,
    assignment_id: i32,
    item_id: &str,
) -> Result<Campaign, AppError> {
    let (view, item) = target(state, assignment_id, item_id).await?;
    if view.person.id != who.user_id {
        return Err(AppError::forbidden());
    }
    let ItemKind::Practice {
        cards,
        tracks,
        questions,
        pass_percent,
    } = item.kind
    else {
        return Err(AppError::validation(vec![FieldError::field(
            "item",
            "это не практический тест",
        )]));
    };
    campaigns::practice(
        state,
        NewPractice {
            owner: who.user_id,
            source: practice_source(assignment_id, &item.id),
            title: item.title.clone(),
            questions,
            pass_percent,
            pool: Pool { cards, tracks },
        },
    )
    .await
}
