//! End-to-end tests: the real server over HTTP, a real database (SQLite, and PostgreSQL
//! when `ZHMP_TEST_DATABASE_URL` is set), real headless Chromium for pages.

mod support;

mod accounts_auth;
mod accounts_authz;
mod accounts_locations;
mod accounts_users;
mod api_conformance;
mod authz_career_rows;
mod authz_quiz_rows;
mod cards_api;
mod cards_reading;
mod cards_search;
mod careers_content;
mod careers_flow;
mod careers_rules;
mod cli;
mod cli_content;
mod content_corpus;
mod operations_backup;
mod operations_crash;
mod operations_replicas;
mod pages;
mod pages_cards;
mod pages_careers;
mod pages_reports;
mod pages_tests;
mod problems;
mod quizzes_attempts;
mod quizzes_bank;
mod quizzes_cli;
mod quizzes_load;
mod reports_outbox;
mod reports_results;
mod system;
