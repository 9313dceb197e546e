//! Cards over the API: import from files, revisions, the editor's optimistic locking,
//! history and diff, and sanitised rendering.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::cards::CardText;
use crate::support::{PASSWORD, TestApp, expect_problem};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(
    imported_cards_are_listed_filtered_and_read,
    files_make_revisions_only_when_they_change,
    editor_saves_with_optimistic_locking,
    card_html_is_inert,
);

fn three_cards(app: &TestApp) {
    CardText::default().write(&app.content_dir());
    CardText {
        id: "espresso-dose",
        title: "Доза эспрессо",
        track: "coffee",
        level: "barista",
        tags: &["эспрессо", "рецептура"],
        stage: "preparation",
        situation: "Готовим эспрессо: 18 г молотого кофе, 36 г в чашке за 25–30 секунд.",
        ..Default::default()
    }
    .write(&app.content_dir());
    CardText {
        id: "steam-wand",
        title: "Паровая трубка после каждого молока",
        track: "bar",
        tags: &["чистота"],
        stage: "service",
        mandatory: false,
        ..Default::default()
    }
    .write(&app.content_dir());
}

async fn imported_cards_are_listed_filtered_and_read(app: TestApp) {
    three_cards(&app);
    let summary = app.reload_content().await;
    assert_eq!((summary.created, summary.errors), (3, 0));
    app.add_user("masha", Role::Staff, Level::Barista, None)
        .await;
    let token = app.token("masha", PASSWORD).await;

    let all = app.get_json("/api/v1/cards", &token).await;
    assert_eq!(all["total"], 3);
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["steam-wand", "espresso-dose", "guest-says-thanks"],
        "by track, then title"
    );
    let card = &all["items"][1];
    for field in [
        "id",
        "title",
        "track",
        "tags",
        "stage",
        "level",
        "season",
        "mandatory",
        "revision",
        "updated_at",
    ] {
        assert!(card.get(field).is_some(), "summary lacks {field}: {card}");
    }
    assert_eq!(card["tags"], json!(["эспрессо", "рецептура"]));
    assert_eq!(card["level"], "barista");

    let coffee = app.get_json("/api/v1/cards?track=coffee", &token).await;
    assert_eq!(coffee["total"], 1);
    let tagged = app
        .get_json(
            "/api/v1/cards?tag=%D1%87%D0%B8%D1%81%D1%82%D0%BE%D1%82%D0%B0",
            &token,
        )
        .await;
    assert_eq!(tagged["items"][0]["id"], "steam-wand", "tag чистота");
    let staged = app
        .get_json("/api/v1/cards?stage=farewell&level=trainee", &token)
        .await;
    assert_eq!(staged["items"][0]["id"], "guest-says-thanks");
    let page_two = app
        .get_json("/api/v1/cards?per_page=2&page=2", &token)
        .await;
    assert_eq!(
        (
            page_two["total"].as_u64(),
            page_two["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    let bad_page = app.get("/api/v1/cards?per_page=0", &token).await;
    expect_problem(
        bad_page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let detail = app
        .get_json("/api/v1/cards/guest-says-thanks", &token)
        .await;
    assert_eq!(detail["revision"], 1);
    assert_eq!(detail["sections"]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(detail["sections"]["taboo"].as_array().unwrap().len(), 2);
    assert!(
        detail["sections"]["situation"]
            .as_str()
            .unwrap()
            .contains("«спасибо»")
    );
    assert!(
        detail["source"]
            .as_str()
            .unwrap()
            .starts_with("---\nid: guest-says-thanks")
    );
    expect_problem(
        app.get("/api/v1/cards/no-such-card", &token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn files_make_revisions_only_when_they_change(app: TestApp) {
    three_cards(&app);
    app.reload_content().await;
    let again = app.reload_content().await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));

    let changed = CardText {
        steps: &[
            "Посмотрите гостю в глаза.",
            "Улыбнитесь.",
            "Скажите: «Спасибо вам!»",
            "Пожелайте хорошего дня.",
        ],
        ..Default::default()
    };
    changed.write(&app.content_dir());
    // The watcher may import the change before this explicit reload does; either way the
    // change makes exactly one new revision.
    let summary = app.reload_content().await;
    assert_eq!(summary.updated + summary.unchanged, 3, "{summary:?}");
    let admin = app.admin_token().await;
    let card = app
        .get_json("/api/v1/cards/guest-says-thanks", &admin)
        .await;
    assert_eq!(card["revision"], 2);
    assert_eq!(card["sections"]["steps"].as_array().unwrap().len(), 4);
    let history = app
        .get_json("/api/v1/cards/guest-says-thanks/revisions", &admin)
        .await;
    assert_eq!(history["items"].as_array().unwrap().len(), 2);
    assert_eq!(history["items"][0]["origin"], "file");
    assert_eq!(history["items"][0]["significant"], true, "steps changed");

    // A broken file never replaces the last good revision; its errors are listed.
    let path = app.content_dir().join("service/guest-says-thanks.md");
    std::fs::write(&path, changed.render().replace("## Табу", "## Табуу")).unwrap();
    let summary = app.reload_content_allowing_errors().await;
    assert_eq!(summary.errors, 1);
    let card = app
        .get_json("/api/v1/cards/guest-says-thanks", &admin)
        .await;
    assert_eq!(card["revision"], 2, "last good revision kept");
    let errors = app.get_json("/api/v1/content/errors", &admin).await;
    let problems = errors["errors"].as_array().unwrap();
    let problem = problems
        .iter()
        .find(|p| p["severity"] == "error")
        .expect("an error listed");
    assert_eq!(problem["file"], "service/guest-says-thanks.md");
    assert!(problem["line"].as_u64().unwrap() > 10, "{problem}");
    assert!(
        problem["message"].as_str().unwrap().contains("Табу"),
        "{problem}"
    );

    // A removed file archives its card.
    std::fs::remove_file(&path).unwrap();
    app.reload_content().await;
    expect_problem(
        app.get("/api/v1/cards/guest-says-thanks", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(app.get_json("/api/v1/cards", &admin).await["total"], 2);
    // Putting it back brings it back, as a new revision.
    changed.write(&app.content_dir());
    app.reload_content().await;
    assert_eq!(
        app.get_json("/api/v1/cards/guest-says-thanks", &admin)
            .await["revision"],
        3
    );
}

async fn editor_saves_with_optimistic_locking(app: TestApp) {
    app.add_user("trainer", Role::Trainer, Level::Senior, None)
        .await;
    let trainer = app.token("trainer", PASSWORD).await;
    let source = CardText {
        id: "new-card",
        ..Default::default()
    }
    .render();
    let put = |body: Value| {
        app.call(
            Method::PUT,
            "/api/v1/cards/new-card",
            Some(&trainer),
            Some(body),
        )
    };

    let created = put(
        json!({"source": source, "base_revision": 0, "significant": true, "note": "первая версия"}),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let v2 = source.replace("Улыбнитесь.", "Улыбнитесь искренне.");
    let updated = put(
        json!({"source": v2, "base_revision": 1, "significant": false, "note": "формулировка"}),
    )
    .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(updated.json::<Value>().await.unwrap()["revision"], 2);

    let stale =
        put(json!({"source": source, "base_revision": 1, "significant": false, "note": null}))
            .await;
    let body = expect_problem(stale, StatusCode::CONFLICT, "revision_conflict").await;
    assert_eq!(body["current"]["revision"], 2);
    assert!(
        body["current"]["source"]
            .as_str()
            .unwrap()
            .contains("искренне")
    );

    let broken = put(json!({"source": source.replace("## Пример", "## Примерчик"), "base_revision": 2, "significant": false})).await;
    let body = expect_problem(
        broken,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let error = &body["errors"][0];
    assert_eq!(error["file"], "new-card.md");
    assert!(
        error["line"].as_u64().unwrap() > 5 && error["column"].as_u64().unwrap() >= 1,
        "{error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("Пример"),
        "{error}"
    );

    let other_id = put(
        json!({"source": CardText::default().render(), "base_revision": 2, "significant": false}),
    )
    .await;
    expect_problem(
        other_id,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let revisions = app
        .get_json("/api/v1/cards/new-card/revisions", &trainer)
        .await;
    let items = revisions["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["revision"], 2);
    assert_eq!(items[0]["significant"], false);
    assert_eq!(items[0]["origin"], "editor");
    assert_eq!(items[0]["author_name"], "Тест trainer");
    assert_eq!(items[1]["note"], "первая версия");

    let diff = app
        .get_json("/api/v1/cards/new-card/diff?from=1&to=2", &trainer)
        .await;
    let changed: Vec<(&str, &str)> = diff["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["op"] != "equal")
        .map(|l| (l["op"].as_str().unwrap(), l["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changed,
        [
            ("delete", "2. Улыбнитесь."),
            ("insert", "2. Улыбнитесь искренне.")
        ]
    );
    expect_problem(
        app.get("/api/v1/cards/new-card/diff?from=1&to=9", &trainer)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let preview = app
        .call_json(
            Method::POST,
            "/api/v1/cards/preview",
            Some(&trainer),
            Some(json!({"source": "---\nid: x\n"})),
        )
        .await;
    assert_eq!(preview["valid"], false);
    assert!(!preview["problems"].as_array().unwrap().is_empty());
}

async fn card_html_is_inert(app: TestApp) {
    CardText {
        id: "hostile",
        situation: "Гость пишет <script>alert('xss')</script> и <img src=x onerror=alert(1)>.",
        example: "[нажми](javascript:alert(1)) и [тоже](JaVaScRiPt:alert(2))",
        ..Default::default()
    }
    .write(&app.content_dir());
    app.reload_content().await;
    let admin = app.admin_token().await;
    let card = app.get_json("/api/v1/cards/hostile", &admin).await;
    let sections = card["sections"].to_string().to_lowercase();
    assert!(!sections.contains("<script"), "{sections}");
    assert!(!sections.contains("<img"), "{sections}");
    assert!(!sections.contains("javascript:"), "{sections}");
    assert!(
        sections.contains("&lt;script&gt;"),
        "shown as text: {sections}"
    );
    let found = app
        .get_json("/api/v1/search?q=%D0%BF%D0%B8%D1%88%D0%B5%D1%82", &admin)
        .await;
    let snippet = found["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.contains("<script") && snippet.contains("&lt;script&gt;"),
        "{snippet}"
    );
}
