//! Storing submissions: grades, the attempt's closing, and the report facts, in one
//! transaction — for one submission, or for many submitted at the same moment.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

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

/// Stores many submissions in one transaction; for each, whether this call stored it
/// (false when the attempt was already submitted — by an earlier call, another replica,
/// or an earlier entry of the same list). All or nothing: on an error nothing is stored.
pub async fn finish_many(db: &Db, list: &[Finish]) -> Result<Vec<bool>, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    // In attempt order, so that concurrent batches (other replicas on PostgreSQL) lock
    // attempt rows in one order.
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| list[i].attempt_id);
    let mut stored = vec![false; list.len()];
    for &i in &order {
        let f = &list[i];
        let done = attempt::Entity::update_many()
            .col_expr(attempt::Column::SubmittedAt, Expr::value(f.at))
            .col_expr(attempt::Column::Percent, Expr::value(f.percent))
            .col_expr(attempt::Column::Passed, Expr::value(f.passed))
            .col_expr(attempt::Column::Score, Expr::value(f.score_json.clone()))
            .filter(attempt::Column::Id.eq(f.attempt_id))
            .filter(attempt::Column::SubmittedAt.is_null())
            .exec(&txn)
            .await?;
        stored[i] = done.rows_affected == 1;
    }
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
