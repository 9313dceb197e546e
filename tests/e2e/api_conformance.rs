//! Answers match the OpenAPI document the server publishes: regressions for what the
//! hostile-client run (tests/schemathesis/run) found. A small schema checker covers what
//! the document uses: `$ref`, `type` with `nullable`, `required`, `properties`, `items`,
//! `allOf`.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{TestApp, expect_problem};

on_both_backends!(answers_match_the_published_schemas, far_pages_are_refused);

async fn answers_match_the_published_schemas(app: TestApp) {
    app.load_fixture_content().await;
    let spec: Value = app.get_public("/openapi.json").await.json().await.unwrap();
    let admin = app.admin_token().await;
    let conforms = |method: &'static str, path: &'static str| {
        let spec = spec.clone();
        move |response: Response| async move {
            let status = response.status().as_u16().to_string();
            let content_type = crate::support::content_type(&response);
            let body: Value = response.json().await.expect("JSON answer");
            let declared = &spec["paths"][path][method]["responses"][&status];
            assert!(
                declared.is_object(),
                "{method} {path}: status {status} is not documented"
            );
            let media = declared["content"]
                .as_object()
                .and_then(|c| c.get(&content_type))
                .unwrap_or_else(|| {
                    panic!("{method} {path} {status}: content type {content_type} not declared")
                });
            let mut problems = Vec::new();
            check(&spec, &media["schema"], &body, "$", &mut problems);
            assert!(
                problems.is_empty(),
                "{method} {path} {status} does not match its schema:\n{}\n{body}",
                problems.join("\n")
            );
            body
        }
    };

    // Fields without a value are sent as null and documented as nullable: the
    // administrator has no location.
    let me = conforms("get", "/me")(app.get("/api/v1/me", &admin).await).await;
    assert_eq!(me["location_id"], Value::Null);
    conforms("get", "/users")(app.get("/api/v1/users", &admin).await).await;

    // Revisions imported from files have no author.
    let cards = app.get_json("/api/v1/cards", &admin).await;
    let card = cards["items"][0]["id"].as_str().expect("a fixture card");
    let revisions = app
        .get(&format!("/api/v1/cards/{card}/revisions"), &admin)
        .await;
    let revisions = conforms("get", "/cards/{id}/revisions")(revisions).await;
    assert_eq!(revisions["items"][0]["author_id"], Value::Null);

    // Quarters nobody took are null items in the trend series.
    let trends =
        conforms("get", "/reports/trends")(app.get("/api/v1/reports/trends", &admin).await).await;
    assert_eq!(trends["average"][0], Value::Null);

    // Generated questions belong to no bank.
    conforms("get", "/questions")(app.get("/api/v1/questions?origin=generated", &admin).await)
        .await;

    // Problems without field errors leave `errors` out, which the schema allows.
    let missing =
        conforms("get", "/users/{id}")(app.get("/api/v1/users/999999", &admin).await).await;
    assert_eq!(missing["code"], "not_found");
    assert!(missing.get("errors").is_none(), "{missing}");

    // A write without a body is 415, a documented status.
    let no_body = app
        .call(Method::POST, "/api/v1/locations", Some(&admin), None)
        .await;
    assert_eq!(no_body.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    conforms("post", "/locations")(no_body).await;

    // The checker itself catches what the run caught.
    let mut problems = Vec::new();
    let strict = json!({"type": "object", "required": ["errors"],
                        "properties": {"id": {"type": "integer"}}});
    check(&spec, &strict, &json!({"id": null}), "$", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
}

/// A page so far out that its offset overflows used to panic the handler (500).
async fn far_pages_are_refused(app: TestApp) {
    let admin = app.admin_token().await;
    for path in [
        "/api/v1/cards?page=4490683169690863616",
        "/api/v1/cards?page=18446744073709551615&per_page=200",
        "/api/v1/questions?page=4490683169690863616",
    ] {
        let body = expect_problem(
            app.get(path, &admin).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "page", "{path}: {body}");
    }
    // The last page that still fits an offset is an ordinary empty page.
    let last = i64::MAX as u64 / 200 + 1;
    let body = app
        .get_json(&format!("/api/v1/cards?page={last}&per_page=200"), &admin)
        .await;
    assert_eq!(body["items"], json!([]), "{body}");
}

/// Appends a line per mismatch between `value` and `schema` (as OpenAPI 3.0 reads it).
fn check(spec: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(
            spec,
            &spec["components"]["schemas"][name],
            value,
            at,
            problems,
        );
    }
    if value.is_null() {
        if schema["nullable"] != true && !schema["type"].is_null() {
            problems.push(format!("{at}: null where the schema is not nullable"));
        }
        return;
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(spec, part, value, at, problems);
    }
    let fits = match schema["type"].as_str() {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some(other) => panic!("unexpected schema type {other}"),
    };
    if !fits {
        problems.push(format!("{at}: {value} is not {}", schema["type"]));
        return;
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if !object.contains_key(name) {
                problems.push(format!("{at}: required property {name} is missing"));
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                if let Some(inner) = object.get(name) {
                    check(spec, property, inner, &format!("{at}.{name}"), problems);
                }
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, inner) in values.iter().enumerate() {
            check(spec, items, inner, &format!("{at}[{i}]"), problems);
        }
    }
}
