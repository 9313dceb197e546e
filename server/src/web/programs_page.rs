//! Programme templates for everyone to read, and the trainer's YAML editor (same checks
//! as the files, errors shown with their line).

use askama::Template;
use poem::web::{Data, Form, Path};
use poem::{Request, Response, handler};

use super::session::signed_in;
use super::{Layout, PageError, html, see_other};
use crate::authz::{self, Action};
use crate::error::FieldError;
use crate::onboarding::api::{card_titles, item_title};
use crate::onboarding::service::programs::{self, Edit};
use crate::state::AppState;

pub struct ProgramEntry {
    pub id: String,
    pub title: String,
    pub level: &'static str,
    pub items: usize,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "programs.html")]
struct ProgramsPage<'a> {
    layout: Option<&'a Layout>,
    programs: Vec<ProgramEntry>,
}

#[handler]
pub async fn list(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/programs"), e);
        let all = programs::list(state, &page.principal).await.map_err(fail)?;
        let layout = page.layout("/programs");
        Ok(html(ProgramsPage {
            layout: Some(&layout),
            programs: all
                .iter()
                .map(|p| ProgramEntry {
                    id: p.row.id.clone(),
                    title: p.program.title.clone(),
                    level: p.program.level.map_or("", |l| l.label_ru()),
                    items: p.program.items().count(),
                    days: p.program.days(),
                })
                .collect(),
        }))
    })
    .await
}

pub struct ItemLine {
    pub kind: &'static str,
    pub title: String,
    pub due_day: u32,
    pub criteria: Vec<String>,
}

#[derive(Template)]
#[template(path = "program.html")]
struct ProgramPage<'a> {
    layout: Option<&'a Layout>,
    id: String,
    title: String,
    description: Option<String>,
    revision: i32,
    stages: Vec<(String, Vec<ItemLine>)>,
    editor: bool,
    saved: bool,
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

#[handler]
pub async fn show(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    poem::web::Query(query): poem::web::Query<SavedQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/programs"), e);
        let stored = programs::get(state, &page.principal, &id)
            .await
            .map_err(fail)?;
        let titles = card_titles(state).await.map_err(fail)?;
        let layout = page.layout("/programs");
        Ok(html(ProgramPage {
            layout: Some(&layout),
            id: stored.row.id.clone(),
            title: stored.program.title.clone(),
            description: stored.program.description.clone(),
            revision: stored.row.revision,
            stages: stored
                .program
                .stages
                .iter()
                .map(|s| {
                    let items = s
                        .items
                        .iter()
                        .map(|i| ItemLine {
                            kind: i.kind.label_ru(),
                            title: item_title(i, &titles),
                            due_day: i.due_day,
                            criteria: match &i.kind {
                                crate::onboarding::domain::ItemKind::Skill { criteria } => {
                                    criteria.clone()
                                }
                                _ => Vec::new(),
                            },
                        })
                        .collect();
                    (s.title.clone(), items)
                })
                .collect(),
            editor: authz::allows(&page.principal, Action::AuthorContent),
            saved: query.saved.is_some(),
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "program_editor.html")]
struct EditorPage<'a> {
    layout: Option<&'a Layout>,
    id: String,
    title: String,
    source: String,
    base_revision: i32,
    errors: Vec<FieldError>,
}

#[handler]
pub async fn edit_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/programs"), e);
        authz::require(&page.principal, Action::AuthorContent).map_err(fail)?;
        let stored = programs::get(state, &page.principal, &id)
            .await
            .map_err(fail)?;
        let layout = page.layout("/programs");
        Ok(html(EditorPage {
            layout: Some(&layout),
            id: stored.row.id.clone(),
            title: stored.program.title.clone(),
            source: stored.row.source.clone(),
            base_revision: stored.row.revision,
            errors: Vec::new(),
        }))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct EditForm {
    csrf: String,
    source: String,
    base_revision: i32,
}

#[handler]
pub async fn update(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/programs"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        let edit = Edit {
            id: &id,
            source: &form.source,
            base_revision: form.base_revision,
        };
        match programs::edit(state, &page.principal, edit).await {
            Ok(_) => Ok(see_other(&format!("/programs/{id}?saved=1"))),
            Err(err) if !err.errors.is_empty() || err.code == "edit_conflict" => {
                let mut errors = err.errors.clone();
                if errors.is_empty() {
                    errors.push(FieldError::field(
                        "source",
                        "Программу уже изменили. Скопируйте свой текст, обновите страницу и внесите правку снова.",
                    ));
                }
                let layout = page.layout("/programs");
                Ok(super::unprocessable(html(EditorPage {
                    layout: Some(&layout),
                    title: id.clone(),
                    id: id.clone(),
                    source: form.source.clone(),
                    base_revision: form.base_revision,
                    errors,
                })))
            }
            Err(err) => Err(fail(err)),
        }
    })
    .await
}
