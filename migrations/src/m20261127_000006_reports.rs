//! Reporting: facts written when an attempt is submitted, so dashboards read small indexed
//! tables instead of parsing every attempt; and the audit log of sensitive actions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attempts {
    Table,
    LocationId,
    Level,
}

#[derive(DeriveIden)]
enum AttemptResults {
    Table,
    Id,
    AttemptId,
    CampaignId,
    UserId,
    LocationId,
    Level,
    Quarter,
    Track,
    Percent,
    Passed,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum QuestionResults {
    Table,
    QuestionId,
    LocationId,
    Quarter,
    Answered,
    Failed,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    Action,
    TargetUserId,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Where and at what level the person was when they started: reports group by it.
        for column in [
            integer_null(Attempts::LocationId),
            string_len_null(Attempts::Level, 16),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Attempts::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // One row per direction of each submitted quarterly attempt.
        manager
            .create_table(
                Table::create()
                    .table(AttemptResults::Table)
                    .col(pk_auto(AttemptResults::Id))
                    .col(integer(AttemptResults::AttemptId))
                    .col(integer(AttemptResults::CampaignId))
                    .col(integer(AttemptResults::UserId))
                    .col(integer_null(AttemptResults::LocationId))
                    .col(string_len(AttemptResults::Level, 16))
                    // `2026-Q4`, from the submission time (UTC).
                    .col(string_len(AttemptResults::Quarter, 8))
                    .col(string_len(AttemptResults::Track, 16))
                    .col(double(AttemptResults::Percent))
                    .col(boolean(AttemptResults::Passed))
                    .col(timestamp_with_time_zone(AttemptResults::SubmittedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_attempt_results_quarter",
            AttemptResults::Table,
            &["quarter", "location_id", "track"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_attempt_results_user",
            AttemptResults::Table,
            &["user_id", "quarter"],
            false,
        )
        .await?;
        // Covering indexes for the chain-wide aggregations (each person's best per quarter
        // and direction; each attempt as a whole per quarter): read in key order, no table
        // lookups, no sort.
        index(
            manager,
            "idx_attempt_results_track_people",
            AttemptResults::Table,
            &["quarter", "track", "user_id", "percent", "passed"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_attempt_results_people",
            AttemptResults::Table,
            &["quarter", "user_id", "attempt_id", "percent", "passed"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_attempt_results_unique",
            AttemptResults::Table,
            &["attempt_id", "track"],
            true,
        )
        .await?;
        // Per question, location (0: none) and quarter: how often answered and failed.
        manager
            .create_table(
                Table::create()
                    .table(QuestionResults::Table)
                    .col(string_len(QuestionResults::QuestionId, 96))
                    .col(integer(QuestionResults::LocationId))
                    .col(string_len(QuestionResults::Quarter, 8))
                    .col(big_integer(QuestionResults::Answered))
                    .col(big_integer(QuestionResults::Failed))
                    .primary_key(
                        Index::create()
                            .col(QuestionResults::Quarter)
                            .col(QuestionResults::QuestionId)
                            .col(QuestionResults::LocationId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(integer_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Action, 32))
                    .col(integer_null(AuditEvents::TargetUserId))
                    .col(text(AuditEvents::Detail))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_audit_events_at",
            AuditEvents::Table,
            &["at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            QuestionResults::Table.into_iden(),
            AttemptResults::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Attempts::Level.into_iden(),
            Attempts::LocationId.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Attempts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
