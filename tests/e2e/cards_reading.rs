//! Acknowledgements: significant revisions ask staff at or above the card's level to
//! re-read; HR and shop leaders see who has not.

use reqwest::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::cards::CardText;
use crate::support::{PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(significant_revisions_ask_staff_to_reread);

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn significant_revisions_ask_staff_to_reread(app: TestApp) {
    let shop = app.add_location("Кофейня на Садовой").await;
    let other = app.add_location("Кофейня у Невского").await;
    app.add_user("barista", Role::Staff, Level::Barista, Some(shop))
        .await;
    app.add_user("trainee", Role::Staff, Level::Trainee, Some(shop))
        .await;
    app.add_user("far-away", Role::Staff, Level::Senior, Some(other))
        .await;
    app.add_user("leader", Role::Staff, Level::Leader, Some(shop))
        .await;
    app.add_user("trainer", Role::Trainer, Level::Senior, None)
        .await;
    CardText::default().write(&app.content_dir());
    CardText {
        id: "senior-only",
        level: "senior",
        ..Default::default()
    }
    .write(&app.content_dir());
    CardText {
        id: "optional",
        mandatory: false,
        ..Default::default()
    }
    .write(&app.content_dir());
    app.reload_content().await;

    let barista = app.token("barista", PASSWORD).await;
    let trainee = app.token("trainee", PASSWORD).await;
    let leader = app.token("leader", PASSWORD).await;
    let trainer = app.token("trainer", PASSWORD).await;
    assert_eq!(
        ids(&app.get_json("/api/v1/me/to-read", &barista).await),
        ["guest-says-thanks"]
    );
    assert_eq!(
        ids(&app.get_json("/api/v1/me/to-read", &trainee).await),
        ["guest-says-thanks"]
    );
    assert!(
        ids(&app.get_json("/api/v1/me/to-read", &trainer).await).is_empty(),
        "trainers are not asked"
    );

    let confirmed = app
        .call_json(
            Method::POST,
            "/api/v1/cards/guest-says-thanks/ack",
            Some(&barista),
            None,
        )
        .await;
    assert_eq!(
        confirmed,
        json!({"card_id": "guest-says-thanks", "revision": 1})
    );
    app.call(
        Method::POST,
        "/api/v1/cards/guest-says-thanks/ack",
        Some(&barista),
        None,
    )
    .await;
    assert!(ids(&app.get_json("/api/v1/me/to-read", &barista).await).is_empty());

    let status = app
        .get_json("/api/v1/cards/guest-says-thanks/reading", &leader)
        .await;
    let names = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = status[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["login"].as_str().unwrap().to_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(status["revision"], 1);
    assert_eq!(names("confirmed"), ["barista"]);
    assert_eq!(names("pending"), ["leader", "trainee"], "own location only");
    let hr_view = app
        .get_json(
            "/api/v1/cards/guest-says-thanks/reading",
            &app.admin_token().await,
        )
        .await;
    assert_eq!(
        hr_view["pending"].as_array().unwrap().len(),
        3,
        "everyone for admin"
    );

    // A minor edit does not ask again; a significant one does.
    let source = app
        .get_json("/api/v1/cards/guest-says-thanks", &trainer)
        .await["source"]
        .as_str()
        .unwrap()
        .to_owned();
    let minor = source.replace("хорошего дня", "доброго дня");
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/cards/guest-says-thanks",
            Some(&trainer),
            Some(json!({"source": minor, "base_revision": 1, "significant": false})),
        )
        .await;
    assert_eq!(saved.status(), 200);
    assert!(ids(&app.get_json("/api/v1/me/to-read", &barista).await).is_empty());
    let significant = minor.replace("Улыбнитесь.", "Улыбнитесь и кивните.");
    app.call(Method::PUT, "/api/v1/cards/guest-says-thanks", Some(&trainer),
        Some(json!({"source": significant, "base_revision": 2, "significant": true, "note": "новый шаг"})))
        .await;
    assert_eq!(
        ids(&app.get_json("/api/v1/me/to-read", &barista).await),
        ["guest-says-thanks"]
    );
    let status = app
        .get_json("/api/v1/cards/guest-says-thanks/reading", &leader)
        .await;
    assert_eq!(status["revision"], 3);
    assert!(status["confirmed"].as_array().unwrap().is_empty());
    // The confirmation records the revision it confirms.
    let again = app
        .call_json(
            Method::POST,
            "/api/v1/cards/guest-says-thanks/ack",
            Some(&barista),
            None,
        )
        .await;
    assert_eq!(again["revision"], 3);
}
