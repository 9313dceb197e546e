//! Who may sign off and record what; certificate renewal, lapses, expiry and
//! recertification.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::careers::{self, Cast, item};
use crate::support::{TestApp, expect_problem};

on_both_backends!(
    every_sign_off_path_is_checked,
    certificates_renew_on_a_pass_and_expire_without_a_test,
    the_sweep_finishes_what_a_crash_interrupted
);

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.call(Method::POST, path, Some(token), Some(body)).await
}

async fn every_sign_off_path_is_checked(app: TestApp) {
    let cast = careers::setup(&app).await;
    let admin = app.admin_token().await;
    // A mentor from another shop: the assignment, not the shop, makes them the mentor.
    let Cast { far_leader, .. } = &cast;
    let id = careers::assign_internship(&app, &cast).await["id"]
        .as_i64()
        .unwrap();
    let skill = format!("/api/v1/assignments/{id}/items/espresso/signoffs");
    let event = format!("/api/v1/assignments/{id}/items/intro-day/attendance");
    let pass = json!({"passed": true});
    let today = json!({"date": app.state.clock.today()});

    for (who, token) in [
        ("the trainee themselves", &cast.trainee.token),
        ("a colleague who is not the mentor", &cast.colleague.token),
        ("the leader of another shop", &far_leader.token),
        ("a trainer", &cast.trainer.token),
    ] {
        let r = post(&app, token, &skill, pass.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "sign-off by {who}");
    }
    for (who, token) in [
        ("the assigned mentor", &cast.mentor.token),
        ("the shop leader", &cast.leader.token),
        ("HR", &cast.hr.token),
        ("an administrator", &admin),
    ] {
        let r = post(
            &app,
            token,
            &skill,
            json!({"passed": false, "practise": "Ещё раз"}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "sign-off by {who}");
    }
    let records = app
        .get_json(&format!("/api/v1/assignments/{id}"), &cast.hr.token)
        .await;
    let recorded: Vec<i64> = item(&records, "espresso")["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recorded_by"].as_i64().unwrap())
        .collect();
    assert_eq!(
        recorded.len(),
        4,
        "one record per allowed sign-off, none for refused ones"
    );
    assert_eq!(recorded[0], i64::from(cast.mentor.id));

    for (who, token) in [
        ("the trainee themselves", &cast.trainee.token),
        ("a colleague", &cast.colleague.token),
        ("the leader of another shop", &far_leader.token),
    ] {
        let r = post(&app, token, &event, today.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "attendance by {who}");
    }
    for token in [
        &cast.trainer.token,
        &cast.mentor.token,
        &cast.leader.token,
        &cast.hr.token,
    ] {
        let r = post(&app, token, &event, today.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    // Wrong kinds, unknown items and bad input are clear errors.
    let r = post(
        &app,
        &cast.mentor.token,
        &format!("/api/v1/assignments/{id}/items/intro-day/signoffs"),
        pass.clone(),
    )
    .await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "item");
    let r = post(
        &app,
        &cast.mentor.token,
        &format!("/api/v1/assignments/{id}/items/nope/signoffs"),
        pass.clone(),
    )
    .await;
    expect_problem(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = post(
        &app,
        &cast.mentor.token,
        &skill,
        json!({"passed": false, "criteria": [true]}),
    )
    .await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "criteria");
    let r = post(&app, &cast.mentor.token, &skill, json!({"passed": false})).await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        body["errors"][0]["field"], "practise",
        "a failure says what to practise"
    );
    let tomorrow = app.state.clock.today() + Duration::days(1);
    let r = post(&app, &cast.trainer.token, &event, json!({"date": tomorrow})).await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "date");

    // Assigning: HR and the shop leader; not a trainer, a colleague or another shop's leader.
    let assign = json!({"user_id": cast.colleague.id, "program_id": "intern", "start_date": app.state.clock.today()});
    for token in [
        &cast.trainer.token,
        &cast.colleague.token,
        &far_leader.token,
        &cast.trainee.token,
    ] {
        let r = post(&app, token, "/api/v1/assignments", assign.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let r = post(
        &app,
        &cast.leader.token,
        "/api/v1/assignments",
        assign.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = post(
        &app,
        &cast.hr.token,
        "/api/v1/assignments",
        json!({"user_id": cast.colleague.id, "program_id": "nope", "mentor_id": cast.colleague.id, "start_date": "2030-01-01"}),
    )
    .await;
    let body = expect_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["program_id", "mentor_id", "start_date"], "{body}");
    // Seeing an assignment: the person, the mentor, a trainer, the shop; not a colleague.
    let path = format!("/api/v1/assignments/{id}");
    for token in [
        &cast.trainee.token,
        &cast.mentor.token,
        &cast.trainer.token,
        &cast.leader.token,
    ] {
        assert_eq!(app.get(&path, token).await.status(), StatusCode::OK);
    }
    assert_eq!(
        app.get(&path, &cast.colleague.token).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&path, &far_leader.token).await.status(),
        StatusCode::FORBIDDEN
    );
}

