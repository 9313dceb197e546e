//! Certification rules: requirements, quarters, eligibility and lapses. Pure.

pub mod eligibility;
pub mod lapse;
pub mod quarter;
pub mod rules;

pub use eligibility::{Check, Evidence, all_met, checks};
pub use lapse::{Outcome, Reason, Verdict, judge};
pub use quarter::{Quarter, end_of_next_quarter};
pub use rules::{Requirements, Rules, next_level};
