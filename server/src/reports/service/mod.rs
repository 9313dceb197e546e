//! Report use cases.

pub mod audit;
pub mod backfill;
pub mod coverage;
pub mod export;
pub mod overrides;
pub mod people_export;
pub mod reporter;
pub mod results;
pub mod scope;
pub mod weakest;
