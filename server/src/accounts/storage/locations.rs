use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::{location, user};
use crate::db::Db;

pub use location::Model as Location;

pub async fn list(db: &Db) -> Result<Vec<Location>, sea_orm::DbErr> {
    location::Entity::find()
        .order_by_asc(location::Column::Name)
        .all(db.reader())
        .await
}

pub async fn get(db: &Db, id: i32) -> Result<Option<Location>, sea_orm::DbErr> {
    location::Entity::find_by_id(id).one(db.reader()).await
}

pub async fn find_by_name(db: &Db, name: &str) -> Result<Option<Location>, sea_orm::DbErr> {
    location::Entity::find()
        .filter(location::Column::Name.eq(name))
        .one(db.reader())
        .await
}

pub async fn insert(db: &Db, name: &str, city: &str) -> Result<Location, sea_orm::DbErr> {
    location::ActiveModel {
        name: Set(name.to_owned()),
        city: Set(city.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db.writer())
    .await
}

pub async fn update(db: &Db, id: i32, name: &str, city: &str) -> Result<Location, sea_orm::DbErr> {
    location::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        city: Set(city.to_owned()),
        ..Default::default()
    }
    .update(db.writer())
    .await
}

pub async fn member_count(db: &Db, id: i32) -> Result<u64, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::LocationId.eq(id))
        .count(db.reader())
        .await
}

pub async fn delete(db: &Db, id: i32) -> Result<(), sea_orm::DbErr> {
    location::Entity::delete_by_id(id).exec(db.writer()).await?;
    Ok(())
}
