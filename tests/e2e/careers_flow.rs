//! The whole way from trainee to certified barista over HTTP, and the certificate's
//! life afterwards: HR assigns the internship, the trainee reads and passes a practice
//! quiz, the mentor signs off skills, the quarterly test is passed, HR interviews and
//! promotes, and the certificate lapses after a missed quarterly test (time moved by
//! the injectable clock, not slept).

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::careers::{self, item};
use crate::support::{TestApp, expect_problem};

on_both_backends!(trainee_becomes_barista_and_the_certificate_lapses);

async fn sign(
    app: &TestApp,
    token: &str,
    assignment: i64,
    skill: &str,
    body: Value,
) -> reqwest::Response {
    app.call(
        Method::POST,
        &format!("/api/v1/assignments/{assignment}/items/{skill}/signoffs"),
        Some(token),
        Some(body),
    )
    .await
}

async fn trainee_becomes_barista_and_the_certificate_lapses(app: TestApp) {
    let cast = careers::setup(&app).await;

    // HR assigns the internship; nothing is done yet, and progress says so.
    let assigned = careers::assign_internship(&app, &cast).await;
    let id = assigned["id"].as_i64().unwrap();
    assert_eq!(assigned["program_id"], "intern");
    assert_eq!(assigned["mentor_name"], "Тест mentor");
    assert_eq!(
        (assigned["percent"].as_u64(), assigned["total"].as_u64()),
        (Some(0), Some(7))
    );
    assert_eq!(assigned["pending_signoffs"], 2);
    assert_eq!(
        item(&assigned, "guest-says-thanks")["title"],
        "Гость говорит «спасибо»"
    );
    assert_eq!(
        item(&assigned, "espresso")["criteria"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // The trainee sees it at home; the mentor sees the trainee.
    let mine = app
        .get_json("/api/v1/me/assignments", &cast.trainee.token)
        .await;
    assert_eq!(mine[0]["id"], id);
    let mentees = app.get_json("/api/v1/me/mentees", &cast.mentor.token).await;
    assert_eq!(mentees[0]["person_name"], "Тест trainee");

    // Reading: confirming the cards marks the read items done.
    for card in ["guest-says-thanks", "espresso-shot"] {
        let r = app
            .call(
                Method::POST,
                &format!("/api/v1/cards/{card}/ack"),
                Some(&cast.trainee.token),
                None,
            )
            .await;
        assert!(r.status().is_success(), "{card}: {}", r.status());
    }
    // The practice quiz: created once, drawn only from the item's card, passed.
    let practice_path = format!("/api/v1/assignments/{id}/items/service-practice/practice");
    let practice = app
        .call_json(
            Method::POST,
            &practice_path,
            Some(&cast.trainee.token),
            None,
        )
        .await;
    let again = app
        .call_json(
            Method::POST,
            &practice_path,
            Some(&cast.trainee.token),
            None,
        )
        .await;
    assert_eq!(
        practice["campaign_id"], again["campaign_id"],
        "the same quiz twice"
    );
    assert_eq!(practice["questions"], 3);
    // Nobody else may take the trainee's practice quiz.
    let foreign = app
        .call(
            Method::POST,
            &practice_path,
            Some(&cast.colleague.token),
            None,
        )
        .await;
    expect_problem(foreign, StatusCode::FORBIDDEN, "forbidden").await;
    let campaign = practice["campaign_id"].as_i64().unwrap();
    let submitted = careers::take(&app, &cast, &cast.trainee, campaign, false).await;
    assert_eq!(submitted["result"]["passed"], true, "{submitted}");
    for q in submitted["questions"].as_array().unwrap() {
        let qid = q["question_id"].as_str().unwrap();
        let card = app
            .get_json(&format!("/api/v1/questions/{qid}"), &cast.trainer.token)
            .await;
        assert_eq!(card["card"], "guest-says-thanks", "{card}");
    }
    // The trainer records the orientation day.
    let attended = app
        .call_json(
            Method::POST,
            &format!("/api/v1/assignments/{id}/items/intro-day/attendance"),
            Some(&cast.trainer.token),
            Some(json!({"date": app.state.clock.today()})),
        )
        .await;
    assert_eq!(item(&attended, "intro-day")["state"], "done", "{attended}");
    assert_eq!(
        item(&attended, "intro-day")["records"][0]["trainer"],
        "Тест trainer"
    );
    let now = app
        .get_json(&format!("/api/v1/assignments/{id}"), &cast.trainee.token)
        .await;
    for done in [
        "intro-day",
        "guest-says-thanks",
        "espresso-shot",
        "service-practice",
    ] {
        assert_eq!(item(&now, done)["state"], "done", "{done}: {now}");
    }
    assert_eq!(now["percent"], 57, "4 of 7");

    // The mentor signs off: a failed check records what to practise, the retry passes.
    let failed = sign(
        &app,
        &cast.mentor.token,
        id,
        "espresso",
        json!({"passed": false, "criteria": [true, false, true]}),
    )
    .await;
    assert_eq!(failed.status(), StatusCode::OK);
    let failed: Value = failed.json().await.unwrap();
    assert_eq!(item(&failed, "espresso")["state"], "retry");
    assert_eq!(item(&failed, "espresso")["practise"], "Выход 36 г ± 2");
    // «Зачтено» with an unmet criterion is refused, naming the field.
    let bad = sign(
        &app,
        &cast.mentor.token,
        id,
        "espresso",
        json!({"passed": true, "criteria": [true, false, true]}),
    )
    .await;
    let body = expect_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "criteria", "{body}");
    let passed: Value = sign(
        &app,
        &cast.mentor.token,
        id,
        "espresso",
        json!({"passed": true, "comment": "Стабильно"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(item(&passed, "espresso")["state"], "done");
    assert_eq!(
        item(&passed, "espresso")["records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The shop leader may sign off too.
    let by_leader = sign(
        &app,
        &cast.leader.token,
        id,
        "greeting",
        json!({"passed": true}),
    )
    .await;
    assert_eq!(by_leader.status(), StatusCode::OK);
    let by_leader: Value = by_leader.json().await.unwrap();
    assert_eq!(by_leader["pending_signoffs"], 0);
    assert_eq!(
        by_leader["percent"], 85,
        "6 of 7: only the quarterly test is left"
    );

    // The quarterly test, passed; the programme is complete.
    let quarter = careers::quarterly_campaign(&app, &cast, -1, 24 * 7).await;
    let result = careers::take(&app, &cast, &cast.trainee, quarter, false).await;
    assert_eq!(result["result"]["passed"], true, "{result}");
    let complete = app
        .get_json(&format!("/api/v1/assignments/{id}"), &cast.hr.token)
        .await;
    assert_eq!(complete["percent"], 100, "{complete}");
    assert!(complete["completed_at"].is_string());
    let mentees = app.get_json("/api/v1/me/mentees", &cast.mentor.token).await;
    assert_eq!(
        mentees.as_array().unwrap().len(),
        0,
        "a finished trainee leaves the mentor's list"
    );

    // Everything but the interview: a candidate, not yet eligible; promotion refused.
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(career["next_level"], "barista");
    assert_eq!(career["eligible"], false);
    let unmet: Vec<&str> = career["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["met"] == false)
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(unmet, ["interview"], "{career}");
    assert_eq!(career["results"][0]["tracks"].as_array().unwrap().len(), 3);
    let candidates = app
        .get_json("/api/v1/reports/promotion-candidates", &cast.hr.token)
        .await;
    assert_eq!(candidates[0]["user_id"], cast.trainee.id);
    assert_eq!(candidates[0]["eligible"], false);
    let early = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/promotion", cast.trainee.id),
            Some(&cast.hr.token),
            Some(json!({"level": "barista"})),
        )
        .await;
    let body = expect_problem(early, StatusCode::CONFLICT, "not_eligible").await;
    assert!(
        body["detail"].as_str().unwrap().contains("Собеседование"),
        "{body}"
    );

    // HR records the interview and promotes: level and certificate change.
    let interview = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/interviews", cast.trainee.id),
            Some(&cast.hr.token),
            Some(json!({"level": "barista", "passed": true, "notes": "Уверенно", "held_on": app.state.clock.today()})),
        )
        .await;
    assert_eq!(interview.status(), StatusCode::OK);
    let certificate = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/promotion", cast.trainee.id),
            Some(&cast.hr.token),
            Some(json!({"level": "barista"})),
        )
        .await;
    assert_eq!(certificate.status(), StatusCode::OK);
    let certificate: Value = certificate.json().await.unwrap();
    assert_eq!(certificate["status"], "valid");
    assert_eq!(certificate["level"], "barista");
    let until = zhmp::certification::domain::end_of_next_quarter(app.state.clock.now());
    assert_eq!(
        certificate["valid_until"].as_str().unwrap()[..10],
        until.format("%Y-%m-%d").to_string()
    );
    let me = app.get_json("/api/v1/me", &cast.trainee.token).await;
    assert_eq!(me["level"], "barista");
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.trainee.token,
        )
        .await;
    assert_eq!(career["certificate"]["id"], certificate["id"]);
    let kinds: Vec<&str> = career["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "assigned",
        "completed",
        "interview",
        "level_changed",
        "certificate_issued",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }

    // The next quarterly test opens after the promotion; the new barista misses it.
    let next = careers::quarterly_campaign(&app, &cast, 24, 24 * 8).await;
    assert_eq!(
        careers::sweep(&app).await.lapsed,
        0,
        "nothing happens before it closes"
    );
    app.state.clock.advance(Duration::days(10));
    let swept = careers::sweep(&app).await;
    assert_eq!((swept.lapsed, swept.recertifications), (1, 1), "{swept:?}");
    assert_eq!(careers::sweep(&app).await.lapsed, 0, "a lapse happens once");
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert!(career["certificate"].is_null(), "{career}");
    assert_eq!(career["lapsed"]["end_reason"], "missed");
    let lapsed = app
        .get_json("/api/v1/reports/certificates?list=lapsed", &cast.hr.token)
        .await;
    assert_eq!(lapsed[0]["user_id"], cast.trainee.id);
    assert_eq!(lapsed[0]["person_name"], "Тест trainee");
    // The leader of the shop sees it; the leader of another shop does not.
    let own = app
        .get_json(
            "/api/v1/reports/certificates?list=lapsed",
            &cast.leader.token,
        )
        .await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let far = app
        .get_json(
            "/api/v1/reports/certificates?list=lapsed",
            &cast.far_leader.token,
        )
        .await;
    assert_eq!(far.as_array().unwrap().len(), 0);
    // Recertification is assigned, with the shop leader as mentor.
    let mine = app
        .get_json("/api/v1/me/assignments", &cast.trainee.token)
        .await;
    assert_eq!(mine[0]["program_id"], "recert", "{mine}");
    assert_eq!(mine[0]["reason"], "recertification");
    assert_eq!(mine[0]["mentor_id"], cast.leader.id);
    let onboarding = app
        .get_json("/api/v1/reports/onboarding", &cast.hr.token)
        .await;
    assert!(
        onboarding
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["program_id"] == "recert"),
        "{onboarding}"
    );
    let _ = next;

    // HR's lists export like every table: CSV with a BOM, XLSX read back.
    let csv = app
        .get(
            "/api/v1/reports/certificates.csv?list=lapsed",
            &cast.hr.token,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (&lines[0][0], &lines[0][5], &lines[0][6]),
        ("Тест trainee", "lapsed", "missed")
    );
    let xlsx = app
        .get("/api/v1/reports/onboarding.xlsx", &cast.hr.token)
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    use calamine::Reader as _;
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("Адаптация").unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows.len(), 2, "a header and the recertification");
    assert_eq!(rows[1][3], calamine::Data::String("переаттестация".into()));
    assert!(
        matches!(rows[1][6], calamine::Data::Float(_)),
        "percent is a number"
    );
    let candidates = app
        .get("/api/v1/reports/promotion-candidates.csv", &cast.hr.token)
        .await;
    assert_eq!(candidates.status(), StatusCode::OK);
}
