//! Onboarding use cases.

pub mod assignments;
pub mod facts;
pub mod load;
pub mod programs;
pub mod records;
