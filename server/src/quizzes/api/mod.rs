//! JSON API for the quarterly test: questions (trainers), campaigns, attempts.

mod attempts;
mod campaign_models;
mod campaigns;
mod models;
mod questions;

pub use attempts::AttemptsApi;
pub use campaigns::CampaignsApi;
pub use questions::QuestionsApi;

use poem_openapi::Tags;

#[derive(Tags)]
pub enum QuizTags {
    /// Quiz questions: banks, generated questions, GIFT import (trainer)
    Questions,
    /// Test campaigns and their item statistics
    Campaigns,
    /// Taking a test: start, autosave, submit, review (the attempt's owner)
    Attempts,
}
