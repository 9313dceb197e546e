//! Report facts follow submissions through the report outbox: a report read right after
//! submissions already counts them, a submission's facts are written exactly once however
//! many writers settle at the same moment, and the tallies add up to what was answered.

use reqwest::Method;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};
use serde_json::json;
use zhmp::accounts::domain::{Level, Role};
use zhmp::reports::storage::entities::{attempt_result, outbox_entry, question_result};
use zhmp::reports::storage::{facts, outbox};

use crate::on_both_backends;
use crate::support::TestApp;
use crate::support::quiz::{setup, start, start_and_answer_first};

on_both_backends!(facts_are_counted_at_once_and_written_once);

const PEOPLE: usize = 12;
/// With the one who submits last and appeals.
const TAKERS: usize = PEOPLE + 1;

async fn facts_are_counted_at_once_and_written_once(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"service": 2}), 30).await;
    let hr = app.session_for("hr", Role::Hr, Level::Senior).await;
    for n in 0..PEOPLE {
        let token = app
            .session_for(&format!("outbox-{n}"), Role::Staff, Level::Barista)
            .await;
        // Half answer their first question right, half wrong; nobody answers the second.
        let id = start_and_answer_first(&app, &trainer, &token, campaign, n % 2 == 1).await;
        let submitted = app
            .call_json(
                Method::POST,
                &format!("/api/v1/attempts/{id}/submit"),
                Some(&token),
                None,
            )
            .await;
        assert!(!submitted["submitted_at"].is_null(), "{submitted}");
    }

    // An appeal upheld the moment after a submission, before anything settled: the
    // override lands in the facts, not under facts written later from the grades.
    let late = app
        .session_for("outbox-late", Role::Staff, Level::Barista)
        .await;
    let late_attempt = start(&app, &late, campaign).await["id"].as_i64().unwrap();
    let submitted = app
        .call_json(
            Method::POST,
            &format!("/api/v1/attempts/{late_attempt}/submit"),
            Some(&late),
            None,
        )
        .await;
    assert_eq!(submitted["result"]["passed"], false, "{submitted}");
    let overridden = app
        .call_json(
            Method::POST,
            &format!("/api/v1/attempts/{late_attempt}/override"),
            Some(&hr),
            Some(json!({"passed": true, "reason": "сбой планшета"})),
        )
        .await;
    assert_eq!(overridden["passed"], true, "{overridden}");
    let late_user = overridden["user_id"].as_i64().unwrap() as i32;
    let settled = outbox::settle(&app.state.db).await.unwrap();
    let late_rows = facts::of_user(&settled, late_user).await.unwrap();
    assert_eq!(late_rows.len(), 1);
    assert!(late_rows[0].passed, "the override is in the facts");

    // At once, without waiting for the reporter: the read settles first.
    let report = app.get_json("/api/v1/reports/results?by=track", &hr).await;
    let rows = report["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"));
    let takers: i64 = rows.iter().map(|r| r["takers"].as_i64().unwrap()).sum();
    assert_eq!(takers, TAKERS as i64, "{report}");
    let db = app.state.db.reader();
    assert_eq!(outbox_entry::Entity::find().count(db).await.unwrap(), 0);

    // Everything again from the outbox, by four writers at once: still one result row
    // per person, the override kept, and tallies of exactly the questions answered.
    let writer = app.state.db.writer();
    let backend = writer.get_database_backend();
    for table in ["attempt_results", "question_results"] {
        writer
            .execute_raw(Statement::from_string(
                backend,
                format!("DELETE FROM {table}"),
            ))
            .await
            .unwrap();
    }
    let queued = outbox::enqueue_all_submitted(&app.state.db).await.unwrap();
    assert_eq!(queued, TAKERS as u64);
    let settles: Vec<_> = (0..4)
        .map(|_| {
            let db = app.state.db.clone();
            tokio::spawn(async move { outbox::settle(&db).await.map(|_| ()) })
        })
        .collect();
    for settle in settles {
        settle.await.unwrap().unwrap();
    }
    let results = attempt_result::Entity::find().all(db).await.unwrap();
    assert_eq!(results.len(), TAKERS, "one service result per person");
    let mut attempts: Vec<i32> = results.iter().map(|r| r.attempt_id).collect();
    attempts.sort_unstable();
    attempts.dedup();
    assert_eq!(attempts.len(), TAKERS, "no attempt counted twice");
    // One question of two right is 50 %, under the 60 % mark: only the override passed.
    let passed: Vec<i32> = results
        .iter()
        .filter(|r| r.passed)
        .map(|r| r.attempt_id)
        .collect();
    assert_eq!(passed, vec![late_attempt as i32]);
    let tallies = question_result::Entity::find().all(db).await.unwrap();
    let answered: i64 = tallies.iter().map(|t| t.answered).sum();
    let failed: i64 = tallies.iter().map(|t| t.failed).sum();
    assert_eq!(answered, 2 * TAKERS as i64, "two drawn questions each");
    // Unanswered and wrong ones: half of the people fail both, the other half one, and
    // the late taker answered nothing.
    assert_eq!(failed, (PEOPLE + PEOPLE / 2 + 2) as i64);
    assert_eq!(outbox_entry::Entity::find().count(db).await.unwrap(), 0);

    // An entry for an attempt whose facts exist is taken out without writing them again
    // (it would break the unique index and stop every report).
    outbox::enqueue(writer, &[late_attempt as i32])
        .await
        .unwrap();
    outbox::settle(&app.state.db).await.unwrap();
    let again = attempt_result::Entity::find().count(db).await.unwrap();
    assert_eq!(again, TAKERS as u64);
    assert_eq!(outbox_entry::Entity::find().count(db).await.unwrap(), 0);
}
