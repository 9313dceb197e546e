//! Storing submissions: grades, the attempt's closing, and its entry in the report
//! outbox, in one transaction — for one submission, or for many submitted together.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait, Value};

use crate::db::Db;
use crate::reports::storage::outbox;

/// What a submission stores.
pub struct Finish {
    pub attempt_id: i32,
    pub at: DateTime<Utc>,
    pub percent: f64,
    pub passed: bool,
    pub score_json: String,
    /// The attempt's count of saved answers when they were graded: the attempt is closed
    /// only if it is still that (no answer was saved since).
    pub saves: i32,
    /// (item id, fraction)
    pub fractions: Vec<(i32, f64)>,
    /// Whether reports count it (quarterly tests): the transaction then adds it to the
    /// report outbox (`reports/storage/outbox.rs`).
    pub reported: bool,
}

/// Marks the attempt submitted with its grades, exactly once: false (and nothing
/// written) when it already was, or when an answer was saved after the grading.
pub async fn finish(db: &Db, f: &Finish) -> Result<bool, sea_orm::DbErr> {
    Ok(finish_many(db, std::slice::from_ref(f))
        .await?
        .first()
        .copied()
        .unwrap_or(false))
}

/// Items graded per statement on SQLite (two bound values each).
const ITEMS_PER_UPDATE: usize = 2000;
/// Attempts closed per statement (six bound values each).
const ATTEMPTS_PER_UPDATE: usize = 500;

/// Stores many submissions in one transaction; for each, whether this call stored it
/// (false when the attempt was already submitted — by an earlier call, another replica,
/// or an earlier entry of the same list — or its count of saves moved on). All or
/// nothing: on an error nothing is stored.
pub async fn finish_many(db: &Db, list: &[Finish]) -> Result<Vec<bool>, sea_orm::DbErr> {
    let txn = db.writer().begin().await?;
    // One conditional update per chunk closes every attempt that is still open and says
    // which ones it closed; in attempt order, so that concurrent batches (other replicas
    // on PostgreSQL) lock attempt rows in one order.
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| list[i].attempt_id);
    // An attempt listed twice is closed by its first entry (one source row per target
    // row: with two, which one an UPDATE … FROM uses is undefined).
    let mut seen = HashSet::new();
    order.retain(|&i| seen.insert(list[i].attempt_id));
    let mut closed = HashSet::new();
    for chunk in order.chunks(ATTEMPTS_PER_UPDATE) {
        closed.extend(close_attempts(&txn, chunk.iter().map(|&i| &list[i])).await?);
    }
    // Each attempt counts once, for its first entry in the list.
    let stored: Vec<bool> = list.iter().map(|f| closed.remove(&f.attempt_id)).collect();
    let mut grades = Vec::new();
    let mut reported = Vec::new();
    for (f, &is_stored) in list.iter().zip(&stored) {
        if is_stored {
            grades.extend_from_slice(&f.fractions);
            if f.reported {
                reported.push(f.attempt_id);
            }
        }
    }
    grades.sort_by_key(|g| g.0);
    set_fractions(&txn, &grades).await?;
    if !reported.is_empty() {
        outbox::enqueue(&txn, &reported).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// `UPDATE attempts SET … FROM (…) WHERE id = … AND submitted_at IS NULL AND saves = …
/// RETURNING id`: the ids this statement closed. The condition is what makes a submission
/// count once, whoever else submits the same attempt, and count the answers it graded.
async fn close_attempts<'a>(
    conn: &impl ConnectionTrait,
    list: impl ExactSizeIterator<Item = &'a Finish>,
) -> Result<Vec<i32>, sea_orm::DbErr> {
    let backend = conn.get_database_backend();
    let statement = if backend == DbBackend::Postgres {
        let rows = list.map(|f| {
            let at = f.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            serde_json::json!([f.attempt_id, at, f.percent, f.passed, f.score_json, f.saves])
        });
        let sql = "UPDATE attempts SET submitted_at = (v.value->>1)::timestamptz, \
                   percent = (v.value->>2)::float8, passed = (v.value->>3)::bool, \
                   score = v.value->>4 FROM jsonb_array_elements($1::jsonb) AS v \
                   WHERE attempts.id = (v.value->>0)::int4 AND attempts.submitted_at IS NULL \
                   AND attempts.saves = (v.value->>5)::int4 RETURNING attempts.id";
        Statement::from_sql_and_values(backend, sql, [json_rows(rows)])
    } else {
        let sql = format!(
            "UPDATE attempts SET submitted_at = v.column2, percent = v.column3, \
             passed = v.column4, score = v.column5 FROM {} \
             WHERE attempts.id = v.column1 AND attempts.submitted_at IS NULL \
             AND attempts.saves = v.column6 RETURNING id",
            values_list(backend, list.len(), 6)
        );
        let mut values: Vec<Value> = Vec::new();
        for f in list {
            values.extend([
                f.attempt_id.into(),
                f.at.into(),
                f.percent.into(),
                f.passed.into(),
                f.score_json.clone().into(),
                f.saves.into(),
            ]);
        }
        Statement::from_sql_and_values(backend, sql, values)
    };
    let rows = conn.query_all_raw(statement).await?;
    rows.iter().map(|r| r.try_get::<i32>("", "id")).collect()
}

