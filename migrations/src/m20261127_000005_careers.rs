//! Onboarding programmes, assignments and their records; certification: interviews,
//! certificates and the career history. Practice quizzes reuse campaigns, so campaigns
//! gain a kind, an owner and an optional card filter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

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

#[derive(DeriveIden)]
enum Interviews {
    Table,
    Id,
    UserId,
    Level,
    Passed,
    Notes,
    HeldOn,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    UserId,
    Level,
    IssuedAt,
    ValidUntil,
    IssuedBy,
    Status,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum CareerEvents {
    Table,
    Id,
    UserId,
    At,
    Kind,
    Detail,
    ActorId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn person_fk(name: &str, table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn actor_fk(name: &str, table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(Alias::new(*column));
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
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

        manager
            .create_table(
                Table::create()
                    .table(Interviews::Table)
                    .col(pk_auto(Interviews::Id))
                    .col(integer(Interviews::UserId))
                    .col(string_len(Interviews::Level, 16))
                    .col(boolean(Interviews::Passed))
                    .col(text(Interviews::Notes))
                    .col(date(Interviews::HeldOn))
                    .col(integer_null(Interviews::RecordedBy))
                    .col(timestamp_with_time_zone(Interviews::RecordedAt))
                    .foreign_key(&mut person_fk(
                        "fk_interviews_user",
                        Interviews::Table,
                        Interviews::UserId,
                    ))
                    .foreign_key(&mut actor_fk(
                        "fk_interviews_recorder",
                        Interviews::Table,
                        Interviews::RecordedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_interviews_user",
            Interviews::Table,
            &["user_id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .col(pk_auto(Certificates::Id))
                    .col(integer(Certificates::UserId))
                    .col(string_len(Certificates::Level, 16))
                    .col(timestamp_with_time_zone(Certificates::IssuedAt))
                    .col(timestamp_with_time_zone(Certificates::ValidUntil))
                    .col(integer_null(Certificates::IssuedBy))
                    // `valid`, `renewed`, `superseded` or `lapsed`.
                    .col(string_len(Certificates::Status, 16))
                    .col(timestamp_with_time_zone_null(Certificates::EndedAt))
                    .col(string_null(Certificates::EndReason))
                    .foreign_key(&mut person_fk(
                        "fk_certificates_user",
                        Certificates::Table,
                        Certificates::UserId,
                    ))
                    .foreign_key(&mut actor_fk(
                        "fk_certificates_issuer",
                        Certificates::Table,
                        Certificates::IssuedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_certificates_user",
            Certificates::Table,
            &["user_id"],
            false,
        )
        .await?;
        index(
            manager,
            "idx_certificates_status",
            Certificates::Table,
            &["status", "valid_until"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CareerEvents::Table)
                    .col(pk_auto(CareerEvents::Id))
                    .col(integer(CareerEvents::UserId))
                    .col(timestamp_with_time_zone(CareerEvents::At))
                    .col(string_len(CareerEvents::Kind, 32))
                    .col(text(CareerEvents::Detail))
                    .col(integer_null(CareerEvents::ActorId))
                    .foreign_key(&mut person_fk(
                        "fk_career_events_user",
                        CareerEvents::Table,
                        CareerEvents::UserId,
                    ))
                    .foreign_key(&mut actor_fk(
                        "fk_career_events_actor",
                        CareerEvents::Table,
                        CareerEvents::ActorId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_career_events_user",
            CareerEvents::Table,
            &["user_id", "at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CareerEvents::Table.into_iden(),
            Certificates::Table.into_iden(),
            Interviews::Table.into_iden(),
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
