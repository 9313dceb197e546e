//! Which revision of each card its generated questions were last made from (table
//! `generated_from`), so unchanged cards are not re-parsed at every import.

use std::collections::HashMap;

use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};

use crate::db::Db;

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "generated_from")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub card_id: String,
        pub card_revision: i32,
        /// [`crate::quizzes::domain::generate::GENERATOR_VERSION`] that made them.
        pub generator: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits.
const ROWS_PER_INSERT: usize = 500;

/// card id → (card revision, generator version) the card's questions were made from.
pub async fn all(db: &Db) -> Result<HashMap<String, (i32, i32)>, sea_orm::DbErr> {
    Ok(entity::Entity::find()
        .all(db.reader())
        .await?
        .into_iter()
        .map(|m| (m.card_id, (m.card_revision, m.generator)))
        .collect())
}

/// Records that the questions of each (card, revision) are now stored, made by `generator`.
pub async fn remember(
    db: &Db,
    cards: &[(String, i32)],
    generator: i32,
) -> Result<(), sea_orm::DbErr> {
    use entity::Column;
    for chunk in cards.chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().map(|(id, revision)| entity::ActiveModel {
            card_id: Set(id.clone()),
            card_revision: Set(*revision),
            generator: Set(generator),
        });
        entity::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(Column::CardId)
                    .update_columns([Column::CardRevision, Column::Generator])
                    .to_owned(),
            )
            .exec(db.writer())
            .await?;
    }
    Ok(())
}
