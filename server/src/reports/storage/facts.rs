//! Writing report facts in the same transaction as the submission they describe, and
//! reading them back for dashboards.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::{attempt_result, question_result};
use super::outbox::Settled;
use crate::db::Db;
use crate::reports::domain::ResultFact;

pub use attempt_result::Model as ResultRow;
pub use question_result::Model as QuestionRow;

/// What one submission adds.
#[derive(Clone)]
pub struct SubmissionFacts {
    pub results: Vec<attempt_result::ActiveModel>,
    /// (question id, location id or 0, quarter, failed)
    pub questions: Vec<(String, i32, String, bool)>,
}

/// A result row per direction of a scored attempt, filed under the location, level and
/// quarter it counts for.
pub fn result_rows(
    attempt: &crate::quizzes::storage::attempts::AttemptRow,
    score: &crate::quizzes::domain::campaign::Score,
    location_id: Option<i32>,
    level: &str,
    quarter: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Vec<attempt_result::ActiveModel> {
    score
        .tracks
        .iter()
        .map(|t| attempt_result::ActiveModel {
            attempt_id: Set(attempt.id),
            campaign_id: Set(attempt.campaign_id),
            user_id: Set(attempt.user_id),
            location_id: Set(location_id),
            level: Set(level.to_owned()),
            quarter: Set(quarter.to_owned()),
            track: Set(t.track.clone()),
            percent: Set(t.percent),
            passed: Set(t.passed),
            submitted_at: Set(at),
            ..Default::default()
        })
        .collect()
}

/// Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits.
const ROWS_PER_INSERT: usize = 1000;

/// Writes the facts of many submissions with a few statements (a batch of submissions
/// committed together).
pub async fn write_many(
    conn: &impl ConnectionTrait,
    all: Vec<SubmissionFacts>,
) -> Result<(), sea_orm::DbErr> {
    let mut results = Vec::new();
    // Tallies per (quarter, question, location): PostgreSQL refuses an upsert that
    // touches one row twice, so each key appears once, with its counts added up.
    let mut tallies: BTreeMap<(String, String, i32), (i64, i64)> = BTreeMap::new();
    for facts in all {
        results.extend(facts.results);
        for (question, location, quarter, failed) in facts.questions {
            let t = tallies.entry((quarter, question, location)).or_default();
            t.0 += 1;
            t.1 += i64::from(failed);
        }
    }
    while !results.is_empty() {
        let rest = results.split_off(results.len().min(ROWS_PER_INSERT));
        attempt_result::Entity::insert_many(std::mem::replace(&mut results, rest))
            .exec(conn)
            .await?;
    }
    // The map is ordered by key, so concurrent writers (other replicas) lock the shared
    // counter rows in one order: PostgreSQL would otherwise find deadlocks between two
    // upserts taking the same rows in opposite orders.
    let rows: Vec<question_result::ActiveModel> = tallies
        .into_iter()
        .map(
            |((quarter, question, location), (answered, failed))| question_result::ActiveModel {
                quarter: Set(quarter),
                question_id: Set(question),
                location_id: Set(location),
                answered: Set(answered),
                failed: Set(failed),
            },
        )
        .collect();
    let excluded = |c| Expr::col((sea_orm::sea_query::Alias::new("excluded"), c));
    let current = |c| Expr::col((question_result::Entity, c));
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        question_result::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    question_result::Column::Quarter,
                    question_result::Column::QuestionId,
                    question_result::Column::LocationId,
                ])
                .value(
                    question_result::Column::Answered,
                    current(question_result::Column::Answered)
                        .add(excluded(question_result::Column::Answered)),
                )
                .value(
                    question_result::Column::Failed,
                    current(question_result::Column::Failed)
                        .add(excluded(question_result::Column::Failed)),
                )
                .to_owned(),
            )
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// (user, location, level, quarter, track, percent, passed) as selected.
type FactTuple = (i32, Option<i32>, String, String, String, f64, bool);

