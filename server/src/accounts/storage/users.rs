use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};

use super::entities::user;
use crate::db::Db;

pub use user::Model as UserRow;

/// Fields of a new user, already validated by the domain types.
pub struct NewUser<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub level: &'a str,
    pub location_id: Option<i32>,
    pub password_hash: String,
}

/// Which users a list may include.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub location_id: Option<i32>,
    pub role: Option<String>,
    pub active: Option<bool>,
}

pub async fn get(db: &Db, id: i32) -> Result<Option<UserRow>, sea_orm::DbErr> {
    user::Entity::find_by_id(id).one(db.reader()).await
}

pub async fn find_by_login(db: &Db, login: &str) -> Result<Option<UserRow>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(db.reader())
        .await
}

pub async fn list(db: &Db, filter: &UserFilter) -> Result<Vec<UserRow>, sea_orm::DbErr> {
    let mut condition = Condition::all();
    if let Some(location_id) = filter.location_id {
        condition = condition.add(user::Column::LocationId.eq(location_id));
    }
    if let Some(role) = &filter.role {
        condition = condition.add(user::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        condition = condition.add(user::Column::Active.eq(active));
    }
    user::Entity::find()
        .filter(condition)
        .order_by_asc(user::Column::Name)
        .order_by_asc(user::Column::Id)
        .all(db.reader())
        .await
}

pub async fn count_active_admins(db: &Db) -> Result<u64, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::Active.eq(true))
        .count(db.reader())
        .await
}

pub async fn insert(db: &Db, new: NewUser<'_>) -> Result<UserRow, sea_orm::DbErr> {
    let now = Utc::now();
    user::ActiveModel {
        login: Set(new.login.to_owned()),
        name: Set(new.name.to_owned()),
        role: Set(new.role.to_owned()),
        level: Set(new.level.to_owned()),
        location_id: Set(new.location_id),
        password_hash: Set(new.password_hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db.writer())
    .await
}

/// Saves the changed fields of a user loaded earlier.
pub async fn save(
    db: &Db,
    row: UserRow,
    change: impl FnOnce(&mut user::ActiveModel),
) -> Result<UserRow, sea_orm::DbErr> {
    let mut active: user::ActiveModel = row.into();
    change(&mut active);
    active.updated_at = Set(Utc::now());
    active.update(db.writer()).await
}

pub async fn set_password_hash(db: &Db, id: i32, hash: String) -> Result<(), sea_orm::DbErr> {
    user::ActiveModel {
        id: Set(id),
        password_hash: Set(hash),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db.writer())
    .await?;
    Ok(())
}
