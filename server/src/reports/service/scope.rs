//! Whose results a person may see in reports: HR and admins everyone, trainers everyone
//! (they fix the standards everyone is tested on), a shop leader their shop, staff only
//! themselves.

use crate::accounts::domain::{Principal, Role};
use crate::authz::{self, PeopleScope};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everyone,
    Location(i32),
    Person(i32),
}

pub fn of(who: &Principal) -> Scope {
    match authz::people_scope(who) {
        Ok(PeopleScope::Everyone) => Scope::Everyone,
        Ok(PeopleScope::Location(id)) => Scope::Location(id),
        Err(_) if who.role == Role::Trainer => Scope::Everyone,
        Err(_) => Scope::Person(who.user_id),
    }
}

/// The location filter a request may use: its own choice within the scope, 403 outside.
pub fn location_filter(scope: Scope, asked: Option<i32>) -> Result<Option<i32>, AppError> {
    match (scope, asked) {
        (Scope::Everyone, asked) => Ok(asked),
        (Scope::Location(own), None) => Ok(Some(own)),
        (Scope::Location(own), Some(asked)) if asked == own => Ok(Some(own)),
        (Scope::Person(_), None) => Ok(None),
        _ => Err(AppError::forbidden()),
    }
}
