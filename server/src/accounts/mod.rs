//! Accounts: people, their roles and locations, and signing in.
//!
//! `domain` holds the rules (pure), `storage` the queries, `service` the use cases shared
//! by the JSON API (`api`) and the web pages (`crate::web`).

pub mod api;
pub mod domain;
pub mod hashing;
pub mod rate_limit;
pub mod service;
pub mod session_cache;
pub mod storage;
