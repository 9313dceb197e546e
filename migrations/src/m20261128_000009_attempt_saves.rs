//! How many answers have been saved to each attempt.
//!
//! Every autosave bumps the count in the same transaction as the answer, and a
//! submission closes the attempt only if the count is still the one it graded. A
//! submission graded from answers that changed meanwhile (a late autosave, another
//! replica) then stores nothing and grades again, and an instance may grade from the
//! answers it remembers without reading them back.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Saves,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Attempts::Table)
                    .add_column(integer(Attempts::Saves).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Attempts::Table)
                    .drop_column(Attempts::Saves)
                    .to_owned(),
            )
            .await
    }
}
