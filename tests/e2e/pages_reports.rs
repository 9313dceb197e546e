//! The dashboard in real headless Chromium at 390×844: the trend chart renders, the
//! table drills down from the chain to a location and its people, exports are linked.

use crate::support::browser::{Browser, WIDTH};
use crate::support::careers;
use crate::support::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_on_a_phone_with_a_chart_and_drill_down() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let cast = careers::setup(&app).await;
    let shop = crate::reports_results::dataset(&app, &cast).await;
    browser
        .sign_in(&app.base, "hr", crate::support::PASSWORD)
        .await;
    browser.goto(&app.url("/reports")).await;
    assert!(browser.text("h1").await.contains("Вся сеть"));
    let size = browser
        .eval(
            "const r = document.querySelector('figure.chart svg').getBoundingClientRect(); \
             return [r.width, r.height, document.querySelectorAll('figure.chart svg polyline, figure.chart svg path').length]",
        )
        .await;
    let size = size.as_array().unwrap();
    assert!(size[0].as_f64().unwrap() > 200.0, "chart width {size:?}");
    assert!(size[1].as_f64().unwrap() > 100.0, "chart height {size:?}");
    assert!(size[2].as_u64().unwrap() > 0, "lines drawn {size:?}");
    let width = browser
        .eval("return document.documentElement.scrollWidth")
        .await;
    let widest = browser
        .eval(
            "let w = null; for (const e of document.querySelectorAll('body *')) { \
             const r = e.getBoundingClientRect(); \
             if (r.right > 390 && (!w || r.right > w[1])) w = [e.tagName + '.' + e.className, r.right]; } \
             return w",
        )
        .await;
    assert!(
        width.as_u64().unwrap() <= u64::from(WIDTH),
        "overflow {width}: {widest}"
    );
    let table = browser.text("#results").await;
    assert!(
        table.contains("Кофейня на Тверской") && table.contains("67 %"),
        "{table}"
    );
    browser.screenshot("reports-chain").await;
    // Drill down: the location, its people (including who did not take the test).
    browser.click("#results a[href*='location_id']").await;
    browser.wait_for("#people").await;
    let people = browser.text("#people").await;
    assert!(
        people.contains("Тест a1") && people.contains("100 %"),
        "{people}"
    );
    assert!(people.contains("не проходил"), "{people}");
    assert!(browser.path().await.starts_with("/reports"));
    let csv = browser
        .eval("return document.querySelector('#results a[href*=\"results.csv\"]').getAttribute('href')")
        .await;
    assert!(
        csv.as_str()
            .unwrap()
            .contains(&format!("location_id={}", shop.a)),
        "{csv}"
    );
    browser.screenshot("reports-location").await;
    // … to the person, and to their attempt's review.
    browser.click("#people a").await;
    browser.wait_for("#person").await;
    browser.click(".attempts a").await;
    browser.wait_for("#review").await;
    assert!(
        browser.text("h1").await.contains("Тест сдан"),
        "{}",
        browser.text("h1").await
    );
    // An export shows in the administrator's journal.
    let export = app.get("/api/v1/reports/results.csv", &cast.hr.token).await;
    assert!(export.status().is_success());
    browser.client.delete_all_cookies().await.unwrap();
    browser
        .sign_in(&app.base, "admin", &app.admin_password.clone())
        .await;
    browser.goto(&app.url("/audit")).await;
    let journal = browser.text("#audit").await;
    assert!(
        journal.contains("Выгрузка") && journal.contains("results.csv"),
        "{journal}"
    );
    assert!(journal.contains("Тест hr"), "{journal}");
    browser.close().await;
}
