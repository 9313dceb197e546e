//! Sign-in and sign-out pages.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, RemoteAddr};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::session::{self, LOGIN_CSRF_COOKIE};
use super::{Layout, html, render_error, see_other};
use crate::accounts::domain::token;
use crate::accounts::service::auth;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    layout: Option<&'a Layout>,
    csrf: &'a str,
    login: &'a str,
    error: Option<String>,
}

/// The login form. A signed-in visitor goes straight home.
#[handler]
pub async fn show(req: &Request, Data(state): Data<&AppState>) -> Response {
    match session::current(state, req).await {
        Ok(Some(_)) => return see_other("/"),
        Ok(None) => {}
        Err(err) => return render_error(None, &err),
    }
    let csrf = login_csrf(req);
    login_page(state, &csrf, "", None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    csrf: String,
}

#[handler]
pub async fn submit(
    req: &Request,
    Data(state): Data<&AppState>,
    remote: &RemoteAddr,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = session::cookie(req, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !session::same(expected, &form.csrf) {
        let fresh = token::generate();
        let message = "Форма устарела. Введите логин и пароль ещё раз.".to_owned();
        return login_page(
            state,
            &fresh,
            &form.login,
            Some(message),
            StatusCode::FORBIDDEN,
        );
    }
    let address = remote.as_socket_addr().map(|a| a.ip());
    match auth::login(state, &form.login, &form.password, address).await {
        Ok(done) => {
            let max_age = (done.expires_at - chrono::Utc::now()).num_seconds();
            let mut response = see_other("/");
            response.headers_mut().append(
                "set-cookie",
                session::session_cookie(&done.token, max_age, state.config.secure_cookies)
                    .parse()
                    .expect("cookie is ASCII"),
            );
            response
        }
        Err(err) if err.status == StatusCode::UNAUTHORIZED => {
            let message = "Неверный логин или пароль.".to_owned();
            login_page(
                state,
                expected,
                &form.login,
                Some(message),
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(err) if err.status == StatusCode::TOO_MANY_REQUESTS => {
            let wait = err.retry_after_secs.unwrap_or(60);
            let message =
                format!("Слишком много неудачных попыток. Попробуйте снова через {wait} с.");
            let mut response = login_page(
                state,
                expected,
                &form.login,
                Some(message),
                StatusCode::TOO_MANY_REQUESTS,
            );
            response
                .headers_mut()
                .insert("retry-after", wait.to_string().parse().expect("digits"));
            response
        }
        Err(err) => render_error(None, &err),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

#[handler]
pub async fn logout(
    req: &Request,
    Data(state): Data<&AppState>,
    Form(form): Form<LogoutForm>,
) -> Response {
    let page = match session::current(state, req).await {
        Ok(Some(page)) => page,
        Ok(None) => return see_other("/login"),
        Err(err) => return render_error(None, &err),
    };
    if let Err(err) = page.check_csrf(&form.csrf) {
        return render_error(None, &err);
    }
    if let Err(err) = auth::logout(state, &page.principal).await {
        return render_error(None, &err);
    }
    let mut response = see_other("/login");
    response.headers_mut().append(
        "set-cookie",
        session::session_cookie("", 0, state.config.secure_cookies)
            .parse()
            .expect("cookie is ASCII"),
    );
    response
}

/// Keeps the visitor's login-form token if they have a well-formed one, else makes one.
fn login_csrf(req: &Request) -> String {
    session::cookie(req, LOGIN_CSRF_COOKIE)
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(token::generate)
}

fn login_page(
    state: &AppState,
    csrf: &str,
    login: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let page = LoginPage {
        layout: None,
        csrf,
        login,
        error,
    };
    let mut response = html(page).with_status(status).into_response();
    response.headers_mut().append(
        "set-cookie",
        session::login_csrf_cookie(csrf, state.config.secure_cookies)
            .parse()
            .expect("cookie is ASCII"),
    );
    response
}
