//! Campaigns and attempts over HTTP: start, resume, autosave, submit, review; the
//! deadline, ownership, double submit, answer leaks, concurrency and statistics.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};

use crate::on_both_backends;
use crate::support::{PASSWORD, TestApp, expect_problem};

on_both_backends!(
    staff_take_a_campaign_resume_submit_and_review,
    the_deadline_is_enforced_by_the_server,
    answers_never_leak_and_attempts_are_private,
    concurrent_submitters_are_stored_exactly_once,
    statistics_match_hand_computed_values
);

/// Cards and banks from tests/fixtures, a trainer, and a campaign with `blueprint`.
/// Returns (trainer token, campaign id).
async fn setup(app: &TestApp, blueprint: Value, time_limit: i32) -> (String, i64) {
    app.load_fixture_content().await;
    app.add_user("trainer", Role::Trainer, Level::Senior, None)
        .await;
    let trainer = app.token("trainer", PASSWORD).await;
    let now = chrono::Utc::now();
    let campaign = app
        .call_json(
            Method::POST,
            "/api/v1/campaigns",
            Some(&trainer),
            Some(json!({
                "title": "Квартальный тест — 4 кв. 2026",
                "opens_at": now - chrono::Duration::hours(1),
                "closes_at": now + chrono::Duration::days(7),
                "audience": {"locations": [], "levels": []},
                "blueprint": blueprint,
                "time_limit_minutes": time_limit,
                "pass_percent": {"coffee": 60, "service": 60, "bar": 60, "overall": 60},
                "attempts_allowed": 1
            })),
        )
        .await;
    let id = campaign["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("campaign created: {campaign}"));
    (trainer, id)
}

async fn staff(app: &TestApp, login: &str) -> String {
    app.add_user(login, Role::Staff, Level::Barista, None).await;
    app.token(login, PASSWORD).await
}

async fn start(app: &TestApp, token: &str, campaign: i64) -> Value {
    let response = app
        .call(
            Method::POST,
            &format!("/api/v1/campaigns/{campaign}/attempts"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// The right answer to a drawn question, in its shown positions, from the trainer's view
/// of the key; `wrong` gives a wrong one instead.
async fn answer_for(app: &TestApp, trainer: &str, q: &Value, wrong: bool) -> Value {
    let id = q["question_id"].as_str().unwrap();
    let key = app
        .get_json(&format!("/api/v1/questions/{id}"), trainer)
        .await["answer"]
        .clone();
    let shown = |list: &str, text: &Value| {
        q[list]
            .as_array()
            .unwrap()
            .iter()
            .position(|s| s == text)
            .unwrap()
    };
    match key["type"].as_str().unwrap() {
        "single" => {
            let options = key["key"].as_array().unwrap();
            let pick = options
                .iter()
                .find(|o| (o["weight"].as_f64().unwrap() == 1.0) != wrong)
                .unwrap();
            json!({"choice": shown("options", &pick["text"])})
        }
        "multiple" => {
            let picks: Vec<usize> = key["key"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| (o["weight"].as_f64().unwrap() > 0.0) != wrong)
                .map(|o| shown("options", &o["text"]))
                .collect();
            json!({"choices": picks})
        }
        "true_false" => json!({"value": key["key"]["answer"].as_bool().unwrap() != wrong}),
        "short" => {
            let text = if wrong {
                json!("совсем не то")
            } else {
                key["key"][0]["text"].clone()
            };
            json!({"text": text})
        }
        "numeric" => {
            let value = key["key"][0]["target"]["value"].as_f64().unwrap();
            json!({"text": if wrong { "-999".to_owned() } else { value.to_string().replace('.', ",") }})
        }
        "ordering" => {
            let mut order: Vec<usize> = key["key"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| shown("items", item))
                .collect();
            if wrong {
                order.reverse();
            }
            json!({"order": order})
        }
        "matching" => {
            let pairs = key["key"].as_array().unwrap();
            let matches: Vec<Value> = q["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| {
                    let pair = pairs.iter().find(|p| &p["left"] == item).unwrap();
                    let right = shown("values", &pair["right"]);
                    json!(if wrong {
                        (right + 1) % q["values"].as_array().unwrap().len()
                    } else {
                        right
                    })
                })
                .collect();
            json!({"matches": matches})
        }
        other => panic!("unknown type {other}"),
    }
}

async fn put_answer(
    app: &TestApp,
    token: &str,
    attempt: i64,
    q: &str,
    answer: Value,
) -> reqwest::Response {
    app.call(
        Method::PUT,
        &format!("/api/v1/attempts/{attempt}/answers/{q}"),
        Some(token),
        Some(answer),
    )
    .await
}

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

async fn concurrent_submitters_are_stored_exactly_once(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"service": 2}), 30).await;
    const PEOPLE: usize = 100;
    let mut tokens = Vec::new();
    for n in 0..PEOPLE {
        tokens.push(staff(&app, &format!("barista-{n}")).await);
    }
    let mut attempts = Vec::new();
    for token in &tokens {
        let a = start(&app, token, campaign).await;
        let q = &a["questions"][0];
        let answer = answer_for(&app, &trainer, q, false).await;
        put_answer(
            &app,
            token,
            a["id"].as_i64().unwrap(),
            q["question_id"].as_str().unwrap(),
            answer,
        )
        .await;
        attempts.push(a["id"].as_i64().unwrap());
    }
    // Everyone submits at once, and every tenth person taps twice.
    let mut tasks = Vec::new();
    for (n, (token, id)) in tokens.iter().zip(&attempts).enumerate() {
        let taps = if n % 10 == 0 { 2 } else { 1 };
        for _ in 0..taps {
            let (client, url, token) = (
                app.client.clone(),
                app.url(&format!("/api/v1/attempts/{id}/submit")),
                token.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                r.json::<Value>().await.unwrap()
            }));
        }
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    assert_eq!(results.len(), PEOPLE + PEOPLE / 10);
    for r in &results {
        assert_eq!(r["result"]["percent"], 50.0, "{r}");
    }
    use sea_orm::{EntityTrait, PaginatorTrait};
    use zhmp::quizzes::storage::entities::attempt;
    let stored = attempt::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(stored.len(), PEOPLE, "one attempt each");
    assert!(
        stored
            .iter()
            .all(|a| a.submitted_at.is_some() && a.percent == Some(50.0))
    );
    // Two taps by one person got the same stored submission.
    for id in attempts.iter().step_by(10) {
        let same: Vec<&Value> = results.iter().filter(|r| r["id"] == *id).collect();
        assert_eq!(same.len(), 2);
        assert_eq!(same[0]["submitted_at"], same[1]["submitted_at"]);
    }
    let items = zhmp::quizzes::storage::entities::item::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(items, (PEOPLE * 2) as u64);
}

