//! The question bank for trainers: every question in use by direction, where it comes
//! from, and a switch to take any question (generated ones included) out of tests.

use askama::Template;
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::authz::{self, Action};
use crate::cards::domain::Track;
use crate::error::AppError;
use crate::quizzes::storage::questions::{self, QuestionFilter};
use crate::state::AppState;

pub struct QuestionLine {
    pub id: String,
    pub card: String,
    pub kind: String,
    pub prompt: String,
    pub generated: bool,
    pub source: String,
    pub disabled: bool,
}

pub struct TrackTab {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "questions.html")]
struct QuestionsPage<'a> {
    layout: Option<&'a Layout>,
    tabs: Vec<TrackTab>,
    track: String,
    lines: Vec<QuestionLine>,
}

#[derive(Deserialize)]
pub struct TrackQuery {
    track: Option<String>,
}

#[handler]
pub async fn list(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<TrackQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/questions"), e);
        authz::require(&page.principal, Action::AuthorContent).map_err(fail)?;
        let track = query
            .track
            .as_deref()
            .and_then(Track::parse)
            .unwrap_or(Track::Coffee);
        let filter = QuestionFilter {
            track: Some(track.as_str().to_owned()),
            ..Default::default()
        };
        let rows = questions::list(&state.db, &filter)
            .await
            .map_err(|e| fail(AppError::from(e)))?;
        let lines = rows
            .into_iter()
            .map(|(row, body)| QuestionLine {
                generated: row.origin == "generated",
                source: row.bank_path.clone().unwrap_or_default(),
                id: row.id,
                card: row.card_id,
                kind: row.kind,
                prompt: body.prompt,
                disabled: row.disabled,
            })
            .collect();
        let tabs = Track::ALL
            .into_iter()
            .map(|t| TrackTab {
                href: format!("/questions?track={}", t.as_str()),
                label: t.label_ru(),
                current: t == track,
            })
            .collect();
        let layout = page.layout("/questions");
        Ok(html(QuestionsPage {
            layout: Some(&layout),
            tabs,
            track: track.as_str().to_owned(),
            lines,
        }))
    })
    .await
}

#[derive(Deserialize)]
pub struct DisableForm {
    csrf: String,
    disabled: String,
    track: String,
}

#[handler]
pub async fn set_disabled(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Form(form): Form<DisableForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/questions"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        authz::require(&page.principal, Action::AuthorContent).map_err(fail)?;
        if questions::get(&state.db, &id)
            .await
            .map_err(|e| fail(AppError::from(e)))?
            .is_none()
        {
            return Err(fail(AppError::not_found("question")));
        }
        questions::set_disabled(&state.db, &id, form.disabled == "true")
            .await
            .map_err(|e| fail(AppError::from(e)))?;
        let track = Track::parse(&form.track).unwrap_or(Track::Coffee);
        Ok(see_other(&format!(
            "/questions?track={}#q-{id}",
            track.as_str()
        )))
    })
    .await
}
