use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{session, user};
use crate::db::Db;

pub use session::Model as SessionRow;

pub async fn insert(
    db: &Db,
    user_id: i32,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<SessionRow, sea_orm::DbErr> {
    session::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db.writer())
    .await
}

/// The live session for a token hash together with its (active) user, in one query:
/// every authenticated request runs this.
pub async fn find_live(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(SessionRow, user::Model)>, sea_orm::DbErr> {
    let found = session::Entity::find()
        .find_also_related(user::Entity)
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(user::Column::Active.eq(true))
        .one(db.reader())
        .await?;
    Ok(found.and_then(|(session, owner)| owner.map(|user| (session, user))))
}

/// Moves the expiry forward. Callers do this at most once an hour per session, so a busy
/// phone does not turn every read into a write.
pub async fn extend(db: &Db, id: i32, expires_at: DateTime<Utc>) -> Result<(), sea_orm::DbErr> {
    session::ActiveModel {
        id: Set(id),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .update(db.writer())
    .await?;
    Ok(())
}

pub async fn delete(db: &Db, id: i32) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_by_id(id).exec(db.writer()).await?;
    Ok(())
}

pub async fn delete_for_user(db: &Db, user_id: i32) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db.writer())
        .await?;
    Ok(())
}

pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let result = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db.writer())
        .await?;
    Ok(result.rows_affected)
}

/// True when the sliding expiry is worth writing again.
pub fn needs_extension(expires_at: DateTime<Utc>, now: DateTime<Utc>, lifetime: Duration) -> bool {
    now + lifetime - expires_at > Duration::hours(1)
}

/// Ends every session of a user but one (the one that just changed the password).
pub async fn delete_for_user_except(
    db: &Db,
    user_id: i32,
    keep: i32,
) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep))
        .exec(db.writer())
        .await?;
    Ok(())
}
