//! Report use cases.

pub mod audit;
pub mod backfill;
pub mod export;
pub mod results;
pub mod scope;
pub mod weakest;