/// Result facts of the given quarters, optionally of one location.
pub async fn results(
    facts: &Settled<'_>,
    quarters: &[String],
    location_id: Option<i32>,
) -> Result<Vec<ResultFact>, sea_orm::DbErr> {
    let mut query = attempt_result::Entity::find()
        .filter(attempt_result::Column::Quarter.is_in(quarters.iter().cloned()));
    if let Some(id) = location_id {
        query = query.filter(attempt_result::Column::LocationId.eq(id));
    }
    let rows: Vec<FactTuple> = query
        .select_only()
        .column(attempt_result::Column::UserId)
        .column(attempt_result::Column::LocationId)
        .column(attempt_result::Column::Level)
        .column(attempt_result::Column::Quarter)
        .column(attempt_result::Column::Track)
        .column(attempt_result::Column::Percent)
        .column(attempt_result::Column::Passed)
        .into_tuple()
        .all(facts.db().reader())
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, location_id, level, quarter, track, percent, passed)| ResultFact {
                user_id,
                location_id,
                level,
                quarter,
                track,
                percent,
                passed,
            },
        )
        .collect())
}

/// People with a passed quarterly attempt in the quarter: every direction of it passed.
pub async fn passed_users(
    facts: &Settled<'_>,
    quarter: &str,
    location_id: Option<i32>,
) -> Result<std::collections::HashSet<i32>, sea_orm::DbErr> {
    let mut query =
        attempt_result::Entity::find().filter(attempt_result::Column::Quarter.eq(quarter));
    if let Some(id) = location_id {
        query = query.filter(attempt_result::Column::LocationId.eq(id));
    }
    let rows: Vec<(i32, i32, bool)> = query
        .select_only()
        .column(attempt_result::Column::AttemptId)
        .column(attempt_result::Column::UserId)
        .column(attempt_result::Column::Passed)
        .into_tuple()
        .all(facts.db().reader())
        .await?;
    let mut attempts: std::collections::HashMap<i32, (i32, bool)> =
        std::collections::HashMap::new();
    for (attempt, user, passed) in rows {
        let entry = attempts.entry(attempt).or_insert((user, true));
        entry.1 &= passed;
    }
    Ok(attempts
        .into_values()
        .filter(|(_, ok)| *ok)
        .map(|(u, _)| u)
        .collect())
}

/// Each person's best score per direction over the given quarters: (user, track) → %.
pub async fn best_per_track(
    facts: &Settled<'_>,
    quarters: &[String],
) -> Result<std::collections::HashMap<(i32, String), f64>, sea_orm::DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let rows: Vec<(i32, String, Option<f64>)> = attempt_result::Entity::find()
        .filter(attempt_result::Column::Quarter.is_in(quarters.iter().cloned()))
        .select_only()
        .column(attempt_result::Column::UserId)
        .column(attempt_result::Column::Track)
        .column_as(Expr::col(attempt_result::Column::Percent).max(), "best")
        .group_by(attempt_result::Column::UserId)
        .group_by(attempt_result::Column::Track)
        .into_tuple()
        .all(facts.db().reader())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, t, p)| Some(((u, t), p?)))
        .collect())
}

/// One person's result rows, newest first.
pub async fn of_user(facts: &Settled<'_>, user_id: i32) -> Result<Vec<ResultRow>, sea_orm::DbErr> {
    attempt_result::Entity::find()
        .filter(attempt_result::Column::UserId.eq(user_id))
        .order_by_desc(attempt_result::Column::SubmittedAt)
        .all(facts.db().reader())
        .await
}

/// Question tallies of the given quarters, optionally of one location.
pub async fn question_tallies(
    facts: &Settled<'_>,
    quarters: &[String],
    location_id: Option<i32>,
) -> Result<Vec<QuestionRow>, sea_orm::DbErr> {
    let mut query = question_result::Entity::find()
        .filter(question_result::Column::Quarter.is_in(quarters.iter().cloned()));
    if let Some(id) = location_id {
        query = query.filter(question_result::Column::LocationId.eq(id));
    }
    query.all(facts.db().reader()).await
}

