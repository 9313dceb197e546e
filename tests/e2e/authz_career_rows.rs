//! The authorisation matrix rows of onboarding, certification and reports (see accounts_authz.rs),
//! and the programme, assignment and certificate they run against: an assignment of
//! `staff_a` (a barista of shop A, no mentor) and a certificate of theirs.

use reqwest::Method;
use serde_json::json;

use crate::accounts_authz::{AUTHORS, Row, SIGNED_IN, Who};
use crate::support::TestApp;
use zhmp::accounts::domain::Level;

const SHOP_LEADERS_AND_HR: &[Who] = &[Who::Leader, Who::Hr, Who::Admin];
const HR: &[Who] = &[Who::Hr, Who::Admin];
/// Reports beyond oneself: the shop (leader), the chain (trainers, HR, admins).
const INSIGHT: &[Who] = &[Who::Leader, Who::Trainer, Who::Hr, Who::Admin];

pub(crate) const MATRIX_PROGRAM: &str = "\
id: matrix-program
title: Матрица доступа
stages:
  - title: Неделя 1
    items:
      - kind: read
        card: matrix-card
        due_day: 1
      - kind: event
        id: intro
        title: Вводный день
        due_day: 1
      - kind: quiz
        id: practice
        title: Тест
        cards: [matrix-card]
        questions: 1
        pass_percent: 50
        due_day: 2
      - kind: skill
        id: skill
        title: Навык
        criteria: [Сделано]
        due_day: 3
";

pub(crate) fn write_matrix_program(content: &std::path::Path) {
    std::fs::create_dir_all(content.join("programs")).unwrap();
    std::fs::write(content.join("programs/matrix.yaml"), MATRIX_PROGRAM).unwrap();
}

/// A submitted attempt of `target-a` (staff_a) in the matrix campaign.
pub(crate) async fn staff_a_attempt(app: &TestApp, campaign: i64) -> i64 {
    let token = app.token("target-a", crate::support::PASSWORD).await;
    let started = app
        .call_json(
            Method::POST,
            &format!("/api/v1/campaigns/{campaign}/attempts"),
            Some(&token),
            None,
        )
        .await;
    let id = started["id"].as_i64().expect("attempt started");
    app.call(
        Method::POST,
        &format!("/api/v1/attempts/{id}/submit"),
        Some(&token),
        None,
    )
    .await;
    id
}

/// The assignment and certificate the rows act on.
pub(crate) async fn matrix_career(app: &TestApp, staff_a: i32) -> (i32, i32) {
    let admin = app.admin_token().await;
    let assigned = app
        .call_json(
            Method::POST,
            "/api/v1/assignments",
            Some(&admin),
            Some(json!({"user_id": staff_a, "program_id": "matrix-program", "start_date": app.state.clock.today()})),
        )
        .await;
    let assignment = assigned["id"].as_i64().expect("matrix assignment") as i32;
    let certificate = zhmp::certification::service::promotion::issue(
        &app.state,
        staff_a,
        Level::Barista,
        None,
        app.state.clock.now(),
        "certificate_issued",
    )
    .await
    .expect("certificate")
    .id;
    (assignment, certificate)
}

/// The programme's current revision, for edits.
pub(crate) async fn program_revision(app: &TestApp) -> i32 {
    zhmp::onboarding::storage::programs::get(&app.state.db, "matrix-program")
        .await
        .unwrap()
        .map_or(0, |p| p.revision)
}

/// Rows where an allowed caller may get 409 (the business rule, after authorisation).
pub(crate) const CONFLICT_MEANS_ALLOWED: &[&str] = &["POST /users/{id}/promotion"];

pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    let today = chrono::Utc::now().date_naive();
    vec![
        Row {
            operation: "GET /programs",
            method: M::GET,
            path: "/programs",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /programs/{id}",
            method: M::GET,
            path: "/programs/matrix-program",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "PUT /programs/{id}",
            method: M::PUT,
            path: "/programs/matrix-program",
            body: Some(
                json!({"source": MATRIX_PROGRAM, "base_revision": 0})
                    .to_string()
                    .replace("\"base_revision\":0", "\"base_revision\":{prog_rev}"),
            ),
            allowed: AUTHORS,
        },
        Row {
            operation: "POST /assignments",
            method: M::POST,
            path: "/assignments",
            body: Some(
                json!({"user_id": 0, "program_id": "matrix-program", "start_date": today})
                    .to_string()
                    .replace("\"user_id\":0", "\"user_id\":{staff_a}"),
            ),
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /assignments/{id}",
            method: M::GET,
            path: "/assignments/{assignment}",
            body: None,
            allowed: &[Who::Leader, Who::Trainer, Who::Hr, Who::Admin],
        },
        Row {
            operation: "GET /users/{id}/assignments",
            method: M::GET,
            path: "/users/{staff_a}/assignments",
            body: None,
            allowed: &[Who::Leader, Who::Trainer, Who::Hr, Who::Admin],
        },
        Row {
            operation: "GET /me/assignments",
            method: M::GET,
            path: "/me/assignments",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /me/mentees",
            method: M::GET,
            path: "/me/mentees",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /assignments/{id}/items/{item_id}/signoffs",
            method: M::POST,
            path: "/assignments/{assignment}/items/skill/signoffs",
            body: Some(json!({"passed": false, "practise": "Ещё раз"}).to_string()),
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "POST /assignments/{id}/items/{item_id}/attendance",
            method: M::POST,
            path: "/assignments/{assignment}/items/intro/attendance",
            body: Some(json!({"date": today}).to_string()),
            allowed: &[Who::Leader, Who::Trainer, Who::Hr, Who::Admin],
        },
        // Only the assigned person takes their practice quiz (tested in careers_flow).
        Row {
            operation: "POST /assignments/{id}/items/{item_id}/practice",
            method: M::POST,
            path: "/assignments/{assignment}/items/practice/practice",
            body: None,
            allowed: &[],
        },
        Row {
            operation: "GET /users/{id}/career",
            method: M::GET,
            path: "/users/{staff_a}/career",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "POST /users/{id}/interviews",
            method: M::POST,
            path: "/users/{staff_a}/interviews",
            body: Some(
                json!({"level": "senior", "passed": false, "notes": "Рано", "held_on": today})
                    .to_string(),
            ),
            allowed: HR,
        },
        Row {
            operation: "POST /users/{id}/promotion",
            method: M::POST,
            path: "/users/{staff_a}/promotion",
            body: Some(json!({"level": "senior"}).to_string()),
            allowed: HR,
        },
        Row {
            operation: "GET /certificates/{id}",
            method: M::GET,
            path: "/certificates/{certificate}",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/certificates",
            method: M::GET,
            path: "/reports/certificates?list=expiring",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/promotion-candidates",
            method: M::GET,
            path: "/reports/promotion-candidates",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/onboarding",
            method: M::GET,
            path: "/reports/onboarding",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/results",
            method: M::GET,
            path: "/reports/results?by=location,track",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/results.csv",
            method: M::GET,
            path: "/reports/results.csv",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/results.xlsx",
            method: M::GET,
            path: "/reports/results.xlsx",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/trends",
            method: M::GET,
            path: "/reports/trends",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/trends.svg",
            method: M::GET,
            path: "/reports/trends.svg",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/weakest",
            method: M::GET,
            path: "/reports/weakest",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/weakest.csv",
            method: M::GET,
            path: "/reports/weakest.csv",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/weakest.xlsx",
            method: M::GET,
            path: "/reports/weakest.xlsx",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/coverage",
            method: M::GET,
            path: "/reports/coverage",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/coverage.csv",
            method: M::GET,
            path: "/reports/coverage.csv",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/coverage.xlsx",
            method: M::GET,
            path: "/reports/coverage.xlsx",
            body: None,
            allowed: INSIGHT,
        },
        Row {
            operation: "GET /reports/people.csv",
            method: M::GET,
            path: "/reports/people.csv",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /reports/people.xlsx",
            method: M::GET,
            path: "/reports/people.xlsx",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /attempts/{id}/override",
            method: M::POST,
            path: "/attempts/{staff_a_attempt}/override",
            body: Some(json!({"passed": true, "reason": "Апелляция"}).to_string()),
            allowed: HR,
        },
        Row {
            operation: "GET /reports/onboarding.csv",
            method: M::GET,
            path: "/reports/onboarding.csv",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/onboarding.xlsx",
            method: M::GET,
            path: "/reports/onboarding.xlsx",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/promotion-candidates.csv",
            method: M::GET,
            path: "/reports/promotion-candidates.csv",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/promotion-candidates.xlsx",
            method: M::GET,
            path: "/reports/promotion-candidates.xlsx",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/certificates.csv",
            method: M::GET,
            path: "/reports/certificates.csv?list=lapsed",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /reports/certificates.xlsx",
            method: M::GET,
            path: "/reports/certificates.xlsx?list=expiring",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
        Row {
            operation: "GET /audit",
            method: M::GET,
            path: "/audit",
            body: None,
            allowed: &[Who::Admin],
        },
        // Last: it cancels the assignment the rows above act on.
        Row {
            operation: "DELETE /assignments/{id}",
            method: M::DELETE,
            path: "/assignments/{assignment}",
            body: None,
            allowed: SHOP_LEADERS_AND_HR,
        },
    ]
}
