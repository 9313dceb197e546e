//! People's accounts over the API: create, read, list, change, deactivate.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{PASSWORD, TestApp, expect_problem};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(
    hr_creates_reads_and_updates_a_person,
    invalid_person_reports_every_field,
    duplicate_login_is_a_conflict,
    hr_cannot_touch_admins,
    last_admin_cannot_be_removed,
    shop_leader_lists_only_own_location,
    password_reset_ends_sessions,
);

async fn hr_creates_reads_and_updates_a_person(app: TestApp) {
    let shop = app.add_location("Кофейня на Садовой").await;
    let other = app.add_location("Кофейня у Невского").await;
    app.add_user("hr-1", Role::Hr, Level::Senior, None).await;
    let hr = app.token("hr-1", PASSWORD).await;
    let created = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&hr),
            Some(json!({
                "login": "Masha.K", "name": "  Мария   Котова ", "role": "staff",
                "level": "barista", "location_id": shop, "password": "пароль-для-маши"
            })),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let user: Value = created.json().await.unwrap();
    assert_eq!(user["login"], "masha.k");
    assert_eq!(user["name"], "Мария Котова");
    assert_eq!(user["location_id"], shop);
    assert_eq!(user["active"], true);
    let id = user["id"].as_i64().unwrap();

    let fetched: Value = app.get_json(&format!("/api/v1/users/{id}"), &hr).await;
    assert_eq!(fetched, user);
    assert_eq!(
        app.login("masha.k", "пароль-для-маши").await.status(),
        StatusCode::OK
    );

    let patched: Value = app
        .call_json(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&hr),
            Some(json!({"level": "senior", "location_id": other})),
        )
        .await;
    assert_eq!(patched["level"], "senior");
    assert_eq!(patched["location_id"], other);
    assert_eq!(patched["name"], "Мария Котова", "untouched fields stay");
    let moved_out: Value = app
        .call_json(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&hr),
            Some(json!({"location_id": null})),
        )
        .await;
    assert_eq!(moved_out["location_id"], Value::Null);

    let list: Value = app.get_json("/api/v1/users?role=staff", &hr).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["login"], "masha.k");
    expect_problem(
        app.get("/api/v1/users/999999", &hr).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn invalid_person_reports_every_field(app: TestApp) {
    let admin = app.admin_token().await;
    let response = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({
                "login": "x", "name": " ", "role": "boss", "level": "guru",
                "location_id": 4242, "password": "short"
            })),
        )
        .await;
    let body = expect_problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        ["level", "location_id", "login", "name", "password", "role"]
    );
    let role_error = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "role")
        .unwrap();
    assert!(
        role_error["message"]
            .as_str()
            .unwrap()
            .contains("staff, trainer, hr, admin")
    );
    // Nothing was stored.
    let list: Value = app.get_json("/api/v1/users", &admin).await;
    assert_eq!(list["total"], 1, "only the first admin exists");
}

async fn duplicate_login_is_a_conflict(app: TestApp) {
    let admin = app.admin_token().await;
    let person = json!({"login": "olga", "name": "Ольга", "role": "trainer", "password": PASSWORD});
    let first = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(person.clone()),
        )
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"login": "OLGA", "name": "Другая", "role": "staff", "password": PASSWORD})),
        )
        .await;
    let body = expect_problem(again, StatusCode::CONFLICT, "login_taken").await;
    assert_eq!(body["errors"][0]["field"], "login");
}

async fn hr_cannot_touch_admins(app: TestApp) {
    app.add_user("hr-2", Role::Hr, Level::Senior, None).await;
    let hr = app.token("hr-2", PASSWORD).await;
    let staff = app
        .add_user("petr", Role::Staff, Level::Barista, None)
        .await;
    let promote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{staff}"),
            Some(&hr),
            Some(json!({"role": "admin"})),
        )
        .await;
    expect_problem(promote, StatusCode::FORBIDDEN, "forbidden").await;
    let admin_id = 1;
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{admin_id}"),
            Some(&hr),
            Some(json!({"active": false})),
        )
        .await;
    expect_problem(demote, StatusCode::FORBIDDEN, "forbidden").await;
    let me: Value = app.get_json(&format!("/api/v1/users/{staff}"), &hr).await;
    assert_eq!(me["role"], "staff");
}

async fn last_admin_cannot_be_removed(app: TestApp) {
    let admin = app.admin_token().await;
    let me: Value = app.get_json("/api/v1/me", &admin).await;
    let id = me["id"].as_i64().unwrap();
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"role": "hr"})),
        )
        .await;
    expect_problem(demote, StatusCode::CONFLICT, "last_admin").await;
    // With a second administrator it is allowed.
    app.add_user("admin-b", Role::Admin, Level::Leader, None)
        .await;
    let demote = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"role": "hr"})),
        )
        .await;
    assert_eq!(demote.status(), StatusCode::OK);
}

async fn shop_leader_lists_only_own_location(app: TestApp) {
    let a = app.add_location("Точка А").await;
    let b = app.add_location("Точка Б").await;
    app.add_user("leader-a", Role::Staff, Level::Leader, Some(a))
        .await;
    app.add_user("barista-a", Role::Staff, Level::Barista, Some(a))
        .await;
    app.add_user("barista-b", Role::Staff, Level::Barista, Some(b))
        .await;
    let leader = app.token("leader-a", PASSWORD).await;
    let list: Value = app.get_json("/api/v1/users", &leader).await;
    let mut logins: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap())
        .collect();
    logins.sort();
    assert_eq!(logins, ["barista-a", "leader-a"]);
    expect_problem(
        app.get(&format!("/api/v1/users?location_id={b}"), &leader)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let barista = app.token("barista-a", PASSWORD).await;
    expect_problem(
        app.get("/api/v1/users", &barista).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

async fn password_reset_ends_sessions(app: TestApp) {
    let id = app
        .add_user("semyon", Role::Staff, Level::Barista, None)
        .await;
    let token = app.token("semyon", PASSWORD).await;
    let admin = app.admin_token().await;
    let reset = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"password": "новый-пароль-семёна"})),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("semyon", "новый-пароль-семёна").await.status(),
        StatusCode::OK
    );
}
