//! Cards and their revisions.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use super::entities::{card, event, revision};
use crate::db::Db;

pub use card::Model as CardRow;
pub use revision::Model as RevisionRow;

/// Card metadata as parsed from its front matter.
#[derive(Debug, Clone)]
pub struct CardMeta {
    pub id: String,
    pub title: String,
    pub track: String,
    pub tags: Vec<String>,
    pub stage: Option<String>,
    pub level: String,
    pub season: String,
    pub mandatory: bool,
}

/// A new revision to store.
pub struct NewRevision<'a> {
    pub meta: CardMeta,
    pub source: &'a str,
    pub significant: bool,
    pub note: Option<&'a str>,
    pub author_id: Option<i32>,
    /// `Some((path, hash))` when imported from the content directory.
    pub file: Option<(String, String)>,
    /// The revision the author started from; `Some(0)` creates a new card. `None` skips the
    /// check (file imports always apply).
    pub base_revision: Option<i32>,
}

pub enum Saved {
    Stored(CardRow),
    /// The card moved on since `base_revision`: the current state, for a 409.
    Conflict(Option<CardRow>),
}

/// Stores a revision, moving the card's current state and appending to the change log,
/// all in one transaction on the single writer (so revisions get consecutive numbers).
pub async fn save_revision(db: &Db, new: NewRevision<'_>) -> Result<Saved, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    let current = card::Entity::find_by_id(new.meta.id.clone())
        .one(&txn)
        .await?;
    let current_revision = current.as_ref().map_or(0, |c| c.revision);
    if let Some(base) = new.base_revision
        && base != current_revision
    {
        txn.rollback().await?;
        return Ok(Saved::Conflict(current));
    }
    let now = Utc::now();
    let revision_number = current_revision + 1;
    let significant = new.significant || current.is_none();
    let mut row: card::ActiveModel = match current {
        Some(existing) => existing.into(),
        None => card::ActiveModel {
            id: Set(new.meta.id.clone()),
            created_at: Set(now),
            significant_revision: Set(0),
            source_path: Set(None),
            file_hash: Set(None),
            ..Default::default()
        },
    };
    row.title = Set(new.meta.title.clone());
    row.track = Set(new.meta.track.clone());
    row.tags = Set(serde_json::to_string(&new.meta.tags).unwrap_or_else(|_| "[]".into()));
    row.stage = Set(new.meta.stage.clone());
    row.level = Set(new.meta.level.clone());
    row.season = Set(new.meta.season.clone());
    row.mandatory = Set(new.meta.mandatory);
    row.revision = Set(revision_number);
    if significant {
        row.significant_revision = Set(revision_number);
    }
    if let Some((path, hash)) = &new.file {
        row.source_path = Set(Some(path.clone()));
        row.file_hash = Set(Some(hash.clone()));
    }
    row.archived = Set(false);
    row.updated_at = Set(now);
    let saved = if revision_number == 1 {
        row.insert(&txn).await?
    } else {
        row.update(&txn).await?
    };
    revision::ActiveModel {
        card_id: Set(new.meta.id.clone()),
        revision: Set(revision_number),
        source: Set(new.source.to_owned()),
        significant: Set(significant),
        note: Set(new.note.map(str::to_owned)),
        author_id: Set(new.author_id),
        origin: Set(if new.file.is_some() { "file" } else { "editor" }.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log_change(&txn, &new.meta.id).await?;
    txn.commit().await?;
    Ok(Saved::Stored(saved))
}

async fn log_change(
    txn: &impl sea_orm::ConnectionTrait,
    card_id: &str,
) -> Result<(), sea_orm::DbErr> {
    event::ActiveModel {
        card_id: Set(card_id.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Marks the file hash as seen without a new revision (the file matches what is stored).
pub async fn remember_file(
    db: &Db,
    id: &str,
    path: &str,
    hash: &str,
) -> Result<(), sea_orm::DbErr> {
    card::Entity::update_many()
        .col_expr(card::Column::SourcePath, Expr::value(path))
        .col_expr(card::Column::FileHash, Expr::value(hash))
        .filter(card::Column::Id.eq(id))
        .exec(db.writer())
        .await?;
    Ok(())
}

/// Hides a card whose file was removed; its revisions stay.
pub async fn archive(db: &Db, id: &str) -> Result<(), sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    card::Entity::update_many()
        .col_expr(card::Column::Archived, Expr::value(true))
        .col_expr(card::Column::FileHash, Expr::value(Option::<String>::None))
        .col_expr(card::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(card::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    log_change(&txn, id).await?;
    txn.commit().await
}

pub async fn get(db: &Db, id: &str) -> Result<Option<CardRow>, sea_orm::DbErr> {
    card::Entity::find_by_id(id.to_owned())
        .one(db.reader())
        .await
}

/// Every card, archived ones included (the importer needs them).
pub async fn all(db: &Db) -> Result<Vec<CardRow>, sea_orm::DbErr> {
    card::Entity::find().all(db.reader()).await
}

#[derive(Debug, Default, Clone)]
pub struct CardFilter {
    pub track: Option<String>,
    pub tag: Option<String>,
    pub stage: Option<String>,
    pub level: Option<String>,
    pub season: Option<String>,
}

/// One page of live cards, ordered by track then title, with the total.
pub async fn list(
    db: &Db,
    filter: &CardFilter,
    page: u64,
    per_page: u64,
) -> Result<(u64, Vec<CardRow>), sea_orm::DbErr> {
    let mut condition = Condition::all().add(card::Column::Archived.eq(false));
    for (column, value) in [
        (card::Column::Track, &filter.track),
        (card::Column::Stage, &filter.stage),
        (card::Column::Level, &filter.level),
        (card::Column::Season, &filter.season),
    ] {
        if let Some(value) = value {
            condition = condition.add(column.eq(value.as_str()));
        }
    }
    if let Some(tag) = &filter.tag {
        // Tags are a JSON array of strings; match the quoted element exactly.
        let quoted = serde_json::to_string(tag).unwrap_or_default();
        let pattern = format!(
            "%{}%",
            quoted
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        condition =
            condition.add(Expr::col(card::Column::Tags).like(LikeExpr::new(pattern).escape('\\')));
    }
    let query = card::Entity::find()
        .filter(condition)
        .order_by_asc(card::Column::Track)
        .order_by_asc(card::Column::Title)
        .order_by_asc(card::Column::Id);
    let total = query.clone().count(db.reader()).await?;
    let rows = query
        // Callers check the page (http::paging); saturate rather than overflow regardless.
        .offset(Ord::min(
            page.saturating_sub(1).saturating_mul(per_page),
            i64::MAX as u64,
        ))
        .limit(per_page)
        .all(db.reader())
        .await?;
    Ok((total, rows))
}

/// Live mandatory cards whose level is one of `levels` (those a person must confirm).
pub async fn mandatory_at_levels(db: &Db, levels: &[&str]) -> Result<Vec<CardRow>, sea_orm::DbErr> {
    card::Entity::find()
        .filter(card::Column::Archived.eq(false))
        .filter(card::Column::Mandatory.eq(true))
        .filter(card::Column::Level.is_in(levels.iter().copied()))
        .order_by_asc(card::Column::Track)
        .order_by_asc(card::Column::Title)
        .all(db.reader())
        .await
}

pub async fn revisions(db: &Db, id: &str) -> Result<Vec<RevisionRow>, sea_orm::DbErr> {
    revision::Entity::find()
        .filter(revision::Column::CardId.eq(id))
        .order_by_desc(revision::Column::Revision)
        .all(db.reader())
        .await
}

pub async fn revision(
    db: &Db,
    id: &str,
    number: i32,
) -> Result<Option<RevisionRow>, sea_orm::DbErr> {
    revision::Entity::find()
        .filter(revision::Column::CardId.eq(id))
        .filter(revision::Column::Revision.eq(number))
        .one(db.reader())
        .await
}

/// Current sources of the given live cards (for indexing).
pub async fn current_sources(
    db: &Db,
    ids: &[String],
) -> Result<Vec<(CardRow, String)>, sea_orm::DbErr> {
    let cards = card::Entity::find()
        .filter(card::Column::Id.is_in(ids.iter().cloned()))
        .filter(card::Column::Archived.eq(false))
        .all(db.reader())
        .await?;
    let mut out = Vec::with_capacity(cards.len());
    for chunk in cards.chunks(500) {
        let wanted = chunk.iter().fold(Condition::any(), |cond, c| {
            cond.add(
                Condition::all()
                    .add(revision::Column::CardId.eq(c.id.as_str()))
                    .add(revision::Column::Revision.eq(c.revision)),
            )
        });
        let sources = revision::Entity::find()
            .filter(wanted)
            .all(db.reader())
            .await?;
        let mut by_card: std::collections::HashMap<String, String> =
            sources.into_iter().map(|r| (r.card_id, r.source)).collect();
        for card in chunk {
            if let Some(source) = by_card.remove(&card.id) {
                out.push((card.clone(), source));
            }
        }
    }
    Ok(out)
}

/// Ids of every live card.
pub async fn live_ids(db: &Db) -> Result<Vec<String>, sea_orm::DbErr> {
    let rows = card::Entity::find()
        .select_only()
        .column(card::Column::Id)
        .filter(card::Column::Archived.eq(false))
        .into_tuple::<String>()
        .all(db.reader())
        .await?;
    Ok(rows)
}

/// (id, current revision) of every card that is not archived.
pub async fn live_revisions(db: &Db) -> Result<Vec<(String, i32)>, sea_orm::DbErr> {
    live_with(db, card::Column::Revision).await
}

/// (id, track) of every card that is not archived.
pub async fn live_tracks(db: &Db) -> Result<Vec<(String, String)>, sea_orm::DbErr> {
    live_with(db, card::Column::Track).await
}

/// (id, `column`) of every card that is not archived, without loading whole rows.
async fn live_with<T>(db: &Db, column: card::Column) -> Result<Vec<(String, T)>, sea_orm::DbErr>
where
    (String, T): sea_orm::TryGetableMany,
{
    card::Entity::find()
        .select_only()
        .column(card::Column::Id)
        .column(column)
        .filter(card::Column::Archived.eq(false))
        .into_tuple::<(String, T)>()
        .all(db.reader())
        .await
}
