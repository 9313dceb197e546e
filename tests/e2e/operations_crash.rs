//! Crash safety: the server is killed with SIGKILL while 200 people submit. Every
//! submission that was answered 2xx must be there after a restart, exactly as answered,
//! and the database must be whole: SQLite's integrity check passes, and every attempt is
//! either entirely submitted (graded items, report facts written or waiting in the report
//! outbox) or entirely open.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};
use zhmp::quizzes::storage::entities::{attempt, item};
use zhmp::reports::storage::entities::{attempt_result, outbox_entry};
use zhmp::reports::storage::outbox;

use crate::cli::ServerProcess;
use crate::on_both_backends;
use crate::support::TestApp;
use crate::support::quiz::{setup, start_and_answer_first};

on_both_backends!(sigkill_during_submissions_loses_no_acknowledged_result);

const PEOPLE: usize = 200;
/// Submissions are spread over this long, and the server dies after the first
/// [`KILL_AFTER`] answers: some submissions done, some in flight, some not yet sent.
const SPREAD_MS: u64 = 1500;
const KILL_AFTER: usize = 40;

/// A `zhmp serve` process on the test app's database, content and banks, with its own
/// data directory.
pub(crate) fn server(app: &TestApp, dir: &std::path::Path) -> ServerProcess {
    ServerProcess::start(
        dir,
        &[
            ("ZHMP_DATABASE_URL", app.database_url.as_str()),
            ("ZHMP_CONTENT_DIR", app.content_dir().to_str().unwrap()),
            (
                "ZHMP_QUIZZES_DIR",
                app.state.config.quizzes_dir.to_str().unwrap(),
            ),
        ],
    )
}

async fn sigkill_during_submissions_loses_no_acknowledged_result(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"service": 2}), 30).await;
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let token = app
            .session_for(&format!("crash-{n}"), Role::Staff, Level::Barista)
            .await;
        let id = start_and_answer_first(&app, &trainer, &token, campaign, false).await;
        people.push((token, id));
    }

    // A separate server process on the same database takes the submissions.
    let dir = tempfile::tempdir().unwrap();
    let mut first = server(&app, dir.path());
    first.wait_ready().await;
    let answered = Arc::new(AtomicUsize::new(0));
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for (token, id) in people.clone() {
        let (client, answered) = (client.clone(), answered.clone());
        let url = first.url(&format!("/api/v1/attempts/{id}/submit"));
        let delay = rand::rng().random_range(0..SPREAD_MS);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let response = client.post(url).bearer_auth(token).send().await.ok()?;
            if !response.status().is_success() {
                return None;
            }
            let body: Value = response.json().await.ok()?;
            answered.fetch_add(1, Ordering::SeqCst);
            Some((id, body))
        }));
    }
    while answered.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    first.child.kill().unwrap(); // SIGKILL: no shutdown code runs
    first.child.wait().unwrap();
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.unwrap());
    }
    assert!(
        acknowledged.len() >= KILL_AFTER && acknowledged.len() < PEOPLE,
        "killed mid-way: {} of {PEOPLE} answered",
        acknowledged.len()
    );

    let mut second = server(&app, dir.path());
    second.wait_ready().await;
    let tokens: std::collections::HashMap<i64, String> =
        people.iter().map(|(t, id)| (*id, t.clone())).collect();
    for (id, body) in &acknowledged {
        assert!(!body["submitted_at"].is_null(), "{body}");
        let now = client
            .get(second.url(&format!("/api/v1/attempts/{id}")))
            .bearer_auth(&tokens[id])
            .send()
            .await
            .unwrap();
        assert_eq!(
            now.status(),
            StatusCode::OK,
            "attempt {id} after the restart"
        );
        let now: Value = now.json().await.unwrap();
        assert_eq!(now["submitted_at"], body["submitted_at"], "attempt {id}");
        assert_eq!(now["result"], body["result"], "attempt {id}");
        assert_eq!(now["result"]["percent"], 50.0, "attempt {id}");
    }

    // Whole, not half-written: each attempt is submitted with everything a submission
    // writes, or open with none of it.
    let db = app.state.db.reader();
    if app.database_url.starts_with("sqlite:") {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    let attempts = attempt::Entity::find().all(db).await.unwrap();
    assert_eq!(attempts.len(), PEOPLE);
    for a in &attempts {
        // The outbox first: the restarted server may settle it between the two reads,
        // and then the entry is gone but the facts are there.
        let waiting = outbox_entry::Entity::find_by_id(a.id)
            .one(db)
            .await
            .unwrap()
            .is_some();
        let items = item::Entity::find()
            .filter(item::Column::AttemptId.eq(a.id))
            .all(db)
            .await
            .unwrap();
        let results = attempt_result::Entity::find()
            .filter(attempt_result::Column::AttemptId.eq(a.id))
            .all(db)
            .await
            .unwrap();
        if a.submitted_at.is_some() {
            assert_eq!(a.percent, Some(50.0), "attempt {}", a.id);
            assert!(
                items.iter().all(|i| i.fraction.is_some()),
                "attempt {}",
                a.id
            );
            assert!(
                results.len() == 1 || (results.is_empty() && waiting),
                "attempt {}: one service result, or its facts still to come",
                a.id
            );
        } else {
            assert!(a.percent.is_none() && a.score.is_none(), "attempt {}", a.id);
            assert!(
                items.iter().all(|i| i.fraction.is_none()),
                "attempt {}",
                a.id
            );
            assert!(results.is_empty() && !waiting, "attempt {}", a.id);
        }
    }

    // Whoever got no answer submits again on the restarted server and is stored once.
    let done: std::collections::HashSet<i64> = acknowledged.iter().map(|a| a.0).collect();
    for (token, id) in people.iter().filter(|p| !done.contains(&p.1)) {
        let retry = client
            .post(second.url(&format!("/api/v1/attempts/{id}/submit")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(retry.status(), StatusCode::OK, "attempt {id}");
        let retry: Value = retry.json().await.unwrap();
        assert_eq!(retry["result"]["percent"], 50.0);
    }
    outbox::settle(&app.state.db).await.unwrap();
    let results = attempt_result::Entity::find().all(db).await.unwrap();
    assert_eq!(results.len(), PEOPLE, "one result per person, none twice");
}
