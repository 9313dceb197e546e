//! Programmes and their revisions; the certification rules document.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::entities::{content_rule, program, program_revision};
use crate::db::Db;

pub use content_rule::Model as RulesRow;
pub use program::Model as ProgramRow;
pub use program_revision::Model as ProgramRevisionRow;

pub async fn all(db: &Db) -> Result<Vec<ProgramRow>, sea_orm::DbErr> {
    program::Entity::find()
        .order_by_asc(program::Column::Title)
        .all(db.reader())
        .await
}

pub async fn get(db: &Db, id: &str) -> Result<Option<ProgramRow>, sea_orm::DbErr> {
    program::Entity::find_by_id(id.to_owned())
        .one(db.reader())
        .await
}

pub async fn revision(
    db: &Db,
    id: &str,
    revision: i32,
) -> Result<Option<ProgramRevisionRow>, sea_orm::DbErr> {
    program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(id))
        .filter(program_revision::Column::Revision.eq(revision))
        .one(db.reader())
        .await
}

pub async fn revisions(db: &Db, id: &str) -> Result<Vec<ProgramRevisionRow>, sea_orm::DbErr> {
    program_revision::Entity::find()
        .filter(program_revision::Column::ProgramId.eq(id))
        .order_by_desc(program_revision::Column::Revision)
        .all(db.reader())
        .await
}

pub struct NewProgramRevision<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub level: Option<&'a str>,
    pub source: &'a str,
    pub definition: String,
    pub note: &'a str,
    pub author: Option<i32>,
    /// (path, hash) when it came from a file.
    pub file: Option<(String, String)>,
    /// For UI edits: the revision the editor started from (a conflict otherwise).
    pub base_revision: Option<i32>,
    pub at: DateTime<Utc>,
}

pub enum Saved {
    Revision(i32),
    Conflict(i32),
}

pub async fn save_revision(db: &Db, new: NewProgramRevision<'_>) -> Result<Saved, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    let current = program::Entity::find_by_id(new.id.to_owned())
        .one(&txn)
        .await?;
    let current_revision = current.as_ref().map_or(0, |c| c.revision);
    if let Some(base) = new.base_revision
        && base != current_revision
    {
        txn.rollback().await?;
        return Ok(Saved::Conflict(current_revision));
    }
    let number = current_revision + 1;
    let mut row: program::ActiveModel = match current {
        Some(existing) => existing.into(),
        None => program::ActiveModel {
            id: Set(new.id.to_owned()),
            file_path: Set(None),
            file_hash: Set(None),
            ..Default::default()
        },
    };
    row.title = Set(new.title.to_owned());
    row.level = Set(new.level.map(str::to_owned));
    row.revision = Set(number);
    row.source = Set(new.source.to_owned());
    row.definition = Set(new.definition.clone());
    if let Some((path, hash)) = &new.file {
        row.file_path = Set(Some(path.clone()));
        row.file_hash = Set(Some(hash.clone()));
    }
    row.archived = Set(false);
    row.updated_at = Set(new.at);
    row.updated_by = Set(new.author);
    if number == 1 {
        row.insert(&txn).await?;
    } else {
        row.update(&txn).await?;
    }
    program_revision::ActiveModel {
        program_id: Set(new.id.to_owned()),
        revision: Set(number),
        source: Set(new.source.to_owned()),
        definition: Set(new.definition),
        note: Set(Some(new.note.to_owned())),
        created_at: Set(new.at),
        created_by: Set(new.author),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Saved::Revision(number))
}

/// Records that a file with unchanged content was seen (path or hash moved).
pub async fn remember_file(
    db: &Db,
    id: &str,
    path: &str,
    hash: &str,
) -> Result<(), sea_orm::DbErr> {
    program::Entity::update_many()
        .col_expr(program::Column::FilePath, Expr::value(path))
        .col_expr(program::Column::FileHash, Expr::value(hash))
        .filter(program::Column::Id.eq(id))
        .exec(db.writer())
        .await?;
    Ok(())
}

pub async fn archive(db: &Db, id: &str) -> Result<(), sea_orm::DbErr> {
    program::Entity::update_many()
        .col_expr(program::Column::Archived, Expr::value(true))
        .filter(program::Column::Id.eq(id))
        .exec(db.writer())
        .await?;
    Ok(())
}

pub const CERTIFICATION: &str = "certification";

pub async fn rules(db: &Db) -> Result<Option<RulesRow>, sea_orm::DbErr> {
    content_rule::Entity::find_by_id(CERTIFICATION.to_owned())
        .one(db.reader())
        .await
}

pub async fn save_rules(
    db: &Db,
    source: &str,
    definition: String,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let model = content_rule::ActiveModel {
        name: Set(CERTIFICATION.to_owned()),
        source: Set(source.to_owned()),
        definition: Set(definition),
        file_hash: Set(hash.to_owned()),
        updated_at: Set(at),
    };
    let exists = content_rule::Entity::find_by_id(CERTIFICATION.to_owned())
        .one(db.writer())
        .await?
        .is_some();
    if exists {
        model.update(db.writer()).await?;
    } else {
        model.insert(db.writer()).await?;
    }
    Ok(())
}
