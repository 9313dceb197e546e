//! Questions and their revisions.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::entities::{bank, question, revision};
use crate::db::Db;
use crate::quizzes::domain::{AnswerKey, Question};

pub use question::Model as QuestionRow;

/// What a revision stores: everything about a question but its identity and filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub name: Option<String>,
    pub prompt: String,
    pub explanation: Option<String>,
    pub answer: AnswerKey,
}

impl Body {
    pub fn of(q: &Question) -> Body {
        Body {
            name: q.name.clone(),
            prompt: q.prompt.clone(),
            explanation: q.explanation.clone(),
            answer: q.key.clone(),
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).expect("a question body always serializes")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Bank,
    Generated,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Bank => "bank",
            Origin::Generated => "generated",
        }
    }
}

/// What saving a question did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    /// A new revision.
    Revised,
    /// Same body; filing or retirement may have been updated.
    Unchanged,
}

pub async fn all(db: &Db) -> Result<Vec<QuestionRow>, sea_orm::DbErr> {
    question::Entity::find().all(db.reader()).await
}

/// One question to store, with where it comes from and its current row, if any.
pub struct ToSave<'a> {
    pub question: &'a Question,
    pub origin: Origin,
    pub bank_path: Option<&'a str>,
    pub existing: Option<&'a QuestionRow>,
}

/// Stores `q` as the current revision unless its body is unchanged. A retired question
/// that reappears is brought back.
pub async fn save(
    db: &Db,
    q: &Question,
    origin: Origin,
    bank_path: Option<&str>,
    existing: Option<&QuestionRow>,
) -> Result<Saved, sea_orm::DbErr> {
    let one = ToSave {
        question: q,
        origin,
        bank_path,
        existing,
    };
    Ok(save_all(db, &[one])
        .await?
        .pop()
        .unwrap_or(Saved::Unchanged))
}

/// [`save`] for many questions in one transaction (a corpus of thousands of cards makes
/// thousands of generated questions; one transaction each would take minutes on SQLite).
pub async fn save_all(db: &Db, items: &[ToSave<'_>]) -> Result<Vec<Saved>, sea_orm::DbErr> {
    let now = Utc::now();
    let planned: Vec<(String, String)> = items
        .iter()
        .map(|t| {
            let body = Body::of(t.question).json();
            let hash = hex::encode(Sha256::digest(body.as_bytes()));
            (body, hash)
        })
        .collect();
    let needs_write = |t: &ToSave, hash: &str| match t.existing {
        Some(row) if row.body_hash == hash => {
            row.retired
                || row.bank_path.as_deref() != t.bank_path
                || row.card_id != t.question.card.as_str()
                || row.track != t.question.track.as_str()
        }
        _ => true,
    };
    if !items
        .iter()
        .zip(&planned)
        .any(|(t, (_, hash))| needs_write(t, hash))
    {
        return Ok(vec![Saved::Unchanged; items.len()]);
    }
    let txn = db.writer().begin().await?;
    let mut outcomes = Vec::with_capacity(items.len());
    for (t, (body, hash)) in items.iter().zip(planned) {
        if !needs_write(t, &hash) {
            outcomes.push(Saved::Unchanged);
            continue;
        }
        outcomes.push(write_one(&txn, t, body, hash, now).await?);
    }
    txn.commit().await?;
    Ok(outcomes)
}

async fn write_one(
    txn: &sea_orm::DatabaseTransaction,
    t: &ToSave<'_>,
    body: String,
    hash: String,
    now: chrono::DateTime<Utc>,
) -> Result<Saved, sea_orm::DbErr> {
    let q = t.question;
    if let Some(row) = t.existing
        && row.body_hash == hash
    {
        // Same body, new filing (or back from retirement): no new revision.
        let mut active: question::ActiveModel = row.clone().into();
        active.retired = Set(false);
        active.bank_path = Set(t.bank_path.map(str::to_owned));
        active.card_id = Set(q.card.as_str().to_owned());
        active.track = Set(q.track.as_str().to_owned());
        active.updated_at = Set(now);
        active.update(txn).await?;
        return Ok(Saved::Unchanged);
    }
    let existing = t.existing;
    let revision = existing.map_or(1, |r| r.revision + 1);
    let row = question::ActiveModel {
        id: Set(q.id.as_str().to_owned()),
        card_id: Set(q.card.as_str().to_owned()),
        track: Set(q.track.as_str().to_owned()),
        kind: Set(q.key.question_type().as_str().to_owned()),
        origin: Set(t.origin.as_str().to_owned()),
        bank_path: Set(t.bank_path.map(str::to_owned)),
        revision: Set(revision),
        body_hash: Set(hash),
        disabled: Set(existing.is_some_and(|r| r.disabled)),
        retired: Set(false),
        created_at: Set(existing.map_or(now, |r| r.created_at)),
        updated_at: Set(now),
    };
    if existing.is_some() {
        row.update(txn).await?;
    } else {
        row.insert(txn).await?;
    }
    revision::ActiveModel {
        question_id: Set(q.id.as_str().to_owned()),
        revision: Set(revision),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(if existing.is_some() {
        Saved::Revised
    } else {
        Saved::Created
    })
}

/// Marks questions retired: no longer drawn, kept for the attempts that used them.
pub async fn retire(db: &Db, ids: &[String]) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    question::Entity::update_many()
        .col_expr(question::Column::Retired, Expr::value(true))
        .col_expr(question::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(question::Column::Id.is_in(ids.iter().cloned()))
        .exec(db.writer())
        .await?;
    Ok(())
}

/// One revision's body.
pub async fn body(db: &Db, id: &str, revision: i32) -> Result<Option<Body>, sea_orm::DbErr> {
    let row = revision::Entity::find()
        .filter(revision::Column::QuestionId.eq(id))
        .filter(revision::Column::Revision.eq(revision))
        .one(db.reader())
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.body).ok()))
}

