//! The audit log: who did what sensitive thing, when.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::audit_event;
use crate::db::Db;

pub use audit_event::Model as AuditRow;

pub async fn record(
    db: &Db,
    at: DateTime<Utc>,
    actor_id: Option<i32>,
    action: &str,
    target_user_id: Option<i32>,
    detail: String,
) -> Result<(), sea_orm::DbErr> {
    audit_event::ActiveModel {
        at: Set(at),
        actor_id: Set(actor_id),
        action: Set(action.to_owned()),
        target_user_id: Set(target_user_id),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(db.writer())
    .await?;
    Ok(())
}

/// Newest first, at most `limit`, before the given id (for paging).
pub async fn page(
    db: &Db,
    before: Option<i32>,
    limit: u64,
) -> Result<Vec<AuditRow>, sea_orm::DbErr> {
    let mut query = audit_event::Entity::find();
    if let Some(id) = before {
        query = query.filter(audit_event::Column::Id.lt(id));
    }
    query
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db.reader())
        .await
}
