//! Which revision of each card its generated questions were last made from, and by which
//! version of the generator. A start-up with nothing changed then skips re-reading and
//! re-parsing every card just to find its generated questions are the same.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum GeneratedFrom {
    Table,
    CardId,
    CardRevision,
    Generator,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GeneratedFrom::Table)
                    .col(string_len(GeneratedFrom::CardId, 64).primary_key())
                    .col(integer(GeneratedFrom::CardRevision))
                    .col(integer(GeneratedFrom::Generator))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GeneratedFrom::Table).to_owned())
            .await
    }
}
