//! A person's career as pages show it, and HR's lists.

use chrono::Duration;

use super::evidence::{Standing, standing};
use crate::accounts::domain::{Level, Principal, Role};
use crate::accounts::service::people::person_ref;
use crate::accounts::storage::users::{self, UserFilter, UserRow};
use crate::authz::{self, Action, PeopleScope};
use crate::certification::storage::{self, CertificateRow, EventRow, InterviewRow, LAPSED, VALID};
use crate::error::AppError;
use crate::onboarding::service::programs;
use crate::state::AppState;

pub struct Career {
    pub person: UserRow,
    pub level: Level,
    pub standing: Standing,
    /// Newest first.
    pub certificates: Vec<CertificateRow>,
    pub interviews: Vec<InterviewRow>,
    pub history: Vec<EventRow>,
}

impl Career {
    pub fn current(&self) -> Option<&CertificateRow> {
        self.certificates.iter().find(|c| c.status == VALID)
    }

    /// The latest certificate lapsed and not yet replaced.
    pub fn lapsed(&self) -> Option<&CertificateRow> {
        match self.certificates.first() {
            Some(c) if c.status == LAPSED => Some(c),
            _ => None,
        }
    }
}

pub async fn career(state: &AppState, who: &Principal, user_id: i32) -> Result<Career, AppError> {
    let person = users::get(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    authz::require(who, Action::ViewPerson(person_ref(&person)?))?;
    let rules = programs::rules(state).await?;
    Ok(Career {
        level: person.level.parse().unwrap_or(Level::Trainee),
        standing: standing(state, &person, &rules).await?,
        certificates: storage::certificates_of(&state.db, user_id).await?,
        interviews: storage::interviews_of(&state.db, user_id).await?,
        history: storage::events_of(&state.db, user_id).await?,
        person,
    })
}

/// A certificate with its holder, for the printable page: the holder and whoever may see
/// the holder.
pub async fn certificate(
    state: &AppState,
    who: &Principal,
    id: i32,
) -> Result<(CertificateRow, UserRow), AppError> {
    let cert = storage::certificate(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("certificate"))?;
    let holder = users::get(&state.db, cert.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("certificate"))?;
    authz::require(who, Action::ViewPerson(person_ref(&holder)?))?;
    Ok((cert, holder))
}

fn in_scope(scope: PeopleScope, person: &UserRow) -> bool {
    match scope {
        PeopleScope::Everyone => true,
        PeopleScope::Location(id) => person.location_id == Some(id),
    }
}

/// Staff in scope with every requirement of their next level met, or all but the
/// interview (HR's cue to hold one).
pub struct Candidate {
    pub person: UserRow,
    pub next: Level,
    /// Everything is met: HR may confirm the promotion now.
    pub eligible: bool,
}

pub async fn candidates(state: &AppState, who: &Principal) -> Result<Vec<Candidate>, AppError> {
    let scope = authz::people_scope(who)?;
    let rules = programs::rules(state).await?;
    let filter = UserFilter {
        role: Some(Role::Staff.as_str().to_owned()),
        active: Some(true),
        ..Default::default()
    };
    // Cheap necessary conditions first, for everyone at once: the quarterly test at the
    // next level's mark in every direction, and the programme assigned (complete or not:
    // progress is computed). Only those who pass them get the full (per-person) standing.
    let now = state.clock.now();
    let current = crate::certification::domain::Quarter::containing(now);
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    let best = crate::reports::storage::facts::best_per_track(
        &settled,
        &[current.code(), current.previous().code()],
    )
    .await?;
    let assigned = crate::onboarding::storage::assignments::assigned_programs(&state.db).await?;
    let mut out = Vec::new();
    for person in users::list(&state.db, &filter).await? {
        if !in_scope(scope, &person) {
            continue;
        }
        let level: Level = person.level.parse().unwrap_or(Level::Trainee);
        let Some(req) = crate::certification::domain::next_level(level).and_then(|l| rules.of(l))
        else {
            continue;
        };
        let tests_ok = ["coffee", "service", "bar"].iter().all(|t| {
            best.get(&(person.id, (*t).to_owned()))
                .is_some_and(|p| *p >= f64::from(req.pass_percent))
        });
        let program_ok = req
            .program
            .as_ref()
            .is_none_or(|p| assigned.contains(&(person.id, p.clone())));
        if !tests_ok || !program_ok {
            continue;
        }
        let s = standing(state, &person, &rules).await?;
        let Some(next) = s.next else { continue };
        let unmet: Vec<&str> = s
            .checks
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.key.as_str())
            .collect();
        if !s.checks.is_empty() && (unmet.is_empty() || unmet == ["interview"]) {
            out.push(Candidate {
                person,
                next,
                eligible: s.eligible,
            });
        }
    }
    Ok(out)
}

/// Certificates with the given status in scope, with holders; `within_days` keeps only
/// those ending that soon (for «expiring»).
pub async fn certificates_in_scope(
    state: &AppState,
    who: &Principal,
    status: &str,
    within_days: Option<i64>,
) -> Result<Vec<(CertificateRow, UserRow)>, AppError> {
    let scope = authz::people_scope(who)?;
    let horizon = within_days.map(|d| state.clock.now() + Duration::days(d));
    let mut out = Vec::new();
    for cert in storage::with_status(&state.db, status).await? {
        if horizon.is_some_and(|h| cert.valid_until > h) {
            continue;
        }
        let Some(holder) = users::get(&state.db, cert.user_id).await? else {
            continue;
        };
        if !in_scope(scope, &holder) || !holder.active {
            continue;
        }
        if status == LAPSED {
            // Only lapses not yet made good by a newer certificate.
            let newest = storage::certificates_of(&state.db, holder.id).await?;
            if newest.first().map(|c| c.id) != Some(cert.id) {
                continue;
            }
        }
        out.push((cert, holder));
    }
    Ok(out)
}
