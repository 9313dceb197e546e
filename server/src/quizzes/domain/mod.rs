//! Quiz content: the question bank format (docs/quiz-format.md), GIFT import, questions
//! generated from cards, grading and item statistics. Pure: text in, values or
//! diagnostics out. No file system, HTTP or SQL.

mod bank;
pub mod campaign;
mod corpus;
pub mod emit;
pub mod generate;
pub mod gift;
mod grading;
mod keys;
pub mod presentation;
mod question;
pub mod review;
pub mod stats;
pub mod yaml;

pub use bank::{Bank, parse_bank};
pub use corpus::{check_banks, is_bank_path};
pub use grading::{Grade, Response, grade, matching_values, normalize_answer, parse_number};
pub use question::{
    Accepted, AnswerKey, Choice, NumericAnswer, NumericTarget, Pair, Question, QuestionId,
    QuestionType,
};
