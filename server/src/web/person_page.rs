//! A person's page: programme progress, results per direction and quarter, certificates
//! and history; HR records interviews and confirms promotions here, and HR or the shop
//! leader assigns a programme.

use askama::Template;
use chrono::NaiveDate;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};

use super::assignment_view::{AssignmentCard, date};
use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html, see_other};
use crate::accounts::domain::{Level, Role};
use crate::accounts::service::people::person_ref;
use crate::accounts::storage::users::{self, UserFilter, UserRow};
use crate::authz::{self, Action};
use crate::certification::service::person::{self, Career};
use crate::certification::service::promotion::{self, NewInterview};
use crate::error::{AppError, FieldError};
use crate::onboarding::api::card_titles;
use crate::onboarding::service::assignments::{self, NewAssignment};
use crate::onboarding::service::programs;
use crate::state::AppState;

pub struct CertRow {
    pub id: i32,
    pub level: &'static str,
    pub issued: String,
    pub until: String,
    pub status: &'static str,
    pub reason: Option<String>,
}

fn cert_row(c: &crate::certification::storage::CertificateRow) -> CertRow {
    CertRow {
        id: c.id,
        level: c.level.parse::<Level>().map_or("—", Level::label_ru),
        issued: date(c.issued_at.date_naive()),
        until: date(c.valid_until.date_naive()),
        status: match c.status.as_str() {
            "valid" => "действует",
            "renewed" => "продлён",
            "superseded" => "заменён",
            _ => "приостановлен",
        },
        reason: c.end_reason.as_deref().map(|r| {
            match r {
                "failed" => "не сдан квартальный тест",
                "missed" => "пропущен квартальный тест",
                "expired" => "истёк срок",
                other => other,
            }
            .to_owned()
        }),
    }
}

pub struct ResultRow {
    pub quarter: String,
    pub coffee: String,
    pub service: String,
    pub bar: String,
    pub passed: bool,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage<'a> {
    layout: Option<&'a Layout>,
    id: i32,
    name: String,
    level: &'static str,
    next_level: Option<(&'static str, &'static str)>,
    eligible: bool,
    checks: Vec<(bool, String)>,
    current: Option<CertRow>,
    lapsed: Option<CertRow>,
    certificates: Vec<CertRow>,
    results: Vec<ResultRow>,
    interviews: Vec<(String, &'static str, bool, String)>,
    /// Submitted quarterly attempts: (id, date, passed), newest first.
    attempts: Vec<(i32, String, bool)>,
    history: Vec<(String, String)>,
    assignments: Vec<AssignmentCard>,
    own: bool,
    hr: bool,
    may_assign: bool,
    programs: Vec<(String, String)>,
    mentors: Vec<(i32, String)>,
    today: String,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
}

#[derive(serde::Deserialize)]
pub struct PersonQuery {
    done: Option<String>,
}

#[handler]
pub async fn show(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Query(query): Query<PersonQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let notice = match query.done.as_deref() {
            Some("passed") => Some("Навык зачтён."),
            Some("failed") => Some("Отмечено: на доработку."),
            Some("attended") => Some("Посещение отмечено."),
            Some("interview") => Some("Собеседование записано."),
            Some("promoted") => Some("Повышение подтверждено, сертификат выдан."),
            Some("assigned") => Some("Программа назначена."),
            _ => None,
        };
        render(state, &page, id, notice, Vec::new()).await
    })
    .await
}

