//! Card pages in real headless Chromium at 390×844: reading and confirming, search as you
//! type, inert card HTML, the trainer's editor.

use crate::support::browser::{Browser, WIDTH};
use crate::support::{Backend, PASSWORD, TestApp};
use zhmp::accounts::domain::{Level, Role};

/// Staff read a card on the phone and confirm it; the to-read list empties.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_reads_and_confirms_a_card() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("sveta", Role::Staff, Level::Barista, None)
        .await;
    crate::support::cards::CardText::default().write(&app.content_dir());
    app.reload_content().await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "sveta", PASSWORD).await;
    assert!(
        browser
            .text("#to-read-summary")
            .await
            .contains("Нужно прочитать: 1")
    );
    browser.goto(&app.url("/to-read")).await;
    browser
        .click("main a[href='/cards/guest-says-thanks']")
        .await;
    browser.wait_for("h1").await;
    let page = browser.text("main").await;
    for part in ["Ситуация", "Действия", "Пример", "Антипример", "Табу"]
    {
        assert!(page.contains(part), "card page lacks {part}: {page}");
    }
    let steps = browser
        .eval("return document.querySelectorAll('main ol li').length")
        .await;
    assert_eq!(steps, 3, "steps are a numbered list");
    browser
        .submit("form[action='/cards/guest-says-thanks/ack'] button")
        .await;
    assert!(
        browser
            .text("main")
            .await
            .contains("Отмечено как прочитанное")
    );
    browser.goto(&app.url("/to-read")).await;
    assert!(browser.text("main").await.contains("Всё прочитано"));
    let width = browser
        .eval("return document.documentElement.scrollWidth")
        .await;
    assert!(
        width.as_u64().unwrap() <= u64::from(WIDTH),
        "horizontal overflow: {width}"
    );
    browser.close().await;
}

/// Results appear while typing, before any submit; a hostile card stays inert text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_as_you_type_and_inert_card_html() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("tolya", Role::Staff, Level::Barista, None)
        .await;
    crate::support::cards::CardText::default().write(&app.content_dir());
    crate::support::cards::CardText {
        id: "hostile",
        title: "Опасная карточка",
        situation: "Текст <script>window.__pwned = 1</script> и <img src=x onerror=\"window.__pwned = 2\">.",
        example: "[ссылка](javascript:window.__pwned=3)",
        ..Default::default()
    }
    .write(&app.content_dir());
    app.reload_content().await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "tolya", PASSWORD).await;
    browser.fill("input[name=q]", "спасиб").await;
    let started = std::time::Instant::now();
    loop {
        let shown = browser
            .eval("return [...document.querySelectorAll('a[href=\"/cards/guest-says-thanks\"]')].length")
            .await;
        if shown.as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "no live results appeared");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        browser.path().await,
        "/",
        "results appeared without leaving the page"
    );

    browser.goto(&app.url("/cards/hostile")).await;
    browser.wait_for("h1").await;
    let pwned = browser.eval("return window.__pwned === undefined").await;
    assert_eq!(pwned, true, "card content ran as script");
    assert!(
        browser
            .text("main")
            .await
            .contains("<script>window.__pwned = 1</script>"),
        "shown as text"
    );
    let links = browser.eval("return [...document.querySelectorAll('main a')].filter(a => a.href.startsWith('javascript')).length").await;
    assert_eq!(links, 0);
    browser.close().await;
}

/// A trainer edits a card: an error is shown with its line; the fix is saved and shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trainer_edits_a_card_with_errors_then_saves() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    app.add_user("irina", Role::Trainer, Level::Senior, None)
        .await;
    crate::support::cards::CardText::default().write(&app.content_dir());
    app.reload_content().await;
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.sign_in(&app.base, "irina", PASSWORD).await;
    browser
        .goto(&app.url("/cards/guest-says-thanks/edit"))
        .await;
    let source = browser
        .eval("return document.querySelector('textarea[name=source]').value")
        .await;
    let source = source.as_str().unwrap().to_owned();
    let broken = source.replace("## Действия", "## Действя");
    browser.set_value("textarea[name=source]", &broken).await;
    browser.submit("button[value=save]").await;
    let problems = browser.text("main").await;
    assert!(
        problems.contains("Действя") && problems.contains("Действия"),
        "{problems}"
    );
    assert!(
        problems.contains("строка"),
        "error names its line: {problems}"
    );
    let fixed = source.replace("Улыбнитесь.", "Улыбнитесь искренне.");
    browser.set_value("textarea[name=source]", &fixed).await;
    browser.fill("input[name=note]", "уточнили улыбку").await;
    browser.submit("button[value=save]").await;
    assert_eq!(browser.path().await, "/cards/guest-says-thanks");
    assert!(browser.text("main").await.contains("Улыбнитесь искренне."));
    let history = app
        .get_json(
            "/api/v1/cards/guest-says-thanks/revisions",
            &app.token("irina", PASSWORD).await,
        )
        .await;
    assert_eq!(history["items"][0]["note"], "уточнили улыбку");
    browser.close().await;
}
