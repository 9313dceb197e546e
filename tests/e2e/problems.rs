//! Bad input always gets problem+json with a stable code and the field at fault.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::on_both_backends;
use crate::support::{TestApp, expect_problem};

on_both_backends!(bad_requests_are_problems);

async fn bad_requests_are_problems(app: TestApp) {
    let admin = app.admin_token().await;

    let unknown_field = app
        .call(
            Method::POST,
            "/api/v1/locations",
            Some(&admin),
            Some(json!({"name": "А", "city": "Б", "owner": "x"})),
        )
        .await;
    let body = expect_problem(unknown_field, StatusCode::BAD_REQUEST, "invalid_body").await;
    assert_eq!(body["errors"][0]["field"], "owner");

    let missing_field = app
        .call(
            Method::POST,
            "/api/v1/locations",
            Some(&admin),
            Some(json!({"name": "А"})),
        )
        .await;
    expect_problem(missing_field, StatusCode::BAD_REQUEST, "invalid_body").await;

    let broken_json = app
        .client
        .post(app.url("/api/v1/locations"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    expect_problem(broken_json, StatusCode::BAD_REQUEST, "invalid_body").await;

    let wrong_type = app
        .client
        .post(app.url("/api/v1/locations"))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body("name=А")
        .send()
        .await
        .unwrap();
    expect_problem(
        wrong_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let bad_param = app.get("/api/v1/users/not-a-number", &admin).await;
    let body = expect_problem(bad_param, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "id");

    let bad_query = app.get("/api/v1/users?active=perhaps", &admin).await;
    let body = expect_problem(bad_query, StatusCode::BAD_REQUEST, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "active");

    expect_problem(
        app.get("/api/v1/no-such-thing", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let wrong_method = app
        .call(Method::DELETE, "/api/v1/me", Some(&admin), None)
        .await;
    expect_problem(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;

    // The server is still fine after all that.
    assert_eq!(app.get("/api/v1/me", &admin).await.status(), StatusCode::OK);
}