/// `UPDATE attempt_items SET fraction = v.… FROM (…) WHERE id = …`: one statement for
/// many items, joined on the key (a `CASE` per row would compare every row with every
/// value). PostgreSQL takes the rows as one JSON parameter; SQLite a `VALUES` list, which
/// it joined faster than `json_each` (storing 117–349 graded attempts took 26–31 ms with
/// `json_each`, 15–19 ms with `VALUES`).
async fn set_fractions(
    conn: &impl ConnectionTrait,
    grades: &[(i32, f64)],
) -> Result<(), sea_orm::DbErr> {
    let backend = conn.get_database_backend();
    if backend == DbBackend::Postgres {
        let rows = grades.iter().map(|&(id, f)| serde_json::json!([id, f]));
        let sql = "UPDATE attempt_items SET fraction = (v.value->>1)::float8 \
                   FROM jsonb_array_elements($1::jsonb) AS v \
                   WHERE attempt_items.id = (v.value->>0)::int4";
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [json_rows(rows)],
        ))
        .await?;
        return Ok(());
    }
    for chunk in grades.chunks(ITEMS_PER_UPDATE) {
        let sql = format!(
            "UPDATE attempt_items SET fraction = v.column2 FROM {} WHERE attempt_items.id = v.column1",
            values_list(backend, chunk.len(), 2)
        );
        let values = chunk
            .iter()
            .flat_map(|&(id, fraction)| [Value::from(id), Value::from(fraction)]);
        conn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// The rows of a batch statement as one JSON parameter, for PostgreSQL, which unpacks it
/// with `jsonb_array_elements`. With `VALUES` lists instead, its log showed 28–99 ms per
/// 2,000 graded items (4,000 parameters) while a quarter closed; the whole batch's
/// storing went from 387 ms to about 200 ms (docs/performance.md).
fn json_rows(rows: impl Iterator<Item = serde_json::Value>) -> Value {
    Value::from(serde_json::Value::Array(rows.collect()).to_string())
}

/// `(VALUES (?, ?), (?, ?)) AS v` for `rows` rows of `columns` bound values, in the
/// backend's placeholder style. Both SQLite and PostgreSQL name the columns `column1`,
/// `column2`, ….
fn values_list(backend: DbBackend, rows: usize, columns: usize) -> String {
    let mut n = 0;
    let mut sql = String::from("(VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                DbBackend::Postgres => sql.push_str(&format!("${n}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql.push_str(") AS v");
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_list_numbers_postgres_placeholders_across_rows() {
        assert_eq!(
            values_list(DbBackend::Postgres, 2, 2),
            "(VALUES ($1, $2), ($3, $4)) AS v"
        );
        assert_eq!(
            values_list(DbBackend::Sqlite, 1, 3),
            "(VALUES (?, ?, ?)) AS v"
        );
    }
}