/// Whether any fact was ever written (to know whether existing attempts need a backfill).
pub async fn any(db: &Db) -> Result<bool, sea_orm::DbErr> {
    Ok(attempt_result::Entity::find()
        .limit(1)
        .one(db.reader())
        .await?
        .is_some())
}

/// A group's figures as the database computes them: each person once (their best score;
/// passed when any attempt passed).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigures {
    pub key: crate::reports::domain::GroupKey,
    pub takers: i64,
    pub passed: i64,
    pub average: f64,
}

/// Aggregates in SQL so chain-wide, eight-quarter reports do not move every fact row into
/// the application. Quarters are `YYYY-Qn` codes and ids are integers, so the statement is
/// built from values that cannot carry SQL; it runs unchanged on SQLite and PostgreSQL.
pub async fn aggregate(
    facts: &Settled<'_>,
    quarters: &[crate::certification::domain::Quarter],
    location_id: Option<i32>,
    user_id: Option<i32>,
    by: crate::reports::domain::GroupBy,
) -> Result<Vec<GroupFigures>, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let mut dims: Vec<&str> = Vec::new();
    if by.quarter {
        dims.push("quarter");
    }
    if by.location {
        dims.push("location_id");
    }
    if by.level {
        dims.push("level");
    }
    if by.track {
        dims.push("track");
    }
    let list: Vec<String> = quarters.iter().map(|q| format!("'{}'", q.code())).collect();
    let mut filter = format!("quarter IN ({})", list.join(", "));
    if let Some(id) = location_id {
        filter.push_str(&format!(" AND location_id = {id}"));
    }
    if let Some(id) = user_id {
        filter.push_str(&format!(" AND user_id = {id}"));
    }
    let inner_keys = dims
        .iter()
        .copied()
        .chain(std::iter::once("user_id"))
        .collect::<Vec<_>>()
        .join(", ");
    let outer_keys = dims.join(", ");
    // Each person's attempt in the group: one direction's score when grouped by
    // direction; otherwise the attempt as a whole (the mean of its directions, passed when
    // every direction passed). Then each person's best attempt, then the group.
    let attempts = if by.track {
        format!(
            "SELECT {inner_keys}, percent AS pct, CASE WHEN passed THEN 1 ELSE 0 END AS ok \
             FROM attempt_results WHERE {filter}"
        )
    } else {
        format!(
            "SELECT {inner_keys}, AVG(percent) AS pct, MIN(CASE WHEN passed THEN 1 ELSE 0 END) AS ok \
             FROM attempt_results WHERE {filter} GROUP BY {inner_keys}, attempt_id"
        )
    };
    let sql = format!(
        "SELECT {select} COUNT(*) AS takers, SUM(passed_any) AS passed, AVG(best) AS average \
         FROM (SELECT {inner_keys}, MAX(pct) AS best, MAX(ok) AS passed_any \
               FROM ({attempts}) attempts GROUP BY {inner_keys}) people \
         {group}",
        select = if dims.is_empty() {
            String::new()
        } else {
            format!("{outer_keys},")
        },
        group = if dims.is_empty() {
            String::new()
        } else {
            format!("GROUP BY {outer_keys}")
        },
    );
    let conn = facts.db().reader();
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let takers: i64 = row.try_get("", "takers")?;
        if takers == 0 {
            continue;
        }
        out.push(GroupFigures {
            key: crate::reports::domain::GroupKey {
                quarter: if by.quarter {
                    row.try_get("", "quarter")?
                } else {
                    None
                },
                location_id: if by.location {
                    row.try_get("", "location_id")?
                } else {
                    None
                },
                level: if by.level {
                    row.try_get("", "level")?
                } else {
                    None
                },
                track: if by.track {
                    row.try_get("", "track")?
                } else {
                    None
                },
            },
            takers,
            passed: row.try_get::<Option<i64>>("", "passed")?.unwrap_or(0),
            average: row.try_get::<Option<f64>>("", "average")?.unwrap_or(0.0),
        });
    }
    Ok(out)
}
