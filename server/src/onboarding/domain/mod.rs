//! Onboarding rules: programme files, their checks, and progress. Pure (no HTTP, no SQL).

pub mod corpus;
pub mod parse;
pub mod program;
pub mod progress;

#[cfg(test)]
mod tests;

pub use corpus::{Checked, RULES_PATH, check_careers, is_career_path, is_program_path};
pub use program::{Item, ItemKind, Program, Stage};
pub use progress::{Facts, ItemProgress, Progress, Record, State, progress};
