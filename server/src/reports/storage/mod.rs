//! Report facts and the audit log.

pub mod audit;
pub mod cache;
pub mod coverage;
pub mod entities;
pub mod facts;
pub mod outbox;
