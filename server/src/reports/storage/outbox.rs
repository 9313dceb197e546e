//! The report outbox: quarterly submissions whose report facts are still to be written.
//!
//! A quarterly submission's facts (a result row per direction, a tally per question) cost
//! more to write than the submission itself: the result table carries the reports'
//! indexes. Written inside the submission's transaction they doubled how long people wait
//! after «Завершить» when a quarter closes. So a submission only adds its attempt here, in
//! its own transaction, and [`settle`] follows: one transaction takes entries out and
//! writes their facts. Each submission's facts are therefore written exactly once,
//! whichever replica gets there first, and a crash in between leaves the entries for the
//! next settle. Reading facts requires a [`Settled`], which only `settle` makes, so no
//! report or certificate check misses a stored submission.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    Statement, TransactionTrait,
};

use super::entities::{attempt_result, outbox_entry};
use super::facts::{self, SubmissionFacts};
use crate::accounts::storage::entities::user;
use crate::certification::domain::Quarter;
use crate::db::Db;
use crate::quizzes::domain::campaign::{QUARTERLY, Score};
use crate::quizzes::storage::entities::{attempt, item};

/// Entries settled per transaction: bounds how long one settle holds the writer.
const PER_TRANSACTION: usize = 200;

/// Proof that the report facts include every submission stored before it was made.
pub struct Settled<'a> {
    db: &'a Db,
}

impl Settled<'_> {
    pub fn db(&self) -> &Db {
        self.db
    }
}

/// Adds submitted attempts to the outbox, in the transaction that submits them.
pub async fn enqueue(conn: &impl ConnectionTrait, attempt_ids: &[i32]) -> Result<(), DbErr> {
    for chunk in attempt_ids.chunks(1000) {
        outbox_entry::Entity::insert_many(chunk.iter().map(|&id| outbox_entry::ActiveModel {
            attempt_id: Set(id),
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Adds every submitted attempt of a quarterly campaign that is not already waiting:
/// for attempts submitted before reports existed.
pub async fn enqueue_all_submitted(db: &Db) -> Result<u64, DbErr> {
    let backend = db.writer().get_database_backend();
    let kind = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "INSERT INTO report_outbox (attempt_id) \
         SELECT a.id FROM attempts a JOIN campaigns c ON c.id = a.campaign_id \
         WHERE c.kind = {kind} AND a.submitted_at IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM report_outbox o WHERE o.attempt_id = a.id)"
    );
    Ok(db
        .writer()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [QUARTERLY.into()],
        ))
        .await?
        .rows_affected())
}

/// Writes the facts of every waiting submission; returns when none is left.
pub async fn settle(db: &Db) -> Result<Settled<'_>, DbErr> {
    while waiting(db).await? {
        settle_some(db).await?;
    }
    Ok(Settled { db })
}

/// Whether any submission waits (a read, so a settled outbox costs one cheap query).
async fn waiting(db: &Db) -> Result<bool, DbErr> {
    Ok(outbox_entry::Entity::find()
        .limit(1)
        .one(db.reader())
        .await?
        .is_some())
}

/// Takes up to [`PER_TRANSACTION`] entries and writes their facts, in one transaction.
/// On PostgreSQL a concurrent settle on another replica waits on the rows this one
/// deletes and then finds them gone, so it writes nothing twice.
async fn settle_some(db: &Db) -> Result<usize, DbErr> {
    let txn = db.writer().begin().await?;
    let backend = txn.get_database_backend();
    let sql = format!(
        "DELETE FROM report_outbox WHERE attempt_id IN \
         (SELECT attempt_id FROM report_outbox ORDER BY attempt_id LIMIT {PER_TRANSACTION}) \
         RETURNING attempt_id"
    );
    let ids = txn
        .query_all_raw(Statement::from_string(backend, sql))
        .await?
        .iter()
        .map(|r| r.try_get::<i32>("", "attempt_id"))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        txn.commit().await?;
        return Ok(0);
    }
    // An attempt whose facts exist already (written by hand, or by an older version) is
    // not written again: its rows would break the unique index and fail every settle,
    // and with it every report.
    let written: HashSet<i32> = attempt_result::Entity::find()
        .filter(attempt_result::Column::AttemptId.is_in(ids.iter().copied()))
        .select_only()
        .column(attempt_result::Column::AttemptId)
        .into_tuple()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let attempts: Vec<attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids.iter().copied()))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|a| !written.contains(&a.id))
        .collect();
    let mut items: HashMap<i32, Vec<(String, Option<f64>)>> = HashMap::new();
    let rows: Vec<(i32, String, Option<f64>)> = item::Entity::find()
        .filter(item::Column::AttemptId.is_in(ids.iter().copied()))
        .select_only()
        .column(item::Column::AttemptId)
        .column(item::Column::QuestionId)
        .column(item::Column::Fraction)
        .into_tuple()
        .all(&txn)
        .await?;
    for (attempt_id, question, fraction) in rows {
        items
            .entry(attempt_id)
            .or_default()
            .push((question, fraction));
    }
    // Attempts started before attempts recorded where and at what level the person
    // worked: file them under the person's current place.
    let unplaced: Vec<i32> = attempts
        .iter()
        .filter(|a| a.level.is_none())
        .map(|a| a.user_id)
        .collect();
    let mut people = HashMap::new();
    if !unplaced.is_empty() {
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(unplaced))
            .all(&txn)
            .await?
        {
            people.insert(u.id, Place::new(u.location_id, &u.level));
        }
    }
    let mut all = Vec::with_capacity(attempts.len());
    for a in &attempts {
        let place = match &a.level {
            Some(level) => Place::new(a.location_id, level),
            None => people
                .get(&a.user_id)
                .cloned()
                .unwrap_or_else(|| Place::new(None, "trainee")),
        };
        let attempt_items = items.remove(&a.id).unwrap_or_default();
        match facts_of(a, &attempt_items, &place) {
            Some(f) => all.push(f),
            None => tracing::warn!(
                attempt = a.id,
                "submitted attempt without a readable score; no report facts"
            ),
        }
    }
    facts::write_many(&txn, all).await?;
    txn.commit().await?;
    Ok(ids.len())
}

