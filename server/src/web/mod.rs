//! Server-rendered pages for phones: Russian, no JavaScript needed, templates checked at
//! compile time (askama), assets embedded in the binary.
//!
//! Pages authenticate with the HttpOnly session cookie and protect every form post with a
//! CSRF token (see `session`). Each page checks the same `crate::authz` policy as the API.

pub mod assets;
mod assignment_view;
mod audit_page;
mod campaign_form;
mod card_editor;
mod card_history;
mod card_view;
mod cards;
mod career_pages;
mod content_page;
mod layout;
mod locations;
mod login;
mod onboarding_page;
mod person_page;
mod profile;
mod programs_page;
mod questions_page;
mod reports_page;
mod search_page;
mod session;
mod signoff_page;
mod test_question;
mod test_review;
mod tests_page;
mod users;

use askama::Template;
use poem::http::StatusCode;
use poem::{IntoResponse, Response, Route, get, post};

pub use layout::Layout;

use crate::error::{AppError, from_poem_error};

pub fn routes() -> Route {
    Route::new()
        .at("/", get(profile::home))
        .at("/login", get(login::show).post(login::submit))
        .at("/logout", post(login::logout))
        .at("/profile", get(profile::show))
        .at("/profile/password", post(profile::change_password))
        .at("/users", get(users::list))
        .at("/users/new", get(users::new_form).post(users::create))
        .at("/users/:id", get(users::edit_form).post(users::update))
        .at("/locations", get(locations::list))
        .at(
            "/locations/new",
            get(locations::new_form).post(locations::create),
        )
        .at(
            "/locations/:id",
            get(locations::edit_form).post(locations::update),
        )
        .at("/locations/:id/delete", post(locations::delete))
        .at("/cards", get(cards::list))
        .at(
            "/cards/new",
            get(card_editor::new_form).post(card_editor::create),
        )
        .at("/cards/:id", get(cards::show))
        .at(
            "/cards/:id/edit",
            get(card_editor::edit_form).post(card_editor::update),
        )
        .at("/cards/:id/ack", post(cards::ack))
        .at("/cards/:id/history", get(card_history::history))
        .at("/cards/:id/diff", get(card_history::diff))
        .at("/cards/:id/reading", get(card_history::readers))
        .at("/to-read", get(cards::to_read))
        .at("/search", get(search_page::search))
        .at("/content/errors", get(content_page::errors))
        .at("/content/reload", post(content_page::reload))
        .at("/questions", get(questions_page::list))
        .at(
            "/questions/:id/disabled",
            post(questions_page::set_disabled),
        )
        .at("/tests", get(tests_page::list))
        .at(
            "/tests/new",
            get(campaign_form::new_form).post(campaign_form::create),
        )
        .at("/tests/:id/start", post(tests_page::start))
        .at("/tests/:id/statistics", get(test_review::statistics))
        .at(
            "/attempts/:id/submit",
            get(tests_page::submit_form).post(tests_page::submit),
        )
        .at("/attempts/:id/review", get(test_review::review))
        .at("/onboarding", get(onboarding_page::mine))
        .at(
            "/onboarding/:id/practice/:item",
            post(onboarding_page::practice),
        )
        .at("/mentor", get(onboarding_page::mentor))
        .at(
            "/assignments/:id/signoff/:item",
            get(signoff_page::sign_off_form).post(signoff_page::sign_off),
        )
        .at(
            "/assignments/:id/attend/:item",
            get(signoff_page::attend_form).post(signoff_page::attend),
        )
        .at("/people/:id", get(person_page::show))
        .at("/people/:id/interview", post(person_page::interview))
        .at("/people/:id/promote", post(person_page::promote))
        .at("/people/:id/assign", post(person_page::assign))
        .at("/certificates/:id", get(career_pages::certificate))
        .at("/hr", get(career_pages::hr))
        .at("/reports", get(reports_page::dashboard))
        .at("/audit", get(audit_page::log))
        .at("/programs", get(programs_page::list))
        .at("/programs/:id", get(programs_page::show))
        .at(
            "/programs/:id/edit",
            get(programs_page::edit_form).post(programs_page::update),
        )
        .at(
            "/attempts/:id/:n",
            get(test_question::question).post(test_question::answer),
        )
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Option<&'a Layout>,
    status: u16,
    heading: &'a str,
    message: &'a str,
}

/// A page request that failed: the error and, when the person is known, the layout to
/// show it in. Boxed because page handlers pass it around as the `Err` of a `Result`.
pub(crate) struct PageError(Box<(Option<Layout>, AppError)>);

impl PageError {
    pub(crate) fn new(layout: Layout, error: AppError) -> PageError {
        PageError(Box::new((Some(layout), error)))
    }

    pub(crate) fn render(self) -> Response {
        let (layout, error) = *self.0;
        render_error(layout.as_ref(), &error)
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// A Russian error page for a failed page request.
pub fn error_page(err: &poem::Error) -> Response {
    render_error(None, &from_poem_error(err))
}

pub(crate) fn render_error(layout: Option<&Layout>, err: &AppError) -> Response {
    let (heading, message) = match err.status {
        StatusCode::FORBIDDEN => ("Нет доступа", "Эта страница недоступна для вашей роли."),
        StatusCode::NOT_FOUND => (
            "Страница не найдена",
            "Проверьте адрес или вернитесь на главную.",
        ),
        StatusCode::UNAUTHORIZED => ("Нужно войти", "Войдите, чтобы продолжить."),
        s if s.is_client_error() => (
            "Неверный запрос",
            "Форма устарела или заполнена неверно. Обновите страницу и попробуйте ещё раз.",
        ),
        _ => (
            "Что-то пошло не так",
            "Ошибка на сервере. Мы её записали; попробуйте позже.",
        ),
    };
    let page = ErrorPage {
        layout,
        status: err.status.as_u16(),
        heading,
        message,
    };
    html(page).with_status(err.status).into_response()
}

/// Renders a template into an HTML response.
pub(crate) fn html(template: impl Template) -> Response {
    match template.render() {
        Ok(body) => poem::web::Html(body).into_response(),
        Err(err) => {
            AppError::internal(format!("template: {err}"));
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// 303 See Other: the answer to a successful form post.
pub(crate) fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header("location", location)
        .finish()
}

/// A form shown again with its problems: 422, so tests and tools see the refusal.
pub(crate) fn unprocessable(mut response: Response) -> Response {
    response.set_status(StatusCode::UNPROCESSABLE_ENTITY);
    response
}
