//! How API requests prove who they are.
//!
//! API clients send `Authorization: Bearer <token>`. The web pages' own scripts may use
//! the HttpOnly session cookie instead; a cookie-authenticated request that changes
//! anything must also carry the page's CSRF token in `X-CSRF-Token`, because browsers
//! attach cookies to requests other sites trigger.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::{ApiKey, Bearer};

use crate::accounts::domain::{Principal, token};
use crate::accounts::service::auth::authenticate;
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "zhmp_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Bearer token from `POST /api/v1/auth/login`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_bearer")]
pub struct BearerAuth(Principal);

/// The web pages' session cookie (`X-CSRF-Token` required on writes).
#[derive(SecurityScheme)]
#[oai(
    ty = "api_key",
    key_name = "zhmp_session",
    key_in = "cookie",
    checker = "check_cookie"
)]
pub struct CookieAuth(Principal);

/// Any signed-in person, by bearer token or session cookie.
#[derive(SecurityScheme)]
pub enum Auth {
    Bearer(BearerAuth),
    Cookie(CookieAuth),
}

impl Auth {
    pub fn principal(&self) -> &Principal {
        match self {
            Auth::Bearer(BearerAuth(p)) | Auth::Cookie(CookieAuth(p)) => p,
        }
    }
}

fn state(req: &Request) -> poem::Result<&AppState> {
    req.data::<AppState>()
        .ok_or_else(|| AppError::internal("application state missing").into())
}

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Principal> {
    authenticate(state(req)?, &bearer.token)
        .await?
        .ok_or_else(|| AppError::unauthorized().into())
}

async fn check_cookie(req: &Request, key: ApiKey) -> poem::Result<Principal> {
    let principal = authenticate(state(req)?, &key.key)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let safe = req.method().is_safe();
    if !safe {
        let expected = token::csrf_for_session(&key.key);
        let given = req.header(CSRF_HEADER).unwrap_or_default();
        let matches: bool =
            subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.as_bytes()).into();
        if !matches {
            return Err(AppError::new(
                poem::http::StatusCode::FORBIDDEN,
                "csrf_failed",
                "Cookie-authenticated writes need the page's X-CSRF-Token header.",
            )
            .into());
        }
    }
    Ok(principal)
}
