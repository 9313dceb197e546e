//! JSON API for quiz questions (trainers): the question bank as loaded, switching
//! questions off, and GIFT import.

mod models;
mod questions;

pub use questions::QuestionsApi;

use poem_openapi::Tags;

#[derive(Tags)]
pub enum QuizTags {
    /// Quiz questions: banks, generated questions, GIFT import (trainer)
    Questions,
}
