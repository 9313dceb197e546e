//! The trainee's programme page and the mentor's page with their trainees. Starting a
//! practice quiz is a form post that lands on its first question.

use askama::Template;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};

use super::assignment_view::AssignmentCard;
use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::onboarding::api::card_titles;
use crate::onboarding::service::{assignments, records};
use crate::quizzes::service::attempts;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "onboarding.html")]
struct OnboardingPage<'a> {
    layout: Option<&'a Layout>,
    assignments: Vec<AssignmentCard>,
    finished: Vec<AssignmentCard>,
    /// The viewer is the person (shows "take the quiz" buttons).
    own: bool,
}

#[handler]
pub async fn mine(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/onboarding"), e);
        let views = assignments::of_person(state, who, who.user_id)
            .await
            .map_err(fail)?;
        let titles = card_titles(state).await.map_err(fail)?;
        let (running, finished): (Vec<_>, Vec<_>) = views
            .iter()
            .filter(|v| v.row.cancelled_at.is_none())
            .partition(|v| v.is_running());
        let layout = page.layout("/onboarding");
        Ok(html(OnboardingPage {
            layout: Some(&layout),
            assignments: running
                .iter()
                .map(|v| AssignmentCard::of(v, &titles))
                .collect(),
            finished: finished
                .iter()
                .map(|v| AssignmentCard::of(v, &titles))
                .collect(),
            own: true,
        }))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Creates (or finds) the practice quiz and starts (or resumes) an attempt.
#[handler]
pub async fn practice(
    req: &Request,
    Data(state): Data<&AppState>,
    Path((assignment, item)): Path<(i32, String)>,
    Form(form): Form<CsrfForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/onboarding"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        let campaign = records::practice(state, who, assignment, &item)
            .await
            .map_err(fail)?;
        let loaded = attempts::start(state, who, campaign.row.id)
            .await
            .map_err(fail)?;
        Ok(see_other(&format!("/attempts/{}/1", loaded.attempt.id)))
    })
    .await
}

#[derive(Template)]
#[template(path = "mentor.html")]
struct MentorPage<'a> {
    layout: Option<&'a Layout>,
    trainees: Vec<AssignmentCard>,
    notice: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    done: Option<String>,
}

#[handler]
pub async fn mentor(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/mentor"), e);
        let views = assignments::mentees(state, who).await.map_err(fail)?;
        let titles = card_titles(state).await.map_err(fail)?;
        let mut trainees: Vec<AssignmentCard> = views
            .iter()
            .map(|v| AssignmentCard::of(v, &titles))
            .collect();
        // Whoever waits for a sign-off or is late comes first.
        trainees.sort_by_key(|t| std::cmp::Reverse((t.overdue, t.pending_signoffs)));
        let layout = page.layout("/mentor");
        Ok(html(MentorPage {
            layout: Some(&layout),
            trainees,
            notice: query.done.map(|d| match d.as_str() {
                "passed" => "Навык зачтён.".to_owned(),
                "failed" => "Отмечено: на доработку.".to_owned(),
                _ => "Посещение отмечено.".to_owned(),
            }),
        }))
    })
    .await
}
