//! Onboarding and certification fixtures: the fixture cards and banks, a small
//! internship and recertification (tests/fixtures/careers/good), and the people involved.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhmp::accounts::domain::{Level, Role};

use super::{PASSWORD, TestApp, copy_tree};

pub struct Person {
    pub id: i32,
    pub token: String,
}

pub struct Cast {
    pub hr: Person,
    pub trainer: Person,
    pub trainee: Person,
    pub mentor: Person,
    /// Shop leader of the trainee's shop.
    pub leader: Person,
    /// Shop leader of another shop.
    pub far_leader: Person,
    /// A barista of the trainee's shop who is not the mentor.
    pub colleague: Person,
}

async fn person(app: &TestApp, login: &str, role: Role, level: Level, shop: Option<i32>) -> Person {
    let id = app.add_user(login, role, level, shop).await;
    Person {
        id,
        token: app.token(login, PASSWORD).await,
    }
}

pub async fn setup(app: &TestApp) -> Cast {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    copy_tree(&fixtures.join("careers/good"), &app.content_dir());
    app.load_fixture_content().await;
    let shop = app.add_location("Кофейня на Тверской").await;
    let far = app.add_location("Кофейня на Арбате").await;
    Cast {
        hr: person(app, "hr", Role::Hr, Level::Senior, None).await,
        trainer: person(app, "trainer", Role::Trainer, Level::Senior, None).await,
        trainee: person(app, "trainee", Role::Staff, Level::Trainee, Some(shop)).await,
        mentor: person(app, "mentor", Role::Staff, Level::Senior, Some(shop)).await,
        leader: person(app, "leader", Role::Staff, Level::Leader, Some(shop)).await,
        far_leader: person(app, "far-leader", Role::Staff, Level::Leader, Some(far)).await,
        colleague: person(app, "colleague", Role::Staff, Level::Barista, Some(shop)).await,
    }
}

/// HR assigns the internship to the trainee with the mentor, starting today.
pub async fn assign_internship(app: &TestApp, cast: &Cast) -> Value {
    let response = app
        .call(
            Method::POST,
            "/api/v1/assignments",
            Some(&cast.hr.token),
            Some(json!({
                "user_id": cast.trainee.id,
                "program_id": "intern",
                "mentor_id": cast.mentor.id,
                "start_date": app.state.clock.today(),
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// An item of an assignment answer, by id.
pub fn item<'a>(assignment: &'a Value, id: &str) -> &'a Value {
    assignment["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {assignment}"))
}

/// A quarterly campaign over all three directions (one question each), created by HR.
pub async fn quarterly_campaign(
    app: &TestApp,
    cast: &Cast,
    opens_in_hours: i64,
    closes_in_hours: i64,
) -> i64 {
    let now = app.state.clock.now();
    let campaign = app
        .call_json(
            Method::POST,
            "/api/v1/campaigns",
            Some(&cast.hr.token),
            Some(json!({
                "title": "Квартальный тест",
                "opens_at": now + chrono::Duration::hours(opens_in_hours),
                "closes_at": now + chrono::Duration::hours(closes_in_hours),
                "audience": {"locations": [], "levels": []},
                "blueprint": {"coffee": 1, "service": 1, "bar": 1},
                "time_limit_minutes": 30,
                "pass_percent": {"coffee": 60, "service": 60, "bar": 60, "overall": 60},
                "attempts_allowed": 1
            })),
        )
        .await;
    campaign["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("campaign created: {campaign}"))
}

/// Takes a campaign as `who`, answering every question right (or wrong), and submits.
pub async fn take(app: &TestApp, cast: &Cast, who: &Person, campaign: i64, wrong: bool) -> Value {
    let attempt = super::quiz::start(app, &who.token, campaign).await;
    let id = attempt["id"].as_i64().unwrap();
    for q in attempt["questions"].as_array().unwrap() {
        let answer = super::quiz::answer_for(app, &cast.trainer.token, q, wrong).await;
        let saved = super::quiz::put_answer(
            app,
            &who.token,
            id,
            q["question_id"].as_str().unwrap(),
            answer,
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
    }
    app.call_json(
        Method::POST,
        &format!("/api/v1/attempts/{id}/submit"),
        Some(&who.token),
        None,
    )
    .await
}

pub async fn sweep(app: &TestApp) -> zhmp::certification::service::sweep::SweepSummary {
    zhmp::certification::service::sweep::sweep(&app.state)
        .await
        .expect("sweep runs")
}