/// Promotes the trainee straight through HR (rules met by fixture shortcuts).
async fn certify(app: &TestApp, cast: &Cast) -> Value {
    let id = careers::assign_internship(app, cast).await["id"]
        .as_i64()
        .unwrap();
    for card in ["guest-says-thanks", "espresso-shot"] {
        post(
            app,
            &cast.trainee.token,
            &format!("/api/v1/cards/{card}/ack"),
            json!({}),
        )
        .await;
    }
    let practice = app
        .call_json(
            Method::POST,
            &format!("/api/v1/assignments/{id}/items/service-practice/practice"),
            Some(&cast.trainee.token),
            None,
        )
        .await;
    careers::take(
        app,
        cast,
        &cast.trainee,
        practice["campaign_id"].as_i64().unwrap(),
        false,
    )
    .await;
    post(
        app,
        &cast.hr.token,
        &format!("/api/v1/assignments/{id}/items/intro-day/attendance"),
        json!({"date": app.state.clock.today()}),
    )
    .await;
    for skill in ["espresso", "greeting"] {
        post(
            app,
            &cast.mentor.token,
            &format!("/api/v1/assignments/{id}/items/{skill}/signoffs"),
            json!({"passed": true}),
        )
        .await;
    }
    let quarter = careers::quarterly_campaign(app, cast, -1, 24).await;
    careers::take(app, cast, &cast.trainee, quarter, false).await;
    let user = cast.trainee.id;
    post(
        app,
        &cast.hr.token,
        &format!("/api/v1/users/{user}/interviews"),
        json!({"level": "barista", "passed": true, "held_on": app.state.clock.today()}),
    )
    .await;
    let r = post(
        app,
        &cast.hr.token,
        &format!("/api/v1/users/{user}/promotion"),
        json!({"level": "barista"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    app.get_json(&format!("/api/v1/users/{user}/career"), &cast.hr.token)
        .await
}

async fn certificates_renew_on_a_pass_and_expire_without_a_test(app: TestApp) {
    let cast = careers::setup(&app).await;
    let first = certify(&app, &cast).await["certificate"].clone();
    assert_eq!(first["status"], "valid");

    // The next quarterly test, failed while open: all attempts used is a lapse at once...
    // but first, a pass renews: a new certificate, the old one marked renewed.
    let next = careers::quarterly_campaign(&app, &cast, 1, 24 * 5).await;
    app.state.clock.advance(Duration::hours(2));
    let passed = careers::take(&app, &cast, &cast.trainee, next, false).await;
    assert_eq!(passed["result"]["passed"], true);
    let swept = careers::sweep(&app).await;
    assert_eq!((swept.renewed, swept.lapsed), (1, 0), "{swept:?}");
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.trainee.token,
        )
        .await;
    let renewed = &career["certificate"];
    assert_ne!(renewed["id"], first["id"]);
    let old = career["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == first["id"])
        .unwrap();
    assert_eq!(old["status"], "renewed");

    // A failed next test lapses the certificate as soon as no attempt is left.
    let failing = careers::quarterly_campaign(&app, &cast, 1, 24 * 5).await;
    app.state.clock.advance(Duration::hours(2));
    let failed = careers::take(&app, &cast, &cast.trainee, failing, true).await;
    assert_eq!(failed["result"]["passed"], false);
    let swept = careers::sweep(&app).await;
    assert_eq!(swept.lapsed, 1, "{swept:?}");
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(career["lapsed"]["end_reason"], "failed", "{career}");
    assert_eq!(career["lapsed"]["id"], renewed["id"]);

    // Recertification: the programme assigned on the lapse, completed (its card is
    // already confirmed; a new quarterly test passed), certifies again at the same level.
    let recert = app
        .get_json("/api/v1/me/assignments", &cast.trainee.token)
        .await[0]
        .clone();
    assert_eq!(recert["program_id"], "recert");
    assert_eq!(
        careers::sweep(&app).await.recertified,
        0,
        "not before it is done"
    );
    let retake = careers::quarterly_campaign(&app, &cast, 1, 24 * 5).await;
    app.state.clock.advance(Duration::hours(2));
    let passed = careers::take(&app, &cast, &cast.trainee, retake, false).await;
    assert_eq!(passed["result"]["passed"], true);
    let swept = careers::sweep(&app).await;
    assert_eq!(swept.recertified, 1, "{swept:?}");
    let career = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(career["certificate"]["level"], "barista", "{career}");
    assert!(career["lapsed"].is_null());
    assert_eq!(careers::sweep(&app).await.recertified, 0, "once");

    // A certificate with no quarterly test before its end date: listed as expiring in
    // its last 30 days, then lapses as expired.
    let other = cast.colleague.id;
    let cert = zhmp::certification::service::promotion::issue(
        &app.state,
        other,
        zhmp::accounts::domain::Level::Barista,
        None,
        app.state.clock.now(),
        "certificate_issued",
    )
    .await
    .unwrap();
    let to_last_month = cert.valid_until - app.state.clock.now() - Duration::days(20);
    app.state.clock.advance(to_last_month);
    let expiring = app
        .get_json("/api/v1/reports/certificates?list=expiring", &cast.hr.token)
        .await;
    assert!(
        expiring
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == cert.id),
        "{expiring}"
    );
    let leaders = app
        .get_json(
            "/api/v1/reports/certificates?list=expiring",
            &cast.far_leader.token,
        )
        .await;
    assert!(
        leaders.as_array().unwrap().is_empty(),
        "another shop's leader sees none"
    );
    app.state.clock.advance(Duration::days(21));
    careers::sweep(&app).await;
    let career = app
        .get_json(&format!("/api/v1/users/{other}/career"), &cast.hr.token)
        .await;
    assert_eq!(career["lapsed"]["end_reason"], "expired", "{career}");
    let history: Vec<&str> = career["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(history.contains(&"certificate_lapsed"), "{history:?}");
}

/// A renewal or lapse is two writes; a process stopped between them is finished by the
/// next sweep (simulated here by making only the first write).
async fn the_sweep_finishes_what_a_crash_interrupted(app: TestApp) {
    use zhmp::certification::storage as certs;
    let cast = careers::setup(&app).await;
    let issue = |user| {
        zhmp::certification::service::promotion::issue(
            &app.state,
            user,
            zhmp::accounts::domain::Level::Barista,
            None,
            app.state.clock.now(),
            "certificate_issued",
        )
    };
    let renewed = issue(cast.trainee.id).await.unwrap();
    let lapsed = issue(cast.colleague.id).await.unwrap();
    let now = app.state.clock.now();
    assert!(
        certs::end_certificate(&app.state.db, renewed.id, certs::RENEWED, now, "renewed")
            .await
            .unwrap()
    );
    assert!(
        certs::end_certificate(&app.state.db, lapsed.id, certs::LAPSED, now, "missed")
            .await
            .unwrap()
    );
    careers::sweep(&app).await;
    let trainee = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(trainee["certificate"]["status"], "valid", "{trainee}");
    assert_ne!(trainee["certificate"]["id"], renewed.id);
    let colleague = app
        .get_json(
            &format!("/api/v1/users/{}/assignments", cast.colleague.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(colleague[0]["program_id"], "recert", "{colleague}");
    assert_eq!(colleague[0]["mentor_id"], cast.leader.id);
    // And only once.
    careers::sweep(&app).await;
    let again = app
        .get_json(
            &format!("/api/v1/users/{}/assignments", cast.colleague.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(again.as_array().unwrap().len(), 1);
    let certificates = app
        .get_json(
            &format!("/api/v1/users/{}/career", cast.trainee.id),
            &cast.hr.token,
        )
        .await;
    assert_eq!(certificates["certificates"].as_array().unwrap().len(), 2);
}
