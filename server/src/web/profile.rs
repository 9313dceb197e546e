//! The home page (per role) and the profile with password change.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::layout::role_label;
use super::session::{PageSession, signed_in};
use super::{Layout, PageError, PageResult, html};
use crate::accounts::domain::{Principal, Role};
use crate::accounts::service::{locations, people};
use crate::accounts::storage::users::UserFilter;
use crate::authz;
use crate::cards::service::reading;
use crate::error::{AppError, FieldError};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    layout: Option<&'a Layout>,
    greeting_name: &'a str,
    role: Role,
    role_text: &'a str,
    location: Option<String>,
    people_count: Option<usize>,
    location_count: Option<usize>,
    /// Staff only: mandatory cards still to confirm.
    to_read_count: Option<usize>,
    /// The running programme: (title, percent, overdue, next item).
    programme: Option<(String, u32, usize, Option<String>)>,
    /// Mentors: (trainees, skills waiting for a sign-off).
    mentees: Option<(usize, usize)>,
    user_id: i32,
}

fn role_text(who: &Principal) -> &'static str {
    match who.role {
        Role::Staff if who.level == crate::accounts::domain::Level::Leader => {
            "Вы управляете кофейней: вам видны сотрудники вашей точки и их прогресс."
        }
        Role::Staff => {
            "Здесь вы изучаете стандарты, проходите квартальные тесты и видите свои результаты."
        }
        Role::Trainer => "Вы пишете стандарты и вопросы тестов и видите статистику по вопросам.",
        Role::Hr => {
            "Вам видны все сотрудники и результаты по всем кофейням; вы управляете учётными записями."
        }
        Role::Admin => {
            "Вы администратор: доступны все разделы и управление любыми учётными записями."
        }
    }
}

#[handler]
pub async fn home(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        let who = &page.principal;
        let layout = page.layout("/");
        let fail = |e: AppError| PageError::new(page.layout("/"), e);
        let location = match who.location_id {
            Some(id) => Some(locations::get(state, who, id).await.map_err(fail)?.name),
            None => None,
        };
        let people_count = match authz::people_scope(who) {
            Ok(_) => Some(
                people::list(state, who, active_only())
                    .await
                    .map_err(fail)?
                    .len(),
            ),
            Err(_) => None,
        };
        let location_count = if authz::allows(who, authz::Action::ManageLocations) {
            Some(locations::list(state, who).await.map_err(fail)?.len())
        } else {
            None
        };
        let to_read_count = if who.role == Role::Staff {
            Some(reading::to_read(state, who).await.map_err(fail)?.len())
        } else {
            None
        };
        let mine = crate::onboarding::service::assignments::of_person(state, who, who.user_id)
            .await
            .map_err(fail)?;
        let titles = crate::onboarding::api::card_titles(state)
            .await
            .map_err(fail)?;
        let programme = mine.iter().find(|v| v.is_running()).map(|v| {
            let next = v.progress.next().first().and_then(|p| {
                v.program
                    .item(&p.item_id)
                    .map(|i| crate::onboarding::api::item_title(i, &titles))
            });
            (
                v.program.title.clone(),
                v.progress.percent,
                v.progress.overdue,
                next,
            )
        });
        let mentees = crate::onboarding::service::assignments::mentees(state, who)
            .await
            .map_err(fail)?;
        let mentees = (!mentees.is_empty()).then(|| {
            (
                mentees.len(),
                mentees
                    .iter()
                    .map(crate::onboarding::api::pending_signoffs)
                    .sum(),
            )
        });
        Ok(html(HomePage {
            layout: Some(&layout),
            greeting_name: &who.name,
            role: who.role,
            role_text: role_text(who),
            location,
            people_count,
            location_count,
            to_read_count,
            programme,
            mentees,
            user_id: who.user_id,
        }))
    })
    .await
}

fn active_only() -> UserFilter {
    UserFilter {
        active: Some(true),
        ..Default::default()
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Option<&'a Layout>,
    login: &'a str,
    name: &'a str,
    role_label: &'a str,
    location: Option<String>,
    notice: Option<&'a str>,
    errors: Vec<FieldError>,
}

impl ProfilePage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref() == Some(field))
            .map(|e| e.message.as_str())
    }
}

async fn render_profile(
    state: &AppState,
    page: &PageSession,
    notice: Option<&str>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> PageResult {
    let who = &page.principal;
    let layout = page.layout("/profile");
    let location = match who.location_id {
        Some(id) => Some(
            locations::get(state, who, id)
                .await
                .map_err(|e| PageError::new(page.layout("/profile"), e))?
                .name,
        ),
        None => None,
    };
    Ok(html(ProfilePage {
        layout: Some(&layout),
        login: &who.login,
        name: &who.name,
        role_label: role_label(who.role, who.level),
        location,
        notice,
        errors,
    })
    .with_status(status)
    .into_response())
}

#[handler]
pub async fn show(req: &Request, Data(state): Data<&AppState>) -> Response {
    signed_in(state, req, |page| async move {
        render_profile(state, &page, None, Vec::new(), StatusCode::OK).await
    })
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
    repeat_password: String,
}

#[handler]
pub async fn change_password(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<PasswordForm>,
) -> Response {
    signed_in(state, req, |page| async move {
        page.check_csrf(&form.csrf)
            .map_err(|e| PageError::new(page.layout("/profile"), e))?;
        if form.new_password != form.repeat_password {
            let errors = vec![FieldError::field("repeat_password", "пароли не совпадают")];
            return render_profile(state, &page, None, errors, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
        match people::change_own_password(
            state,
            &page.principal,
            &form.current_password,
            &form.new_password,
        )
        .await
        {
            Ok(()) => {
                render_profile(
                    state,
                    &page,
                    Some("Пароль изменён."),
                    Vec::new(),
                    StatusCode::OK,
                )
                .await
            }
            Err(err) if err.status == StatusCode::UNPROCESSABLE_ENTITY => {
                render_profile(state, &page, None, err.errors, err.status).await
            }
            Err(err) => Err(PageError::new(page.layout("/profile"), err)),
        }
    })
    .await
}
