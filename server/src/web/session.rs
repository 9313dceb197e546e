//! Page sessions and CSRF.
//!
//! After sign-in the browser holds `zhmp_session` (HttpOnly, SameSite=Lax). Forms carry a
//! `csrf` field derived from that secret (`token::csrf_for_session`). The sign-in form has
//! no session yet, so it uses a double-submit cookie instead: a random value both in a
//! SameSite=Strict cookie and in the form, which another site can neither read nor set.

use poem::Request;
use subtle::ConstantTimeEq;

use poem::Response;

use super::Layout;
use crate::accounts::domain::{Principal, token};
use crate::accounts::service::auth::authenticate;
use crate::error::AppError;
use crate::http::auth::SESSION_COOKIE;
use crate::state::AppState;

pub const LOGIN_CSRF_COOKIE: &str = "zhmp_login_csrf";

pub struct PageSession {
    pub principal: Principal,
    pub csrf: String,
}

impl PageSession {
    pub fn layout(&self, current: &'static str) -> Layout {
        Layout::new(&self.principal, &self.csrf, current)
    }

    /// Checks the `csrf` field of a posted form.
    pub fn check_csrf(&self, given: &str) -> Result<(), AppError> {
        if same(&self.csrf, given) {
            Ok(())
        } else {
            Err(AppError::new(
                poem::http::StatusCode::FORBIDDEN,
                "csrf_failed",
                "The form's CSRF token does not match the session.",
            ))
        }
    }
}

pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Reads one cookie from the request's Cookie header.
pub fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The signed-in person of a page request, or `None` when they must sign in.
pub async fn current(state: &AppState, req: &Request) -> Result<Option<PageSession>, AppError> {
    let Some(raw) = cookie(req, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(authenticate(state, raw)
        .await?
        .map(|principal| PageSession {
            principal,
            csrf: token::csrf_for_session(raw),
        }))
}

pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn login_csrf_cookie(value: &str, secure: bool) -> String {
    format!(
        "{LOGIN_CSRF_COOKIE}={value}; Path=/login; Max-Age=7200; HttpOnly; SameSite=Strict{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Runs a page handler for a signed-in person; anyone else is sent to the login page.
pub(crate) async fn signed_in<F, Fut>(state: &AppState, req: &Request, page: F) -> Response
where
    F: FnOnce(PageSession) -> Fut,
    Fut: std::future::Future<Output = super::PageResult>,
{
    match current(state, req).await {
        Ok(Some(session)) => match page(session).await {
            Ok(response) => response,
            Err(failure) => failure.render(),
        },
        Ok(None) => super::see_other("/login"),
        Err(err) => super::render_error(None, &err),
    }
}
