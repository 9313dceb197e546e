//! The quarterly knowledge test: question banks, questions generated from cards, GIFT
//! import, grading and item statistics.
//!
//! `domain` holds the rules (pure), `storage` the queries, `service` the use cases.

pub mod api;
pub mod domain;
pub mod service;
pub mod storage;
