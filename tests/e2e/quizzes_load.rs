//! The quarter's close: many people submitting at once, and the statistics trainers
//! read afterwards.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::quiz::{answer_for, put_answer, setup, staff, start, start_and_answer_first};
use crate::support::{PASSWORD, TestApp, expect_problem};

on_both_backends!(
    concurrent_submitters_are_stored_exactly_once,
    a_burst_of_starts_spreads_over_the_pool,
    statistics_match_hand_computed_values
);

/// People starting in the same moment share one read of the question pool, yet are still
/// spread over the least used questions; a question switched off is not drawn again.
async fn a_burst_of_starts_spreads_over_the_pool(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"service": 1}), 30).await;
    let listed = app
        .get_json("/api/v1/questions?track=service&per_page=100", &trainer)
        .await;
    let mut pool: Vec<String> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["disabled"] == false && q["retired"] == false)
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect();
    pool.sort();
    assert!(pool.len() >= 4, "{listed}");
    let mut tokens = Vec::new();
    for n in 0..pool.len() {
        tokens.push(staff(&app, &format!("burst-{n}")).await);
    }
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let (client, url, token) = (
                app.client.clone(),
                app.url(&format!("/api/v1/campaigns/{campaign}/attempts")),
                token.clone(),
            );
            tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                let a: Value = r.json().await.unwrap();
                a["questions"][0]["question_id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
        })
        .collect();
    let mut drawn = Vec::new();
    for t in tasks {
        drawn.push(t.await.unwrap());
    }
    drawn.sort();
    assert_eq!(
        drawn, pool,
        "each question drawn once: the least used first"
    );

    let off = &pool[0];
    let switched = app
        .call(
            Method::PUT,
            &format!("/api/v1/questions/{off}/disabled"),
            Some(&trainer),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(switched.status(), StatusCode::OK);
    for n in 0..pool.len() {
        let token = staff(&app, &format!("after-{n}")).await;
        let a = start(&app, &token, campaign).await;
        assert_ne!(a["questions"][0]["question_id"], off.as_str());
    }
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
        attempts.push(start_and_answer_first(&app, &trainer, token, campaign, false).await);
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
    // Submissions stored together (group commit) still grade every item and add up the
    // report tallies (written from the report outbox: settle it first): each person
    // answered one of two questions, right.
    let graded = zhmp::quizzes::storage::entities::item::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert!(
        graded.iter().all(|i| i.fraction.is_some()),
        "every item graded"
    );
    let right: f64 = graded.iter().filter_map(|i| i.fraction).sum();
    assert_eq!(right, PEOPLE as f64);
    use zhmp::reports::storage::entities::{attempt_result, question_result};
    zhmp::reports::storage::outbox::settle(&app.state.db)
        .await
        .unwrap();
    let results = attempt_result::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(results.len(), PEOPLE, "one service result per person");
    let tallies = question_result::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    let answered: i64 = tallies.iter().map(|t| t.answered).sum();
    let failed: i64 = tallies.iter().map(|t| t.failed).sum();
    assert_eq!(answered, (PEOPLE * 2) as i64);
    assert_eq!(failed, PEOPLE as i64);
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
