//! Assignments and what was recorded against their items.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{assignment, item_record};
use crate::db::Db;

pub use assignment::Model as AssignmentRow;
pub use item_record::Model as RecordRow;

pub const ONBOARDING: &str = "onboarding";
pub const RECERTIFICATION: &str = "recertification";
pub const SIGNOFF: &str = "signoff";
pub const ATTENDANCE: &str = "attendance";

pub async fn insert(
    db: &Db,
    model: assignment::ActiveModel,
) -> Result<AssignmentRow, sea_orm::DbErr> {
    model.insert(db.writer()).await
}

pub async fn get(db: &Db, id: i32) -> Result<Option<AssignmentRow>, sea_orm::DbErr> {
    assignment::Entity::find_by_id(id).one(db.reader()).await
}

/// A person's assignments, newest first.
pub async fn of_user(db: &Db, user_id: i32) -> Result<Vec<AssignmentRow>, sea_orm::DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::UserId.eq(user_id))
        .order_by_desc(assignment::Column::AssignedAt)
        .order_by_desc(assignment::Column::Id)
        .all(db.reader())
        .await
}

/// Running assignments a person mentors.
pub async fn of_mentor(db: &Db, mentor_id: i32) -> Result<Vec<AssignmentRow>, sea_orm::DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::MentorId.eq(mentor_id))
        .filter(assignment::Column::CompletedAt.is_null())
        .filter(assignment::Column::CancelledAt.is_null())
        .order_by_asc(assignment::Column::StartDate)
        .all(db.reader())
        .await
}

/// Every running assignment.
pub async fn running(db: &Db) -> Result<Vec<AssignmentRow>, sea_orm::DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::CompletedAt.is_null())
        .filter(assignment::Column::CancelledAt.is_null())
        .order_by_asc(assignment::Column::StartDate)
        .all(db.reader())
        .await
}

/// Marks it complete; false when it already was.
pub async fn set_completed(db: &Db, id: i32, at: DateTime<Utc>) -> Result<bool, sea_orm::DbErr> {
    let result = assignment::Entity::update_many()
        .col_expr(assignment::Column::CompletedAt, Expr::value(at))
        .filter(assignment::Column::Id.eq(id))
        .filter(assignment::Column::CompletedAt.is_null())
        .exec(db.writer())
        .await?;
    Ok(result.rows_affected == 1)
}

/// (person, programme) of every assignment not cancelled, complete or not (whether a
/// running one is complete by now is for its progress to say).
pub async fn assigned_programs(
    db: &Db,
) -> Result<std::collections::HashSet<(i32, String)>, sea_orm::DbErr> {
    let rows: Vec<(i32, String)> = assignment::Entity::find()
        .filter(assignment::Column::CancelledAt.is_null())
        .select_only()
        .column(assignment::Column::UserId)
        .column(assignment::Column::ProgramId)
        .into_tuple()
        .all(db.reader())
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn set_cancelled(db: &Db, id: i32, at: DateTime<Utc>) -> Result<(), sea_orm::DbErr> {
    assignment::Entity::update_many()
        .col_expr(assignment::Column::CancelledAt, Expr::value(at))
        .filter(assignment::Column::Id.eq(id))
        .exec(db.writer())
        .await?;
    Ok(())
}

pub async fn insert_record(
    db: &Db,
    model: item_record::ActiveModel,
) -> Result<RecordRow, sea_orm::DbErr> {
    model.insert(db.writer()).await
}

/// Records of the given assignments, oldest first.
pub async fn records(db: &Db, assignment_ids: &[i32]) -> Result<Vec<RecordRow>, sea_orm::DbErr> {
    if assignment_ids.is_empty() {
        return Ok(Vec::new());
    }
    item_record::Entity::find()
        .filter(item_record::Column::AssignmentId.is_in(assignment_ids.iter().copied()))
        .order_by_asc(item_record::Column::RecordedAt)
        .order_by_asc(item_record::Column::Id)
        .all(db.reader())
        .await
}
