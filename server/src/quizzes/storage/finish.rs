//! Storing submissions: grades, the attempt's closing, and the report facts, in one
//! transaction — for one submission, or for many submitted at the same moment.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::entities::{attempt, item};
use crate::db::Db;
use crate::reports::storage::facts::{self, SubmissionFacts};

/// What a submission stores.
pub struct Finish {
    pub attempt_id: i32,
    pub at: DateTime<Utc>,
    pub percent: f64,
    pub passed: bool,
    pub score_json: String,
    /// (item id, fraction)
    pub fractions: Vec<(i32, f64)>,
    /// Report facts, stored in the same transaction (quarterly tests only).
    pub facts: Option<SubmissionFacts>,
}

/// Marks the attempt submitted with its grades, exactly once: false (and nothing
/// written) when it already was.
pub async fn finish(db: &Db, f: &Finish) -> Result<bool, sea_orm::DbErr> {
    Ok(finish_many(db, std::slice::from_ref(f))
        .await?
        .first()
        .copied()
        .unwrap_or(false))
}

/// Items graded per statement (three bound values each).
const ITEMS_PER_UPDATE: usize = 500;
/// Attempts closed per statement (nine bound values each).
const ATTEMPTS_PER_UPDATE: usize = 500;

/// Stores many submissions in one transaction; for each, whether this call stored it
/// (false when the attempt was already submitted — by an earlier call, another replica,
/// or an earlier entry of the same list). All or nothing: on an error nothing is stored.
pub async fn finish_many(db: &Db, list: &[Finish]) -> Result<Vec<bool>, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    // One conditional update per chunk closes every attempt that is still open and says
    // which ones it closed; in attempt order, so that concurrent batches (other replicas
    // on PostgreSQL) lock attempt rows in one order.
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| list[i].attempt_id);
    let mut closed = HashSet::new();
    for chunk in order.chunks(ATTEMPTS_PER_UPDATE) {
        closed.extend(close_attempts(&txn, chunk.iter().map(|&i| &list[i])).await?);
    }
    // Each attempt counts once, for its first entry in the list.
    let stored: Vec<bool> = list.iter().map(|f| closed.remove(&f.attempt_id)).collect();
    let mut grades = Vec::new();
    let mut all_facts = Vec::new();
    for (f, &is_stored) in list.iter().zip(&stored) {
        if is_stored {
            grades.extend_from_slice(&f.fractions);
            all_facts.extend(f.facts.clone());
        }
    }
    grades.sort_by_key(|g| g.0);
    for chunk in grades.chunks(ITEMS_PER_UPDATE) {
        set_fractions(&txn, chunk).await?;
    }
    if !all_facts.is_empty() {
        facts::write_many(&txn, all_facts).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// `UPDATE attempts SET submitted_at = CASE id WHEN … END, … WHERE id IN (…) AND
/// submitted_at IS NULL RETURNING id`: the ids this statement closed. The condition is
/// what makes a submission count once, whoever else submits the same attempt.
async fn close_attempts<'a>(
    conn: &impl ConnectionTrait,
    list: impl Iterator<Item = &'a Finish> + Clone,
) -> Result<Vec<i32>, sea_orm::DbErr> {
    let case = |value: &dyn Fn(&Finish) -> sea_orm::Value| {
        let mut case = CaseStatement::new();
        for f in list.clone() {
            case = case.case(Expr::col(attempt::Column::Id).eq(f.attempt_id), value(f));
        }
        case
    };
    let statement = Query::update()
        .table(attempt::Entity)
        .value(attempt::Column::SubmittedAt, case(&|f| f.at.into()))
        .value(attempt::Column::Percent, case(&|f| f.percent.into()))
        .value(attempt::Column::Passed, case(&|f| f.passed.into()))
        .value(
            attempt::Column::Score,
            case(&|f| f.score_json.clone().into()),
        )
        .and_where(Expr::col(attempt::Column::Id).is_in(list.clone().map(|f| f.attempt_id)))
        .and_where(Expr::col(attempt::Column::SubmittedAt).is_null())
        .returning_col(attempt::Column::Id)
        .to_owned();
    let rows = conn.query_all(&statement).await?;
    rows.iter().map(|r| r.try_get::<i32>("", "id")).collect()
}

/// `UPDATE attempt_items SET fraction = CASE id WHEN … END WHERE id IN (…)`: one
/// statement for many items instead of one each.
async fn set_fractions(
    conn: &impl ConnectionTrait,
    grades: &[(i32, f64)],
) -> Result<(), sea_orm::DbErr> {
    let mut case = CaseStatement::new();
    for &(id, fraction) in grades {
        case = case.case(Expr::col(item::Column::Id).eq(id), fraction);
    }
    let statement = Query::update()
        .table(item::Entity)
        .value(item::Column::Fraction, case)
        .and_where(Expr::col(item::Column::Id).is_in(grades.iter().map(|g| g.0)))
        .to_owned();
    conn.execute(&statement).await?;
    Ok(())
}
