//! The authorisation matrix: every API operation × every role and anonymous.
//!
//! Each row names the operation as the OpenAPI document does, and who may do it. The
//! test also fails when the document has an operation the matrix does not cover, so a
//! new endpoint cannot ship without its row.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Who {
    Anonymous,
    Staff,
    Leader,
    Trainer,
    Hr,
    Admin,
}

pub(crate) const SIGNED_IN: &[Who] = &[Who::Staff, Who::Leader, Who::Trainer, Who::Hr, Who::Admin];
const PEOPLE_MANAGERS: &[Who] = &[Who::Hr, Who::Admin];
pub(crate) const AUTHORS: &[Who] = &[Who::Trainer, Who::Admin];

fn matrix_card() -> String {
    crate::support::cards::CardText {
        id: "matrix-card",
        ..Default::default()
    }
    .render()
}

pub(crate) struct Row {
    /// As in the OpenAPI document: `GET /users/{id}`.
    pub operation: &'static str,
    pub method: Method,
    /// Placeholders: {self}, {who}, {a}, {b}, {staff_a}, {staff_b}, {admin2}, {empty},
    /// for the quiz rows {campaign}, {my_attempt}, {my_question}, {my_answer}, and for
    /// the career rows {assignment}, {certificate}, {prog_rev}.
    pub path: &'static str,
    /// JSON text; placeholders are filled before parsing, so `{rev}` may stand for a number.
    pub body: Option<String>,
    pub allowed: &'static [Who],
}

fn rows() -> Vec<Row> {
    let mut rows = account_and_card_rows();
    rows.extend(crate::authz_quiz_rows::rows());
    rows.extend(crate::authz_career_rows::rows());
    rows
}

fn account_and_card_rows() -> Vec<Row> {
    use Method as M;
    vec![
        Row {
            operation: "GET /me",
            method: M::GET,
            path: "/me",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "PUT /me/password",
            method: M::PUT,
            path: "/me/password",
            body: Some(json!({"current_password": PASSWORD, "new_password": PASSWORD}).to_string()),
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /auth/logout",
            method: M::POST,
            path: "/auth/logout",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /users",
            method: M::GET,
            path: "/users",
            body: None,
            allowed: &[Who::Leader, Who::Hr, Who::Admin],
        },
        Row {
            operation: "GET /users",
            method: M::GET,
            path: "/users?location_id={b}",
            body: None,
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "POST /users",
            method: M::POST,
            path: "/users",
            body: Some(json!({"login": "new-{who}", "name": "Новый", "role": "staff", "password": PASSWORD}).to_string()),
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "POST /users",
            method: M::POST,
            path: "/users",
            body: Some(json!({"login": "adm-{who}", "name": "Новый админ", "role": "admin", "password": PASSWORD}).to_string()),
            allowed: &[Who::Admin],
        },
        Row {
            operation: "GET /users/{id}",
            method: M::GET,
            path: "/users/{self}",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /users/{id}",
            method: M::GET,
            path: "/users/{staff_a}",
            body: None,
            allowed: &[Who::Leader, Who::Hr, Who::Admin],
        },
        Row {
            operation: "GET /users/{id}",
            method: M::GET,
            path: "/users/{staff_b}",
            body: None,
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "PATCH /users/{id}",
            method: M::PATCH,
            path: "/users/{staff_a}",
            body: Some(json!({"name": "Переименованный"}).to_string()),
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "PATCH /users/{id}",
            method: M::PATCH,
            path: "/users/{self}",
            body: Some(json!({"role": "admin"}).to_string()),
            allowed: &[Who::Admin],
        },
        Row {
            operation: "PATCH /users/{id}",
            method: M::PATCH,
            path: "/users/{admin2}",
            body: Some(json!({"name": "Другой админ"}).to_string()),
            allowed: &[Who::Admin],
        },
        Row {
            operation: "GET /locations",
            method: M::GET,
            path: "/locations",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /locations",
            method: M::POST,
            path: "/locations",
            body: Some(json!({"name": "Новая {who}", "city": "Казань"}).to_string()),
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "GET /locations/{id}",
            method: M::GET,
            path: "/locations/{a}",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "PUT /locations/{id}",
            method: M::PUT,
            path: "/locations/{a}",
            body: Some(json!({"name": "Кофейня А", "city": "Тверь"}).to_string()),
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "GET /cards",
            method: M::GET,
            path: "/cards?track=service",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /cards/{id}",
            method: M::GET,
            path: "/cards/matrix-card",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /cards/{id}/ack",
            method: M::POST,
            path: "/cards/matrix-card/ack",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /cards/{id}/reading",
            method: M::GET,
            path: "/cards/matrix-card/reading",
            body: None,
            allowed: &[Who::Leader, Who::Hr, Who::Admin],
        },
        Row {
            operation: "GET /cards/{id}/reading",
            method: M::GET,
            path: "/cards/matrix-card/reading?location_id={b}",
            body: None,
            allowed: PEOPLE_MANAGERS,
        },
        Row {
            operation: "GET /me/to-read",
            method: M::GET,
            path: "/me/to-read",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "PUT /cards/{id}",
            method: M::PUT,
            path: "/cards/matrix-card",
            body: Some(format!(
                r#"{{"source": {}, "base_revision": {{rev}}, "significant": false, "note": "{{who}}"}}"#,
                serde_json::to_string(&matrix_card()).unwrap()
            )),
            allowed: AUTHORS,
        },
        Row {
            operation: "GET /cards/{id}/revisions",
            method: M::GET,
            path: "/cards/matrix-card/revisions",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "GET /cards/{id}/diff",
            method: M::GET,
            path: "/cards/matrix-card/diff?from=1&to=1",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "POST /cards/preview",
            method: M::POST,
            path: "/cards/preview",
            body: Some(json!({"source": matrix_card()}).to_string()),
            allowed: AUTHORS,
        },
        Row {
            operation: "POST /content/reload",
            method: M::POST,
            path: "/content/reload",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "GET /content/errors",
            method: M::GET,
            path: "/content/errors",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "GET /search",
            method: M::GET,
            path: "/search?q=%D1%81%D0%BF%D0%B0%D1%81%D0%B8%D0%B1%D0%BE",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "DELETE /locations/{id}",
            method: M::DELETE,
            path: "/locations/{empty}",
            body: None,
            allowed: PEOPLE_MANAGERS,
        },
    ]
}

