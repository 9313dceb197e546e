//! Reports over HTTP on a known dataset: every figure computed and asserted, exports
//! opened (CSV parsed, XLSX read back), scoping for leaders and staff, the audit log.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::careers::{self, Cast};
use crate::support::{PASSWORD, TestApp, expect_problem};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(results_exports_scoping_and_audit);

pub(crate) struct Shop {
    pub a: i32,
    pub b: i32,
    /// (id, token) of the people who take the test.
    pub right: Vec<(i32, String)>,
    pub wrong: (i32, String),
    pub b_right: (i32, String),
}

/// Shop A: three baristas and the leader (from the cast: trainee, mentor, colleague,
/// leader) plus `a1`, `a2`; shop B: `b1`, `b2`. Takers: a1 and a2 right, mentor wrong in
/// A; b1 right in B. Everybody else does not take it.
pub(crate) async fn dataset(app: &TestApp, cast: &Cast) -> Shop {
    let a = zhmp::accounts::storage::users::get(&app.state.db, cast.trainee.id)
        .await
        .unwrap()
        .unwrap()
        .location_id
        .unwrap();
    let b = app.add_location("Кофейня на Мойке").await;
    let person = |login: &'static str, location| async move {
        let id = app
            .add_user(login, Role::Staff, Level::Barista, Some(location))
            .await;
        (id, app.token(login, PASSWORD).await)
    };
    let a1 = person("a1", a).await;
    let a2 = person("a2", a).await;
    let b1 = person("b1", b).await;
    let _b2 = person("b2", b).await;
    let campaign = careers::quarterly_campaign(app, cast, -1, 24).await;
    for (id, token) in [&a1, &a2, &b1] {
        let who = careers::Person {
            id: *id,
            token: token.clone(),
        };
        let r = careers::take(app, cast, &who, campaign, false).await;
        assert_eq!(r["result"]["passed"], true);
    }
    let r = careers::take(app, cast, &cast.mentor, campaign, true).await;
    assert_eq!(r["result"]["passed"], false);
    Shop {
        a,
        b,
        right: vec![a1, a2],
        wrong: (cast.mentor.id, cast.mentor.token.clone()),
        b_right: b1,
    }
}

fn row(rows: &Value, location: i32) -> &Value {
    rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["location_id"] == location)
        .unwrap_or_else(|| panic!("no row for {location}: {rows}"))
}

