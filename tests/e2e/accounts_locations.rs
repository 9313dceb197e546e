//! Locations over the API, including many concurrent writers.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{TestApp, expect_problem};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(
    locations_crud,
    location_rules,
    concurrent_writes_all_succeed
);

async fn locations_crud(app: TestApp) {
    let admin = app.admin_token().await;
    let created = app
        .call(
            Method::POST,
            "/api/v1/locations",
            Some(&admin),
            Some(json!({"name": "Кофейня на Арбате", "city": "Москва"})),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let location: Value = created.json().await.unwrap();
    let id = location["id"].as_i64().unwrap();
    let renamed: Value = app
        .call_json(
            Method::PUT,
            &format!("/api/v1/locations/{id}"),
            Some(&admin),
            Some(json!({"name": "Арбат, 10", "city": "Москва"})),
        )
        .await;
    assert_eq!(renamed["name"], "Арбат, 10");
    let list: Value = app.get_json("/api/v1/locations", &admin).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "Арбат, 10");
    let deleted = app
        .call(
            Method::DELETE,
            &format!("/api/v1/locations/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.get(&format!("/api/v1/locations/{id}"), &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn location_rules(app: TestApp) {
    let admin = app.admin_token().await;
    let id = app.add_location("Кофейня у парка").await;
    let duplicate = app
        .call(
            Method::POST,
            "/api/v1/locations",
            Some(&admin),
            Some(json!({"name": "Кофейня у парка", "city": "Тула"})),
        )
        .await;
    let body = expect_problem(duplicate, StatusCode::CONFLICT, "location_exists").await;
    assert_eq!(body["errors"][0]["field"], "name");
    let blank = app
        .call(
            Method::POST,
            "/api/v1/locations",
            Some(&admin),
            Some(json!({"name": "", "city": " "})),
        )
        .await;
    let body = expect_problem(blank, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    app.add_user("worker", Role::Staff, Level::Barista, Some(id))
        .await;
    let in_use = app
        .call(
            Method::DELETE,
            &format!("/api/v1/locations/{id}"),
            Some(&admin),
            None,
        )
        .await;
    expect_problem(in_use, StatusCode::CONFLICT, "location_in_use").await;
    assert_eq!(
        app.get(&format!("/api/v1/locations/{id}"), &admin)
            .await
            .status(),
        StatusCode::OK,
        "kept"
    );
}

/// Many simultaneous writes: none may fail with "database is locked" (SQLite) or lose
/// data.
async fn concurrent_writes_all_succeed(app: TestApp) {
    let admin = app.admin_token().await;
    let mut tasks = Vec::new();
    for n in 0..40 {
        let client = app.client.clone();
        let url = app.url("/api/v1/locations");
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(admin)
                .json(&json!({"name": format!("Точка №{n}"), "city": "Самара"}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::CREATED);
    }
    let list: Value = app.get_json("/api/v1/locations", &admin).await;
    assert_eq!(list["total"], 40);
}