/// Where a submission is filed in the reports.
#[derive(Debug, Clone)]
struct Place {
    location_id: Option<i32>,
    level: String,
}

impl Place {
    fn new(location_id: Option<i32>, level: &str) -> Place {
        Place {
            location_id,
            level: level.to_owned(),
        }
    }
}

/// A submitted attempt's facts from what the submission stored: its score per direction,
/// and per question whether it was failed (scored under half); an override of the
/// result counts. `None` when the attempt is not submitted or its score is unreadable.
fn facts_of(
    a: &attempt::Model,
    items: &[(String, Option<f64>)],
    place: &Place,
) -> Option<SubmissionFacts> {
    let at: DateTime<Utc> = a.submitted_at?;
    let score: Score = serde_json::from_str(a.score.as_deref()?).ok()?;
    let quarter = Quarter::containing(at).code();
    let mut results = facts::result_rows(a, &score, place.location_id, &place.level, &quarter, at);
    // An overridden result (an appeal) differs from the graded one: every direction
    // follows it, as the override itself writes them (`reports::service::overrides`).
    if let Some(passed) = a.passed.filter(|&p| p != score.passed) {
        for row in &mut results {
            row.passed = Set(passed);
        }
    }
    let questions = items
        .iter()
        .map(|(question, fraction)| {
            (
                question.clone(),
                place.location_id.unwrap_or(0),
                quarter.clone(),
                fraction.unwrap_or(0.0) < 0.5,
            )
        })
        .collect();
    Some(SubmissionFacts { results, questions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quizzes::domain::campaign::TrackScore;
    use chrono::TimeZone;

    fn submitted(score: Option<&Score>) -> attempt::Model {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        attempt::Model {
            id: 7,
            campaign_id: 2,
            user_id: 11,
            number: 1,
            started_at: at,
            deadline_at: at,
            submitted_at: Some(at),
            percent: Some(75.0),
            passed: Some(false),
            score: score.map(|s| serde_json::to_string(s).unwrap()),
            location_id: Some(3),
            level: Some("barista".into()),
            saves: 4,
        }
    }

    fn two_tracks() -> Score {
        let track = |name: &str, percent, passed| TrackScore {
            track: name.into(),
            points: 1.0,
            questions: 2,
            percent,
            passed,
        };
        Score {
            tracks: vec![track("coffee", 50.0, false), track("service", 100.0, true)],
            percent: 75.0,
            passed: false,
        }
    }

    #[test]
    fn a_submission_gives_a_row_per_direction_and_a_tally_per_question() {
        let a = submitted(Some(&two_tracks()));
        let items = vec![
            ("q-1".to_owned(), Some(1.0)),
            ("q-2".to_owned(), Some(0.49)),
            ("q-3".to_owned(), None),
        ];
        let facts = facts_of(&a, &items, &Place::new(Some(3), "barista")).unwrap();
        let rows: Vec<(String, f64, bool, String, String)> = facts
            .results
            .iter()
            .map(|r| {
                (
                    r.track.clone().unwrap(),
                    r.percent.clone().unwrap(),
                    r.passed.clone().unwrap(),
                    r.quarter.clone().unwrap(),
                    r.level.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "coffee".into(),
                    50.0,
                    false,
                    "2026-Q4".into(),
                    "barista".into()
                ),
                (
                    "service".into(),
                    100.0,
                    true,
                    "2026-Q4".into(),
                    "barista".into()
                ),
            ]
        );
        assert_eq!(
            facts.questions,
            vec![
                ("q-1".into(), 3, "2026-Q4".into(), false),
                ("q-2".into(), 3, "2026-Q4".into(), true),
                ("q-3".into(), 3, "2026-Q4".into(), true),
            ]
        );
    }

    #[test]
    fn an_overridden_result_passes_every_direction() {
        let mut a = submitted(Some(&two_tracks()));
        a.passed = Some(true);
        let facts = facts_of(&a, &[], &Place::new(Some(3), "barista")).unwrap();
        assert!(facts.results.iter().all(|r| r.passed.clone().unwrap()));
    }

    #[test]
    fn a_person_without_a_location_is_tallied_under_zero() {
        let a = submitted(Some(&two_tracks()));
        let facts = facts_of(&a, &[("q".into(), Some(1.0))], &Place::new(None, "leader")).unwrap();
        assert_eq!(facts.questions[0].1, 0);
        assert_eq!(facts.results[0].location_id.clone().unwrap(), None);
        assert_eq!(facts.results[0].level.clone().unwrap(), "leader");
    }

    #[test]
    fn an_open_or_unscored_attempt_has_no_facts() {
        let mut open = submitted(Some(&two_tracks()));
        open.submitted_at = None;
        assert!(facts_of(&open, &[], &Place::new(None, "trainee")).is_none());
        let unscored = submitted(None);
        assert!(facts_of(&unscored, &[], &Place::new(None, "trainee")).is_none());
        let mut garbled = submitted(None);
        garbled.score = Some("{".into());
        assert!(facts_of(&garbled, &[], &Place::new(None, "trainee")).is_none());
    }
}
