//! Signing in and out, and resolving a token to a principal.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::accounts::domain::{Principal, token};
use crate::accounts::storage::sessions;
use crate::accounts::storage::users::{self, UserRow};
use crate::error::AppError;
use crate::state::AppState;

pub struct LoggedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserRow,
}

/// Checks a login and password and opens a session. Every failure looks the same to the
/// client and costs the same time, whether the login exists or not.
pub async fn login(
    state: &AppState,
    login: &str,
    password: &str,
    address: Option<IpAddr>,
) -> Result<LoggedIn, AppError> {
    let login = login.trim().to_lowercase();
    if let Some(wait) = state.limiter.check(&login, address) {
        state.limiter.hold_refusal().await;
        return Err(AppError::too_many_requests(wait));
    }
    let user = users::find_by_login(&state.db, &login).await?;
    let stored = user
        .as_ref()
        .filter(|u| u.active)
        .map(|u| u.password_hash.as_str());
    let valid = state.hasher.verify(password, stored).await?;
    let user = match (valid, user) {
        (true, Some(user)) => user,
        _ => {
            state.limiter.record_failure(&login, address);
            tracing::info!(login = %login, "failed login");
            return Err(AppError::invalid_credentials());
        }
    };
    let token = token::generate();
    let expires_at = Utc::now() + Duration::days(token::SESSION_DAYS);
    sessions::insert(&state.db, user.id, token::hash(&token), expires_at).await?;
    tracing::info!(login = %user.login, "signed in");
    Ok(LoggedIn {
        token,
        expires_at,
        user,
    })
}

/// Resolves a bearer token or session cookie. `Ok(None)` for unknown, expired or revoked
/// tokens and for deactivated users.
pub async fn authenticate(
    state: &AppState,
    raw_token: &str,
) -> Result<Option<Principal>, AppError> {
    if raw_token.is_empty() || raw_token.len() > 128 {
        return Ok(None);
    }
    let token_hash = token::hash(raw_token);
    if let Some(principal) = state.sessions.get(&token_hash) {
        return Ok(Some(principal));
    }
    let now = Utc::now();
    let Some((session, user)) = sessions::find_live(&state.db, &token_hash, now).await? else {
        return Ok(None);
    };
    let lifetime = Duration::days(token::SESSION_DAYS);
    let mut expires_at = session.expires_at;
    if sessions::needs_extension(expires_at, now, lifetime) {
        expires_at = now + lifetime;
        sessions::extend(&state.db, session.id, expires_at).await?;
    }
    let principal = principal_of(&user, session.id)?;
    state
        .sessions
        .put(token_hash, principal.clone(), expires_at);
    Ok(Some(principal))
}

pub fn principal_of(user: &UserRow, session_id: i32) -> Result<Principal, AppError> {
    Ok(Principal {
        user_id: user.id,
        login: user.login.clone(),
        name: user.name.clone(),
        role: user.role.parse().map_err(AppError::internal)?,
        level: user.level.parse().map_err(AppError::internal)?,
        location_id: user.location_id,
        session_id,
    })
}

pub async fn logout(state: &AppState, who: &Principal) -> Result<(), AppError> {
    sessions::delete(&state.db, who.session_id).await?;
    state.sessions.clear();
    Ok(())
}

/// Removes expired sessions and idle rate-limit state; run periodically by the server.
pub async fn housekeeping(state: &AppState) -> Result<u64, AppError> {
    state.limiter.forget_idle();
    Ok(sessions::delete_expired(&state.db, Utc::now()).await?)
}
