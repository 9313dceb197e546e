//! Managing people's accounts.

use sea_orm::Set;

use crate::accounts::domain::{DisplayName, Level, Login, NewPassword, Principal, Role};
use crate::accounts::storage::users::{self, NewUser, UserFilter, UserRow};
use crate::accounts::storage::{locations, sessions};
use crate::authz::{self, Action, PeopleScope, PersonRef};
use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// A new account as typed by a person: raw text, validated here.
pub struct PersonDraft<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub level: Option<&'a str>,
    pub location_id: Option<i32>,
    pub password: &'a str,
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Default)]
pub struct PersonChange<'a> {
    pub name: Option<&'a str>,
    pub role: Option<&'a str>,
    pub level: Option<&'a str>,
    /// `Some(None)` moves the person out of any location.
    pub location_id: Option<Option<i32>>,
    pub active: Option<bool>,
    pub password: Option<&'a str>,
}

/// Collects every field error of a form before answering, so a person fixes all at once.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        parsed
            .map_err(|m| self.0.push(FieldError::field(field, m)))
            .ok()
    }

    fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.0))
        }
    }
}

fn parse_word<T: std::str::FromStr>(raw: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    raw.parse().map_err(|e: T::Err| e.to_string())
}

pub fn person_ref(row: &UserRow) -> Result<PersonRef, AppError> {
    Ok(PersonRef {
        id: row.id,
        role: row.role.parse().map_err(AppError::internal)?,
        location_id: row.location_id,
    })
}

