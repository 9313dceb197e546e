//! `/content/errors` (trainers, admins): the last import of the content directory and the
//! problems it found, with a button to re-read the folder now.

use askama::Template;
use poem::web::{Data, Form, Query};
use poem::{Request, Response, handler};
use serde::Deserialize;

use super::card_view::when;
use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::authz::{self, Action};
use crate::cards::domain::Severity;
use crate::cards::service::import;
use crate::state::AppState;

pub struct ProblemLine {
    /// `file:line:column`
    pub place: String,
    pub message: String,
    pub warning: bool,
}

#[derive(Template)]
#[template(path = "content_errors.html")]
struct ContentPage<'a> {
    layout: Option<&'a Layout>,
    loaded_at: Option<String>,
    files: usize,
    errors: usize,
    warnings: usize,
    problems: Vec<ProblemLine>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ReloadNotice {
    created: Option<usize>,
    updated: Option<usize>,
    errors: Option<usize>,
}

#[handler]
pub async fn errors(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(notice): Query<ReloadNotice>,
) -> Response {
    signed_in(state, req, |page| async move {
        authz::require(&page.principal, Action::ManageContent)
            .map_err(|e| PageError::new(page.layout("/content/errors"), e))?;
        let status = state.content.read().await.clone();
        let count = |s: Severity| {
            status
                .diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .count()
        };
        let layout = page.layout("/content/errors");
        Ok(html(ContentPage {
            layout: Some(&layout),
            loaded_at: status.loaded_at.map(when),
            files: status.files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            problems: status
                .diagnostics
                .iter()
                .map(|d| ProblemLine {
                    place: format!("{}:{}:{}", d.file, d.line, d.column),
                    message: d.message.clone(),
                    warning: d.severity == Severity::Warning,
                })
                .collect(),
            notice: match notice {
                ReloadNotice {
                    created: Some(c),
                    updated: Some(u),
                    errors: Some(e),
                } => Some(format!(
                    "Папка перечитана. Создано: {c}, обновлено: {u}, ошибок: {e}."
                )),
                _ => None,
            },
        }))
    })
    .await
}

#[derive(Deserialize)]
pub struct ReloadForm {
    csrf: String,
}

#[handler]
pub async fn reload(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<ReloadForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/content/errors"), e);
        authz::require(&page.principal, Action::ManageContent).map_err(fail)?;
        page.check_csrf(&form.csrf).map_err(fail)?;
        let summary = import::import(state).await.map_err(fail)?;
        Ok(see_other(&format!(
            "/content/errors?created={}&updated={}&errors={}",
            summary.created, summary.updated, summary.errors
        )))
    })
    .await
}
