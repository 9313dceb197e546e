//! Programmes as content: the shipped ones, `zhmp check` on programme files, reloads,
//! the trainer's editor, and running assignments keeping their revision.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::careers::{self, item};
use crate::support::{TestApp, expect_problem};
use zhmp::accounts::domain::Level;
use zhmp::cards::domain::check_corpus;
use zhmp::cards::service::import::read_dir;
use zhmp::onboarding::domain::{ItemKind, check_careers, is_career_path};

on_both_backends!(programmes_reload_edit_and_pin);

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// The shipped programmes and rules: valid, built from the shipped cards, a real
/// two-week barista internship and a leader programme.
#[test]
fn shipped_programmes_are_real() {
    let files = read_dir(&content_dir()).unwrap();
    let (cards, _) = check_corpus(&files);
    let ids: HashSet<String> = cards
        .iter()
        .map(|(_, c)| c.front.id.as_str().to_owned())
        .collect();
    let career_files =
        zhmp::cards::service::import::read_files(&content_dir(), is_career_path).unwrap();
    let checked = check_careers(&career_files, &ids);
    let problems: Vec<String> = checked
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let program = |id: &str| {
        checked
            .programs
            .iter()
            .map(|(_, p)| p)
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("no shipped programme {id}"))
    };
    let internship = program("barista-internship");
    assert_eq!(internship.level, Some(Level::Barista));
    assert_eq!(internship.days(), 14, "two weeks");
    let stages: Vec<&str> = internship.stages.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(stages, ["Ориентация", "Неделя 1", "Неделя 2"]);
    let kinds: HashSet<&str> = internship.items().map(|(_, i)| i.kind.word()).collect();
    assert_eq!(kinds.len(), 4, "read, quiz, skill and event: {kinds:?}");
    assert!(
        internship
            .items()
            .filter(|(_, i)| matches!(i.kind, ItemKind::Read { .. }))
            .count()
            >= 10
    );
    assert!(internship.skills().count() >= 5);
    let espresso = internship
        .item("espresso-recipe")
        .expect("the espresso skill");
    let ItemKind::Skill { criteria } = &espresso.kind else {
        panic!("a skill")
    };
    assert!(criteria.iter().any(|c| c.contains("18")), "{criteria:?}");
    assert_eq!(program("leader-programme").level, Some(Level::Leader));
    let rules = checked.rules.expect("content/certification.yaml");
    for level in [Level::Barista, Level::Senior, Level::Leader] {
        let req = rules
            .of(level)
            .unwrap_or_else(|| panic!("{level:?} requirements"));
        assert!(req.pass_percent >= 70 && req.interview, "{level:?}");
        assert!(
            req.program.is_some() && req.recertification.is_some(),
            "{level:?}"
        );
        assert!(!req.skills.is_empty(), "{level:?}");
    }
}

/// `zhmp check` reports programme problems at file:line:column and fails.
#[test]
fn zhmp_check_reports_programme_problems() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    crate::support::copy_tree(&fixtures.join("cards/good"), dir.path());
    crate::support::copy_tree(&fixtures.join("careers/good"), dir.path());
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_zhmp"))
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stderr).contains("2 programmes, certification rules"));
    let file = dir.path().join("programs/intern.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("card: espresso-shot", "card: espresso-shots"),
    )
    .unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_zhmp"))
        .arg("check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(
        out.contains("programs/intern.yaml:17:15: error: no card with id «espresso-shots»"),
        "{out}"
    );
}

async fn programmes_reload_edit_and_pin(app: TestApp) {
    let cast = careers::setup(&app).await;
    let id = careers::assign_internship(&app, &cast).await["id"]
        .as_i64()
        .unwrap();
    let program = app
        .get_json("/api/v1/programs/intern", &cast.trainee.token)
        .await;
    assert_eq!(program["revision"], 1);
    let list = app.get_json("/api/v1/programs", &cast.trainee.token).await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // A broken file never replaces the last good revision; its problem has a line.
    let file = app.content_dir().join("programs/intern.yaml");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("due_day: 5", "due_day: пять")).unwrap();
    let summary = app.reload_content_allowing_errors().await;
    assert_eq!(summary.errors, 1);
    let problems = app.state.content.read().await.diagnostics.clone();
    let problem = problems
        .iter()
        .find(|d| d.file == "programs/intern.yaml")
        .unwrap();
    assert_eq!(problem.line, 27, "{problem:?}");
    assert_eq!(
        app.get_json("/api/v1/programs/intern", &cast.hr.token)
            .await["revision"],
        1
    );

    // A trainer's edit: checked like a file, refused on conflict, else a new revision.
    let edited = good.replace("Вводный день", "Вводный день в офисе");
    let put = |source: String, base: i64| {
        app.call(
            Method::PUT,
            "/api/v1/programs/intern",
            Some(&cast.trainer.token),
            Some(json!({"source": source, "base_revision": base})),
        )
    };
    let r = put(good.replace("card: espresso-shot", "card: no-such-card"), 1).await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["line"], 17, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-card")
    );
    let r = put(edited.clone(), 0).await;
    expect_problem(r, StatusCode::CONFLICT, "edit_conflict").await;
    let r = put(edited.clone(), 1).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["revision"], 2);
    assert_eq!(
        saved["stages"][0]["items"][0]["title"],
        "Вводный день в офисе"
    );
    let r = app
        .call(
            Method::PUT,
            "/api/v1/programs/intern",
            Some(&cast.leader.token),
            Some(json!({"source": edited, "base_revision": 2})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The running assignment keeps the revision it was given; new ones get the new one.
    let running = app
        .get_json(&format!("/api/v1/assignments/{id}"), &cast.hr.token)
        .await;
    assert_eq!(running["program_revision"], 1);
    assert_eq!(item(&running, "intro-day")["title"], "Вводный день");
    let fresh = app
        .call_json(Method::POST, "/api/v1/assignments", Some(&cast.hr.token), Some(json!({"user_id": cast.colleague.id, "program_id": "intern", "start_date": app.state.clock.today()})))
        .await;
    assert_eq!(fresh["program_revision"], 2);

    // A file removed: the programme is archived; the assignment still shows.
    std::fs::remove_file(&file).unwrap();
    app.reload_content_allowing_errors().await;
    let r = app.get("/api/v1/programs/intern", &cast.hr.token).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/assignments/{id}"), &cast.hr.token)
            .await
            .status(),
        StatusCode::OK
    );
}
