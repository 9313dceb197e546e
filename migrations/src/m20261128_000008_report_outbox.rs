//! Submissions whose report facts are still to be written.
//!
//! A submission stores its grades and adds its attempt here, in its own transaction; the
//! facts (a result row per direction, the per-question tallies) follow right after, and
//! whoever writes them removes the entry in the same transaction. Report facts are then
//! written exactly once, off the path of a quarter's close, and a crash between the two
//! leaves the entry for the next start to finish.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportOutbox {
    Table,
    AttemptId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportOutbox::Table)
                    .col(integer(ReportOutbox::AttemptId).primary_key())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReportOutbox::Table).to_owned())
            .await
    }
}
