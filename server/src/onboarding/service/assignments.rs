//! Giving a person a programme with a mentor, and seeing where they are in it.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::Set;

use super::facts::{PersonFacts, significant_revisions};
use super::programs;
use crate::accounts::domain::Principal;
use crate::accounts::service::people::person_ref;
use crate::accounts::storage::users::{self, UserRow};
use crate::authz::{self, Action, PeopleScope};
use crate::certification::storage as history;
use crate::error::{AppError, FieldError};
use crate::onboarding::domain::{Program, Progress, progress};
use crate::onboarding::storage::assignments::{self, AssignmentRow, ONBOARDING, RecordRow};
use crate::onboarding::storage::entities::assignment;
use crate::state::AppState;

/// An assignment with everything a page needs.
#[derive(Debug, Clone)]
pub struct View {
    pub row: AssignmentRow,
    pub program: Program,
    pub person: UserRow,
    pub mentor: Option<UserRow>,
    pub records: Vec<RecordRow>,
    pub progress: Progress,
}

impl View {
    pub fn is_running(&self) -> bool {
        self.row.cancelled_at.is_none() && !self.progress.complete()
    }
}

pub struct NewAssignment {
    pub user_id: i32,
    pub program_id: String,
    pub mentor_id: Option<i32>,
    pub start_date: NaiveDate,
}

