//! Two replicas: two `zhmp serve` processes on one database, sharing nothing but it.
//! A card edited through one is served and found by the other within 5 seconds; a test
//! started on one is resumed, answered and submitted on the other.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};

use crate::cards_search::{hit_ids, search_path};
use crate::cli::ServerProcess;
use crate::on_both_backends;
use crate::operations_crash::server;
use crate::support::TestApp;
use crate::support::quiz::{answer_for, setup};

on_both_backends!(two_processes_share_cards_and_attempts);

async fn call(
    client: &Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Value {
    let mut request = client.request(method, &url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{url}: {status} {body}");
    body
}

async fn two_processes_share_cards_and_attempts(app: TestApp) {
    let (trainer, campaign) = setup(&app, json!({"service": 2}), 30).await;
    let barista = app
        .session_for("replica-barista", Role::Staff, Level::Barista)
        .await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, mut b): (ServerProcess, ServerProcess) =
        (server(&app, dir_a.path()), server(&app, dir_b.path()));
    a.wait_ready().await;
    b.wait_ready().await;
    let client = Client::new();
    use reqwest::Method;

    // A card edited on A: B serves the new revision and finds its new word.
    let card = call(
        &client,
        Method::GET,
        a.url("/api/v1/cards/guest-says-thanks"),
        &trainer,
        None,
    )
    .await;
    let source = card["source"].as_str().unwrap().replace(
        "говорит «спасибо».",
        "говорит «спасибо» и просит облепиховый чай с собой.",
    );
    let saved = call(
        &client,
        Method::PUT,
        a.url("/api/v1/cards/guest-says-thanks"),
        &trainer,
        Some(json!({"source": source, "base_revision": card["revision"], "significant": false, "note": "облепиха"})),
    )
    .await;
    let revision = saved["revision"].clone();
    assert_eq!(revision, card["revision"].as_i64().unwrap() + 1);
    let started = Instant::now();
    loop {
        let found = call(
            &client,
            Method::GET,
            b.url(&search_path("облепиховый", "")),
            &barista,
            None,
        )
        .await;
        let served = call(
            &client,
            Method::GET,
            b.url("/api/v1/cards/guest-says-thanks"),
            &barista,
            None,
        )
        .await;
        if hit_ids(&found) == ["guest-says-thanks"] && served["revision"] == revision {
            assert!(
                served["sections"]["situation"]
                    .as_str()
                    .unwrap()
                    .contains("облепиховый")
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "B did not serve and find A's edit within 5 s: {found}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A test started on A, one answer saved there; B resumes it with that answer and
    // takes the second answer. A, which remembers the attempt from before that answer,
    // shows it, and grades it when the submission comes to A after one more save on B;
    // B then shows it submitted.
    let attempt = call(
        &client,
        Method::POST,
        a.url(&format!("/api/v1/campaigns/{campaign}/attempts")),
        &barista,
        None,
    )
    .await;
    let id = attempt["id"].as_i64().unwrap();
    let questions = attempt["questions"].as_array().unwrap().clone();
    assert_eq!(questions.len(), 2);
    let answer_on = |server: &ServerProcess, q: &Value, answer: Value| {
        let url = server.url(&format!(
            "/api/v1/attempts/{id}/answers/{}",
            q["question_id"].as_str().unwrap()
        ));
        let (client, barista) = (client.clone(), barista.clone());
        async move { call(&client, Method::PUT, url, &barista, Some(answer)).await }
    };
    let first = answer_for(&app, &trainer, &questions[0], false).await;
    answer_on(&a, &questions[0], first.clone()).await;
    let resumed = call(
        &client,
        Method::POST,
        b.url(&format!("/api/v1/campaigns/{campaign}/attempts")),
        &barista,
        None,
    )
    .await;
    assert_eq!(resumed["id"], id, "the same attempt, not a new one");
    let shown = |a: &Value| -> Vec<(Value, Value)> {
        a["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (q["question_id"].clone(), q["options"].clone()))
            .collect()
    };
    assert_eq!(
        shown(&resumed),
        shown(&attempt),
        "same questions, shown the same way"
    );
    // The answer a server shows for a question of the attempt (its non-null fields).
    let answer_shown_on = |server: &ServerProcess, q: &Value| {
        let (client, barista) = (client.clone(), barista.clone());
        let (url, question_id) = (
            server.url(&format!("/api/v1/attempts/{id}")),
            q["question_id"].clone(),
        );
        async move {
            let attempt = call(&client, Method::GET, url, &barista, None).await;
            let answer = attempt["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["question_id"] == question_id)
                .unwrap()["answer"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<serde_json::Map<_, _>>();
            Value::Object(answer)
        }
    };
    assert_eq!(
        answer_shown_on(&b, &questions[0]).await,
        first,
        "B shows the answer saved on A"
    );
    let first_try = answer_for(&app, &trainer, &questions[1], true).await;
    answer_on(&b, &questions[1], first_try.clone()).await;
    assert_eq!(
        answer_shown_on(&a, &questions[1]).await,
        first_try,
        "A shows the answer saved on B"
    );
    // Corrected on B: what A remembers is behind once more when it grades.
    let second = answer_for(&app, &trainer, &questions[1], false).await;
    answer_on(&b, &questions[1], second).await;
    let submitted = call(
        &client,
        Method::POST,
        a.url(&format!("/api/v1/attempts/{id}/submit")),
        &barista,
        None,
    )
    .await;
    assert_eq!(
        submitted["result"]["percent"], 100.0,
        "A grades the answer saved on B: {submitted}"
    );
    let on_b = call(
        &client,
        Method::GET,
        b.url(&format!("/api/v1/attempts/{id}")),
        &barista,
        None,
    )
    .await;
    assert_eq!(on_b["submitted_at"], submitted["submitted_at"]);
    assert_eq!(on_b["result"], submitted["result"]);
    let again = client
        .post(b.url(&format!("/api/v1/attempts/{id}/submit")))
        .bearer_auth(&barista)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "a second submit on B is harmless"
    );
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["submitted_at"], submitted["submitted_at"]);
}
