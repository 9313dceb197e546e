//! The trainer's card editor: a Markdown source, a preview rendered like the card page,
//! and saving with optimistic locking (a conflict shows the current text to merge with).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::card_view::{CardBody, CardBrief, Problem};
use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html, see_other};
use crate::authz::{self, Action};
use crate::cards::domain::{Card, parse_card};
use crate::cards::service::editor::{self, Edit, EditOutcome};
use crate::cards::service::reading;
use crate::error::AppError;
use crate::state::AppState;

/// What `/cards/new` starts from: a valid card showing every section.
const NEW_CARD: &str = "---
id: novaya-kartochka
title: Название карточки
track: service
tags: [пример]
stage: greeting
level: trainee
season: all
mandatory: true
---

## Ситуация

Когда это происходит: кто, где, что делает гость.

## Действия

1. Первое действие.
2. Второе действие.
3. Третье действие.

## Пример

Как это выглядит, когда всё сделано правильно.

## Антипример

Как это выглядит, когда сделано неправильно.

## Пояснение

Зачем это нужно гостю и кофейне.

## Табу

- Чего нельзя делать никогда.
";

pub struct ConflictView {
    pub message: String,
    /// The card's current text, shown read-only; `None` when the card is gone.
    pub source: Option<String>,
}

#[derive(Template)]
#[template(path = "card_editor.html")]
struct EditorPage<'a> {
    layout: Option<&'a Layout>,
    /// The card being edited; `None` on `/cards/new`.
    id: Option<String>,
    source: String,
    base_revision: i32,
    significant: bool,
    note: String,
    problems: Vec<Problem>,
    conflict: Option<ConflictView>,
    preview_brief: Option<CardBrief>,
    preview_body: Option<CardBody>,
}

impl EditorPage<'_> {
    fn action(&self) -> String {
        match &self.id {
            Some(id) => format!("/cards/{id}/edit"),
            None => "/cards/new".to_owned(),
        }
    }
}

/// The editor's state besides the layout.
struct EditorView {
    id: Option<String>,
    source: String,
    base_revision: i32,
    significant: bool,
    note: String,
    problems: Vec<Problem>,
    conflict: Option<ConflictView>,
    preview: Option<Card>,
    status: StatusCode,
}

impl EditorView {
    fn fresh(
        id: Option<String>,
        source: String,
        base_revision: i32,
        preview: Option<Card>,
    ) -> Self {
        EditorView {
            id,
            source,
            base_revision,
            significant: false,
            note: String::new(),
            problems: Vec::new(),
            conflict: None,
            preview,
            status: StatusCode::OK,
        }
    }
}

fn render(page: &PageSession, view: EditorView) -> PageResult {
    let layout = page.layout("/cards");
    let status = view.status;
    Ok(html(EditorPage {
        layout: Some(&layout),
        id: view.id,
        source: view.source,
        base_revision: view.base_revision,
        significant: view.significant,
        note: view.note,
        problems: view.problems,
        conflict: view.conflict,
        preview_brief: view.preview.as_ref().map(|c| CardBrief::of_front(&c.front)),
        preview_body: view.preview.as_ref().map(|c| CardBody::of(c, 3)),
    })
    .with_status(status)
    .into_response())
}

fn may_author(page: &PageSession) -> Result<(), PageError> {
    authz::require(&page.principal, Action::AuthorContent)
        .map_err(|e| PageError::new(page.layout("/cards"), e))
}

#[handler]
pub async fn new_form(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        may_author(&page)?;
        let preview = parse_card("new.md", NEW_CARD.as_bytes()).card;
        render(
            &page,
            EditorView::fresh(None, NEW_CARD.to_owned(), 0, preview),
        )
    })
    .await
}

#[handler]
pub async fn edit_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Response {
    signed_in(state, req, |page| async move {
        may_author(&page)?;
        let cached = reading::get(state, &page.principal, &id)
            .await
            .map_err(|e| PageError::new(page.layout("/cards"), e))?;
        let view = EditorView::fresh(
            Some(cached.row.id.clone()),
            cached.source.clone(),
            cached.row.revision,
            Some(cached.card.clone()),
        );
        render(&page, view)
    })
    .await
}

