//! People pages: the list (hr, admin, shop leaders), and create/edit forms (hr, admin).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::layout::role_label;
use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html, see_other};
use crate::accounts::domain::{Level, Principal, Role};
use crate::accounts::service::locations;
use crate::accounts::service::people::{self, PersonChange, PersonDraft};
use crate::accounts::storage::locations::Location;
use crate::accounts::storage::users::{UserFilter, UserRow};
use crate::authz::{self, Action};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

pub struct PersonLine {
    pub id: i32,
    pub name: String,
    pub login: String,
    pub role_label: &'static str,
    pub location: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    layout: Option<&'a Layout>,
    people: Vec<PersonLine>,
    locations: Vec<Location>,
    selected_location: Option<i32>,
    can_filter: bool,
    can_create: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    location_id: Option<String>,
}

fn location_name(locations: &[Location], id: Option<i32>) -> String {
    id.and_then(|id| locations.iter().find(|l| l.id == id))
        .map_or_else(|| "—".to_owned(), |l| l.name.clone())
}

fn line(row: UserRow, locations: &[Location]) -> PersonLine {
    let role = row.role.parse().unwrap_or(Role::Staff);
    let level = row.level.parse().unwrap_or(Level::Trainee);
    PersonLine {
        id: row.id,
        location: location_name(locations, row.location_id),
        name: row.name,
        login: row.login,
        role_label: role_label(role, level),
        active: row.active,
    }
}

#[handler]
pub async fn list(
    req: &Request,
    Data(state): Data<&AppState>,
    Query(query): Query<ListQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let fail = |e| PageError::new(page.layout("/users"), e);
        let scope = authz::people_scope(who).map_err(fail)?;
        let selected = query.location_id.and_then(|v| v.parse().ok());
        let filter = UserFilter {
            location_id: selected,
            ..Default::default()
        };
        let rows = people::list(state, who, filter).await.map_err(fail)?;
        let all_locations = locations::list(state, who).await.map_err(fail)?;
        let layout = page.layout("/users");
        Ok(html(UsersPage {
            layout: Some(&layout),
            people: rows.into_iter().map(|r| line(r, &all_locations)).collect(),
            locations: all_locations,
            selected_location: selected,
            can_filter: scope == authz::PeopleScope::Everyone,
            can_create: authz::allows(who, Action::CreatePerson(Role::Staff)),
        }))
    })
    .await
}

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserFormPage<'a> {
    layout: Option<&'a Layout>,
    /// `None` for a new person.
    id: Option<i32>,
    editable: bool,
    form: UserForm,
    roles: Vec<Choice>,
    levels: Vec<Choice>,
    locations: Vec<Location>,
    errors: Vec<FieldError>,
    notice: Option<&'a str>,
}

impl UserFormPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
    }

    fn general_errors(&self) -> Vec<&str> {
        let known = ["login", "name", "role", "level", "location_id", "password"];
        self.errors
            .iter()
            .filter(|e| !e.field.as_deref().is_some_and(|f| known.contains(&f)))
            .map(|e| e.message.as_str())
            .collect()
    }

    fn location_selected(&self, id: &i32) -> bool {
        self.form.location_id == id.to_string()
    }
}

/// The form's fields as typed, so a rejected form comes back filled in.
#[derive(Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    location_id: String,
    #[serde(default)]
    password: String,
    active: Option<String>,
}

impl UserForm {
    fn of(row: &UserRow) -> UserForm {
        UserForm {
            login: row.login.clone(),
            name: row.name.clone(),
            role: row.role.clone(),
            level: row.level.clone(),
            location_id: row.location_id.map(|i| i.to_string()).unwrap_or_default(),
            active: row.active.then(|| "on".to_owned()),
            ..Default::default()
        }
    }

    fn location(&self) -> Option<i32> {
        self.location_id.parse().ok()
    }
}

/// Roles the person may hand out.
fn assignable_roles(who: &Principal) -> Vec<Choice> {
    Role::ALL
        .into_iter()
        .filter(|r| authz::allows(who, Action::CreatePerson(*r)))
        .map(|r| Choice {
            value: r.as_str(),
            label: r.label_ru(),
        })
        .collect()
}

fn levels() -> Vec<Choice> {
    Level::ALL
        .into_iter()
        .map(|l| Choice {
            value: l.as_str(),
            label: l.label_ru(),
        })
        .collect()
}

/// What a user form shows besides the reference lists.
struct FormView<'a> {
    /// `None` for a new person.
    id: Option<i32>,
    editable: bool,
    form: UserForm,
    errors: Vec<FieldError>,
    notice: Option<&'a str>,
    status: StatusCode,
}

