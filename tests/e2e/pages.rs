//! Pages in real headless Chromium at 390×844, plus form-level checks over plain HTTP.

use reqwest::StatusCode;

use crate::support::browser::{Browser, WIDTH};
use crate::support::{Backend, PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_signs_in_sees_home_and_signs_out() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let shop = app.add_location("Кофейня на Садовой").await;
    app.add_user("masha", Role::Staff, Level::Barista, Some(shop))
        .await;
    let Some(browser) = Browser::launch().await else {
        return;
    };

    browser.sign_in(&app.base, "masha", PASSWORD).await;
    assert_eq!(browser.path().await, "/");
    let home = browser.text("#home").await;
    assert!(home.contains("Здравствуйте, Тест masha!"), "{home}");
    assert!(home.contains("Кофейня на Садовой"), "{home}");
    let nav = browser.text("nav.nav").await;
    assert!(
        nav.contains("Профиль") && !nav.contains("Сотрудники"),
        "{nav}"
    );
    // Laid out for the phone: the viewport is 390 px and nothing scrolls sideways.
    let width = browser
        .eval("return [window.innerWidth, document.documentElement.scrollWidth]")
        .await;
    assert_eq!(width[0], WIDTH, "viewport width");
    assert!(
        width[1].as_u64().unwrap() <= u64::from(WIDTH),
        "horizontal overflow: {width}"
    );

    browser.submit("form.logout button").await;
    assert_eq!(browser.path().await, "/login");
    browser.goto(&app.url("/profile")).await;
    assert_eq!(browser.path().await, "/login", "signed out for real");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_shows_a_russian_error() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("oleg", Role::Staff, Level::Barista, None)
        .await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser
        .sign_in(&app.base, "oleg", "совсем-не-тот-пароль")
        .await;
    assert_eq!(browser.path().await, "/login");
    assert_eq!(
        browser.text("#login-error").await,
        "Неверный логин или пароль."
    );
    // The typed login is kept, the password is not.
    let kept = browser.eval("return [document.querySelector('#login').value, document.querySelector('#password').value]").await;
    assert_eq!(kept, serde_json::json!(["oleg", ""]));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_cannot_open_the_users_page() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("pavel", Role::Staff, Level::Barista, None)
        .await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "pavel", PASSWORD).await;
    browser.goto(&app.url("/users")).await;
    assert_eq!(browser.text("h1").await, "Нет доступа");
    browser.goto(&app.url("/locations")).await;
    assert_eq!(browser.text("h1").await, "Нет доступа");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_adds_a_location_and_a_person_through_forms() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("hr-anna", Role::Hr, Level::Senior, None).await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "hr-anna", PASSWORD).await;
    let nav = browser.text("nav.nav").await;
    assert!(
        nav.contains("Сотрудники") && nav.contains("Кофейни"),
        "{nav}"
    );

    browser.goto(&app.url("/locations/new")).await;
    browser.fill("#name", "Кофейня на Лиговском").await;
    browser.fill("#city", "Санкт-Петербург").await;
    browser.submit("form.form button[type=submit]").await;
    assert_eq!(browser.path().await, "/locations");
    assert!(
        browser
            .text("#locations")
            .await
            .contains("Кофейня на Лиговском")
    );

    browser.goto(&app.url("/users/new")).await;
    // Every visible field has a label a screen reader announces.
    let unlabelled = browser
        .eval(
            "return [...document.querySelectorAll('input:not([type=hidden]), select')]\
             .filter(e => e.labels.length === 0).map(e => e.name)",
        )
        .await;
    assert_eq!(unlabelled, serde_json::json!([]), "fields without labels");
    browser.fill("#login", "x").await;
    browser.fill("#name", "Игорь Зернов").await;
    browser.fill("#password", "пароль-игоря-2026").await;
    browser.submit("form.form button[type=submit]").await;
    let error = browser.text(".field-error").await;
    assert!(error.contains("от 2 до 32"), "Russian field error: {error}");

    browser.fill("#login", "igor").await;
    browser.fill("#password", "пароль-игоря-2026").await;
    browser
        .eval(
            "const s = document.querySelector('#location_id'); s.selectedIndex = 1; return s.value",
        )
        .await;
    browser.submit("form.form button[type=submit]").await;
    assert!(browser.path().await.starts_with("/users/"));
    assert_eq!(browser.text(".notice").await, "Сотрудник добавлен.");
    assert_eq!(
        app.login("igor", "пароль-игоря-2026").await.status(),
        StatusCode::OK
    );
    browser.close().await;
}

