//! The authorisation matrix rows of the quiz endpoints (see accounts_authz.rs), and the
//! campaign and attempts they run against.

use reqwest::Method;
use serde_json::json;

use crate::accounts_authz::{AUTHORS, Row, SIGNED_IN, Who};
use crate::support::TestApp;
use zhmp::quizzes::storage::attempts;
use zhmp::quizzes::storage::questions;

const CAMPAIGN_MANAGERS: &[Who] = &[Who::Trainer, Who::Hr, Who::Admin];

/// An open campaign for everyone, one service question per attempt, many attempts.
pub(crate) async fn matrix_campaign(app: &TestApp) -> i64 {
    let admin = app.admin_token().await;
    let now = chrono::Utc::now();
    let created = app
        .call_json(
            Method::POST,
            "/api/v1/campaigns",
            Some(&admin),
            Some(json!({
                "title": "Матрица доступа",
                "opens_at": now - chrono::Duration::hours(1),
                "closes_at": now + chrono::Duration::days(1),
                "audience": {},
                "blueprint": {"service": 1},
                "time_limit_minutes": 60,
                "pass_percent": {"coffee": 0, "service": 50, "bar": 0, "overall": 50},
                "attempts_allowed": 10
            })),
        )
        .await;
    created["id"].as_i64().expect("matrix campaign created")
}

/// The caller's latest attempt in the matrix campaign, its first question, and a valid
/// answer to it (zeros when the caller has none yet).
pub(crate) struct Mine {
    pub attempt: i32,
    pub question: String,
    pub answer: String,
}

pub(crate) async fn my_attempt(app: &TestApp, campaign: i64, user_id: i32) -> Mine {
    let none = Mine {
        attempt: 0,
        question: "none".into(),
        answer: "{}".into(),
    };
    let db = &app.state.db;
    let mine = attempts::attempts_of(db, campaign as i32, user_id)
        .await
        .unwrap();
    let Some(latest) = mine.last() else {
        return none;
    };
    let items = attempts::items(db, latest.id).await.unwrap();
    let Some(item) = items.first() else {
        return none;
    };
    let body = questions::body(db, &item.question_id, item.revision)
        .await
        .unwrap()
        .unwrap();
    use zhmp::quizzes::domain::AnswerKey;
    let answer = match &body.answer {
        AnswerKey::Single(_) => json!({"choice": 0}),
        AnswerKey::Multiple(_) => json!({"choices": [0]}),
        AnswerKey::TrueFalse { .. } => json!({"value": true}),
        AnswerKey::Short(_) | AnswerKey::Numeric(_) => json!({"text": "1"}),
        AnswerKey::Ordering(items) => json!({"order": (0..items.len()).collect::<Vec<_>>()}),
        AnswerKey::Matching(pairs) => {
            json!({"matches": vec![Some(0); pairs.iter().filter(|p| !p.left.is_empty()).count()]})
        }
    };
    Mine {
        attempt: latest.id,
        question: item.question_id.clone(),
        answer: answer.to_string(),
    }
}

pub(crate) fn rows() -> Vec<Row> {
    use Method as M;
    let now = chrono::Utc::now();
    vec![
        Row {
            operation: "GET /questions",
            method: M::GET,
            path: "/questions?card=matrix-card",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "GET /questions/{id}",
            method: M::GET,
            path: "/questions/gen-taboo-matrix-card",
            body: None,
            allowed: AUTHORS,
        },
        Row {
            operation: "PUT /questions/{id}/disabled",
            method: M::PUT,
            path: "/questions/gen-taboo-matrix-card/disabled",
            body: Some(json!({"disabled": false}).to_string()),
            allowed: AUTHORS,
        },
        Row {
            operation: "POST /questions/import",
            method: M::POST,
            path: "/questions/import",
            body: Some(
                json!({"name": "matrix-{who}", "gift": "Верно? {T}", "track": "service", "card": "matrix-card"})
                    .to_string(),
            ),
            allowed: AUTHORS,
        },
        Row {
            operation: "POST /campaigns",
            method: M::POST,
            path: "/campaigns",
            body: Some(
                json!({
                    "title": "Тест от {who}",
                    "opens_at": now,
                    "closes_at": now + chrono::Duration::days(1),
                    "audience": {},
                    "blueprint": {"service": 1},
                    "time_limit_minutes": 10,
                    "pass_percent": {"coffee": 0, "service": 50, "bar": 0, "overall": 50},
                    "attempts_allowed": 1
                })
                .to_string(),
            ),
            allowed: CAMPAIGN_MANAGERS,
        },
        Row {
            operation: "GET /campaigns",
            method: M::GET,
            path: "/campaigns",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /campaigns/{id}",
            method: M::GET,
            path: "/campaigns/{campaign}",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /campaigns/{id}/statistics",
            method: M::GET,
            path: "/campaigns/{campaign}/statistics",
            body: None,
            allowed: CAMPAIGN_MANAGERS,
        },
        Row {
            operation: "GET /campaigns/{id}/statistics.csv",
            method: M::GET,
            path: "/campaigns/{campaign}/statistics.csv",
            body: None,
            allowed: CAMPAIGN_MANAGERS,
        },
        // Attempts belong to their owner: each caller works on their own.
        Row {
            operation: "POST /campaigns/{id}/attempts",
            method: M::POST,
            path: "/campaigns/{campaign}/attempts",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /attempts/{id}",
            method: M::GET,
            path: "/attempts/{my_attempt}",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "PUT /attempts/{id}/answers/{question_id}",
            method: M::PUT,
            path: "/attempts/{my_attempt}/answers/{my_question}",
            body: Some("{my_answer}".to_owned()),
            allowed: SIGNED_IN,
        },
        Row {
            operation: "POST /attempts/{id}/submit",
            method: M::POST,
            path: "/attempts/{my_attempt}/submit",
            body: None,
            allowed: SIGNED_IN,
        },
        Row {
            operation: "GET /attempts/{id}/review",
            method: M::GET,
            path: "/attempts/{my_attempt}/review",
            body: None,
            allowed: SIGNED_IN,
        },
    ]
}
