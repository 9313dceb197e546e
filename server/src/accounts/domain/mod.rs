//! Account domain: who people are and what they are called. No HTTP, no SQL.

mod names;
mod password;
mod role;
pub mod token;

pub use names::{DisplayName, LocationName, Login};
pub use password::{NewPassword, PASSWORD_MIN_CHARS};
pub use role::{Level, Role};

/// The signed-in person, resolved from a token or cookie on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i32,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub level: Level,
    pub location_id: Option<i32>,
    pub session_id: i32,
}
