//! Taking the quarterly test in real headless Chromium at 390×844: start, answer one
//! question per screen, reload mid-way and resume, autosave through a lost connection,
//! submit, read the review.

use reqwest::Method;
use serde_json::json;

use crate::support::browser::{Browser, WIDTH};
use crate::support::{Backend, PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

/// Gives some valid answer to the question on screen, whatever its type.
async fn answer_on_screen(browser: &Browser) {
    let kind = browser
        .eval("return document.getElementById('quiz').dataset.kind")
        .await;
    match kind.as_str().unwrap() {
        "single" | "true_false" => browser.click("#quiz-form input[type=radio]").await,
        "multiple" => browser.click("#quiz-form input[type=checkbox]").await,
        "short" | "numeric" => browser.fill("#answer-text", "18").await,
        "ordering" => {
            browser
                .eval(
                    "document.querySelectorAll('#quiz-form select').forEach((s, i) => { \
                     s.value = String(i + 1); s.dispatchEvent(new Event('change', {bubbles: true})); }); \
                     return null",
                )
                .await;
        }
        "matching" => {
            browser
                .eval(
                    "document.querySelectorAll('#quiz-form select').forEach(s => { \
                     s.value = '0'; s.dispatchEvent(new Event('change', {bubbles: true})); }); \
                     return null",
                )
                .await;
        }
        other => panic!("unknown question type {other}"),
    }
}

async fn wait_for_text(browser: &Browser, css: &str, text: &str) {
    for _ in 0..100 {
        if browser.text(css).await.contains(text) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} never said «{text}»: «{}»", browser.text(css).await);
}

async fn no_overflow(browser: &Browser, page: &str) {
    let width = browser
        .eval("return document.documentElement.scrollWidth")
        .await;
    assert!(
        width.as_u64().unwrap() <= u64::from(WIDTH),
        "{page}: horizontal overflow {width}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_take_a_test_on_a_phone_resume_and_review() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.load_fixture_content().await;
    app.add_user("dasha", Role::Staff, Level::Barista, None)
        .await;
    let admin = app.admin_token().await;
    let now = chrono::Utc::now();
    let campaign = app
        .call_json(
            Method::POST,
            "/api/v1/campaigns",
            Some(&admin),
            Some(json!({
                "title": "Квартальный тест — 4 кв. 2026",
                "opens_at": now - chrono::Duration::hours(1),
                "closes_at": now + chrono::Duration::days(7),
                "audience": {},
                "blueprint": {"coffee": 1, "service": 3, "bar": 1},
                "time_limit_minutes": 30,
                "pass_percent": {"coffee": 50, "service": 50, "bar": 50, "overall": 50},
                "attempts_allowed": 1
            })),
        )
        .await;
    assert!(campaign["id"].is_i64(), "{campaign}");
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "dasha", PASSWORD).await;
    browser.goto(&app.url("/tests")).await;
    assert!(browser.text("#tests").await.contains("Квартальный тест"));
    browser.submit("#tests form button").await;
    assert!(
        browser.path().await.ends_with("/1"),
        "{}",
        browser.path().await
    );
    assert!(browser.text("#progress").await.contains("Вопрос 1 из 5"));
    assert!(browser.text("#time-left").await.contains("Осталось"));
    let html = browser
        .eval("return document.documentElement.outerHTML")
        .await;
    let html = html.as_str().unwrap();
    for secret in ["weight", "correct", "Мы благодарим гостя в ответ"] {
        assert!(!html.contains(secret), "«{secret}» is in the page");
    }
    no_overflow(&browser, "question").await;
    browser.screenshot("test-question").await;

    // First answer: autosaved before leaving the screen.
    answer_on_screen(&browser).await;
    wait_for_text(&browser, "#save-state", "Сохранено").await;
    browser.submit("button[value=next]").await;

    // Second answer, with the connection lost: kept and retried when it returns.
    browser
        .eval("window.__realFetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('offline')); return null")
        .await;
    answer_on_screen(&browser).await;
    wait_for_text(&browser, "#save-state", "Не сохранено").await;
    browser.screenshot("test-offline").await;
    let attempt_path = browser.path().await;
    browser
        .eval("window.fetch = window.__realFetch; window.dispatchEvent(new Event('online')); return null")
        .await;
    wait_for_text(&browser, "#save-state", "Сохранено").await;

    // Reload mid-way: the same screen, and both answers are on the server.
    browser.goto(&app.url(&attempt_path)).await;
    assert!(browser.text("#progress").await.contains("Вопрос 2 из 5"));
    let attempt_id: i64 = attempt_path.split('/').nth(2).unwrap().parse().unwrap();
    let token = app.token("dasha", PASSWORD).await;
    let saved = app
        .get_json(&format!("/api/v1/attempts/{attempt_id}"), &token)
        .await;
    let answered = saved["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| !q["answer"].is_null())
        .count();
    assert_eq!(answered, 2, "{saved}");

    for n in 2..=5 {
        answer_on_screen(&browser).await;
        let button = if n < 5 {
            "button[value=next]"
        } else {
            "button[value=finish]"
        };
        browser.submit(button).await;
    }
    assert!(browser.path().await.ends_with("/submit"));
    assert!(browser.text("main").await.contains("Отвечено 5 из 5"));
    browser.screenshot("test-submit").await;
    browser.submit("#submit-test").await;
    assert!(browser.path().await.ends_with("/review"));
    let result = browser.text("#result").await;
    assert!(
        result.contains("Тест сдан") || result.contains("Тест не сдан"),
        "{result}"
    );
    let items = browser
        .eval("return document.querySelectorAll('#review .review-item').length")
        .await;
    assert_eq!(items, 5);
    let review = browser.text("#review").await;
    assert!(review.contains("Ваш ответ"));
    assert!(review.contains("Перечитать стандарт"));
    no_overflow(&browser, "review").await;
    browser.screenshot("test-review").await;

    // The submitted test cannot be reopened: its questions lead to the review.
    browser.goto(&app.url(&attempt_path)).await;
    assert!(browser.path().await.ends_with("/review"));
    browser.close().await;
}

/// A trainer takes a generated question out of tests from the phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_switches_a_generated_question_off() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.load_fixture_content().await;
    app.add_user("tamara", Role::Trainer, Level::Senior, None)
        .await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "tamara", PASSWORD).await;
    browser.goto(&app.url("/questions?track=service")).await;
    let list = browser.text("#questions").await;
    assert!(
        list.contains("Что из этого делать нельзя никогда?"),
        "{list}"
    );
    browser
        .submit("#q-gen-taboo-guest-says-thanks button")
        .await;
    assert!(
        browser
            .text("#q-gen-taboo-guest-says-thanks")
            .await
            .contains("выключен")
    );
    no_overflow(&browser, "questions").await;
    let token = app.token("tamara", PASSWORD).await;
    let q = app
        .get_json("/api/v1/questions/gen-taboo-guest-says-thanks", &token)
        .await;
    assert_eq!(q["disabled"], true);
    browser.close().await;
}

