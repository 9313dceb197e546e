//! Database schema for zhmp, as sea-orm migrations.
//!
//! Every migration must run unchanged on SQLite and PostgreSQL: use only the portable
//! schema builder, no raw SQL for one backend.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_accounts;
mod m20261122_000002_cards;
mod m20261127_000003_questions;
mod m20261127_000004_campaigns;
mod m20261127_000005_careers;
mod m20261127_000006_reports;
mod m20261128_000007_generated_from;
mod m20261128_000008_report_outbox;
mod m20261128_000009_attempt_saves;
mod m20261128_000010_attempt_items_fillfactor;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_cards::Migration),
            Box::new(m20261127_000003_questions::Migration),
            Box::new(m20261127_000004_campaigns::Migration),
            Box::new(m20261127_000005_careers::Migration),
            Box::new(m20261127_000006_reports::Migration),
            Box::new(m20261128_000007_generated_from::Migration),
            Box::new(m20261128_000008_report_outbox::Migration),
            Box::new(m20261128_000009_attempt_saves::Migration),
            Box::new(m20261128_000010_attempt_items_fillfactor::Migration),
        ]
    }
}
