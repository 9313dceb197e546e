//! Request and response bodies. Field names are a public contract (see docs/api.md).

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;

use crate::accounts::storage::locations::Location;
use crate::accounts::storage::users::UserRow;

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Extended by 30 days on use.
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// A person's account. The password hash never leaves the server.
#[derive(Debug, Object)]
pub struct User {
    pub id: i32,
    pub login: String,
    pub name: String,
    /// staff | trainer | hr | admin
    pub role: String,
    /// trainee | barista | senior | leader
    pub level: String,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            login: row.login,
            name: row.name,
            role: row.role,
            level: row.level,
            location_id: row.location_id,
            active: row.active,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct UserList {
    pub total: u64,
    pub items: Vec<User>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub login: String,
    pub name: String,
    pub role: String,
    /// Defaults to `trainee`.
    #[oai(nullable)]
    pub level: Option<String>,
    #[oai(nullable)]
    pub location_id: Option<i32>,
    /// At least 10 characters.
    pub password: String,
}

/// Only the fields present change; `"location_id": null` removes the location.
#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[oai(nullable)]
    pub name: Option<String>,
    #[oai(nullable)]
    pub role: Option<String>,
    #[oai(nullable)]
    pub level: Option<String>,
    #[oai(nullable)]
    pub location_id: MaybeUndefined<i32>,
    /// `false` deactivates the account and ends its sessions.
    #[oai(nullable)]
    pub active: Option<bool>,
    /// Sets a new password and ends the person's sessions.
    #[oai(nullable)]
    pub password: Option<String>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Object)]
pub struct LocationBody {
    pub id: i32,
    pub name: String,
    pub city: String,
    pub created_at: DateTime<Utc>,
}

impl From<Location> for LocationBody {
    fn from(row: Location) -> LocationBody {
        LocationBody {
            id: row.id,
            name: row.name,
            city: row.city,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct LocationList {
    pub total: u64,
    pub items: Vec<LocationBody>,
}

#[derive(Debug, Object)]
#[oai(deny_unknown_fields)]
pub struct LocationRequest {
    pub name: String,
    pub city: String,
}
