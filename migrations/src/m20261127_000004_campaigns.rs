//! Test campaigns, attempts and the questions drawn for each attempt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    Title,
    OpensAt,
    ClosesAt,
    Audience,
    Blueprint,
    TimeLimitMinutes,
    PassMarks,
    AttemptsAllowed,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
    CampaignId,
    UserId,
    Number,
    StartedAt,
    DeadlineAt,
    SubmittedAt,
    Percent,
    Passed,
    Score,
}

#[derive(DeriveIden)]
enum AttemptItems {
    Table,
    Id,
    AttemptId,
    Position,
    QuestionId,
    Revision,
    Track,
    Presentation,
    Answer,
    AnsweredAt,
    Fraction,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaigns::Table)
                    .col(pk_auto(Campaigns::Id))
                    .col(string(Campaigns::Title))
                    .col(timestamp_with_time_zone(Campaigns::OpensAt))
                    .col(timestamp_with_time_zone(Campaigns::ClosesAt))
                    // JSON documents of the quiz domain types (Audience, Blueprint, PassMarks).
                    .col(text(Campaigns::Audience))
                    .col(text(Campaigns::Blueprint))
                    .col(integer(Campaigns::TimeLimitMinutes))
                    .col(text(Campaigns::PassMarks))
                    .col(integer(Campaigns::AttemptsAllowed))
                    .col(integer_null(Campaigns::CreatedBy))
                    .col(timestamp_with_time_zone(Campaigns::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaigns_author")
                            .from(Campaigns::Table, Campaigns::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attempts::Table)
                    .col(pk_auto(Attempts::Id))
                    .col(integer(Attempts::CampaignId))
                    .col(integer(Attempts::UserId))
                    .col(integer(Attempts::Number))
                    .col(timestamp_with_time_zone(Attempts::StartedAt))
                    .col(timestamp_with_time_zone(Attempts::DeadlineAt))
                    .col(timestamp_with_time_zone_null(Attempts::SubmittedAt))
                    .col(double_null(Attempts::Percent))
                    .col(boolean_null(Attempts::Passed))
                    .col(text_null(Attempts::Score))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempts_campaign")
                            .from(Attempts::Table, Attempts::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempts_user")
                            .from(Attempts::Table, Attempts::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One attempt per number: two phones starting at once cannot both create one.
        manager
            .create_index(
                Index::create()
                    .name("idx_attempts_unique")
                    .table(Attempts::Table)
                    .col(Attempts::CampaignId)
                    .col(Attempts::UserId)
                    .col(Attempts::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttemptItems::Table)
                    .col(pk_auto(AttemptItems::Id))
                    .col(integer(AttemptItems::AttemptId))
                    .col(integer(AttemptItems::Position))
                    .col(string_len(AttemptItems::QuestionId, 96))
                    .col(integer(AttemptItems::Revision))
                    .col(string_len(AttemptItems::Track, 16))
                    .col(text(AttemptItems::Presentation))
                    .col(text_null(AttemptItems::Answer))
                    .col(timestamp_with_time_zone_null(AttemptItems::AnsweredAt))
                    .col(double_null(AttemptItems::Fraction))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_items_attempt")
                            .from(AttemptItems::Table, AttemptItems::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_items_unique")
                    .table(AttemptItems::Table)
                    .col(AttemptItems::AttemptId)
                    .col(AttemptItems::QuestionId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AttemptItems::Table.into_iden(),
            Attempts::Table.into_iden(),
            Campaigns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
