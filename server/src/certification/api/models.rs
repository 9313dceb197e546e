//! JSON shapes of the certification API.

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::Object;

use crate::accounts::domain::Level;
use crate::accounts::storage::users::UserRow;
use crate::certification::service::evidence::QuarterResult;
use crate::certification::service::person::Career;
use crate::certification::storage::{CertificateRow, EventRow, InterviewRow};

#[derive(Debug, Object)]
pub struct CertificateOut {
    pub id: i32,
    pub user_id: i32,
    pub person_name: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub level: String,
    pub level_label: String,
    pub issued_at: DateTime<Utc>,
    /// The last moment it is valid (end of the quarter after the one it was issued in).
    pub valid_until: DateTime<Utc>,
    /// `valid`, `renewed`, `superseded` or `lapsed`.
    pub status: String,
    #[oai(nullable)]
    pub ended_at: Option<DateTime<Utc>>,
    /// For lapses: `failed`, `missed` or `expired`.
    #[oai(nullable)]
    pub end_reason: Option<String>,
}

impl CertificateOut {
    pub fn of(c: &CertificateRow, holder: &UserRow) -> CertificateOut {
        CertificateOut {
            id: c.id,
            user_id: c.user_id,
            person_name: holder.name.clone(),
            location_id: holder.location_id,
            level: c.level.clone(),
            level_label: c
                .level
                .parse::<Level>()
                .map_or_else(|_| c.level.clone(), |l| l.label_ru().to_owned()),
            issued_at: c.issued_at,
            valid_until: c.valid_until,
            status: c.status.clone(),
            ended_at: c.ended_at,
            end_reason: c.end_reason.clone(),
        }
    }
}

#[derive(Debug, Object)]
pub struct CheckOut {
    /// `test:coffee`, `test:service`, `test:bar`, `program:ID`, `skill:ID`, `interview`.
    pub key: String,
    pub met: bool,
    pub label: String,
}

#[derive(Debug, Object)]
pub struct TrackResultOut {
    pub track: String,
    pub percent: f64,
}

#[derive(Debug, Object)]
pub struct QuarterResultOut {
    /// `2026-Q4`.
    pub quarter: String,
    pub label: String,
    /// Best score per direction that quarter.
    pub tracks: Vec<TrackResultOut>,
    pub passed: bool,
}

impl QuarterResultOut {
    pub fn of(r: &QuarterResult) -> QuarterResultOut {
        QuarterResultOut {
            quarter: format!("{}-Q{}", r.quarter.year, r.quarter.q),
            label: r.quarter.label_ru(),
            tracks: r
                .tracks
                .iter()
                .map(|(t, p)| TrackResultOut {
                    track: t.as_str().to_owned(),
                    percent: *p,
                })
                .collect(),
            passed: r.passed,
        }
    }
}

#[derive(Debug, Object)]
pub struct InterviewOut {
    pub id: i32,
    pub level: String,
    pub passed: bool,
    pub notes: String,
    pub held_on: NaiveDate,
    #[oai(nullable)]
    pub recorded_by: Option<i32>,
    pub recorded_at: DateTime<Utc>,
}

impl InterviewOut {
    pub fn of(i: &InterviewRow) -> InterviewOut {
        InterviewOut {
            id: i.id,
            level: i.level.clone(),
            passed: i.passed,
            notes: i.notes.clone(),
            held_on: i.held_on,
            recorded_by: i.recorded_by,
            recorded_at: i.recorded_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct EventOut {
    pub at: DateTime<Utc>,
    /// `level_changed`, `certificate_issued`, `certificate_renewed`, `certificate_lapsed`,
    /// `interview`, `assigned`, `completed`.
    pub kind: String,
    pub detail: String,
    #[oai(nullable)]
    pub actor_id: Option<i32>,
}

#[derive(Debug, Object)]
pub struct CareerOut {
    pub user_id: i32,
    pub name: String,
    pub level: String,
    #[oai(nullable)]
    pub next_level: Option<String>,
    /// Every requirement of the next level is met: HR may confirm the promotion.
    pub eligible: bool,
    pub checks: Vec<CheckOut>,
    /// The valid certificate, if any.
    #[oai(nullable)]
    pub certificate: Option<CertificateOut>,
    /// The latest certificate when it lapsed and nothing replaced it.
    #[oai(nullable)]
    pub lapsed: Option<CertificateOut>,
    pub certificates: Vec<CertificateOut>,
    pub interviews: Vec<InterviewOut>,
    /// Quarterly test results per direction, newest quarter first.
    pub results: Vec<QuarterResultOut>,
    /// Newest first.
    pub history: Vec<EventOut>,
}

impl CareerOut {
    pub fn of(c: &Career) -> CareerOut {
        let cert = |row: &CertificateRow| CertificateOut::of(row, &c.person);
        CareerOut {
            user_id: c.person.id,
            name: c.person.name.clone(),
            level: c.level.as_str().to_owned(),
            next_level: c.standing.next.map(|l| l.as_str().to_owned()),
            eligible: c.standing.eligible,
            checks: c
                .standing
                .checks
                .iter()
                .map(|k| CheckOut {
                    key: k.key.clone(),
                    met: k.met,
                    label: k.label.clone(),
                })
                .collect(),
            certificate: c.current().map(cert),
            lapsed: c.lapsed().map(cert),
            certificates: c.certificates.iter().map(cert).collect(),
            interviews: c.interviews.iter().map(InterviewOut::of).collect(),
            results: c
                .standing
                .results
                .iter()
                .map(QuarterResultOut::of)
                .collect(),
            history: history(&c.history),
        }
    }
}

fn history(events: &[EventRow]) -> Vec<EventOut> {
    events
        .iter()
        .map(|e| EventOut {
            at: e.at,
            kind: e.kind.clone(),
            detail: e.detail.clone(),
            actor_id: e.actor_id,
        })
        .collect()
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct InterviewRequest {
    /// The level the interview is for (barista, senior, leader).
    pub level: String,
    pub passed: bool,
    /// Required when not passed.
    #[oai(default)]
    pub notes: String,
    pub held_on: NaiveDate,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct PromotionRequest {
    /// The next level; 409 `not_eligible` listing what is missing.
    pub level: String,
}

#[derive(Debug, Object)]
pub struct CandidateOut {
    pub user_id: i32,
    pub name: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub level: String,
    pub next_level: String,
    /// Everything met; false: everything but the interview.
    pub eligible: bool,
}

#[derive(Debug, Object)]
pub struct OnboardingRow {
    pub assignment_id: i32,
    pub user_id: i32,
    pub name: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub program_id: String,
    pub program_title: String,
    /// `onboarding` or `recertification`.
    pub reason: String,
    #[oai(nullable)]
    pub mentor_name: Option<String>,
    pub start_date: NaiveDate,
    pub percent: u32,
    pub overdue: usize,
    pub pending_signoffs: usize,
}
