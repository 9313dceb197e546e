//! Recording sensitive actions, and reading the log (administrators only).

use crate::accounts::domain::{Principal, Role};
use crate::error::AppError;
use crate::reports::storage::audit::{self, AuditRow};
use crate::state::AppState;

/// Actions as stored.
pub const ROLE_CHANGED: &str = "role_changed";
pub const LEVEL_CHANGED: &str = "level_changed";
pub const PROMOTED: &str = "promoted";
pub const EXPORTED: &str = "exported";
pub const INTERVIEW: &str = "interview_recorded";
pub const RESULT_OVERRIDDEN: &str = "result_overridden";

/// Notes an action. An audit write that fails is logged and does not undo the action.
pub async fn record(
    state: &AppState,
    actor: Option<i32>,
    action: &str,
    target: Option<i32>,
    detail: String,
) {
    if let Err(err) =
        audit::record(&state.db, state.clock.now(), actor, action, target, detail).await
    {
        tracing::error!(error = %err, action, "audit log write failed");
    }
}

pub async fn page(
    state: &AppState,
    who: &Principal,
    before: Option<i32>,
    limit: u64,
) -> Result<Vec<AuditRow>, AppError> {
    if who.role != Role::Admin {
        return Err(AppError::forbidden());
    }
    Ok(audit::page(&state.db, before, limit.clamp(1, 500)).await?)
}