#[derive(Deserialize)]
pub struct EditorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    base_revision: String,
    significant: Option<String>,
    #[serde(default)]
    note: String,
    /// `preview` or `save`.
    #[serde(default)]
    action: String,
}

#[handler]
pub async fn create(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<EditorForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        submit(state, &page, None, form).await
    })
    .await
}

#[handler]
pub async fn update(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Form(form): Form<EditorForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        submit(state, &page, Some(id), form).await
    })
    .await
}

async fn submit(
    state: &AppState,
    page: &PageSession,
    path_id: Option<String>,
    form: EditorForm,
) -> PageResult {
    let fail = |e| PageError::new(page.layout("/cards"), e);
    may_author(page)?;
    page.check_csrf(&form.csrf).map_err(fail)?;
    let source = form.source.replace("\r\n", "\n");
    let mut view = EditorView {
        significant: form.significant.is_some(),
        note: form.note.clone(),
        base_revision: form.base_revision.trim().parse().unwrap_or(0),
        ..EditorView::fresh(path_id.clone(), source.clone(), 0, None)
    };
    // A new card is named by its front matter.
    let id = match path_id {
        Some(id) => id,
        None => {
            let parsed = parse_card("new.md", source.as_bytes());
            match parsed.card {
                Some(card) => card.front.id.as_str().to_owned(),
                None => {
                    view.problems = parsed
                        .diagnostics
                        .iter()
                        .map(Problem::of_diagnostic)
                        .collect();
                    view.status = StatusCode::UNPROCESSABLE_ENTITY;
                    return render(page, view);
                }
            }
        }
    };
    if form.action == "preview" {
        match editor::validate(&id, &source) {
            Ok((card, warnings)) => {
                view.problems = warnings.iter().map(Problem::of_diagnostic).collect();
                view.preview = Some(card);
            }
            Err(err) => view.problems = problems_of(&err),
        }
        return render(page, view);
    }
    let edit = Edit {
        id: &id,
        source: &source,
        base_revision: view.base_revision,
        significant: view.significant,
        note: Some(form.note.as_str()),
    };
    match editor::save(state, &page.principal, edit).await {
        Ok(EditOutcome::Saved(row)) => {
            let flag = if row.revision == 1 {
                "created"
            } else {
                "saved"
            };
            Ok(see_other(&format!("/cards/{}?{flag}=1", row.id)))
        }
        Ok(EditOutcome::Conflict(conflict)) => {
            let created = view.id.is_none();
            view.status = StatusCode::CONFLICT;
            view.preview = editor::validate(&id, &source).ok().map(|(card, _)| card);
            match conflict.current {
                Some(current) => {
                    let latest = reading::revisions(state, &page.principal, &current.id)
                        .await
                        .map_err(fail)?
                        .into_iter()
                        .next();
                    let message = if created {
                        format!(
                            "Карточка «{id}» уже есть (ревизия {}). Ниже её текущий текст — перенесите свои правки.",
                            current.revision
                        )
                    } else {
                        format!(
                            "Карточку уже изменили (ревизия {}). Ниже её текущий текст — перенесите свои правки.",
                            current.revision
                        )
                    };
                    view.id = Some(current.id.clone());
                    view.base_revision = current.revision;
                    view.conflict = Some(ConflictView {
                        message,
                        source: latest.map(|r| r.source),
                    });
                }
                None => {
                    view.id = None;
                    view.base_revision = 0;
                    view.conflict = Some(ConflictView {
                        message: format!(
                            "Карточки «{id}» больше нет. Сохраните текст ещё раз, чтобы создать её заново."
                        ),
                        source: None,
                    });
                }
            }
            render(page, view)
        }
        Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
            view.problems = problems_of(&err);
            view.status = err.status;
            render(page, view)
        }
        Err(err) => Err(fail(err)),
    }
}

fn problems_of(err: &AppError) -> Vec<Problem> {
    if err.errors.is_empty() {
        vec![Problem::general(err.detail.clone())]
    } else {
        err.errors.iter().map(Problem::of_field_error).collect()
    }
}
