//! Campaigns and attempts over HTTP: start, resume, autosave, submit, review; the
//! deadline, ownership, double submit and answer leaks.

use reqwest::{Method, StatusCode};
use serde_json::json;
use zhmp::accounts::domain::{Level, Role};

use crate::on_both_backends;
use crate::support::quiz::{answer_for, put_answer, setup, staff, start};
use crate::support::{PASSWORD, TestApp, expect_problem};

on_both_backends!(
    staff_take_a_campaign_resume_submit_and_review,
    the_deadline_is_enforced_by_the_server,
    answers_never_leak_and_attempts_are_private,
    an_answer_saved_while_submitting_is_graded_if_it_was_saved
);

async fn staff_take_a_campaign_resume_submit_and_review(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"coffee": 2, "service": 4, "bar": 1}), 30).await;
    let anna = staff(&app, "anna").await;
    let open = app.get_json("/api/v1/campaigns", &anna).await;
    assert_eq!(open["items"][0]["id"], campaign, "{open}");
    assert_eq!(open["items"][0]["open"], true);

    let attempt = start(&app, &anna, campaign).await;
    let id = attempt["id"].as_i64().unwrap();
    let questions = attempt["questions"].as_array().unwrap().clone();
    let tracks: Vec<&str> = questions
        .iter()
        .map(|q| q["track"].as_str().unwrap())
        .collect();
    assert_eq!(
        tracks,
        [
            "coffee", "coffee", "service", "service", "service", "service", "bar"
        ]
    );
    assert!(attempt["seconds_left"].as_i64().unwrap() > 29 * 60);

    // Answer half, then "reload on another phone": the same attempt, answers kept.
    for q in &questions[..3] {
        let answer = answer_for(&app, &trainer, q, false).await;
        let saved = put_answer(&app, &anna, id, q["question_id"].as_str().unwrap(), answer).await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    let resumed = start(&app, &anna, campaign).await;
    assert_eq!(resumed["id"], id);
    assert_eq!(
        resumed["questions"][0]["options"], questions[0]["options"],
        "same shuffle"
    );
    let answered = resumed["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| !q["answer"].is_null())
        .count();
    assert_eq!(answered, 3);
    for q in &questions[3..] {
        let answer = answer_for(&app, &trainer, q, false).await;
        put_answer(&app, &anna, id, q["question_id"].as_str().unwrap(), answer).await;
    }
    // A malformed answer is refused with the field at fault.
    let bad = put_answer(
        &app,
        &anna,
        id,
        questions[0]["question_id"].as_str().unwrap(),
        json!({"value": "x"}),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let submitted = app
        .call_json(
            Method::POST,
            &format!("/api/v1/attempts/{id}/submit"),
            Some(&anna),
            None,
        )
        .await;
    assert_eq!(submitted["result"]["percent"], 100.0, "{submitted}");
    assert_eq!(submitted["result"]["passed"], true);
    let again = app
        .call_json(
            Method::POST,
            &format!("/api/v1/attempts/{id}/submit"),
            Some(&anna),
            None,
        )
        .await;
    assert_eq!(
        again["submitted_at"], submitted["submitted_at"],
        "double submit is harmless"
    );

    let late = put_answer(
        &app,
        &anna,
        id,
        questions[0]["question_id"].as_str().unwrap(),
        json!({"value": true}),
    )
    .await;
    expect_problem(late, StatusCode::CONFLICT, "attempt_closed").await;
    let more = app
        .call(
            Method::POST,
            &format!("/api/v1/campaigns/{campaign}/attempts"),
            Some(&anna),
            None,
        )
        .await;
    expect_problem(more, StatusCode::CONFLICT, "no_attempts_left").await;

    let review = app
        .get_json(&format!("/api/v1/attempts/{id}/review"), &anna)
        .await;
    let items = review["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    for item in items {
        assert_eq!(item["fraction"], 1.0, "{item}");
        assert!(!item["right_answer"].as_array().unwrap().is_empty());
        assert!(!item["your_answer"].as_array().unwrap().is_empty());
        let card = item["card"].as_str().unwrap();
        assert_eq!(item["card_url"], format!("/cards/{card}"));
    }
    let dose = items.iter().find(|i| i["question_id"] == "espresso-dose");
    if let Some(dose) = dose {
        assert_eq!(dose["right_answer"], json!(["18 ± 0.5"]));
    }
}

async fn the_deadline_is_enforced_by_the_server(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use zhmp::quizzes::storage::entities::attempt;
    let (trainer, campaign) = setup(&app, json!({"service": 2}), 5).await;
    let boris = staff(&app, "boris").await;
    let started = start(&app, &boris, campaign).await;
    let id = started["id"].as_i64().unwrap();
    let q = &started["questions"][0];
    let answer = answer_for(&app, &trainer, q, false).await;
    put_answer(
        &app,
        &boris,
        id,
        q["question_id"].as_str().unwrap(),
        answer.clone(),
    )
    .await;
    // The time runs out (moved into the past rather than waited for).
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::DeadlineAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(attempt::Column::Id.eq(id as i32))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    let q2 = &started["questions"][1];
    let answer2 = answer_for(&app, &trainer, q2, false).await;
    let late = put_answer(
        &app,
        &boris,
        id,
        q2["question_id"].as_str().unwrap(),
        answer2,
    )
    .await;
    expect_problem(late, StatusCode::CONFLICT, "attempt_closed").await;
    let closed = app
        .get_json(&format!("/api/v1/attempts/{id}"), &boris)
        .await;
    assert!(!closed["submitted_at"].is_null(), "closed itself: {closed}");
    assert_eq!(closed["seconds_left"], 0);
    assert_eq!(
        closed["result"]["percent"], 50.0,
        "only the answer saved in time counts"
    );
}

async fn answers_never_leak_and_attempts_are_private(app: TestApp) {
    let (_, campaign) = setup(&app, json!({"coffee": 3, "service": 6, "bar": 2}), 30).await;
    let vera = staff(&app, "vera").await;
    let attempt = start(&app, &vera, campaign).await;
    let id = attempt["id"].as_i64().unwrap();
    let text = attempt.to_string();
    for secret in [
        "weight",
        "correct",
        "explanation",
        "feedback",
        "Близко, но не по рецепту",
        "Мы благодарим гостя в ответ",
        "right_answer",
    ] {
        assert!(!text.contains(secret), "«{secret}» leaked: {text}");
    }
    let early = app
        .get(&format!("/api/v1/attempts/{id}/review"), &vera)
        .await;
    expect_problem(early, StatusCode::CONFLICT, "attempt_open").await;

    let gleb = staff(&app, "gleb").await;
    let q = attempt["questions"][0]["question_id"].as_str().unwrap();
    for response in [
        app.get(&format!("/api/v1/attempts/{id}"), &gleb).await,
        put_answer(&app, &gleb, id, q, json!({"value": true})).await,
        app.call(
            Method::POST,
            &format!("/api/v1/attempts/{id}/submit"),
            Some(&gleb),
            None,
        )
        .await,
        app.get(&format!("/api/v1/attempts/{id}/review"), &gleb)
            .await,
    ] {
        expect_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // A campaign for another location does not exist for Vera.
    let loc = app.add_location("Другая кофейня").await;
    app.add_user("hr", Role::Hr, Level::Leader, None).await;
    let hr = app.token("hr", PASSWORD).await;
    let now = chrono::Utc::now();
    let other = app
        .call_json(
            Method::POST,
            "/api/v1/campaigns",
            Some(&hr),
            Some(json!({
                "title": "Только для другой кофейни",
                "opens_at": now - chrono::Duration::hours(1),
                "closes_at": now + chrono::Duration::days(1),
                "audience": {"locations": [loc], "levels": ["barista"]},
                "blueprint": {"service": 1},
                "time_limit_minutes": 10,
                "pass_percent": {"coffee": 0, "service": 50, "bar": 0, "overall": 50},
                "attempts_allowed": 2
            })),
        )
        .await;
    let other_id = other["id"].as_i64().unwrap();
    let response = app
        .call(
            Method::POST,
            &format!("/api/v1/campaigns/{other_id}/attempts"),
            Some(&vera),
            None,
        )
        .await;
    expect_problem(response, StatusCode::NOT_FOUND, "not_found").await;
    // A blueprint larger than the bank is refused, naming the direction.
    let too_big = app
        .call(
            Method::POST,
            "/api/v1/campaigns",
            Some(&hr),
            Some(json!({
                "title": "Слишком много", "opens_at": now, "closes_at": now + chrono::Duration::days(1),
                "audience": {}, "blueprint": {"bar": 50}, "time_limit_minutes": 10,
                "pass_percent": {"coffee": 0, "service": 0, "bar": 50, "overall": 50}, "attempts_allowed": 1
            })),
        )
        .await;
    let problem = expect_problem(
        too_big,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "blueprint.bar");
}

/// An autosave racing the submission: if the save was accepted (2xx), the stored grade
/// counts it; if it was refused (409), the grade does not. Either way the review and the
/// result agree, whether the submission was graded from what the server remembered or
/// from what it read.
async fn an_answer_saved_while_submitting_is_graded_if_it_was_saved(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"coffee": 1, "service": 1, "bar": 1}), 30).await;
    let mut outcomes = Vec::new();
    for n in 0..8 {
        let token = staff(&app, &format!("racer{n}")).await;
        let attempt = start(&app, &token, campaign).await;
        let id = attempt["id"].as_i64().unwrap();
        let questions = attempt["questions"].as_array().unwrap().clone();
        // The others stay unanswered (0), so the result is above 0 only with this one.
        let last = questions.last().unwrap();
        let right = answer_for(&app, &trainer, last, false).await;
        let last_id = last["question_id"].as_str().unwrap();
        let submit_path = format!("/api/v1/attempts/{id}/submit");
        let (saved, submitted) = tokio::join!(
            put_answer(&app, &token, id, last_id, right),
            app.call(Method::POST, &submit_path, Some(&token), None)
        );
        assert_eq!(submitted.status(), StatusCode::OK);
        let submitted: serde_json::Value = submitted.json().await.unwrap();
        let accepted = match saved.status() {
            StatusCode::OK => true,
            StatusCode::CONFLICT => false,
            other => panic!("autosave answered {other}"),
        };
        let review = app
            .get_json(&format!("/api/v1/attempts/{id}/review"), &token)
            .await;
        let item = review["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["question_id"] == last_id)
            .unwrap()
            .clone();
        let percent = submitted["result"]["percent"].as_f64().unwrap();
        if accepted {
            assert_eq!(item["fraction"], 1.0, "a saved answer is graded: {item}");
            assert!(percent > 0.0, "{submitted}");
        } else {
            assert_eq!(item["fraction"], 0.0, "a refused answer is not: {item}");
            assert_eq!(percent, 0.0, "{submitted}");
        }
        outcomes.push(accepted);
    }
    eprintln!("autosave before the close in {outcomes:?}");
}