/// Operations anyone may call, signed in or not.
const PUBLIC: &[&str] = &["POST /auth/login"];

on_both_backends!(every_operation_allows_exactly_its_roles);

async fn every_operation_allows_exactly_its_roles(app: TestApp) {
    let a = app.add_location("Кофейня А").await;
    let b = app.add_location("Кофейня Б").await;
    let staff_a = app
        .add_user("target-a", Role::Staff, Level::Barista, Some(a))
        .await;
    let staff_b = app
        .add_user("target-b", Role::Staff, Level::Barista, Some(b))
        .await;
    let admin2 = app
        .add_user("admin-two", Role::Admin, Level::Leader, None)
        .await;
    crate::support::cards::CardText {
        id: "matrix-card",
        ..Default::default()
    }
    .write(&app.content_dir());
    crate::authz_career_rows::write_matrix_program(&app.content_dir());
    let summary = app.reload_content().await;
    assert_eq!(summary.created, 1, "{summary:?}");
    let campaign = crate::authz_quiz_rows::matrix_campaign(&app).await;
    let (assignment, certificate) = crate::authz_career_rows::matrix_career(&app, staff_a).await;
    let staff_a_attempt = crate::authz_career_rows::staff_a_attempt(&app, campaign).await;

    let mut people: BTreeMap<Who, (i32, String)> = BTreeMap::new();
    for (who, role, level, location) in [
        (Who::Staff, Role::Staff, Level::Barista, Some(a)),
        (Who::Leader, Role::Staff, Level::Leader, Some(a)),
        (Who::Trainer, Role::Trainer, Level::Senior, None),
        (Who::Hr, Role::Hr, Level::Senior, None),
        (Who::Admin, Role::Admin, Level::Leader, None),
    ] {
        let login = format!("m-{}", format!("{who:?}").to_lowercase());
        let id = app.add_user(&login, role, level, location).await;
        people.insert(who, (id, login));
    }

    let mut failures = Vec::new();
    for row in rows() {
        for who in [
            Who::Anonymous,
            Who::Staff,
            Who::Leader,
            Who::Trainer,
            Who::Hr,
            Who::Admin,
        ] {
            let (self_id, token) = match people.get(&who) {
                // A fresh token per call: logout and password changes end sessions.
                Some((id, login)) => (*id, Some(app.token(login, PASSWORD).await)),
                None => (0, None),
            };
            let empty = app
                .add_location(&format!("Пустая {}", uuid::Uuid::new_v4()))
                .await;
            let rev = zhmp::cards::storage::cards::get(&app.state.db, "matrix-card")
                .await
                .unwrap()
                .map_or(0, |c| c.revision);
            let mine = crate::authz_quiz_rows::my_attempt(&app, campaign, self_id).await;
            let prog_rev = crate::authz_career_rows::program_revision(&app).await;
            let fill = |text: &str| {
                text.replace("{self}", &self_id.to_string())
                    .replace("{campaign}", &campaign.to_string())
                    .replace("{my_attempt}", &mine.attempt.to_string())
                    .replace("{my_question}", &mine.question)
                    .replace("{my_answer}", &mine.answer)
                    .replace("{rev}", &rev.to_string())
                    .replace("{prog_rev}", &prog_rev.to_string())
                    .replace("{assignment}", &assignment.to_string())
                    .replace("{certificate}", &certificate.to_string())
                    .replace("{staff_a_attempt}", &staff_a_attempt.to_string())
                    .replace("{who}", &format!("{who:?}").to_lowercase())
                    .replace("{a}", &a.to_string())
                    .replace("{b}", &b.to_string())
                    .replace("{staff_a}", &staff_a.to_string())
                    .replace("{staff_b}", &staff_b.to_string())
                    .replace("{admin2}", &admin2.to_string())
                    .replace("{empty}", &empty.to_string())
            };
            let path = format!("/api/v1{}", fill(row.path));
            let body = row
                .body
                .as_ref()
                .map(|b| serde_json::from_str(&fill(b)).unwrap());
            let response = app
                .call(row.method.clone(), &path, token.as_deref(), body)
                .await;
            let status = response.status();
            let expected = if row.allowed.contains(&who) {
                status.is_success()
                    || (status == StatusCode::CONFLICT
                        && crate::authz_career_rows::CONFLICT_MEANS_ALLOWED
                            .contains(&row.operation))
            } else if who == Who::Anonymous {
                status == StatusCode::UNAUTHORIZED
            } else {
                status == StatusCode::FORBIDDEN
            };
            if !expected {
                let text = response.text().await.unwrap_or_default();
                failures.push(format!("{who:?} {} {path} → {status}: {text}", row.method));
            }
        }
        // Undo a self-promotion so later rows test the role the person started with.
        let (admin_id, _) = &people[&Who::Admin];
        let admin_token = app.token(&people[&Who::Admin].1, PASSWORD).await;
        for (who, role) in [
            (Who::Staff, "staff"),
            (Who::Leader, "staff"),
            (Who::Trainer, "trainer"),
            (Who::Hr, "hr"),
        ] {
            let id = people[&who].0;
            assert_ne!(id, *admin_id);
            app.call(
                Method::PATCH,
                &format!("/api/v1/users/{id}"),
                Some(&admin_token),
                Some(json!({"role": role})),
            )
            .await;
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix mismatches:\n{}",
        failures.join("\n")
    );

    // Every operation in the OpenAPI document has a row.
    let spec: Value = app.get_public("/openapi.json").await.json().await.unwrap();
    let documented: BTreeSet<String> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let covered: BTreeSet<String> = rows()
        .iter()
        .map(|r| r.operation.to_owned())
        .chain(PUBLIC.iter().map(|p| p.to_string()))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "operations without an authz row: {missing:?}"
    );
}