/// Bank files last loaded, by path, with the hash of their bytes.
pub async fn banks(db: &Db) -> Result<Vec<bank::Model>, sea_orm::DbErr> {
    bank::Entity::find().all(db.reader()).await
}

pub async fn remember_bank(
    db: &Db,
    path: &str,
    track: &str,
    file_hash: &str,
) -> Result<(), sea_orm::DbErr> {
    let model = bank::ActiveModel {
        path: Set(path.to_owned()),
        track: Set(track.to_owned()),
        file_hash: Set(file_hash.to_owned()),
        updated_at: Set(Utc::now()),
    };
    let exists = bank::Entity::find_by_id(path.to_owned())
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

pub async fn forget_bank(db: &Db, path: &str) -> Result<(), sea_orm::DbErr> {
    bank::Entity::delete_by_id(path.to_owned())
        .exec(db.writer())
        .await?;
    Ok(())
}

/// Which questions to list.
#[derive(Debug, Default, Clone)]
pub struct QuestionFilter {
    pub track: Option<String>,
    pub card: Option<String>,
    pub origin: Option<String>,
    pub include_retired: bool,
}

/// Questions matching `filter` with their current bodies, ordered by id.
pub async fn list(
    db: &Db,
    filter: &QuestionFilter,
) -> Result<Vec<(QuestionRow, Body)>, sea_orm::DbErr> {
    use sea_orm::QueryOrder;
    let mut query = question::Entity::find().order_by_asc(question::Column::Id);
    if let Some(track) = &filter.track {
        query = query.filter(question::Column::Track.eq(track.as_str()));
    }
    if let Some(card) = &filter.card {
        query = query.filter(question::Column::CardId.eq(card.as_str()));
    }
    if let Some(origin) = &filter.origin {
        query = query.filter(question::Column::Origin.eq(origin.as_str()));
    }
    if !filter.include_retired {
        query = query.filter(question::Column::Retired.eq(false));
    }
    let rows = query.all(db.reader()).await?;
    with_bodies(db, rows).await
}

/// One question with its current body.
pub async fn get(db: &Db, id: &str) -> Result<Option<(QuestionRow, Body)>, sea_orm::DbErr> {
    let Some(row) = question::Entity::find_by_id(id.to_owned())
        .one(db.reader())
        .await?
    else {
        return Ok(None);
    };
    Ok(with_bodies(db, vec![row]).await?.pop())
}

/// Attaches each row's current revision body (one query for all of them).
async fn with_bodies(
    db: &Db,
    rows: Vec<QuestionRow>,
) -> Result<Vec<(QuestionRow, Body)>, sea_orm::DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut bodies: std::collections::HashMap<(String, i32), String> =
        std::collections::HashMap::new();
    // Chunked: PostgreSQL and SQLite cap the number of bound parameters.
    for chunk in rows.chunks(500) {
        let found = revision::Entity::find()
            .filter(revision::Column::QuestionId.is_in(chunk.iter().map(|r| r.id.clone())))
            .all(db.reader())
            .await?;
        for r in found {
            bodies.insert((r.question_id, r.revision), r.body);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let body = bodies.remove(&(row.id.clone(), row.revision))?;
            let body = serde_json::from_str(&body).ok()?;
            Some((row, body))
        })
        .collect())
}

pub async fn set_disabled(db: &Db, id: &str, disabled: bool) -> Result<(), sea_orm::DbErr> {
    question::Entity::update_many()
        .col_expr(question::Column::Disabled, Expr::value(disabled))
        .col_expr(question::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(question::Column::Id.eq(id))
        .exec(db.writer())
        .await?;
    Ok(())
}

/// Questions that may be drawn: in use (not retired, not disabled), by direction.
pub async fn drawable(db: &Db, track: &str) -> Result<Vec<QuestionRow>, sea_orm::DbErr> {
    question::Entity::find()
        .filter(question::Column::Track.eq(track))
        .filter(question::Column::Retired.eq(false))
        .filter(question::Column::Disabled.eq(false))
        .all(db.reader())
        .await
}

/// (id, revision, card id, track) of every question that may be drawn, all directions.
pub async fn drawable_all(db: &Db) -> Result<Vec<(String, i32, String, String)>, sea_orm::DbErr> {
    question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .column(question::Column::Revision)
        .column(question::Column::CardId)
        .column(question::Column::Track)
        .filter(question::Column::Retired.eq(false))
        .filter(question::Column::Disabled.eq(false))
        .order_by_asc(question::Column::Id)
        .into_tuple()
        .all(db.reader())
        .await
}

/// Rows of the given question ids, by id.
pub async fn rows_of(
    db: &Db,
    ids: &[String],
) -> Result<std::collections::HashMap<String, QuestionRow>, sea_orm::DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = question::Entity::find()
            .filter(question::Column::Id.is_in(chunk.iter().cloned()))
            .all(db.reader())
            .await?;
        out.extend(rows.into_iter().map(|r| (r.id.clone(), r)));
    }
    Ok(out)
}
