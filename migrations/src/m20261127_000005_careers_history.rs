//! Part of `m20261127_000005_careers`: interviews, certificates and the career history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{actor_fk, index, person_fk};

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

pub async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
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

pub async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for table in [
        CareerEvents::Table.into_iden(),
        Certificates::Table.into_iden(),
        Interviews::Table.into_iden(),
    ] {
        manager
            .drop_table(Table::drop().table(table).to_owned())
            .await?;
    }
    Ok(())
}
