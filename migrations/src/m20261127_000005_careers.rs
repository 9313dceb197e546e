//! Onboarding programmes, assignments and their records; certification: interviews,
//! certificates and the career history. Practice quizzes reuse campaigns, so campaigns
//! gain a kind, an owner and an optional card filter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{actor_fk, index, person_fk};

#[path = "m20261127_000005_careers_history.rs"]
mod history;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Kind,
    OwnerId,
    Cards,
    Source,
}

#[derive(DeriveIden)]
enum Programs {
    Table,
    Id,
    Title,
    Level,
    Revision,
    Source,
    Definition,
    FilePath,
    FileHash,
    Archived,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum ProgramRevisions {
    Table,
    Id,
    ProgramId,
    Revision,
    Source,
    Definition,
    Note,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ContentRules {
    Table,
    Name,
    Source,
    Definition,
    FileHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    UserId,
    ProgramId,
    ProgramRevision,
    MentorId,
    StartDate,
    Reason,
    AssignedBy,
    AssignedAt,
    CompletedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum ItemRecords {
    Table,
    Id,
    AssignmentId,
    ItemId,
    Kind,
    Passed,
    Criteria,
    Comment,
    Practise,
    EventDate,
    Trainer,
    RecordedBy,
    RecordedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            string_len(Campaigns::Kind, 16)
                .default("quarterly")
                .to_owned(),
            integer_null(Campaigns::OwnerId),
            text_null(Campaigns::Cards),
            string_len_null(Campaigns::Source, 160),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        index(
            manager,
            "idx_campaigns_owner",
            Campaigns::Table,
            &["owner_id", "source"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(string_len(Programs::Id, 64).primary_key())
                    .col(string(Programs::Title))
                    .col(string_len_null(Programs::Level, 16))
                    .col(integer(Programs::Revision))
                    .col(text(Programs::Source))
                    // JSON of the parsed programme (onboarding::domain::Program).
                    .col(text(Programs::Definition))
                    .col(string_null(Programs::FilePath))
                    .col(string_len_null(Programs::FileHash, 64))
                    .col(boolean(Programs::Archived).default(false))
                    .col(timestamp_with_time_zone(Programs::UpdatedAt))
                    .col(integer_null(Programs::UpdatedBy))
                    .foreign_key(&mut actor_fk(
                        "fk_programs_editor",
                        Programs::Table,
                        Programs::UpdatedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramRevisions::Table)
                    .col(pk_auto(ProgramRevisions::Id))
                    .col(string_len(ProgramRevisions::ProgramId, 64))
                    .col(integer(ProgramRevisions::Revision))
                    .col(text(ProgramRevisions::Source))
                    .col(text(ProgramRevisions::Definition))
                    .col(string_null(ProgramRevisions::Note))
                    .col(timestamp_with_time_zone(ProgramRevisions::CreatedAt))
                    .col(integer_null(ProgramRevisions::CreatedBy))
                    .foreign_key(&mut actor_fk(
                        "fk_program_revisions_author",
                        ProgramRevisions::Table,
                        ProgramRevisions::CreatedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_program_revisions_unique",
            ProgramRevisions::Table,
            &["program_id", "revision"],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ContentRules::Table)
                    .col(string_len(ContentRules::Name, 64).primary_key())
                    .col(text(ContentRules::Source))
                    .col(text(ContentRules::Definition))
                    .col(string_len(ContentRules::FileHash, 64))
                    .col(timestamp_with_time_zone(ContentRules::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(pk_auto(Assignments::Id))
                    .col(integer(Assignments::UserId))
                    .col(string_len(Assignments::ProgramId, 64))
                    .col(integer(Assignments::ProgramRevision))
                    .col(integer_null(Assignments::MentorId))
                    .col(date(Assignments::StartDate))
                    // `onboarding` or `recertification`.
                    .col(string_len(Assignments::Reason, 16))
                    .col(integer_null(Assignments::AssignedBy))
                    .col(timestamp_with_time_zone(Assignments::AssignedAt))
                    .col(timestamp_with_time_zone_null(Assignments::CompletedAt))
                    .col(timestamp_with_time_zone_null(Assignments::CancelledAt))
                    .foreign_key(&mut person_fk(
                        "fk_assignments_user",
                        Assignments::Table,
                        Assignments::UserId,
                    ))
                    .foreign_key(&mut actor_fk(
                        "fk_assignments_mentor",
                        Assignments::Table,
                        Assignments::MentorId,
                    ))
                    .foreign_key(&mut actor_fk(
                        "fk_assignments_assigner",
                        Assignments::Table,
                        Assignments::AssignedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_assignments_user",
            Assignments::Table,
            &["user_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_assignments_mentor",
            Assignments::Table,
            &["mentor_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ItemRecords::Table)
                    .col(pk_auto(ItemRecords::Id))
                    .col(integer(ItemRecords::AssignmentId))
                    .col(string_len(ItemRecords::ItemId, 64))
                    // `signoff` or `attendance`.
                    .col(string_len(ItemRecords::Kind, 16))
                    .col(boolean(ItemRecords::Passed))
                    // JSON list of booleans, one per criterion, for sign-offs.
                    .col(text_null(ItemRecords::Criteria))
                    .col(text_null(ItemRecords::Comment))
                    .col(text_null(ItemRecords::Practise))
                    .col(date_null(ItemRecords::EventDate))
                    .col(string_null(ItemRecords::Trainer))
                    .col(integer_null(ItemRecords::RecordedBy))
                    .col(timestamp_with_time_zone(ItemRecords::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_item_records_assignment")
                            .from(ItemRecords::Table, ItemRecords::AssignmentId)
                            .to(Assignments::Table, Assignments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut actor_fk(
                        "fk_item_records_recorder",
                        ItemRecords::Table,
                        ItemRecords::RecordedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_item_records_assignment",
            ItemRecords::Table,
            &["assignment_id", "item_id"],
            false,
        )
        .await?;

        history::up(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        history::down(manager).await?;
        for table in [
            ItemRecords::Table.into_iden(),
            Assignments::Table.into_iden(),
            ContentRules::Table.into_iden(),
            ProgramRevisions::Table.into_iden(),
            Programs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_campaigns_owner")
                    .table(Campaigns::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Campaigns::Source.into_iden(),
            Campaigns::Cards.into_iden(),
            Campaigns::OwnerId.into_iden(),
            Campaigns::Kind.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
