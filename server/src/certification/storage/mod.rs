//! Interviews, certificates and the career history.

pub mod entities;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::db::Db;
use entities::{career_event, certificate, interview};

pub use career_event::Model as EventRow;
pub use certificate::Model as CertificateRow;
pub use interview::Model as InterviewRow;

pub const VALID: &str = "valid";
pub const RENEWED: &str = "renewed";
pub const SUPERSEDED: &str = "superseded";
pub const LAPSED: &str = "lapsed";

pub async fn insert_interview(
    db: &Db,
    model: interview::ActiveModel,
) -> Result<InterviewRow, sea_orm::DbErr> {
    model.insert(db.writer()).await
}

pub async fn interviews_of(db: &Db, user_id: i32) -> Result<Vec<InterviewRow>, sea_orm::DbErr> {
    interview::Entity::find()
        .filter(interview::Column::UserId.eq(user_id))
        .order_by_desc(interview::Column::RecordedAt)
        .all(db.reader())
        .await
}

pub async fn insert_certificate(
    db: &Db,
    model: certificate::ActiveModel,
) -> Result<CertificateRow, sea_orm::DbErr> {
    model.insert(db.writer()).await
}

pub async fn certificate(db: &Db, id: i32) -> Result<Option<CertificateRow>, sea_orm::DbErr> {
    certificate::Entity::find_by_id(id).one(db.reader()).await
}

/// A person's certificates, newest first.
pub async fn certificates_of(db: &Db, user_id: i32) -> Result<Vec<CertificateRow>, sea_orm::DbErr> {
    certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .order_by_desc(certificate::Column::IssuedAt)
        .order_by_desc(certificate::Column::Id)
        .all(db.reader())
        .await
}

/// Certificates with the given status, soonest ending first.
pub async fn with_status(db: &Db, status: &str) -> Result<Vec<CertificateRow>, sea_orm::DbErr> {
    certificate::Entity::find()
        .filter(certificate::Column::Status.eq(status))
        .order_by_asc(certificate::Column::ValidUntil)
        .all(db.reader())
        .await
}

/// Ends a valid certificate; false when it was no longer valid (another replica or a
/// concurrent sweep ended it first), so the caller does not act twice.
pub async fn end_certificate(
    db: &Db,
    id: i32,
    status: &str,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool, sea_orm::DbErr> {
    let result = certificate::Entity::update_many()
        .col_expr(certificate::Column::Status, Expr::value(status))
        .col_expr(certificate::Column::EndedAt, Expr::value(at))
        .col_expr(certificate::Column::EndReason, Expr::value(reason))
        .filter(certificate::Column::Id.eq(id))
        .filter(certificate::Column::Status.eq(VALID))
        .exec(db.writer())
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn record_event(
    db: &Db,
    user_id: i32,
    at: DateTime<Utc>,
    kind: &str,
    detail: String,
    actor_id: Option<i32>,
) -> Result<(), sea_orm::DbErr> {
    career_event::ActiveModel {
        user_id: Set(user_id),
        at: Set(at),
        kind: Set(kind.to_owned()),
        detail: Set(detail),
        actor_id: Set(actor_id),
        ..Default::default()
    }
    .insert(db.writer())
    .await?;
    Ok(())
}

/// A person's history, newest first.
pub async fn events_of(db: &Db, user_id: i32) -> Result<Vec<EventRow>, sea_orm::DbErr> {
    career_event::Entity::find()
        .filter(career_event::Column::UserId.eq(user_id))
        .order_by_desc(career_event::Column::At)
        .order_by_desc(career_event::Column::Id)
        .all(db.reader())
        .await
}
