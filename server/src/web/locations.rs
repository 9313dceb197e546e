//! Location pages (hr, admin): list, create, rename, delete.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html, see_other};
use crate::accounts::service::locations::{self, LocationDraft};
use crate::accounts::storage::locations::Location;
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "locations.html")]
struct LocationsPage<'a> {
    layout: Option<&'a Layout>,
    locations: Vec<Location>,
}

#[handler]
pub async fn list(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/locations"), e);
        authz::require(&page.principal, Action::ManageLocations).map_err(fail)?;
        let rows = locations::list(state, &page.principal)
            .await
            .map_err(fail)?;
        let layout = page.layout("/locations");
        Ok(html(LocationsPage {
            layout: Some(&layout),
            locations: rows,
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "location_form.html")]
struct LocationFormPage<'a> {
    layout: Option<&'a Layout>,
    id: Option<i32>,
    name: &'a str,
    city: &'a str,
    errors: Vec<FieldError>,
}

impl LocationFormPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
    }

    fn general_errors(&self) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| e.field.is_none())
            .map(|e| e.message.as_str())
            .collect()
    }
}

fn render_form(
    page: &PageSession,
    id: Option<i32>,
    form: &LocationForm,
    errors: Vec<FieldError>,
) -> PageResult {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let layout = page.layout("/locations");
    Ok(html(LocationFormPage {
        layout: Some(&layout),
        id,
        name: &form.name,
        city: &form.city,
        errors,
    })
    .with_status(status)
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct LocationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    city: String,
}

#[handler]
pub async fn new_form(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        authz::require(&page.principal, Action::ManageLocations)
            .map_err(|e| PageError::new(page.layout("/locations"), e))?;
        render_form(&page, None, &LocationForm::default(), Vec::new())
    })
    .await
}

/// Re-shows the form with the service's complaints, or gives up on anything else.
fn rejected(page: &PageSession, id: Option<i32>, form: &LocationForm, err: AppError) -> PageResult {
    if matches!(
        err.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
    ) {
        let errors = if err.errors.is_empty() {
            vec![FieldError {
                field: None,
                file: None,
                line: None,
                column: None,
                message: in_russian(&err),
            }]
        } else {
            err.errors
        };
        render_form(page, id, form, errors)
    } else {
        Err(PageError::new(page.layout("/locations"), err))
    }
}

fn in_russian(err: &AppError) -> String {
    match err.code {
        "location_in_use" => {
            "В этой кофейне есть сотрудники: сначала переведите их в другую.".into()
        }
        _ => err.detail.clone(),
    }
}

#[handler]
pub async fn create(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<LocationForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/locations"), e))?;
        let draft = LocationDraft {
            name: &form.name,
            city: &form.city,
        };
        match locations::create(state, &page.principal, draft).await {
            Ok(_) => Ok(see_other("/locations")),
            Err(err) => rejected(&page, None, &form, err),
        }
    })
    .await
}

#[handler]
pub async fn edit_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/locations"), e);
        authz::require(&page.principal, Action::ManageLocations).map_err(fail)?;
        let row = locations::get(state, &page.principal, id)
            .await
            .map_err(fail)?;
        let form = LocationForm {
            csrf: String::new(),
            name: row.name,
            city: row.city,
        };
        render_form(&page, Some(id), &form, Vec::new())
    })
    .await
}

#[handler]
pub async fn update(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<LocationForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/locations"), e))?;
        let draft = LocationDraft {
            name: &form.name,
            city: &form.city,
        };
        match locations::update(state, &page.principal, id, draft).await {
            Ok(_) => Ok(see_other("/locations")),
            Err(err) => rejected(&page, Some(id), &form, err),
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    csrf: String,
}

#[handler]
pub async fn delete(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<DeleteForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        let fail = |e| PageError::new(page.layout("/locations"), e);
        page.check_csrf(&form.csrf).map_err(fail)?;
        match locations::delete(state, &page.principal, id).await {
            Ok(()) => Ok(see_other("/locations")),
            Err(err) => {
                let row = locations::get(state, &page.principal, id)
                    .await
                    .map_err(fail)?;
                let shown = LocationForm {
                    csrf: String::new(),
                    name: row.name,
                    city: row.city,
                };
                rejected(&page, Some(id), &shown, err)
            }
        }
    })
    .await
}
