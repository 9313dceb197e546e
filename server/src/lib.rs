//! zhmp: a self-hosted server for a coffee chain's staff standards.
//!
//! Layout: one module per capability (`accounts` first), each with `domain` (pure rules),
//! `storage` (sea-orm queries), `service` (use cases) and `api` (JSON endpoints); `web`
//! renders the phone pages over the same services; `http` assembles routes and
//! middleware; `authz` is the one authorisation policy; `error` the one error type.

pub mod accounts;
pub mod authz;
pub mod backup;
pub mod cards;
pub mod certification;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content_cli;
pub mod db;
pub mod error;
pub mod fuzzing;
pub mod http;
pub mod onboarding;
pub mod quizzes;
pub mod reports;
pub mod search;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