async fn check_location(
    state: &AppState,
    problems: &mut Problems,
    id: Option<i32>,
) -> Result<(), AppError> {
    if let Some(id) = id
        && locations::get(&state.db, id).await?.is_none()
    {
        problems.0.push(FieldError::field(
            "location_id",
            format!("нет кофейни с номером {id}"),
        ));
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    who: &Principal,
    draft: PersonDraft<'_>,
) -> Result<UserRow, AppError> {
    let mut problems = Problems::default();
    let role = problems.check("role", parse_word::<Role>(draft.role));
    if let Some(role) = role {
        authz::require(who, Action::CreatePerson(role))?;
    } else if !authz::allows(who, Action::CreatePerson(Role::Staff)) {
        return Err(AppError::forbidden());
    }
    let login = problems.check("login", Login::parse(draft.login));
    let name = problems.check("name", DisplayName::parse(draft.name));
    let level = problems.check(
        "level",
        parse_word::<Level>(draft.level.unwrap_or("trainee")),
    );
    let password = problems.check("password", NewPassword::parse(draft.password));
    check_location(state, &mut problems, draft.location_id).await?;
    problems.finish()?;
    let (Some(login), Some(name), Some(role), Some(level), Some(password)) =
        (login, name, role, level, password)
    else {
        unreachable!("every field parsed when there are no problems");
    };
    insert_validated(
        state,
        &login,
        &name,
        role,
        level,
        draft.location_id,
        &password,
    )
    .await
}

/// Inserts an account whose fields are already valid (also used by the CLI and bootstrap).
pub async fn insert_validated(
    state: &AppState,
    login: &Login,
    name: &DisplayName,
    role: Role,
    level: Level,
    location_id: Option<i32>,
    password: &NewPassword,
) -> Result<UserRow, AppError> {
    let password_hash = state.hasher.hash(password.expose()).await?;
    users::insert(
        &state.db,
        NewUser {
            login: login.as_str(),
            name: name.as_str(),
            role: role.as_str(),
            level: level.as_str(),
            location_id,
            password_hash,
        },
    )
    .await
    .map_err(|e| super::unique_or_internal(e, "login_taken", "login", "этот логин уже занят"))
}

pub async fn list(
    state: &AppState,
    who: &Principal,
    mut filter: UserFilter,
) -> Result<Vec<UserRow>, AppError> {
    match authz::people_scope(who)? {
        PeopleScope::Everyone => {}
        PeopleScope::Location(own) => {
            if filter.location_id.is_some_and(|asked| asked != own) {
                return Err(AppError::forbidden());
            }
            filter.location_id = Some(own);
        }
    }
    Ok(users::list(&state.db, &filter).await?)
}

/// Loads a person the principal may see: 404 when there is no such id, 403 when the person
/// exists but is out of the principal's reach (ids are sequential, not secrets).
pub async fn get(state: &AppState, who: &Principal, id: i32) -> Result<UserRow, AppError> {
    let row = users::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    authz::require(who, Action::ViewPerson(person_ref(&row)?))?;
    Ok(row)
}

pub async fn update(
    state: &AppState,
    who: &Principal,
    id: i32,
    change: PersonChange<'_>,
) -> Result<UserRow, AppError> {
    let row = users::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("user"))?;
    let person = person_ref(&row)?;
    let mut problems = Problems::default();
    let name = change
        .name
        .map(|n| problems.check("name", DisplayName::parse(n)));
    let role = change
        .role
        .map(|r| problems.check("role", parse_word::<Role>(r)));
    let level = change
        .level
        .map(|l| problems.check("level", parse_word::<Level>(l)));
    let password = change
        .password
        .map(|p| problems.check("password", NewPassword::parse(p)));
    let new_role = role.flatten().unwrap_or(person.role);
    authz::require(who, Action::EditPerson { person, new_role })?;
    if let Some(location_id) = change.location_id {
        check_location(state, &mut problems, location_id).await?;
    }
    problems.finish()?;

    let loses_admin = person.role == Role::Admin
        && row.active
        && (new_role != Role::Admin || change.active == Some(false));
    if loses_admin && users::count_active_admins(&state.db).await? <= 1 {
        return Err(AppError::conflict(
            "last_admin",
            "This is the last active administrator; appoint another one first.",
        ));
    }
    let password_hash = match password.flatten() {
        Some(p) => Some(state.hasher.hash(p.expose()).await?),
        None => None,
    };
    let revoke = change.active == Some(false) || password_hash.is_some();
    let row_level: Level = row.level.parse().unwrap_or(Level::Trainee);
    let saved = users::save(&state.db, row, |m| {
        if let Some(Some(name)) = name {
            m.name = Set(name.as_str().to_owned());
        }
        if role.is_some() {
            m.role = Set(new_role.as_str().to_owned());
        }
        if let Some(Some(level)) = level {
            m.level = Set(level.as_str().to_owned());
        }
        if let Some(location_id) = change.location_id {
            m.location_id = Set(location_id);
        }
        if let Some(active) = change.active {
            m.active = Set(active);
        }
        if let Some(hash) = password_hash {
            m.password_hash = Set(hash);
        }
    })
    .await?;
    let old_level: Level = row_level;
    let new_level: Level = saved.level.parse().unwrap_or(old_level);
    if new_role != person.role {
        crate::reports::service::audit::record(
            state,
            Some(who.user_id),
            crate::reports::service::audit::ROLE_CHANGED,
            Some(saved.id),
            format!("{} → {}", person.role.as_str(), new_role.as_str()),
        )
        .await;
    }
    if new_level != old_level {
        crate::reports::service::audit::record(
            state,
            Some(who.user_id),
            crate::reports::service::audit::LEVEL_CHANGED,
            Some(saved.id),
            format!("{} → {}", old_level.as_str(), new_level.as_str()),
        )
        .await;
        crate::certification::service::promotion::level_changed(
            state,
            saved.id,
            old_level,
            new_level,
            Some(who.user_id),
            state.clock.now(),
        )
        .await?;
    }
    if revoke {
        // A deactivated person or a reset password must not leave old phones signed in.
        sessions::delete_for_user(&state.db, id).await?;
    }
    // Role, level, location or status may have changed: no stale principal may survive.
    state.sessions.clear();
    Ok(saved)
}

/// Changes one's own password after checking the current one; other sessions end.
pub async fn change_own_password(
    state: &AppState,
    who: &Principal,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    authz::require(who, Action::OwnProfile)?;
    let row = users::get(&state.db, who.user_id)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let new = NewPassword::parse(new)
        .map_err(|m| AppError::validation(vec![FieldError::field("new_password", m)]))?;
    if !state
        .hasher
        .verify(current, Some(&row.password_hash))
        .await?
    {
        return Err(AppError::validation(vec![FieldError::field(
            "current_password",
            "текущий пароль указан неверно",
        )]));
    }
    let hash = state.hasher.hash(new.expose()).await?;
    users::set_password_hash(&state.db, who.user_id, hash).await?;
    sessions::delete_for_user_except(&state.db, who.user_id, who.session_id).await?;
    state.sessions.clear();
    Ok(())
}
