//! JSON API for onboarding: programmes, assignments, sign-offs and attendance.

mod assignments;
mod models;
mod programs;

pub use assignments::AssignmentsApi;
pub use models::{AssignmentOut, CardTitles, item_title, pending_signoffs};
pub use programs::ProgramsApi;

use poem_openapi::Tags;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Tags)]
pub enum OnboardingTags {
    /// Onboarding programme templates (content/programs, editable by trainers)
    Programs,
    /// Programmes given to people with a mentor; sign-offs and attendance
    Assignments,
}

/// Titles of the cards, for read items that have no title of their own.
pub async fn card_titles(state: &AppState) -> Result<CardTitles, AppError> {
    Ok(crate::cards::storage::cards::all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect())
}
