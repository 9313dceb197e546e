//! Taking the quarterly test on a phone: the list of one's tests, starting, and the submit
//! screen. The question screens are in `test_question`, the review in `test_review`.
//!
//! Every step is a plain form post, so it works without JavaScript; `app.js` adds
//! autosave of each answer as it is given (with a visible saved/unsaved state and a retry
//! queue for a flaky connection) and a live countdown.

use askama::Template;
use chrono::Utc;
use poem::web::{Data, Form, Path};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::authz::{self, Action};
use crate::error::AppError;
use crate::quizzes::service::attempts;
use crate::quizzes::service::campaigns;
use crate::quizzes::storage::attempts as attempt_rows;
use crate::state::AppState;

pub struct TestEntry {
    pub id: i32,
    pub title: String,
    pub closes: String,
    pub questions: u32,
    pub minutes: i32,
    pub open: bool,
    /// "Не начат", "Идёт", "Сдан: 85 %", …
    pub status: String,
    pub attempt: Option<i32>,
    pub can_start: bool,
}

#[derive(Template)]
#[template(path = "tests.html")]
struct TestsPage<'a> {
    layout: Option<&'a Layout>,
    tests: Vec<TestEntry>,
    manager: bool,
    created: bool,
}

#[derive(serde::Deserialize)]
pub struct CreatedQuery {
    created: Option<String>,
}

fn moscow(t: chrono::DateTime<Utc>) -> String {
    t.format("%d.%m.%Y %H:%M UTC").to_string()
}

#[handler]
pub async fn list(
    req: &Request,
    Data(state): Data<&AppState>,
    poem::web::Query(query): poem::web::Query<CreatedQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let visible = campaigns::visible(state, who).await.map_err(fail)?;
        let now = Utc::now();
        let mut tests = Vec::new();
        for c in visible {
            let mine = attempt_rows::attempts_of(&state.db, c.row.id, who.user_id)
                .await
                .map_err(|e| fail(AppError::from(e)))?;
            let last = mine.last();
            let status = match last {
                None => "Не начат".to_owned(),
                Some(a) if a.submitted_at.is_none() && a.deadline_at > now => "Идёт".to_owned(),
                Some(a) => match (a.percent, a.passed) {
                    (Some(p), Some(true)) => format!("Сдан: {p} %"),
                    (Some(p), _) => format!("Не сдан: {p} %"),
                    _ => "Время вышло".to_owned(),
                },
            };
            let in_progress = last.is_some_and(|a| a.submitted_at.is_none() && a.deadline_at > now);
            tests.push(TestEntry {
                id: c.row.id,
                title: c.row.title.clone(),
                closes: moscow(c.row.closes_at),
                questions: c.blueprint.total(),
                minutes: c.row.time_limit_minutes,
                open: c.is_open(now),
                status,
                attempt: last.map(|a| a.id),
                can_start: c.is_open(now)
                    && c.is_for(who)
                    && (in_progress || mine.len() < c.row.attempts_allowed as usize),
            });
        }
        let layout = page.layout("/tests");
        Ok(html(TestsPage {
            layout: Some(&layout),
            tests,
            manager: authz::allows(who, Action::ManageCampaigns),
            created: query.created.is_some(),
        }))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Starts (or resumes) and goes to the first unanswered question.
#[handler]
pub async fn start(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(campaign): Path<i32>,
    Form(form): Form<CsrfForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        let loaded = attempts::start(state, &page.principal, campaign)
            .await
            .map_err(fail)?;
        let next = loaded
            .items
            .iter()
            .position(|(i, _)| i.answer.is_none())
            .unwrap_or(0);
        Ok(see_other(&format!(
            "/attempts/{}/{}",
            loaded.attempt.id,
            next + 1
        )))
    })
    .await
}

#[derive(Template)]
#[template(path = "attempt_submit.html")]
struct SubmitPage<'a> {
    layout: Option<&'a Layout>,
    attempt: i32,
    title: String,
    count: usize,
    answered: usize,
    unanswered: Vec<usize>,
    deadline: String,
    seconds_left: i64,
}

#[handler]
pub async fn submit_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        let loaded = attempts::load(state, &page.principal, id)
            .await
            .map_err(fail)?;
        if loaded.is_submitted() {
            return Ok(see_other(&format!("/attempts/{id}/review")));
        }
        let unanswered: Vec<usize> = loaded
            .items
            .iter()
            .enumerate()
            .filter(|(_, (i, _))| i.answer.is_none())
            .map(|(n, _)| n + 1)
            .collect();
        let layout = page.layout("/tests");
        Ok(html(SubmitPage {
            layout: Some(&layout),
            attempt: id,
            title: loaded.campaign.row.title.clone(),
            count: loaded.items.len(),
            answered: loaded.items.len() - unanswered.len(),
            unanswered,
            deadline: loaded.attempt.deadline_at.to_rfc3339(),
            seconds_left: (loaded.attempt.deadline_at - Utc::now())
                .num_seconds()
                .max(0),
        }))
    })
    .await
}

#[handler]
pub async fn submit(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<CsrfForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/tests"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        attempts::submit(state, &page.principal, id)
            .await
            .map_err(fail)?;
        Ok(see_other(&format!("/attempts/{id}/review")))
    })
    .await
}
