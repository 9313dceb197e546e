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

    // Oversized bodies are refused whole, declared or streamed.
    let huge = "x".repeat(zhmp::http::pipeline::MAX_BODY_BYTES + 1);
    // Declared too large: answered before the body is sent at all.
    let mut socket = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/locations HTTP/1.1\r\nHost: zhmp\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        huge.len()
    );
    tokio::io::AsyncWriteExt::write_all(&mut socket, head.as_bytes())
        .await
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tokio::io::AsyncReadExt::read(&mut socket, &mut answer),
    )
    .await
    .expect("answered without waiting for the body")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("\"code\":\"payload_too_large\""),
        "{answer}"
    );
    let chunks: Vec<Result<String, std::io::Error>> = huge
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(String::from_utf8(c.to_vec()).unwrap()))
        .collect();
    let streamed = app
        .client
        .post(app.url("/api/v1/locations"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    expect_problem(streamed, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // The server is still fine after all that.
    assert_eq!(app.get("/api/v1/me", &admin).await.status(), StatusCode::OK);
}
