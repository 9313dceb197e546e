//! Storage for quiz questions (sea-orm; SQLite and PostgreSQL alike).

pub mod attempts;
pub mod bodies;
pub mod entities;
pub mod finish;
pub mod generated;
pub mod questions;
