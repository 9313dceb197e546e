//! Operations surface: health, readiness, metrics, request ids, headers, OpenAPI.

use reqwest::StatusCode;
use serde_json::Value;

use crate::on_both_backends;
use crate::support::{Backend, TestApp};

on_both_backends!(health_and_readiness, metrics_count_requests_by_route);

async fn health_and_readiness(app: TestApp) {
    let health = app.get_public("/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
    let ready: Value = app.get_public("/readyz").await.json().await.unwrap();
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["checks"]["database"], "ok");
    assert_eq!(ready["checks"]["migrations"], "ok");
    assert_eq!(ready["checks"]["content"], "ok");
    assert_eq!(ready["checks"]["search"], "ok");
    // Without its content directory the instance is not ready.
    std::fs::remove_dir_all(app.content_dir()).unwrap();
    let not_ready = app.get_public("/readyz").await;
    assert_eq!(not_ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

async fn metrics_count_requests_by_route(app: TestApp) {
    let admin = app.admin_token().await;
    for _ in 0..3 {
        app.get("/api/v1/users/1", &admin).await;
    }
    let text = app.get_public("/metrics").await.text().await.unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("zhmp_http_requests_total") && l.contains("route=\"/api/v1/users/{id}\"")
        })
        .unwrap_or_else(|| panic!("no users/{{id}} series in\n{text}"));
    assert!(
        line.contains("status=\"200\"") && line.ends_with(" 3"),
        "{line}"
    );
    assert!(text.contains("zhmp_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn request_ids_and_security_headers() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let response = app.get_public("/login").await;
    let headers = response.headers();
    assert!(uuid::Uuid::parse_str(headers["x-request-id"].to_str().unwrap()).is_ok());
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(
        !html.contains("<script"),
        "no inline or external script on pages"
    );

    let echoed = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "edge-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "edge-42");
    let hostile = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "a b<script>")
        .send()
        .await
        .unwrap();
    assert_ne!(hostile.headers()["x-request-id"], "a b<script>");
}

/// The served OpenAPI document must equal the committed docs/openapi.json, so API changes
/// show up in review. Regenerate with `ZHMP_UPDATE_OPENAPI=1 cargo test --test e2e openapi`.
#[tokio::test]
async fn openapi_document_matches_committed_copy() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let served: Value = app.get_public("/openapi.json").await.json().await.unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var("ZHMP_UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::write(&path, serde_json::to_string_pretty(&served).unwrap() + "\n").unwrap();
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("docs/openapi.json exists"))
            .expect("docs/openapi.json is JSON");
    assert!(
        served == committed,
        "the API changed: review it and run ZHMP_UPDATE_OPENAPI=1 cargo test --test e2e openapi"
    );
    let docs = app.get_public("/docs").await;
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));
}
