//! Onboarding: programme templates (content/programs), assignments with a mentor, and the
//! sign-offs and attendance that move a person through them (docs/programs.md).

pub mod api;
pub mod domain;
pub mod service;
pub mod storage;
