//! Accounts made without a signed-in person: the first administrator, the CLI's
//! `user add` / `user passwd`, and the demo data.

use sea_orm::Set;

use crate::accounts::domain::{DisplayName, Level, Login, NewPassword, Role};
use crate::accounts::storage::users::{self, UserRow};
use crate::accounts::storage::{locations, sessions};
use crate::error::AppError;
use crate::state::AppState;

pub const FIRST_ADMIN_LOGIN: &str = "admin";

/// Makes sure someone can administer the server. With no active administrator, creates
/// (or re-enables) the `admin` account with a fresh random password and returns it, so
/// the caller can print it once.
pub async fn ensure_first_admin(state: &AppState) -> Result<Option<NewPassword>, AppError> {
    if users::count_active_admins(&state.db).await? > 0 {
        return Ok(None);
    }
    let password = NewPassword::generate();
    let hash = state.hasher.hash(password.expose()).await?;
    match users::find_by_login(&state.db, FIRST_ADMIN_LOGIN).await? {
        Some(existing) => {
            users::save(&state.db, existing, |m| {
                m.role = Set(Role::Admin.as_str().into());
                m.active = Set(true);
                m.password_hash = Set(hash);
            })
            .await?;
        }
        None => {
            users::insert(
                &state.db,
                users::NewUser {
                    login: FIRST_ADMIN_LOGIN,
                    name: "Администратор",
                    role: Role::Admin.as_str(),
                    level: Level::Leader.as_str(),
                    location_id: None,
                    password_hash: hash,
                },
            )
            .await?;
        }
    }
    Ok(Some(password))
}

/// What `zhmp user add` was given.
pub struct CliUser {
    pub login: String,
    pub role: String,
    pub name: Option<String>,
    pub level: Option<String>,
    /// A location's name or numeric id.
    pub location: Option<String>,
    pub password: String,
}

pub async fn add_user(state: &AppState, input: CliUser) -> anyhow::Result<UserRow> {
    let login = Login::parse(&input.login).map_err(anyhow::Error::msg)?;
    let role: Role = input.role.parse()?;
    let level: Level = input.level.as_deref().unwrap_or("trainee").parse()?;
    let name = DisplayName::parse(input.name.as_deref().unwrap_or(login.as_str()))
        .map_err(anyhow::Error::msg)?;
    let password = NewPassword::parse(&input.password).map_err(anyhow::Error::msg)?;
    let location_id = match input.location.as_deref() {
        None => None,
        Some(key) => Some(find_location(state, key).await?),
    };
    let row =
        super::people::insert_validated(state, &login, &name, role, level, location_id, &password)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    Ok(row)
}

async fn find_location(state: &AppState, key: &str) -> anyhow::Result<i32> {
    let by_id = match key.parse::<i32>() {
        Ok(id) => locations::get(&state.db, id).await?,
        Err(_) => None,
    };
    let found = match by_id {
        Some(found) => Some(found),
        None => locations::find_by_name(&state.db, key).await?,
    };
    match found {
        Some(location) => Ok(location.id),
        None => {
            let known: Vec<String> = locations::list(&state.db)
                .await?
                .into_iter()
                .map(|l| format!("{} ({})", l.name, l.id))
                .collect();
            anyhow::bail!(
                "no location «{key}»; known locations: {}",
                if known.is_empty() {
                    "none yet".into()
                } else {
                    known.join(", ")
                }
            )
        }
    }
}

/// Sets a password from the CLI and signs the person out everywhere.
pub async fn set_password(state: &AppState, login: &str, password: &str) -> anyhow::Result<()> {
    let password = NewPassword::parse(password).map_err(anyhow::Error::msg)?;
    let login = Login::parse(login).map_err(anyhow::Error::msg)?;
    let row = users::find_by_login(&state.db, login.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no user «{}»", login.as_str()))?;
    let hash = state
        .hasher
        .hash(password.expose())
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    users::set_password_hash(&state.db, row.id, hash).await?;
    sessions::delete_for_user(&state.db, row.id).await?;
    state.sessions.clear();
    Ok(())
}

pub struct DemoAccount {
    pub login: &'static str,
    pub role: Role,
    pub level: Level,
    pub password: NewPassword,
}

const DEMO_LOCATIONS: [(&str, &str); 2] = [
    ("Кофейня на Садовой", "Москва"),
    ("Кофейня у Невского", "Санкт-Петербург"),
];

const DEMO_PEOPLE: [(&str, &str, Role, Level, Option<usize>); 6] = [
    (
        "demo-staff",
        "Мария Бариста",
        Role::Staff,
        Level::Barista,
        Some(0),
    ),
    (
        "demo-leader",
        "Олег Управляющий",
        Role::Staff,
        Level::Leader,
        Some(0),
    ),
    (
        "demo-trainer",
        "Ирина Тренер",
        Role::Trainer,
        Level::Senior,
        None,
    ),
    ("demo-hr", "Светлана Кадры", Role::Hr, Level::Senior, None),
    (
        "demo-admin",
        "Денис Админ",
        Role::Admin,
        Level::Leader,
        None,
    ),
    (
        "demo-trainee",
        "Артём Стажёр",
        Role::Staff,
        Level::Trainee,
        Some(0),
    ),
];

/// Seeds two locations and one person per role. Running it again resets the demo
/// passwords (and prints the new ones) but creates nothing twice.
pub async fn seed_demo(state: &AppState) -> anyhow::Result<Vec<DemoAccount>> {
    let mut location_ids = Vec::new();
    for (name, city) in DEMO_LOCATIONS {
        let id = match locations::find_by_name(&state.db, name).await? {
            Some(found) => found.id,
            None => locations::insert(&state.db, name, city).await?.id,
        };
        location_ids.push(id);
    }
    let mut accounts = Vec::new();
    for (login, name, role, level, location) in DEMO_PEOPLE {
        let password = NewPassword::generate();
        match users::find_by_login(&state.db, login).await? {
            Some(_) => set_password(state, login, password.expose()).await?,
            None => {
                super::people::insert_validated(
                    state,
                    &Login::parse(login).map_err(anyhow::Error::msg)?,
                    &DisplayName::parse(name).map_err(anyhow::Error::msg)?,
                    role,
                    level,
                    location.map(|i| location_ids[i]),
                    &password,
                )
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            }
        }
        accounts.push(DemoAccount {
            login,
            role,
            level,
            password,
        });
    }
    Ok(accounts)
}
