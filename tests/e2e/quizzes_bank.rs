//! Questions in the database: banks from quizzes/ and questions generated from cards,
//! loaded with the content, versioned, retired, switched off; GIFT import over the API.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};

use crate::on_both_backends;
use crate::support::{PASSWORD, TestApp, expect_problem};

on_both_backends!(
    banks_and_generated_questions_load_with_revisions,
    editor_edits_refresh_generated_questions,
    a_broken_bank_keeps_its_last_good_questions,
    gift_imports_over_the_api
);

async fn with_fixture_content(app: &TestApp) -> String {
    app.load_fixture_content().await;
    app.add_user("tanya", Role::Trainer, Level::Senior, None)
        .await;
    app.token("tanya", PASSWORD).await
}

async fn ids(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let list = app
        .get_json(&format!("/api/v1/questions?{query}"), token)
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn banks_and_generated_questions_load_with_revisions(app: TestApp) {
    let token = with_fixture_content(&app).await;
    let bank = ids(&app, &token, "origin=bank").await;
    assert_eq!(
        bank,
        [
            "espresso-dose",
            "thanks-reply-1",
            "thanks-reply-2",
            "thanks-reply-3",
            "thanks-reply-4",
            "thanks-reply-5",
            "thanks-reply-6"
        ]
    );
    let generated = ids(&app, &token, "origin=generated").await;
    assert_eq!(generated.len(), 6, "ordering + taboo for each of 3 cards");
    assert!(generated.contains(&"gen-order-guest-says-thanks".to_owned()));

    let q = app
        .get_json("/api/v1/questions/thanks-reply-1", &token)
        .await;
    assert_eq!(q["revision"], 1);
    assert_eq!(q["type"], "single");
    assert_eq!(q["bank"], "service.yaml");
    assert_eq!(q["answer"]["type"], "single");
    assert_eq!(q["answer"]["key"][1]["text"], "«Спасибо вам!»");
    assert_eq!(q["answer"]["key"][1]["weight"], 1.0);

    // Staff never see questions with their answers.
    app.add_user("sasha", Role::Staff, Level::Barista, None)
        .await;
    let staff = app.token("sasha", PASSWORD).await;
    expect_problem(
        app.get("/api/v1/questions/thanks-reply-1", &staff).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Edit one question, drop another: a new revision, and a retirement.
    let path = app.state.config.quizzes_dir.join("service.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.find("  - id: thanks-reply-6").unwrap();
    let edited = text[..cut].replace(
        "Гость говорит «спасибо». Что вы ответите?",
        "Гость благодарит вас. Что вы ответите?",
    );
    std::fs::write(&path, edited).unwrap();
    app.reload_content().await;
    let q = app
        .get_json("/api/v1/questions/thanks-reply-1", &token)
        .await;
    assert_eq!(q["revision"], 2);
    assert_eq!(q["prompt"], "Гость благодарит вас. Что вы ответите?");
    let q2 = app
        .get_json("/api/v1/questions/thanks-reply-2", &token)
        .await;
    assert_eq!(q2["revision"], 1, "untouched questions keep their revision");
    assert!(
        !ids(&app, &token, "origin=bank")
            .await
            .contains(&"thanks-reply-6".to_owned())
    );
    let retired = app
        .get_json("/api/v1/questions/thanks-reply-6", &token)
        .await;
    assert_eq!(retired["retired"], true, "kept for past attempts");

    // A trainer switches a generated question off; it stays off across reloads.
    let off = app
        .call_json(
            Method::PUT,
            "/api/v1/questions/gen-taboo-espresso-shot/disabled",
            Some(&token),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(off["disabled"], true);

    // A card's steps change: its ordering question follows.
    let card = app.content_dir().join("coffee/espresso-shot.md");
    let source = std::fs::read_to_string(&card).unwrap();
    let first_step = source
        .lines()
        .find(|l| l.starts_with("1. "))
        .unwrap()
        .to_owned();
    std::fs::write(
        &card,
        source.replace(&first_step, "1. Протрите холдер сухой салфеткой."),
    )
    .unwrap();
    app.reload_content().await;
    let order = app
        .get_json("/api/v1/questions/gen-order-espresso-shot", &token)
        .await;
    assert_eq!(order["revision"], 2);
    assert_eq!(
        order["answer"]["key"][0],
        "Протрите холдер сухой салфеткой."
    );
    let taboo = app
        .get_json("/api/v1/questions/gen-taboo-espresso-shot", &token)
        .await;
    assert_eq!(taboo["disabled"], true);

    // The card is removed: its generated questions retire.
    std::fs::remove_file(&card).unwrap();
    app.reload_content_allowing_errors().await;
    let gone = app
        .get_json("/api/v1/questions/gen-order-espresso-shot", &token)
        .await;
    assert_eq!(gone["retired"], true);
    // A reload that changes nothing keeps every live card's questions in use (unchanged
    // cards are not re-parsed; their stored questions stand).
    app.reload_content_allowing_errors().await;
    let generated = ids(&app, &token, "origin=generated").await;
    assert_eq!(generated.len(), 4, "two cards left, two questions each");
    // The card comes back: its questions return to use.
    std::fs::write(&card, &source).unwrap();
    app.reload_content().await;
    let back = app
        .get_json("/api/v1/questions/gen-order-espresso-shot", &token)
        .await;
    assert_eq!(back["retired"], false);
    assert_eq!(ids(&app, &token, "origin=generated").await.len(), 6);
    expect_problem(
        app.get("/api/v1/questions/no-such-question", &token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn a_broken_bank_keeps_its_last_good_questions(app: TestApp) {
    let token = with_fixture_content(&app).await;
    let path = app.state.config.quizzes_dir.join("service.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace(
        "Гость говорит «спасибо». Что вы ответите?",
        "Новая формулировка",
    ) + "  - id: thanks-reply-7\n    card: guest-says-thanks\n    type: single\n    prompt: Без верного ответа\n    options:\n      - { text: a }\n      - { text: b }\n";
    std::fs::write(&path, broken).unwrap();
    let summary = app.reload_content_allowing_errors().await;
    assert_eq!(summary.errors, 1, "{summary:?}");
    let q = app
        .get_json("/api/v1/questions/thanks-reply-1", &token)
        .await;
    assert_eq!(
        q["revision"], 1,
        "the whole bank keeps its last good version"
    );
    assert_eq!(q["prompt"], "Гость говорит «спасибо». Что вы ответите?");
    let errors = app.get_json("/api/v1/content/errors", &token).await;
    let problem = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "quizzes/service.yaml")
        .unwrap_or_else(|| panic!("bank problem listed: {errors}"));
    assert_eq!(problem["line"], 50, "the options of the appended question");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("no correct option")
    );
}

async fn gift_imports_over_the_api(app: TestApp) {
    let token = with_fixture_content(&app).await;
    let Some(fixture) = crate::support::conformance::gift_file("moodle-fixture-questions.gift.txt")
    else {
        return;
    };
    let gift = std::fs::read_to_string(fixture).unwrap();
    let request =
        json!({"name": "moodle", "gift": gift, "track": "coffee", "card": "espresso-shot"});
    let first = app
        .call_json(
            Method::POST,
            "/api/v1/questions/import",
            Some(&token),
            Some(request.clone()),
        )
        .await;
    assert_eq!(first["bank"], "import/moodle");
    assert_eq!(first["questions"], 8);
    assert_eq!(first["created"], 8);
    let warning = &first["warnings"][0];
    assert_eq!(warning["line"], 2);
    assert!(warning["message"].as_str().unwrap().contains("essay"));
    let imported = ids(&app, &token, "card=espresso-shot&origin=bank").await;
    assert!(imported.contains(&"moodle-1".to_owned()), "{imported:?}");

    let again = app
        .call_json(
            Method::POST,
            "/api/v1/questions/import",
            Some(&token),
            Some(request),
        )
        .await;
    assert_eq!(
        (again["created"].clone(), again["revised"].clone()),
        (json!(0), json!(0))
    );

    // A file reload never retires imported questions.
    app.reload_content().await;
    assert!(
        ids(&app, &token, "origin=bank")
            .await
            .contains(&"moodle-8".to_owned())
    );

    let broken = app
        .call(
            Method::POST,
            "/api/v1/questions/import",
            Some(&token),
            Some(json!({"name": "broken", "gift": "Fine {T}\n\nBroken {=a ~b\n", "track": "coffee", "card": "espresso-shot"})),
        )
        .await;
    let problem: Value = expect_problem(
        broken,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["file"], "broken.gift");
    assert_eq!(problem["errors"][0]["line"], 3);

    let unknown = app
        .call(
            Method::POST,
            "/api/v1/questions/import",
            Some(&token),
            Some(json!({"name": "nocard", "gift": "Верно? {T}", "track": "coffee", "card": "no-such-card"})),
        )
        .await;
    let problem = expect_problem(
        unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-card")
    );
}

/// A card changed in the web editor (not its file) refreshes its generated questions at
/// once, and a later file import keeps them in step with the stored card.
async fn editor_edits_refresh_generated_questions(app: TestApp) {
    let token = with_fixture_content(&app).await;
    let card = app
        .get_json("/api/v1/cards/guest-says-thanks", &token)
        .await;
    let source = card["source"].as_str().unwrap();
    let first_step = source.lines().find(|l| l.starts_with("1. ")).unwrap();
    let edited = source.replace(first_step, "1. Оторвитесь от кассы и посмотрите на гостя.");
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/cards/guest-says-thanks",
            Some(&token),
            Some(json!({
                "source": edited,
                "base_revision": card["revision"],
                "significant": false,
                "note": "шаг 1 точнее"
            })),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let order = app
        .get_json("/api/v1/questions/gen-order-guest-says-thanks", &token)
        .await;
    assert_eq!(order["revision"], 2);
    assert_eq!(
        order["answer"]["key"][0],
        "Оторвитесь от кассы и посмотрите на гостя."
    );
    app.reload_content().await;
    let again = app
        .get_json("/api/v1/questions/gen-order-guest-says-thanks", &token)
        .await;
    assert_eq!(
        again["revision"], 2,
        "the unchanged file does not undo the edit"
    );
}
