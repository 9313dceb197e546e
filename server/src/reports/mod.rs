//! Insights for HR and trainers: results by location, level, direction and quarter,
//! trends, the retraining list, coverage, exports, and the audit log.

pub mod api;
pub mod domain;
pub mod service;
pub mod storage;