impl FormView<'_> {
    fn fresh(id: Option<i32>, editable: bool, form: UserForm) -> Self {
        FormView {
            id,
            editable,
            form,
            errors: Vec::new(),
            notice: None,
            status: StatusCode::OK,
        }
    }

    /// The form sent back with the service's complaints; the password is never echoed.
    fn rejected(id: Option<i32>, form: UserForm, err: AppError) -> Self {
        FormView {
            id,
            editable: true,
            form: UserForm {
                password: String::new(),
                ..form
            },
            errors: errors_of(err),
            notice: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

async fn render_form(state: &AppState, page: &PageSession, view: FormView<'_>) -> PageResult {
    let layout = page.layout("/users");
    let all_locations = locations::list(state, &page.principal)
        .await
        .map_err(|e| PageError::new(page.layout("/users"), e))?;
    let status = view.status;
    let page = UserFormPage {
        layout: Some(&layout),
        id: view.id,
        editable: view.editable,
        form: view.form,
        roles: assignable_roles(&page.principal),
        levels: levels(),
        locations: all_locations,
        errors: view.errors,
        notice: view.notice,
    };
    Ok(html(page).with_status(status).into_response())
}

#[handler]
pub async fn new_form(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        authz::require(&page.principal, Action::CreatePerson(Role::Staff))
            .map_err(|e| PageError::new(page.layout("/users"), e))?;
        let form = UserForm {
            role: "staff".into(),
            level: "trainee".into(),
            location_id: page
                .principal
                .location_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            ..Default::default()
        };
        render_form(state, &page, FormView::fresh(None, true, form)).await
    })
    .await
}

#[handler]
pub async fn create(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<UserForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/users"), e))?;
        let draft = PersonDraft {
            login: &form.login,
            name: &form.name,
            role: &form.role,
            level: Some(&form.level),
            location_id: form.location(),
            password: &form.password,
        };
        match people::create(state, &page.principal, draft).await {
            Ok(row) => Ok(see_other(&format!("/users/{}?created=1", row.id))),
            Err(err) if err.status.is_client_error() && err.status != StatusCode::FORBIDDEN => {
                render_form(state, &page, FormView::rejected(None, form, err)).await
            }
            Err(err) => Err(PageError::new(page.layout("/users"), err)),
        }
    })
    .await
}

fn errors_of(err: AppError) -> Vec<FieldError> {
    if err.errors.is_empty() {
        vec![FieldError {
            field: None,
            file: None,
            line: None,
            column: None,
            message: err.detail,
        }]
    } else {
        err.errors
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    created: Option<String>,
    saved: Option<String>,
}

#[handler]
pub async fn edit_form(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Query(query): Query<ShowQuery>,
) -> Response {
    signed_in(state, req, |page| async move {
        let row = people::get(state, &page.principal, id)
            .await
            .map_err(|e| PageError::new(page.layout("/users"), e))?;
        let editable = can_edit(&page.principal, &row);
        let notice = if query.created.is_some() {
            Some("Сотрудник добавлен.")
        } else if query.saved.is_some() {
            Some("Изменения сохранены.")
        } else {
            None
        };
        render_form(
            state,
            &page,
            FormView {
                notice,
                ..FormView::fresh(Some(id), editable, UserForm::of(&row))
            },
        )
        .await
    })
    .await
}

fn can_edit(who: &Principal, row: &UserRow) -> bool {
    people::person_ref(row).is_ok_and(|person| {
        authz::allows(
            who,
            Action::EditPerson {
                person,
                new_role: person.role,
            },
        )
    })
}

#[handler]
pub async fn update(
    req: &Request,
    Data(state): Data<&AppState>,
    Path(id): Path<i32>,
    Form(form): Form<UserForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/users"), e))?;
        let change = PersonChange {
            name: Some(&form.name),
            role: Some(&form.role),
            level: Some(&form.level),
            location_id: Some(form.location()),
            active: Some(form.active.is_some()),
            password: Some(form.password.as_str()).filter(|p| !p.is_empty()),
        };
        match people::update(state, &page.principal, id, change).await {
            Ok(_) => Ok(see_other(&format!("/users/{id}?saved=1"))),
            Err(err)
                if err.status.is_client_error()
                    && err.status != StatusCode::FORBIDDEN
                    && err.status != StatusCode::NOT_FOUND =>
            {
                render_form(state, &page, FormView::rejected(Some(id), form, err)).await
            }
            Err(err) => Err(PageError::new(page.layout("/users"), err)),
        }
    })
    .await
}
