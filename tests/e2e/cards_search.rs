//! Search over HTTP, the file watcher, and two instances sharing one database.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::cards::CardText;
use crate::support::{PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(
    search_finds_word_forms_and_typos,
    two_instances_share_changes
);

pub(crate) fn search_path(q: &str, extra: &str) -> String {
    let encoded: String = url_encode(q);
    format!("/api/v1/search?q={encoded}{extra}")
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn hit_ids(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn search_finds_word_forms_and_typos(app: TestApp) {
    CardText::default().write(&app.content_dir());
    CardText {
        id: "spilled-coffee",
        title: "Гость пролил кофе",
        situation: "Гость случайно пролил капучино на стол и на одежду.",
        steps: &[
            "Сразу подойдите с салфетками.",
            "Предложите приготовить напиток заново бесплатно.",
        ],
        ..Default::default()
    }
    .write(&app.content_dir());
    CardText {
        id: "espresso",
        title: "Эспрессо: доза и время",
        track: "coffee",
        stage: "preparation",
        situation: "Бариста готовит эспрессо для капучино.",
        ..Default::default()
    }
    .write(&app.content_dir());
    app.reload_content().await;
    app.add_user("reader", Role::Staff, Level::Trainee, None)
        .await;
    let token = app.token("reader", PASSWORD).await;

    let forms = app.get_json(&search_path("гостю", ""), &token).await;
    assert!(forms["total"].as_u64().unwrap() >= 2, "{forms}");
    assert!(
        forms["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>"),
        "{forms}"
    );

    let question = app
        .get_json(
            &search_path("что делать если гость пролил кофе", ""),
            &token,
        )
        .await;
    assert_eq!(hit_ids(&question)[0], "spilled-coffee", "{question}");

    let typo = app.get_json(&search_path("капучмно", ""), &token).await;
    assert!(
        hit_ids(&typo).contains(&"spilled-coffee".to_owned()),
        "{typo}"
    );
    assert_eq!(typo["suggestion"], "капучино");

    let filtered = app
        .get_json(&search_path("капучино", "&track=coffee"), &token)
        .await;
    assert_eq!(hit_ids(&filtered), ["espresso"]);
    let staged = app
        .get_json(&search_path("капучино", "&stage=preparation"), &token)
        .await;
    assert_eq!(hit_ids(&staged), ["espresso"]);

    let paged = app
        .get_json(&search_path("гость", "&limit=1&offset=1"), &token)
        .await;
    assert_eq!(paged["hits"].as_array().unwrap().len(), 1);
    assert!(paged["total"].as_u64().unwrap() >= 2);
    let hit = &paged["hits"][0];
    for field in ["id", "title", "track", "snippet", "score"] {
        assert!(hit.get(field).is_some(), "hit lacks {field}");
    }
    let too_many = app.get(&search_path("гость", "&limit=500"), &token).await;
    assert_eq!(too_many.status(), 422);
    let anonymous = app
        .call(Method::GET, &search_path("гость", ""), None, None)
        .await;
    assert_eq!(anonymous.status(), 401);

    // The watcher picks up a new file without a reload request.
    CardText {
        id: "watched-card",
        title: "Заказ через приложение",
        situation: "Гость показывает заказ в мобильном приложении.",
        ..Default::default()
    }
    .write(&app.content_dir());
    let started = Instant::now();
    loop {
        let found = app.get_json(&search_path("приложении", ""), &token).await;
        if hit_ids(&found).contains(&"watched-card".to_owned()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "watcher did not import the new file"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A card changed through one instance is found by search on the other within 5 seconds.
async fn two_instances_share_changes(app: TestApp) {
    let replica = app.replica().await;
    app.add_user("trainer", Role::Trainer, Level::Senior, None)
        .await;
    let trainer = app.token("trainer", PASSWORD).await;
    let on_replica = replica.token("trainer", PASSWORD).await;
    let source = CardText {
        id: "croissant-warmup",
        title: "Круассан подогреваем",
        situation: "Гость заказывает круассан к кофе.",
        ..Default::default()
    }
    .render();
    let created = app
        .call(
            Method::PUT,
            "/api/v1/cards/croissant-warmup",
            Some(&trainer),
            Some(json!({"source": source, "base_revision": 0, "significant": true})),
        )
        .await;
    assert_eq!(created.status(), 201);
    let started = Instant::now();
    loop {
        let found = replica
            .get_json(&search_path("круассан", ""), &on_replica)
            .await;
        if hit_ids(&found) == ["croissant-warmup"] {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "replica did not see the change in 5 s: {found}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // And an edit made on the replica reaches the first instance.
    let edited = source.replace("круассан к кофе", "круассан с миндалём");
    let saved = replica
        .call(
            Method::PUT,
            "/api/v1/cards/croissant-warmup",
            Some(&on_replica),
            Some(json!({"source": edited, "base_revision": 1, "significant": false})),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let started = Instant::now();
    while hit_ids(&app.get_json(&search_path("миндалём", ""), &trainer).await)
        != ["croissant-warmup"]
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "first instance did not see the replica's edit"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