async fn render(
    state: &AppState,
    page: &PageSession,
    id: i32,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> PageResult {
    let who = &page.principal;
    let fail = |e| PageError::new(page.layout("/users"), e);
    let career: Career = person::career(state, who, id).await.map_err(fail)?;
    let titles = card_titles(state).await.map_err(fail)?;
    let may_assign = authz::allows(
        who,
        Action::AssignProgram(person_ref(&career.person).map_err(fail)?),
    );
    let (programs, mentors) = if may_assign {
        let list = programs::list(state, who).await.map_err(fail)?;
        (
            list.into_iter()
                .map(|p| (p.row.id, p.program.title))
                .collect(),
            mentor_choices(state, &career.person).await.map_err(fail)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let percent = |p: Option<&f64>| p.map_or("—".to_owned(), |p| format!("{p:.0} %"));
    let s = &career.standing;
    let layout = page.layout("/users");
    Ok(html(PersonPage {
        layout: Some(&layout),
        id,
        name: career.person.name.clone(),
        level: career.level.label_ru(),
        next_level: s.next.map(|l| (l.as_str(), l.label_ru())),
        eligible: s.eligible,
        checks: s.checks.iter().map(|c| (c.met, c.label.clone())).collect(),
        current: career.current().map(cert_row),
        lapsed: career.lapsed().map(cert_row),
        certificates: career.certificates.iter().map(cert_row).collect(),
        results: s
            .results
            .iter()
            .map(|r| {
                use crate::cards::domain::Track;
                ResultRow {
                    quarter: r.quarter.label_ru(),
                    coffee: percent(r.tracks.get(&Track::Coffee)),
                    service: percent(r.tracks.get(&Track::Service)),
                    bar: percent(r.tracks.get(&Track::Bar)),
                    passed: r.passed,
                }
            })
            .collect(),
        interviews: career
            .interviews
            .iter()
            .map(|i| {
                (
                    date(i.held_on),
                    i.level.parse::<Level>().map_or("—", Level::label_ru),
                    i.passed,
                    i.notes.clone(),
                )
            })
            .collect(),
        history: career
            .history
            .iter()
            .map(|e| (date(e.at.date_naive()), e.detail.clone()))
            .collect(),
        assignments: s
            .assignments
            .iter()
            .filter(|v| v.row.cancelled_at.is_none())
            .map(|v| AssignmentCard::of(v, &titles))
            .collect(),
        attempts: attempt_links(state, id).await.map_err(fail)?,
        own: who.user_id == id,
        hr: authz::allows(who, Action::ManageCertification),
        may_assign,
        programs,
        mentors,
        today: state.clock.today().to_string(),
        notice,
        errors,
    }))
}

/// The person's submitted quarterly attempts, for the drill-down to their review.
async fn attempt_links(state: &AppState, id: i32) -> Result<Vec<(i32, String, bool)>, AppError> {
    let mut out: Vec<(i32, String, bool)> = Vec::new();
    let settled = crate::reports::storage::outbox::settle(&state.db).await?;
    for r in crate::reports::storage::facts::of_user(&settled, id).await? {
        match out.iter_mut().find(|a| a.0 == r.attempt_id) {
            Some(a) => a.2 &= r.passed,
            None => out.push((r.attempt_id, date(r.submitted_at.date_naive()), r.passed)),
        }
    }
    Ok(out)
}

/// Active staff of the person's shop (and seniors and leaders anywhere) who could mentor.
async fn mentor_choices(
    state: &AppState,
    person: &UserRow,
) -> Result<Vec<(i32, String)>, AppError> {
    let filter = UserFilter {
        role: Some(Role::Staff.as_str().to_owned()),
        active: Some(true),
        ..Default::default()
    };
    Ok(users::list(&state.db, &filter)
        .await?
        .into_iter()
        .filter(|u| u.id != person.id)
        .filter(|u| {
            u.location_id == person.location_id || u.level == "senior" || u.level == "leader"
        })
        .map(|u| (u.id, u.name))
        .collect())
}

#[derive(serde::Deserialize)]
pub struct InterviewForm {
    csrf: String,
    level: String,
    result: String,
    notes: Option<String>,
    held_on: String,
}

fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        AppError::validation(vec![FieldError::field(field, "дата в формате ГГГГ-ММ-ДД")])
    })
}

/// Runs a form action; validation problems re-render the page with them listed.
async fn act(
    state: &AppState,
    page: &PageSession,
    id: i32,
    csrf: &str,
    done: &str,
    action: impl std::future::Future<Output = Result<(), AppError>>,
) -> PageResult {
    let fail = |e| PageError::new(page.layout("/users"), e);
    page.check_csrf(csrf).map_err(fail)?;
    match action.await {
        Ok(()) => Ok(see_other(&format!("/people/{id}?done={done}"))),
        Err(err) if !err.errors.is_empty() || err.code == "not_eligible" => {
            let mut errors = err.errors.clone();
            if errors.is_empty() {
                errors.push(FieldError::field(
                    "promotion",
                    "Не все требования выполнены.",
                ));
            }
            render(state, page, id, None, errors)
                .await
                .map(super::unprocessable)
        }
        Err(err) => Err(fail(err)),
    }
}

#[handler]
pub async fn interview(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<InterviewForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = page.principal.clone();
        let action = async {
            let held_on = parse_date(&form.held_on, "held_on")?;
            let new = NewInterview {
                level: form.level.clone(),
                passed: form.result == "passed",
                notes: form.notes.clone().unwrap_or_default(),
                held_on,
            };
            promotion::record_interview(state, &who, id, new)
                .await
                .map(|_| ())
        };
        act(state, &page, id, &form.csrf, "interview", action).await
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct PromoteForm {
    csrf: String,
    level: String,
}

#[handler]
pub async fn promote(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<PromoteForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = page.principal.clone();
        let action = async {
            promotion::promote(state, &who, id, &form.level)
                .await
                .map(|_| ())
        };
        act(state, &page, id, &form.csrf, "promoted", action).await
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct AssignForm {
    csrf: String,
    program_id: String,
    mentor_id: Option<String>,
    start_date: String,
}

#[handler]
pub async fn assign(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<AssignForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = page.principal.clone();
        let action = async {
            let start_date = parse_date(&form.start_date, "start_date")?;
            let mentor_id = form
                .mentor_id
                .as_deref()
                .filter(|m| !m.is_empty())
                .map(str::parse)
                .transpose()
                .map_err(|_| {
                    AppError::validation(vec![FieldError::field(
                        "mentor_id",
                        "выберите наставника из списка",
                    )])
                })?;
            let new = NewAssignment {
                user_id: id,
                program_id: form.program_id.clone(),
                mentor_id,
                start_date,
            };
            assignments::assign(state, &who, new).await.map(|_| ())
        };
        act(state, &page, id, &form.csrf, "assigned", action).await
    })
    .await
}
