//! Campaigns, attempts and their drawn questions.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use super::entities::{attempt, campaign, item};
use crate::db::Db;

pub use attempt::Model as AttemptRow;
pub use campaign::Model as CampaignRow;
pub use item::Model as ItemRow;

pub async fn insert_campaign(
    db: &Db,
    model: campaign::ActiveModel,
) -> Result<CampaignRow, sea_orm::DbErr> {
    model.insert(db.writer()).await
}

pub async fn campaign(db: &Db, id: i32) -> Result<Option<CampaignRow>, sea_orm::DbErr> {
    campaign::Entity::find_by_id(id).one(db.reader()).await
}

/// Every campaign, newest opening first.
pub async fn campaigns(db: &Db) -> Result<Vec<CampaignRow>, sea_orm::DbErr> {
    campaign::Entity::find()
        .order_by_desc(campaign::Column::OpensAt)
        .order_by_desc(campaign::Column::Id)
        .all(db.reader())
        .await
}

/// A person's practice quiz created for `source`.
pub async fn find_practice(
    db: &Db,
    owner_id: i32,
    source: &str,
) -> Result<Option<CampaignRow>, sea_orm::DbErr> {
    campaign::Entity::find()
        .filter(campaign::Column::OwnerId.eq(owner_id))
        .filter(campaign::Column::Source.eq(source))
        .one(db.writer())
        .await
}

/// Campaigns by id.
pub async fn campaigns_by_ids(db: &Db, ids: &[i32]) -> Result<Vec<CampaignRow>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(ids.iter().copied()))
        .all(db.reader())
        .await
}

/// Every attempt of a person, oldest first.
pub async fn attempts_of_user(db: &Db, user_id: i32) -> Result<Vec<AttemptRow>, sea_orm::DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::UserId.eq(user_id))
        .order_by_asc(attempt::Column::StartedAt)
        .all(db.reader())
        .await
}

pub async fn attempt(db: &Db, id: i32) -> Result<Option<AttemptRow>, sea_orm::DbErr> {
    attempt::Entity::find_by_id(id).one(db.reader()).await
}

/// Attempts by id.
pub async fn attempts_by_ids(db: &Db, ids: &[i32]) -> Result<Vec<AttemptRow>, sea_orm::DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            attempt::Entity::find()
                .filter(attempt::Column::Id.is_in(chunk.iter().copied()))
                .all(db.reader())
                .await?,
        );
    }
    Ok(out)
}

/// A person's attempts in a campaign, first first.
pub async fn attempts_of(
    db: &Db,
    campaign_id: i32,
    user_id: i32,
) -> Result<Vec<AttemptRow>, sea_orm::DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::CampaignId.eq(campaign_id))
        .filter(attempt::Column::UserId.eq(user_id))
        .order_by_asc(attempt::Column::Number)
        .all(db.reader())
        .await
}

/// Submitted first attempts of a campaign (the statistics population).
pub async fn first_attempts(db: &Db, campaign_id: i32) -> Result<Vec<AttemptRow>, sea_orm::DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::CampaignId.eq(campaign_id))
        .filter(attempt::Column::Number.eq(1))
        .filter(attempt::Column::SubmittedAt.is_not_null())
        .order_by_asc(attempt::Column::Id)
        .all(db.reader())
        .await
}

pub async fn items(db: &Db, attempt_id: i32) -> Result<Vec<ItemRow>, sea_orm::DbErr> {
    item::Entity::find()
        .filter(item::Column::AttemptId.eq(attempt_id))
        .order_by_asc(item::Column::Position)
        .all(db.reader())
        .await
}

/// The items of many attempts, by attempt id.
pub async fn items_of(
    db: &Db,
    attempt_ids: &[i32],
) -> Result<HashMap<i32, Vec<ItemRow>>, sea_orm::DbErr> {
    let mut out: HashMap<i32, Vec<ItemRow>> = HashMap::new();
    for chunk in attempt_ids.chunks(500) {
        let rows = item::Entity::find()
            .filter(item::Column::AttemptId.is_in(chunk.iter().copied()))
            .order_by_asc(item::Column::Position)
            .all(db.reader())
            .await?;
        for row in rows {
            out.entry(row.attempt_id).or_default().push(row);
        }
    }
    Ok(out)
}

/// Creates an attempt with its drawn questions in one transaction. Fails on the unique
/// (campaign, person, number) index when another request created that attempt first.
pub async fn create_attempt(
    db: &Db,
    attempt: attempt::ActiveModel,
    items: Vec<item::ActiveModel>,
) -> Result<AttemptRow, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    let row = attempt.insert(&txn).await?;
    let items: Vec<item::ActiveModel> = items
        .into_iter()
        .map(|mut i| {
            i.attempt_id = Set(row.id);
            i
        })
        .collect();
    if !items.is_empty() {
        item::Entity::insert_many(items).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// Stores an answer while the attempt is open (not submitted, before its deadline) and
/// counts the save, in one transaction: the attempt's new count of saves, or `None` when
/// it was not open (nothing is stored; the answer is ignored).
pub async fn save_answer(
    db: &Db,
    attempt_id: i32,
    question_id: &str,
    answer_json: String,
    now: DateTime<Utc>,
) -> Result<Option<i32>, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    // The attempt's row first: on PostgreSQL its lock orders this save against a
    // submission closing the attempt, which checks the count (`finish.rs`).
    let counted = attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Saves,
            Expr::col(attempt::Column::Saves).add(1),
        )
        .filter(attempt::Column::Id.eq(attempt_id))
        .filter(attempt::Column::SubmittedAt.is_null())
        .filter(attempt::Column::DeadlineAt.gt(now))
        .exec_with_returning(&txn)
        .await?;
    let Some(saves) = counted.first().map(|a| a.saves) else {
        return Ok(None);
    };
    let saved = item::Entity::update_many()
        .col_expr(item::Column::Answer, Expr::value(answer_json))
        .col_expr(item::Column::AnsweredAt, Expr::value(now))
        .filter(item::Column::AttemptId.eq(attempt_id))
        .filter(item::Column::QuestionId.eq(question_id))
        .exec(&txn)
        .await?;
    if saved.rows_affected != 1 {
        // Not a question of this attempt: count nothing either (dropping the
        // transaction rolls it back).
        return Ok(None);
    }
    txn.commit().await?;
    Ok(Some(saves))
}

/// How often each question has been drawn, for everyone.
pub async fn question_uses(db: &Db) -> Result<HashMap<String, u64>, sea_orm::DbErr> {
    let rows: Vec<(String, i64)> = item::Entity::find()
        .select_only()
        .column(item::Column::QuestionId)
        .column_as(item::Column::Id.count(), "uses")
        .group_by(item::Column::QuestionId)
        .into_tuple()
        .all(db.reader())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Questions a person has met in any earlier attempt.
pub async fn seen_by(db: &Db, user_id: i32) -> Result<Vec<String>, sea_orm::DbErr> {
    let mine = Query::select()
        .column(attempt::Column::Id)
        .from(attempt::Entity)
        .and_where(attempt::Column::UserId.eq(user_id))
        .to_owned();
    item::Entity::find()
        .select_only()
        .column(item::Column::QuestionId)
        .filter(item::Column::AttemptId.in_subquery(mine))
        .distinct()
        .into_tuple()
        .all(db.reader())
        .await
}
