//! Quiz questions with every revision: from the banks in `quizzes/`, and generated from
//! cards. Attempts pin a (question, revision), so a question edited mid-quarter never
//! changes what someone already answered.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    CardId,
    Track,
    Kind,
    Origin,
    BankPath,
    Revision,
    BodyHash,
    Disabled,
    Retired,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuestionRevisions {
    Table,
    Id,
    QuestionId,
    Revision,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum QuizBanks {
    Table,
    Path,
    Track,
    FileHash,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    // Generated ids are `gen-order-` + a card id: longer than 64.
                    .col(string_len(Questions::Id, 96).primary_key())
                    .col(string_len(Questions::CardId, 64))
                    .col(string_len(Questions::Track, 16))
                    .col(string_len(Questions::Kind, 16))
                    // `bank` or `generated`.
                    .col(string_len(Questions::Origin, 16))
                    .col(string_null(Questions::BankPath))
                    .col(integer(Questions::Revision))
                    .col(string_len(Questions::BodyHash, 64))
                    // Switched off by a trainer (generated questions).
                    .col(boolean(Questions::Disabled).default(false))
                    // Gone from its bank, or its card is gone: kept for past attempts.
                    .col(boolean(Questions::Retired).default(false))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .col(timestamp_with_time_zone(Questions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_questions_track")
                    .table(Questions::Table)
                    .col(Questions::Track)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuestionRevisions::Table)
                    .col(pk_auto(QuestionRevisions::Id))
                    .col(string_len(QuestionRevisions::QuestionId, 96))
                    .col(integer(QuestionRevisions::Revision))
                    // JSON: name, prompt, explanation and the answer key.
                    .col(text(QuestionRevisions::Body))
                    .col(timestamp_with_time_zone(QuestionRevisions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_question_revisions_question")
                            .from(QuestionRevisions::Table, QuestionRevisions::QuestionId)
                            .to(Questions::Table, Questions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_revisions_unique")
                    .table(QuestionRevisions::Table)
                    .col(QuestionRevisions::QuestionId)
                    .col(QuestionRevisions::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuizBanks::Table)
                    .col(string(QuizBanks::Path).primary_key())
                    .col(string_len(QuizBanks::Track, 16))
                    .col(string_len(QuizBanks::FileHash, 64))
                    .col(timestamp_with_time_zone(QuizBanks::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            QuestionRevisions::Table.into_iden(),
            Questions::Table.into_iden(),
            QuizBanks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
