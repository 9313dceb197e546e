//! The change log. Every revision or archive appends an event; each instance remembers the
//! last event it indexed and polls for newer ones, so a card changed through one replica
//! is searchable on all of them within a poll interval.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::event;
use crate::db::Db;

pub async fn latest(db: &Db) -> Result<i32, sea_orm::DbErr> {
    let last = event::Entity::find()
        .order_by_desc(event::Column::Id)
        .limit(1)
        .one(db.reader())
        .await?;
    Ok(last.map_or(0, |e| e.id))
}

/// Card ids changed after event `after`, and the newest event id seen.
pub async fn changed_since(db: &Db, after: i32) -> Result<(Vec<String>, i32), sea_orm::DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::Id.gt(after))
        .order_by_asc(event::Column::Id)
        .all(db.reader())
        .await?;
    let newest = rows.last().map_or(after, |e| e.id);
    let mut ids: Vec<String> = rows.into_iter().map(|e| e.card_id).collect();
    ids.sort();
    ids.dedup();
    Ok((ids, newest))
}