async fn results_exports_scoping_and_audit(app: TestApp) {
    let cast = careers::setup(&app).await;
    let shop = dataset(&app, &cast).await;
    let hr = &cast.hr.token;

    // By location: A has 7 staff (trainee, mentor, leader, colleague, a1, a2... and the
    // cast's far leader is elsewhere), 3 took it, 2 passed; B has 2 staff, 1 took, passed.
    let by_location = app
        .get_json("/api/v1/reports/results?by=location", hr)
        .await;
    let a = row(&by_location, shop.a);
    assert_eq!(a["takers"], 3);
    assert_eq!(a["headcount"], 6, "{a}");
    assert_eq!(a["participation"], 50.0);
    assert_eq!(a["pass_rate"], 66.7);
    assert_eq!(a["average"], 66.7, "(100 + 100 + 0) / 3");
    let b = row(&by_location, shop.b);
    assert_eq!(
        (b["takers"].as_u64(), b["headcount"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(b["pass_rate"], 100.0);
    assert_eq!(b["location_name"], "Кофейня на Мойке");
    // By direction over the chain: each direction taken by 4, 3 right.
    let by_track = app.get_json("/api/v1/reports/results?by=track", hr).await;
    for r in by_track["rows"].as_array().unwrap() {
        assert_eq!(r["takers"], 4, "{r}");
        assert_eq!(r["pass_rate"], 75.0, "{r}");
    }
    // Trends: eight quarters, this one filled.
    let trends = app.get_json("/api/v1/reports/trends", hr).await;
    assert_eq!(trends["quarters"].as_array().unwrap().len(), 8);
    let coffee = &trends["tracks"].as_array().unwrap()[0];
    assert_eq!(coffee["track"], "coffee");
    assert_eq!(coffee["pass_rate"][7], 75.0);
    assert!(coffee["pass_rate"][6].is_null());
    // Nine active staff in the chain (six in A, two in B, the other shop's leader), four
    // took it; the mean of whole attempts: (100 + 100 + 0 + 100) / 4.
    assert_eq!(trends["participation"][7], 44.4, "{trends}");
    assert_eq!(trends["average"][7], 75.0, "{trends}");
    assert!(trends["participation"][6].is_null());
    let svg = app.get("/api/v1/reports/trends.svg", hr).await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    // The retraining list: 12 answers, the wrong taker's 3 failed.
    let weak = app
        .get_json("/api/v1/reports/weakest?min_answers=1", hr)
        .await;
    let cards = weak["cards"].as_array().unwrap();
    let answered: u64 = cards.iter().map(|c| c["answered"].as_u64().unwrap()).sum();
    let failed: u64 = cards.iter().map(|c| c["failed"].as_u64().unwrap()).sum();
    assert_eq!((answered, failed), (12, 3), "{weak}");
    assert!(
        cards[0]["fail_rate"].as_f64().unwrap()
            >= cards.last().unwrap()["fail_rate"].as_f64().unwrap()
    );
    assert_eq!(cards[0]["worst_locations"][0]["location_id"], shop.a);

    // Exports: CSV with a BOM that parses to the same figures; XLSX with numbers as numbers.
    let csv = app.get("/api/v1/reports/results.csv?by=location", hr).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("results.csv")
    );
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(&reader.headers().unwrap()[1], "Кофейня");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let a_line = records
        .iter()
        .find(|r| &r[1] == "Кофейня на Тверской")
        .unwrap();
    assert_eq!((&a_line[4], &a_line[5], &a_line[7]), ("3", "6", "66.7"));
    let xlsx = app
        .get("/api/v1/reports/results.xlsx?by=location", hr)
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let mut book = Xlsx::new(Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("Результаты").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][1], Data::String("Кофейня".into()));
    let b_row = rows
        .iter()
        .find(|r| r[1] == Data::String("Кофейня на Мойке".into()))
        .unwrap();
    assert_eq!(b_row[4], Data::Float(1.0), "typed: a number, not text");
    assert_eq!(b_row[7], Data::Float(100.0));
    let weak_csv = app.get("/api/v1/reports/weakest.csv", hr).await;
    assert_eq!(weak_csv.status(), StatusCode::OK);
    let weak_xlsx = app.get("/api/v1/reports/weakest.xlsx", hr).await;
    assert_eq!(weak_xlsx.status(), StatusCode::OK);

    // A shop leader sees their shop only; staff see only themselves.
    let leader = &cast.leader.token;
    let own = app
        .get_json("/api/v1/reports/results?by=location", leader)
        .await;
    assert_eq!(own["rows"].as_array().unwrap().len(), 1);
    assert_eq!(own["rows"][0]["location_id"], shop.a);
    let other = app
        .get(
            &format!("/api/v1/reports/results?location_id={}", shop.b),
            leader,
        )
        .await;
    expect_problem(other, StatusCode::FORBIDDEN, "forbidden").await;
    let (_, a1) = &shop.right[0];
    let mine = app.get_json("/api/v1/reports/results?by=track", a1).await;
    for r in mine["rows"].as_array().unwrap() {
        assert_eq!(
            (r["takers"].as_u64(), r["pass_rate"].as_f64()),
            (Some(1), Some(100.0)),
            "{r}"
        );
    }
    let (_, wrong) = &shop.wrong;
    let mine = app
        .get_json("/api/v1/reports/results?by=track", wrong)
        .await;
    assert_eq!(
        mine["rows"][0]["pass_rate"], 0.0,
        "the wrong taker sees only their own"
    );
    let r = app.get("/api/v1/reports/weakest", a1).await;
    expect_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let (_, b1) = &shop.b_right;
    let r = app
        .get(
            &format!("/api/v1/reports/results?location_id={}", shop.a),
            b1,
        )
        .await;
    expect_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = app.get("/api/v1/reports/results?quarter=2026-Q9", hr).await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "quarter");

    // The audit log: exports, role changes and promotions, for administrators only.
    let admin = app.admin_token().await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{}", cast.colleague.id),
        Some(&admin),
        Some(json!({"role": "trainer"})),
    )
    .await;
    let log = app.get_json("/api/v1/audit", &admin).await;
    let entries = log.as_array().unwrap();
    let exports: Vec<&str> = entries
        .iter()
        .filter(|e| e["action"] == "exported")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    for file in ["results.csv", "results.xlsx", "weakest.csv", "weakest.xlsx"] {
        assert!(exports.contains(&file), "{file} in {exports:?}");
    }
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "exported" && e["actor_id"] == cast.hr.id)
    );
    let role = entries
        .iter()
        .find(|e| e["action"] == "role_changed")
        .unwrap();
    assert_eq!(role["target_user_id"], cast.colleague.id);
    assert_eq!(role["detail"], "staff → trainer");
    let r = app.get("/api/v1/audit", hr).await;
    expect_problem(r, StatusCode::FORBIDDEN, "forbidden").await;

    // Coverage: what staff owe (mandatory cards at or below their level) against what they
    // confirmed; a1 confirms one card.
    let (a1_id, a1_token) = &shop.right[0];
    let r = app
        .call(
            Method::POST,
            "/api/v1/cards/guest-says-thanks/ack",
            Some(a1_token),
            None,
        )
        .await;
    assert!(r.status().is_success());
    let live = zhmp::cards::storage::cards::all(&app.state.db)
        .await
        .unwrap();
    let owed = |level: Level| -> i64 {
        live.iter()
            .filter(|c| c.mandatory && !c.archived && c.level.parse::<Level>().unwrap() <= level)
            .count() as i64
    };
    let coverage = app.get_json("/api/v1/reports/coverage", hr).await;
    let cov = |location: i32| {
        coverage
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["location_id"] == location)
            .unwrap()
            .clone()
    };
    let a_cov = cov(shop.a);
    // The colleague became a trainer above: five staff remain in A.
    let a_required =
        owed(Level::Trainee) + owed(Level::Senior) + owed(Level::Leader) + 2 * owed(Level::Barista);
    assert_eq!(a_cov["staff"], 5);
    assert_eq!(a_cov["required"], a_required, "{a_cov}");
    assert_eq!(a_cov["confirmed"], 1);
    let b_cov = cov(shop.b);
    assert_eq!(
        (b_cov["required"].as_i64(), b_cov["confirmed"].as_i64()),
        (Some(2 * owed(Level::Barista)), Some(0))
    );
    assert_eq!(b_cov["coverage"], 0.0);
    let own = app.get_json("/api/v1/reports/coverage", leader).await;
    assert_eq!(own.as_array().unwrap().len(), 1, "a leader sees their shop");
    let r = app.get("/api/v1/reports/coverage", a1_token).await;
    expect_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let cov_xlsx = app.get("/api/v1/reports/coverage.xlsx", hr).await;
    assert_eq!(cov_xlsx.status(), StatusCode::OK);

    // The people export, streamed: one row per person who took the test this quarter.
    let people = app.get("/api/v1/reports/people.csv", hr).await;
    assert_eq!(people.status(), StatusCode::OK);
    let bytes = people.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    let a1_line = lines.iter().find(|l| &l[2] == "a1").unwrap();
    assert_eq!(
        (&a1_line[5], &a1_line[6], &a1_line[7], &a1_line[8]),
        ("100", "100", "100", "да")
    );
    let mentor_line = lines.iter().find(|l| &l[2] == "mentor").unwrap();
    assert_eq!(&mentor_line[8], "нет");
    let leaders = app
        .get("/api/v1/reports/people.csv", leader)
        .await
        .bytes()
        .await
        .unwrap();
    let n = csv::Reader::from_reader(&leaders[3..]).records().count();
    assert_eq!(n, 3, "the leader's export holds their shop");
    let xlsx = app.get("/api/v1/reports/people.xlsx", hr).await;
    let mut book = Xlsx::new(Cursor::new(xlsx.bytes().await.unwrap().to_vec())).unwrap();
    let sheet = book.worksheet_range("Сотрудники").unwrap();
    assert_eq!(sheet.rows().count(), 5, "a header and four people");
    let a1_row = sheet
        .rows()
        .find(|r| r[2] == Data::String("a1".into()))
        .unwrap();
    assert_eq!(a1_row[5], Data::Float(100.0));
    let _ = a1_id;

    // A result override (an appeal): HR sets the wrong taker's attempt passed, with a
    // reason; reports follow at once; the audit log and the history keep it.
    let (mentor_id, _) = &shop.wrong;
    let attempt = latest_attempt(&app, *mentor_id).await;
    let path = format!("/api/v1/attempts/{attempt}/override");
    let r = app
        .call(
            Method::POST,
            &path,
            Some(a1_token),
            Some(json!({"passed": true, "reason": "x"})),
        )
        .await;
    expect_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = app
        .call(
            Method::POST,
            &path,
            Some(hr),
            Some(json!({"passed": true, "reason": " "})),
        )
        .await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    let r = app
        .call(
            Method::POST,
            &path,
            Some(hr),
            Some(json!({"passed": true, "reason": "Сбой планшета, апелляция принята"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let after = app
        .get_json("/api/v1/reports/results?by=location", hr)
        .await;
    assert_eq!(row(&after, shop.a)["pass_rate"], 100.0, "{after}");
    let log = app.get_json("/api/v1/audit", &admin).await;
    let entry = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "result_overridden")
        .unwrap();
    assert_eq!(entry["target_user_id"], *mentor_id);
    assert!(
        entry["detail"]
            .as_str()
            .unwrap()
            .contains("апелляция принята"),
        "{entry}"
    );
    let career = app
        .get_json(&format!("/api/v1/users/{mentor_id}/career"), hr)
        .await;
    assert!(
        career["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "result_overridden")
    );

    // Drill-down to an attempt: HR and the person's shop leader read its review; another
    // shop's leader and a colleague do not learn it exists.
    let (a1_id, _) = &shop.right[0];
    let attempt = latest_attempt(&app, *a1_id).await;
    let path = format!("/api/v1/attempts/{attempt}/review");
    for token in [hr, leader, &admin] {
        let r = app.get(&path, token).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    for token in [&cast.far_leader.token, &cast.colleague.token] {
        let r = app.get(&path, token).await;
        expect_problem(r, StatusCode::NOT_FOUND, "not_found").await;
    }
}

/// The person's newest quarterly attempt, from the report facts.
async fn latest_attempt(app: &TestApp, user_id: i32) -> i32 {
    let settled = zhmp::reports::storage::outbox::settle(&app.state.db)
        .await
        .unwrap();
    zhmp::reports::storage::facts::of_user(&settled, user_id)
        .await
        .unwrap()[0]
        .attempt_id
}
