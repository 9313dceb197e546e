//! `zhmp backup FILE`: an online SQLite snapshot, and restoring from it
//! (docs/operations.md, «Backup and restore»).

use std::time::Duration;

use reqwest::StatusCode;
use zhmp::accounts::domain::{Level, Role};

use crate::cli::{ServerProcess, run, stderr, zhmp};
use crate::support::{Backend, PASSWORD, TestApp};

/// A backup taken while the server is busy writing holds everything committed before it
/// and restores into a working server: people can sign in, cards are found by search,
/// and what was written after the backup is not there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backup_restores_into_a_working_server() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.load_fixture_content().await;
    app.add_user("before", Role::Staff, Level::Barista, None)
        .await;
    let cards = app
        .get_json("/api/v1/cards", &app.admin_token().await)
        .await["total"]
        .clone();
    assert!(cards.as_u64().unwrap() > 0);

    // The server keeps writing (new people) all through the backup.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (state, stop) = (app.state.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                zhmp::accounts::storage::users::insert(
                    &state.db,
                    zhmp::accounts::storage::users::NewUser {
                        login: &format!("busy-{n}"),
                        name: "Во время копии",
                        role: "staff",
                        level: "barista",
                        location_id: None,
                        password_hash: "x".into(),
                    },
                )
                .await
                .unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let file = app.dir.path().join("backups/zhmp-2026-11-27.db");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let output = {
        let (app_url, dir, file) = (
            app.database_url.clone(),
            app.dir.path().to_owned(),
            file.clone(),
        );
        tokio::task::spawn_blocking(move || {
            zhmp()
                .args(["backup", file.to_str().unwrap()])
                .env("ZHMP_DATABASE_URL", app_url)
                .env("ZHMP_DATA_DIR", dir)
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written_during = writer.await.unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(written_during > 0, "the server wrote during the backup");
    let said = stderr(&output);
    assert!(said.contains("integrity check ok"), "{said}");
    assert!(said.contains(&format!("{} cards", cards)), "{said}");
    assert!(
        !app.dir
            .path()
            .join("backups/zhmp-2026-11-27.db.partial")
            .exists()
    );
    app.add_user("after", Role::Staff, Level::Barista, None)
        .await;

    // Restore as docs/operations.md says: the snapshot becomes data/zhmp.db of a server
    // that is not running, with no -wal or -shm files beside it.
    let restored = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(restored.path().join("data")).unwrap();
    std::fs::copy(&file, restored.path().join("data/zhmp.db")).unwrap();
    let mut server = ServerProcess::start(
        restored.path(),
        &[
            ("ZHMP_CONTENT_DIR", app.content_dir().to_str().unwrap()),
            (
                "ZHMP_QUIZZES_DIR",
                app.state.config.quizzes_dir.to_str().unwrap(),
            ),
        ],
    );
    server.wait_ready().await;
    let client = reqwest::Client::new();
    let login = |who: &'static str| {
        let client = client.clone();
        let url = server.url("/api/v1/auth/login");
        async move {
            client
                .post(url)
                .json(&serde_json::json!({"login": who, "password": PASSWORD}))
                .send()
                .await
                .unwrap()
        }
    };
    let before = login("before").await;
    assert_eq!(before.status(), StatusCode::OK);
    assert_eq!(login("after").await.status(), StatusCode::UNAUTHORIZED);
    let token = before.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |path: String| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let r = client.get(path).bearer_auth(token).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    assert_eq!(get(server.url("/api/v1/cards")).await["total"], cards);
    let found = get(server.url("/api/v1/search?q=%D0%B3%D0%BE%D1%81%D1%82%D1%8C")).await;
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");

    // A second backup to the same name is refused and leaves the first intact.
    let size = std::fs::metadata(&file).unwrap().len();
    let again = run(&app, &["backup", file.to_str().unwrap()], "");
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size);
}

/// No database, no backup (and no empty database created by asking).
#[test]
fn backup_without_a_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = zhmp()
        .current_dir(dir.path())
        .args(["backup", "copy.db"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("there is no database"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("data/zhmp.db").exists());
    assert!(!dir.path().join("copy.db").exists());
}

/// PostgreSQL has pg_dump; the command says so instead of pretending.
#[tokio::test]
async fn backup_of_postgresql_points_to_pg_dump() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let file = app.dir.path().join("copy.db");
    let output = run(&app, &["backup", file.to_str().unwrap()], "");
    assert!(!output.status.success());
    assert!(stderr(&output).contains("pg_dump"), "{}", stderr(&output));
    assert!(!file.exists());
}
