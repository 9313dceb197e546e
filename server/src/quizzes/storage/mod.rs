//! Storage for quiz questions (sea-orm; SQLite and PostgreSQL alike).

pub mod attempts;
pub mod entities;
pub mod questions;
