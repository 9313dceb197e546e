//! Certification rules: requirements, quarters, eligibility and lapses. Pure.

pub mod rules;