/// HR creates a campaign with the form: a blueprint larger than the bank is refused with
/// the reason next to the field, a fixed one is created and listed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_creates_a_campaign_with_the_form() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.load_fixture_content().await;
    app.add_user("galina", Role::Hr, Level::Senior, None).await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "galina", PASSWORD).await;
    browser.goto(&app.url("/tests")).await;
    browser.click("a[href='/tests/new']").await;
    browser.wait_for("#campaign-form").await;
    browser
        .fill("#title", "Квартальный тест — 1 кв. 2027")
        .await;
    browser.fill("#coffee", "1").await;
    browser.fill("#service", "2").await;
    browser.fill("#bar", "50").await;
    browser.submit("#campaign-form button[type=submit]").await;
    let page = browser.text("#campaign-form").await;
    assert!(page.contains("в банке только"), "{page}");
    no_overflow(&browser, "campaign form").await;
    browser.fill("#bar", "1").await;
    browser.submit("#campaign-form button[type=submit]").await;
    assert!(browser.text("main").await.contains("Тест создан"));
    assert!(
        browser
            .text("#tests")
            .await
            .contains("Квартальный тест — 1 кв. 2027")
    );
    let token = app.token("galina", PASSWORD).await;
    let list = app.get_json("/api/v1/campaigns", &token).await;
    assert_eq!(
        list["items"][0]["blueprint"],
        json!({"coffee": 1, "service": 2, "bar": 1})
    );
    assert_eq!(list["items"][0]["time_limit_minutes"], 30);
    browser.close().await;
}
