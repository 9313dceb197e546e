//! Campaigns and attempts for tests: fixture content with a campaign, staff, answers.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};

use super::{PASSWORD, TestApp};

/// Cards and banks from tests/fixtures, a trainer, and a campaign with `blueprint`.
/// Returns (trainer token, campaign id).
pub async fn setup(app: &TestApp, blueprint: Value, time_limit: i32) -> (String, i64) {
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

pub async fn staff(app: &TestApp, login: &str) -> String {
    app.add_user(login, Role::Staff, Level::Barista, None).await;
    app.token(login, PASSWORD).await
}

pub async fn start(app: &TestApp, token: &str, campaign: i64) -> Value {
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
pub async fn answer_for(app: &TestApp, trainer: &str, q: &Value, wrong: bool) -> Value {
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

/// Starts `token`'s attempt and saves an answer to its first question only, right or
/// (`wrong`) wrong. Returns the attempt id.
pub async fn start_and_answer_first(
    app: &TestApp,
    trainer: &str,
    token: &str,
    campaign: i64,
    wrong: bool,
) -> i64 {
    let a = start(app, token, campaign).await;
    let id = a["id"].as_i64().unwrap();
    let q = &a["questions"][0];
    let answer = answer_for(app, trainer, q, wrong).await;
    let saved = put_answer(app, token, id, q["question_id"].as_str().unwrap(), answer).await;
    assert_eq!(saved.status(), StatusCode::OK);
    id
}

pub async fn put_answer(
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
