//! Onboarding tables and queries.

pub mod assignments;
pub mod entities;
pub mod programs;