/// Form posts without the page's CSRF token are refused, with or without a session.
#[tokio::test]
async fn forms_require_csrf_tokens() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("rita", Role::Hr, Level::Senior, None).await;
    // Sign-in form without the double-submit cookie.
    let login = app
        .client
        .post(app.url("/login"))
        .form(&[("login", "rita"), ("password", PASSWORD), ("csrf", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    assert!(
        login
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("zhmp_session="))
    );

    // A signed-in session posting a form with a wrong token.
    let token = app.token("rita", PASSWORD).await;
    let forged = app
        .client
        .post(app.url("/locations/new"))
        .header("cookie", format!("zhmp_session={token}"))
        .form(&[("name", "Поддельная"), ("city", "Нигде"), ("csrf", "0000")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(
        zhmp::accounts::storage::locations::find_by_name(&app.state.db, "Поддельная")
            .await
            .unwrap()
            .is_none()
    );

    // Cookie-authenticated API writes need the X-CSRF-Token header.
    let api = app
        .client
        .post(app.url("/api/v1/locations"))
        .header("cookie", format!("zhmp_session={token}"))
        .json(&serde_json::json!({"name": "Через API", "city": "Омск"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let csrf = zhmp::accounts::domain::token::csrf_for_session(&token);
    let api = app
        .client
        .post(app.url("/api/v1/locations"))
        .header("cookie", format!("zhmp_session={token}"))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "Через API", "city": "Омск"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::CREATED);
}

/// Pages apply the same policy as the API: each page × each role and anonymous.
#[tokio::test]
async fn pages_allow_exactly_their_roles() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let shop = app.add_location("Кофейня на Садовой").await;
    let other = app.add_location("Кофейня у Невского").await;
    let colleague = app
        .add_user("colleague", Role::Staff, Level::Barista, Some(shop))
        .await;
    let stranger = app
        .add_user("stranger", Role::Staff, Level::Barista, Some(other))
        .await;
    let people = [
        ("p-staff", Role::Staff, Level::Barista, Some(shop)),
        ("p-leader", Role::Staff, Level::Leader, Some(shop)),
        ("p-trainer", Role::Trainer, Level::Senior, None),
        ("p-hr", Role::Hr, Level::Senior, None),
        ("p-admin", Role::Admin, Level::Leader, None),
    ];
    for (login, role, level, location) in people {
        app.add_user(login, role, level, location).await;
    }
    let all = ["p-staff", "p-leader", "p-trainer", "p-hr", "p-admin"];
    let managers = ["p-hr", "p-admin"];
    let authors = ["p-trainer", "p-admin"];
    let colleague_page = format!("/users/{colleague}");
    let stranger_page = format!("/users/{stranger}");
    let location_page = format!("/locations/{shop}");
    crate::support::cards::CardText::default().write(&app.content_dir());
    app.reload_content().await;
    let campaign = crate::authz_quiz_rows::matrix_campaign(&app).await;
    let statistics_page = format!("/tests/{campaign}/statistics");
    std::fs::create_dir_all(app.content_dir().join("programs")).unwrap();
    std::fs::write(
        app.content_dir().join("programs/pages.yaml"),
        "id: pages\ntitle: Программа\nstages:\n  - title: Неделя\n    items:\n      - {kind: read, card: guest-says-thanks, due_day: 1}\n      - {kind: event, id: intro, title: Вводный день, due_day: 1}\n      - {kind: skill, id: greet, title: Приветствие, criteria: [Улыбка], due_day: 2}\n",
    )
    .unwrap();
    app.reload_content().await;
    let hr_token = app.admin_token().await;
    let assigned = app
        .call_json(
            reqwest::Method::POST,
            "/api/v1/assignments",
            Some(&hr_token),
            Some(serde_json::json!({"user_id": colleague, "program_id": "pages", "start_date": app.state.clock.today()})),
        )
        .await;
    let assignment = assigned["id"].as_i64().expect("assignment");
    let certificate = zhmp::certification::service::promotion::issue(
        &app.state,
        colleague,
        Level::Barista,
        None,
        app.state.clock.now(),
        "certificate_issued",
    )
    .await
    .unwrap()
    .id;
    let person_page = format!("/people/{colleague}");
    let certificate_page = format!("/certificates/{certificate}");
    let signoff_page = format!("/assignments/{assignment}/signoff/greet");
    let attend_page = format!("/assignments/{assignment}/attend/intro");
    let rows: Vec<(&str, Vec<&str>)> = vec![
        ("/", all.to_vec()),
        ("/profile", all.to_vec()),
        ("/users", vec!["p-leader", "p-hr", "p-admin"]),
        ("/users/new", managers.to_vec()),
        (&colleague_page, vec!["p-leader", "p-hr", "p-admin"]),
        (&stranger_page, managers.to_vec()),
        ("/locations", managers.to_vec()),
        ("/locations/new", managers.to_vec()),
        (&location_page, managers.to_vec()),
        ("/cards", all.to_vec()),
        ("/cards?track=service", all.to_vec()),
        ("/cards/guest-says-thanks", all.to_vec()),
        ("/to-read", all.to_vec()),
        ("/search?q=%D0%B3%D0%BE%D1%81%D1%82%D1%8C", all.to_vec()),
        ("/cards/new", authors.to_vec()),
        ("/cards/guest-says-thanks/edit", authors.to_vec()),
        ("/cards/guest-says-thanks/history", authors.to_vec()),
        (
            "/cards/guest-says-thanks/diff?from=1&to=1",
            authors.to_vec(),
        ),
        (
            "/cards/guest-says-thanks/reading",
            vec!["p-leader", "p-hr", "p-admin"],
        ),
        ("/content/errors", authors.to_vec()),
        ("/tests", all.to_vec()),
        ("/questions", authors.to_vec()),
        ("/questions?track=service", authors.to_vec()),
        (&statistics_page, vec!["p-trainer", "p-hr", "p-admin"]),
        ("/tests/new", vec!["p-trainer", "p-hr", "p-admin"]),
        ("/onboarding", all.to_vec()),
        ("/mentor", all.to_vec()),
        ("/hr", vec!["p-leader", "p-hr", "p-admin"]),
        ("/reports", vec!["p-leader", "p-trainer", "p-hr", "p-admin"]),
        ("/audit", vec!["p-admin"]),
        ("/programs", all.to_vec()),
        ("/programs/pages", all.to_vec()),
        ("/programs/pages/edit", authors.to_vec()),
        (&person_page, vec!["p-leader", "p-hr", "p-admin"]),
        (&certificate_page, vec!["p-leader", "p-hr", "p-admin"]),
        (&signoff_page, vec!["p-leader", "p-hr", "p-admin"]),
        (
            &attend_page,
            vec!["p-leader", "p-trainer", "p-hr", "p-admin"],
        ),
    ];
    let mut mismatches = Vec::new();
    for who in all {
        let token = app.token(who, PASSWORD).await;
        for (path, allowed) in &rows {
            let status = app
                .client
                .get(app.url(path))
                .header("cookie", format!("zhmp_session={token}"))
                .send()
                .await
                .unwrap()
                .status();
            let expected = if allowed.contains(&who) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            if status != expected {
                mismatches.push(format!("{who} GET {path}: {status}, expected {expected}"));
            }
        }
    }
    for (path, _) in &rows {
        let response = app.get_public(path).await;
        if response.status() != StatusCode::SEE_OTHER || response.headers()["location"] != "/login"
        {
            mismatches.push(format!("anonymous GET {path}: {}", response.status()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "page authorisation mismatches:\n{}",
        mismatches.join("\n")
    );
}
