//! Report facts for attempts submitted before reports existed: when the facts table is
//! empty but submitted quarterly attempts exist, they all go to the report outbox once,
//! and the reporter writes their facts like any new submission's.

use crate::error::AppError;
use crate::reports::storage::{facts, outbox};
use crate::state::AppState;

pub async fn backfill(state: &AppState) -> Result<u64, AppError> {
    if facts::any(&state.db).await? {
        return Ok(0);
    }
    let queued = outbox::enqueue_all_submitted(&state.db).await?;
    if queued > 0 {
        tracing::info!(
            attempts = queued,
            "earlier attempts queued for report facts"
        );
    }
    Ok(queued)
}
