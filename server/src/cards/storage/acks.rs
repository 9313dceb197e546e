//! "Прочитал(а) и понял(а)": who confirmed which revision of which card.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::ack;
use crate::db::Db;

pub use ack::Model as AckRow;

/// Records a confirmation; confirming the same revision twice is harmless.
pub async fn confirm(
    db: &Db,
    user_id: i32,
    card_id: &str,
    revision: i32,
) -> Result<(), sea_orm::DbErr> {
    let exists = ack::Entity::find()
        .filter(ack::Column::UserId.eq(user_id))
        .filter(ack::Column::CardId.eq(card_id))
        .filter(ack::Column::Revision.eq(revision))
        .one(db.writer())
        .await?;
    if exists.is_none() {
        let inserted = ack::ActiveModel {
            user_id: Set(user_id),
            card_id: Set(card_id.to_owned()),
            revision: Set(revision),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db.writer())
        .await;
        // Two replicas confirming at once: the unique index keeps one row; that is success.
        if let Err(err) = inserted
            && !matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            )
        {
            return Err(err);
        }
    }
    Ok(())
}

/// All confirmations of one user.
pub async fn of_user(db: &Db, user_id: i32) -> Result<Vec<AckRow>, sea_orm::DbErr> {
    ack::Entity::find()
        .filter(ack::Column::UserId.eq(user_id))
        .all(db.reader())
        .await
}

/// All confirmations of one card.
pub async fn of_card(db: &Db, card_id: &str) -> Result<Vec<AckRow>, sea_orm::DbErr> {
    ack::Entity::find()
        .filter(ack::Column::CardId.eq(card_id))
        .all(db.reader())
        .await
}