pub async fn assign(
    state: &AppState,
    who: &Principal,
    new: NewAssignment,
) -> Result<View, AppError> {
    let person = users::get(&state.db, new.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| AppError::not_found("user"))?;
    authz::require(who, Action::AssignProgram(person_ref(&person)?))?;
    let mut problems = Vec::new();
    let program = programs::get(state, who, &new.program_id).await.ok();
    if program.is_none() {
        problems.push(FieldError::field(
            "program_id",
            format!("нет программы «{}»", new.program_id),
        ));
    }
    if let Some(mentor_id) = new.mentor_id {
        let mentor = users::get(&state.db, mentor_id).await?.filter(|m| m.active);
        if mentor.is_none() {
            problems.push(FieldError::field(
                "mentor_id",
                format!("нет активного сотрудника с id {mentor_id}"),
            ));
        } else if mentor_id == person.id {
            problems.push(FieldError::field("mentor_id", "наставник — другой человек"));
        }
    }
    let today = state.clock.today();
    if (new.start_date - today).num_days().abs() > 366 {
        problems.push(FieldError::field(
            "start_date",
            "не дальше года от сегодняшнего дня",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let program = program.expect("checked above");
    let row = create(
        state,
        &person,
        &program,
        new.mentor_id,
        new.start_date,
        ONBOARDING,
        Some(who.user_id),
    )
    .await?;
    view(state, who, row.id).await
}

/// Stores an assignment and notes it in the person's history (no permission check: the
/// caller decided; recertification assigns on its own).
pub async fn create(
    state: &AppState,
    person: &UserRow,
    program: &programs::Stored,
    mentor_id: Option<i32>,
    start_date: NaiveDate,
    reason: &str,
    by: Option<i32>,
) -> Result<AssignmentRow, AppError> {
    let now = state.clock.now();
    let row = assignments::insert(
        &state.db,
        assignment::ActiveModel {
            user_id: Set(person.id),
            program_id: Set(program.row.id.clone()),
            program_revision: Set(program.row.revision),
            mentor_id: Set(mentor_id),
            start_date: Set(start_date),
            reason: Set(reason.to_owned()),
            assigned_by: Set(by),
            assigned_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    let what = if reason == ONBOARDING {
        "Назначена программа"
    } else {
        "Назначена переаттестация"
    };
    history::record_event(
        &state.db,
        person.id,
        now,
        "assigned",
        format!(
            "{what} «{}» с {}",
            program.program.title,
            start_date.format("%d.%m.%Y")
        ),
        by,
    )
    .await?;
    Ok(row)
}

/// Cancels a running assignment (assigned by mistake, the person left): same permission
/// as assigning. Cancelling a cancelled one changes nothing.
pub async fn cancel(state: &AppState, who: &Principal, id: i32) -> Result<View, AppError> {
    let view = load(state, id).await?;
    authz::require(who, Action::AssignProgram(person_ref(&view.person)?))?;
    if view.row.cancelled_at.is_none() {
        let now = state.clock.now();
        assignments::set_cancelled(&state.db, id, now).await?;
        history::record_event(
            &state.db,
            view.person.id,
            now,
            "cancelled",
            format!("Программа «{}» отменена", view.program.title),
            Some(who.user_id),
        )
        .await?;
    }
    load(state, id).await
}

/// Demo data: the demo trainee on the shipped internship with the demo barista as mentor.
/// False when the programme or the people are missing, or it was done before.
pub async fn seed_demo(state: &AppState) -> Result<bool, AppError> {
    let trainee = users::find_by_login(&state.db, "demo-trainee").await?;
    let mentor = users::find_by_login(&state.db, "demo-staff").await?;
    let program = crate::onboarding::storage::programs::get(&state.db, "barista-internship")
        .await?
        .filter(|p| !p.archived);
    let (Some(trainee), Some(mentor), Some(program)) = (trainee, mentor, program) else {
        return Ok(false);
    };
    if !assignments::of_user(&state.db, trainee.id)
        .await?
        .is_empty()
    {
        return Ok(false);
    }
    let stored = programs::parse_stored(program)?;
    create(
        state,
        &trainee,
        &stored,
        Some(mentor.id),
        state.clock.today(),
        ONBOARDING,
        None,
    )
    .await?;
    Ok(true)
}

/// Cards the person's running programmes ask them to read and they have not confirmed
/// (at the current significant revision).
pub async fn cards_to_read(state: &AppState, who: &Principal) -> Result<Vec<String>, AppError> {
    let rows = assignments::of_user(&state.db, who.user_id).await?;
    let running: Vec<_> = rows
        .into_iter()
        .filter(|r| r.completed_at.is_none() && r.cancelled_at.is_none())
        .collect();
    let mut cards = Vec::new();
    for view in build(state, running).await? {
        for (_, item) in view.program.items() {
            if let crate::onboarding::domain::ItemKind::Read { card } = &item.kind
                && view
                    .progress
                    .of(&item.id)
                    .is_some_and(|p| p.state != crate::onboarding::domain::State::Done)
                && !cards.contains(card)
            {
                cards.push(card.clone());
            }
        }
    }
    Ok(cards)
}

/// Whether `who` may see a person's assignments: themselves, their mentor, trainers (who
/// run the trainings and record attendance), and whoever may see the person (a shop
/// leader for their shop, HR, admin).
fn may_view(who: &Principal, person: &UserRow, mentor_id: Option<i32>) -> Result<bool, AppError> {
    Ok(mentor_id == Some(who.user_id)
        || who.role == crate::accounts::domain::Role::Trainer
        || authz::allows(who, Action::ViewPerson(person_ref(person)?)))
}

/// One assignment, without a permission check (callers check their own action).
pub async fn load(state: &AppState, id: i32) -> Result<View, AppError> {
    let row = assignments::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("assignment"))?;
    build(state, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("assignment"))
}

pub async fn view(state: &AppState, who: &Principal, id: i32) -> Result<View, AppError> {
    let view = load(state, id).await?;
    if !may_view(who, &view.person, view.row.mentor_id)? {
        return Err(AppError::forbidden());
    }
    Ok(view)
}

/// A person's assignments, newest first.
pub async fn of_person(
    state: &AppState,
    who: &Principal,
    user_id: i32,
) -> Result<Vec<View>, AppError> {
    let person = users::get(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let rows = assignments::of_user(&state.db, user_id).await?;
    let mentors_all = !rows.is_empty() && rows.iter().all(|r| r.mentor_id == Some(who.user_id));
    if !(mentors_all || may_view(who, &person, None)?) {
        return Err(AppError::forbidden());
    }
    build(state, rows).await
}

/// Running assignments `who` mentors.
pub async fn mentees(state: &AppState, who: &Principal) -> Result<Vec<View>, AppError> {
    let rows = assignments::of_mentor(&state.db, who.user_id).await?;
    Ok(build(state, rows)
        .await?
        .into_iter()
        .filter(View::is_running)
        .collect())
}

/// Running assignments in `who`'s scope (HR: everyone; a shop leader: their shop).
pub async fn running(state: &AppState, who: &Principal) -> Result<Vec<View>, AppError> {
    let scope = authz::people_scope(who)?;
    let rows = assignments::running(&state.db).await?;
    let views = build(state, rows).await?;
    Ok(views
        .into_iter()
        .filter(View::is_running)
        .filter(|v| match scope {
            PeopleScope::Everyone => true,
            PeopleScope::Location(id) => v.person.location_id == Some(id),
        })
        .collect())
}

/// Loads people, programmes and facts for the rows, computes progress, and marks newly
/// complete assignments (once; a concurrent request does not mark twice).
pub async fn build(state: &AppState, rows: Vec<AssignmentRow>) -> Result<Vec<View>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let significant = significant_revisions(state).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let records = assignments::records(&state.db, &ids).await?;
    let mut people: HashMap<i32, UserRow> = HashMap::new();
    let mut facts: HashMap<i32, PersonFacts> = HashMap::new();
    let mut programs_at: HashMap<(String, i32), Program> = HashMap::new();
    let today = state.clock.today();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        for id in [Some(row.user_id), row.mentor_id].into_iter().flatten() {
            if !people.contains_key(&id)
                && let Some(user) = users::get(&state.db, id).await?
            {
                people.insert(id, user);
            }
        }
        let Some(person) = people.get(&row.user_id).cloned() else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = facts.entry(row.user_id) {
            slot.insert(PersonFacts::gather(state, row.user_id, &significant).await?);
        }
        let key = (row.program_id.clone(), row.program_revision);
        if !programs_at.contains_key(&key) {
            let program = programs::at_revision(state, &key.0, key.1).await?;
            programs_at.insert(key.clone(), program);
        }
        let program = programs_at[&key].clone();
        let own: Vec<RecordRow> = records
            .iter()
            .filter(|r| r.assignment_id == row.id)
            .cloned()
            .collect();
        let computed = progress(
            &program,
            row.start_date,
            today,
            &facts[&row.user_id].for_assignment(&row, &own),
        );
        let mut row = row;
        if computed.complete() && row.completed_at.is_none() && row.cancelled_at.is_none() {
            row.completed_at = Some(mark_complete(state, &row, &program).await?);
        }
        out.push(View {
            mentor: row.mentor_id.and_then(|m| people.get(&m).cloned()),
            person,
            program,
            records: own,
            progress: computed,
            row,
        });
    }
    Ok(out)
}

/// Marks the assignment complete (once, whoever gets there first) and returns when.
async fn mark_complete(
    state: &AppState,
    row: &AssignmentRow,
    program: &Program,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let now = state.clock.now();
    if !assignments::set_completed(&state.db, row.id, now).await? {
        return Ok(now);
    }
    history::record_event(
        &state.db,
        row.user_id,
        now,
        "completed",
        format!("Программа «{}» пройдена", program.title),
        None,
    )
    .await?;
    Ok(now)
}

/// How many days an item is late (for lists).
pub fn days_late(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days().max(0)
}