/// Four people, the two bar questions (the whole bar bank, so everyone gets both):
/// order right for A, B, C; taboo right for A, B. By hand (see domain::stats tests for
/// the method): facility 0.75 and 0.5; each correlates with the other at 0.57735;
/// mean score 0.625.
async fn statistics_match_hand_computed_values(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"bar": 2}), 30).await;
    for (login, order_right, taboo_right) in [
        ("staff-a", true, true),
        ("staff-b", true, true),
        ("staff-c", true, false),
        ("staff-d", false, false),
    ] {
        let token = staff(&app, login).await;
        let attempt = start(&app, &token, campaign).await;
        let id = attempt["id"].as_i64().unwrap();
        for q in attempt["questions"].as_array().unwrap() {
            let qid = q["question_id"].as_str().unwrap();
            let right = if qid.starts_with("gen-order") {
                order_right
            } else {
                taboo_right
            };
            let answer = answer_for(&app, &trainer, q, !right).await;
            put_answer(&app, &token, id, qid, answer).await;
        }
        app.call(
            Method::POST,
            &format!("/api/v1/attempts/{id}/submit"),
            Some(&token),
            None,
        )
        .await;
    }
    let stats = app
        .get_json(
            &format!("/api/v1/campaigns/{campaign}/statistics"),
            &trainer,
        )
        .await;
    assert_eq!(stats["attempts"], 4);
    assert!(
        (stats["mean"].as_f64().unwrap() - 0.625).abs() < 1e-9,
        "{stats}"
    );
    let item = |id: &str| {
        stats["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["question_id"] == id)
            .unwrap()
            .clone()
    };
    let order = item("gen-order-summer-lemonade");
    let taboo = item("gen-taboo-summer-lemonade");
    assert_eq!(order["facility"], 0.75);
    assert_eq!(taboo["facility"], 0.5);
    for i in [&order, &taboo] {
        assert!(
            (i["discrimination"].as_f64().unwrap() - 0.57735).abs() < 1e-4,
            "{i}"
        );
        assert_eq!(i["flags"], json!([]));
        assert_eq!(i["card"], "summer-lemonade");
    }
    let csv = app
        .get(
            &format!("/api/v1/campaigns/{campaign}/statistics.csv"),
            &trainer,
        )
        .await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("question_id,card,track,type,attempts,facility,discrimination,sd,flags")
    );
    assert!(
        text.contains("gen-taboo-summer-lemonade,summer-lemonade,bar,single,4,0.5000,0.5774"),
        "{text}"
    );
    let staff_token = app.token("staff-a", PASSWORD).await;
    expect_problem(
        app.get(
            &format!("/api/v1/campaigns/{campaign}/statistics"),
            &staff_token,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
