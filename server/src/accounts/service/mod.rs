//! Account use cases. Each takes the acting [`Principal`](super::domain::Principal) where
//! one is needed, checks the policy in `crate::authz`, validates input into domain types
//! and then talks to storage.

pub mod auth;
pub mod bootstrap;
pub mod locations;
pub mod people;

use crate::error::AppError;

/// Maps a unique-constraint violation to a conflict on `field`; anything else is internal.
pub(crate) fn unique_or_internal(
    err: sea_orm::DbErr,
    code: &'static str,
    field: &str,
    detail: &str,
) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            let mut conflict = AppError::conflict(code, detail);
            conflict.errors = vec![crate::error::FieldError::field(field, detail)];
            conflict
        }
        _ => err.into(),
    }
}
