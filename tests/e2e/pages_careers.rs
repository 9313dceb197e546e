//! Onboarding and certification in real headless Chromium at 390×844: HR assigns the
//! internship on the person's page, the trainee reads, confirms and starts the practice
//! quiz from their programme, the mentor signs off skills in at most three taps, HR
//! records the interview and promotes, the printable certificate appears, and a missed
//! quarterly test shows as a lapse (time moved by the injectable clock).

use chrono::Duration;

use crate::support::browser::{Browser, WIDTH};
use crate::support::careers::{self, item};
use crate::support::{Backend, PASSWORD, TestApp};

async fn no_overflow(browser: &Browser, page: &str) {
    let width = browser
        .eval("return document.documentElement.scrollWidth")
        .await;
    assert!(
        width.as_u64().unwrap() <= u64::from(WIDTH),
        "{page}: horizontal overflow {width}"
    );
}

async fn switch_to(browser: &Browser, app: &TestApp, login: &str) {
    browser
        .client
        .delete_all_cookies()
        .await
        .expect("cookies cleared");
    browser.sign_in(&app.base, login, PASSWORD).await;
}

/// Counts taps: every click and submit in the sign-off goes through here.
struct Taps<'a> {
    browser: &'a Browser,
    count: usize,
}

impl Taps<'_> {
    async fn click(&mut self, css: &str) {
        self.count += 1;
        self.browser.click(css).await;
    }

    async fn submit(&mut self, css: &str) {
        self.count += 1;
        self.browser.submit(css).await;
    }

    async fn follow(&mut self, css: &str) {
        self.count += 1;
        let href = self
            .browser
            .eval(&format!(
                "return document.querySelector({css:?}).getAttribute('href')"
            ))
            .await;
        self.browser.click(css).await;
        let target = href.as_str().unwrap().to_owned();
        for _ in 0..100 {
            if self.browser.path().await == target {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("never reached {target}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internship_to_certificate_on_a_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let cast = careers::setup(&app).await;

    // HR assigns the internship on the trainee's page.
    switch_to(&browser, &app, "hr").await;
    browser
        .goto(&app.url(&format!("/people/{}", cast.trainee.id)))
        .await;
    assert_eq!(browser.text("#level").await, "Стажёр");
    browser
        .eval("document.querySelectorAll('details').forEach(d => d.open = true); return null")
        .await;
    browser
        .eval(&format!(
            "document.getElementById('program_id').value = 'intern'; \
             document.getElementById('mentor_id').value = '{}'; return null",
            cast.mentor.id
        ))
        .await;
    browser.submit("#assign-form button[type=submit]").await;
    assert!(
        browser
            .text(".notice")
            .await
            .contains("Программа назначена")
    );
    assert!(
        browser
            .text(".assignment")
            .await
            .contains("Стажировка (тестовая)")
    );
    browser.screenshot("careers-person-assigned").await;

    // The trainee's home: what is next; the programme page: the whole list.
    switch_to(&browser, &app, "trainee").await;
    assert!(browser.text("#programme-summary").await.contains("0 %"));
    browser.goto(&app.url("/onboarding")).await;
    let next = browser.text(".next-items").await;
    assert!(next.contains("Вводный день"), "{next}");
    no_overflow(&browser, "onboarding").await;
    browser.screenshot("careers-trainee-programme").await;
    // The to-read list holds the programme's cards, whatever their level.
    browser.goto(&app.url("/to-read")).await;
    let list = browser.text("main").await;
    assert!(list.contains("Pulling an espresso shot"), "{list}");
    // Reading: open a card from the programme and confirm it; then the other one.
    browser.goto(&app.url("/cards/guest-says-thanks")).await;
    browser.submit("form.ack button").await;
    browser.goto(&app.url("/cards/espresso-shot")).await;
    browser.submit("form.ack button").await;
    // The practice quiz starts from the programme page and lands on its first question.
    browser.goto(&app.url("/onboarding")).await;
    browser
        .submit("form[action$='/practice/service-practice'] button")
        .await;
    let path = browser.path().await;
    assert!(path.ends_with("/1"), "{path}");
    let attempt: i64 = path.split('/').nth(2).unwrap().parse().unwrap();
    let loaded = app
        .get_json(&format!("/api/v1/attempts/{attempt}"), &cast.trainee.token)
        .await;
    for q in loaded["questions"].as_array().unwrap() {
        let answer = crate::support::quiz::answer_for(&app, &cast.trainer.token, q, false).await;
        crate::support::quiz::put_answer(
            &app,
            &cast.trainee.token,
            attempt,
            q["question_id"].as_str().unwrap(),
            answer,
        )
        .await;
    }
    browser
        .goto(&app.url(&format!("/attempts/{attempt}/submit")))
        .await;
    browser.submit("#submit-test").await;
    assert!(
        browser.text("h1").await.contains("Тест сдан"),
        "{}",
        browser.text("h1").await
    );

    // The mentor: home shows the trainee; a sign-off takes two taps, a failure three.
    switch_to(&browser, &app, "mentor").await;
    assert!(
        browser
            .text("#mentees-summary")
            .await
            .contains("Ждут подписи: 2")
    );
    browser.goto(&app.url("/mentor")).await;
    no_overflow(&browser, "mentor").await;
    browser.screenshot("careers-mentor").await;
    let mut taps = Taps {
        browser: &browser,
        count: 0,
    };
    taps.follow("a.signoff-link[href$='/signoff/espresso']")
        .await;
    no_overflow(&browser, "sign-off").await;
    browser.screenshot("careers-signoff").await;
    taps.click("input[name=c1]").await;
    taps.submit("#signoff-fail").await;
    assert!(taps.count <= 3, "a failed check took {} taps", taps.count);
    assert!(browser.text(".notice").await.contains("на доработку"));
    let mut taps = Taps {
        browser: &browser,
        count: 0,
    };
    taps.follow("a.signoff-link[href$='/signoff/espresso']")
        .await;
    assert!(
        browser
            .text("main")
            .await
            .contains("на доработку: Выход 36 г ± 2")
    );
    taps.submit("#signoff-pass").await;
    assert_eq!(taps.count, 2, "a sign-off is two taps");
    let mut taps = Taps {
        browser: &browser,
        count: 0,
    };
    taps.follow("a.signoff-link[href$='/signoff/greeting']")
        .await;
    taps.submit("#signoff-pass").await;
    assert!(taps.count <= 3);
    // Attendance at the orientation day, from the same list.
    browser.goto(&app.url("/mentor")).await;
    browser.click("a[href$='/attend/intro-day']").await;
    browser.wait_for("#attend-submit").await;
    browser.submit("#attend-submit").await;
    assert!(browser.text(".notice").await.contains("Посещение отмечено"));
    let assignment = app
        .get_json("/api/v1/me/assignments", &cast.trainee.token)
        .await[0]
        .clone();
    for done in [
        "espresso",
        "greeting",
        "intro-day",
        "service-practice",
        "guest-says-thanks",
    ] {
        assert_eq!(item(&assignment, done)["state"], "done", "{done}");
    }

    // The quarterly test (taken over the API here; its pages have their own tests).
    let quarter = careers::quarterly_campaign(&app, &cast, -1, 24 * 7).await;
    careers::take(&app, &cast, &cast.trainee, quarter, false).await;

    // HR: everything but the interview; record it, then promote.
    switch_to(&browser, &app, "hr").await;
    browser.goto(&app.url("/hr")).await;
    assert!(
        browser.text("#eligible").await.contains("Тест trainee"),
        "{}",
        browser.text("#eligible").await
    );
    no_overflow(&browser, "hr").await;
    browser
        .goto(&app.url(&format!("/people/{}", cast.trainee.id)))
        .await;
    let disabled = browser
        .eval("return document.getElementById('promote').disabled")
        .await;
    assert_eq!(disabled, true, "promotion waits for the interview");
    browser
        .eval("document.querySelectorAll('details').forEach(d => d.open = true); return null")
        .await;
    browser
        .fill("#notes", "Уверенно отвечает, знает стандарты")
        .await;
    browser.submit("#interview-form button[type=submit]").await;
    assert!(
        browser
            .text(".notice")
            .await
            .contains("Собеседование записано")
    );
    browser.submit("#promote").await;
    assert!(
        browser
            .text(".notice")
            .await
            .contains("Повышение подтверждено")
    );
    assert_eq!(browser.text("#level").await, "Бариста");
    browser.click("#certificate a").await;
    browser.wait_for("#holder").await;
    assert_eq!(browser.text("#holder").await, "Тест trainee");
    assert_eq!(browser.text("#cert-level").await, "Бариста");
    let until = zhmp::certification::domain::end_of_next_quarter(app.state.clock.now());
    assert_eq!(
        browser.text("#valid-until").await,
        until.format("%d.%m.%Y").to_string()
    );
    no_overflow(&browser, "certificate").await;
    browser.screenshot("careers-certificate").await;

    // A missed quarterly test: the certificate lapses, HR sees it, recertification starts.
    careers::quarterly_campaign(&app, &cast, 24, 24 * 8).await;
    app.state.clock.advance(Duration::days(10));
    careers::sweep(&app).await;
    browser.goto(&app.url("/hr")).await;
    assert!(browser.text("#lapsed").await.contains("Тест trainee"));
    switch_to(&browser, &app, "trainee").await;
    browser
        .goto(&app.url(&format!("/people/{}", cast.trainee.id)))
        .await;
    assert!(
        browser
            .text("#lapsed")
            .await
            .contains("пропущен квартальный тест")
    );
    browser.goto(&app.url("/onboarding")).await;
    assert!(
        browser
            .text("main")
            .await
            .contains("Переаттестация бариста")
    );
    browser.screenshot("careers-lapsed").await;
    browser.close().await;
}
