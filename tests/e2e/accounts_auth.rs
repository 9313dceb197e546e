//! Signing in and out, token expiry, and failed-login rate limiting.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::{PASSWORD, TestApp, expect_problem};
use zhmp::accounts::domain::{Level, Role};

on_both_backends!(
    login_returns_token_and_user,
    wrong_password_and_unknown_login_look_the_same,
    logout_revokes_the_token,
    expired_tokens_are_rejected_and_use_slides_expiry,
    failed_logins_are_rate_limited_per_login,
    failed_logins_are_rate_limited_per_address,
    deactivated_users_lose_their_sessions,
    own_password_change_requires_current_password,
);

async fn login_returns_token_and_user(app: TestApp) {
    app.add_user("anna", Role::Staff, Level::Barista, None)
        .await;
    let response = app.login("Anna", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 40);
    let expires =
        chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
    assert!((29..=30).contains(&days), "expires in {days} days");
    assert_eq!(body["user"]["login"], "anna");
    assert_eq!(body["user"]["role"], "staff");
    assert_eq!(body["user"]["level"], "barista");
    assert!(body["user"].get("password_hash").is_none());

    let me: Value = app.get_json("/api/v1/me", token).await;
    assert_eq!(me["login"], "anna");
    // The token is stored only as a hash.
    let stored = zhmp::accounts::storage::sessions::find_live(
        &app.state.db,
        &zhmp::accounts::domain::token::hash(token),
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .expect("session row");
    assert_ne!(stored.0.token_hash, token);
}

async fn wrong_password_and_unknown_login_look_the_same(app: TestApp) {
    app.add_user("boris", Role::Staff, Level::Trainee, None)
        .await;
    let wrong = expect_problem(
        app.login("boris", "неправильный-пароль").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = expect_problem(
        app.login("nobody", "неправильный-пароль").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong, unknown, "no hint whether the login exists");
    let anonymous = app.call(Method::GET, "/api/v1/me", None, None).await;
    expect_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let garbage = app.get("/api/v1/me", "not-a-token").await;
    expect_problem(garbage, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn logout_revokes_the_token(app: TestApp) {
    app.add_user("vera", Role::Trainer, Level::Senior, None)
        .await;
    let token = app.token("vera", PASSWORD).await;
    let other = app.token("vera", PASSWORD).await;
    let response = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&token), None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/me", &other).await.status(),
        StatusCode::OK,
        "other sessions live on"
    );
}

async fn expired_tokens_are_rejected_and_use_slides_expiry(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use zhmp::accounts::storage::entities::session;
    app.add_user("gleb", Role::Staff, Level::Barista, None)
        .await;
    let token = app.token("gleb", PASSWORD).await;
    let hash = zhmp::accounts::domain::token::hash(&token);
    let set_expiry = |at: chrono::DateTime<chrono::Utc>| {
        session::Entity::update_many()
            .col_expr(
                session::Column::ExpiresAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .filter(session::Column::TokenHash.eq(hash.clone()))
            .exec(app.state.db.writer())
    };
    // Used a day before expiry: the session slides forward to 30 days again.
    set_expiry(chrono::Utc::now() + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);
    let row = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash.clone()))
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert!(
        (row.expires_at - chrono::Utc::now()).num_days() >= 29,
        "expiry slid: {}",
        row.expires_at
    );
    // Past expiry: refused. The row is changed behind the server's back, as another
    // replica would; this instance trusts its token cache for up to a TTL, so forget it.
    set_expiry(chrono::Utc::now() - chrono::Duration::seconds(1))
        .await
        .unwrap();
    app.state.sessions.clear();
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

async fn failed_logins_are_rate_limited_per_login(app: TestApp) {
    app.add_user("dina", Role::Staff, Level::Barista, None)
        .await;
    for _ in 0..6 {
        let response = app.login("dina", "неправильный-пароль").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let refused_at = std::time::Instant::now();
    let limited = app.login("dina", "неправильный-пароль").await;
    // A refusal is held for a second, so a guessing loop gets one try per second per
    // connection (a lower bound: cannot flake on a slow machine).
    assert!(refused_at.elapsed() >= std::time::Duration::from_millis(950));
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    expect_problem(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // Even the right password waits: otherwise guessing could go on.
    assert_eq!(
        app.login("dina", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another login from the same address is not blocked by dina's failures.
    app.add_user("egor", Role::Staff, Level::Barista, None)
        .await;
    assert_eq!(app.login("egor", PASSWORD).await.status(), StatusCode::OK);
}

async fn failed_logins_are_rate_limited_per_address(app: TestApp) {
    app.add_user("zoya", Role::Staff, Level::Barista, None)
        .await;
    // Spread over many logins so no single login hits its own limit.
    for n in 0..21 {
        let response = app.login(&format!("guess{n}"), "неправильный-пароль").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let limited = app.login("zoya", PASSWORD).await;
    assert!(limited.headers().contains_key("retry-after"));
    expect_problem(limited, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}

async fn deactivated_users_lose_their_sessions(app: TestApp) {
    let id = app
        .add_user("ilya", Role::Staff, Level::Barista, None)
        .await;
    let token = app.token("ilya", PASSWORD).await;
    let admin = app.admin_token().await;
    let response = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    expect_problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_problem(
        app.login("ilya", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

async fn own_password_change_requires_current_password(app: TestApp) {
    app.add_user("kira", Role::Staff, Level::Barista, None)
        .await;
    let token = app.token("kira", PASSWORD).await;
    let elsewhere = app.token("kira", PASSWORD).await;
    let wrong = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": "не-тот-пароль", "new_password": "новый-пароль-2026"})),
        )
        .await;
    let body = expect_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let short = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "короткий"})),
        )
        .await;
    let body = expect_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    let ok = app
        .call(
            Method::PUT,
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "новый-пароль-2026"})),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        app.get("/api/v1/me", &elsewhere).await.status(),
        StatusCode::UNAUTHORIZED,
        "others end"
    );
    assert_eq!(
        app.login("kira", "новый-пароль-2026").await.status(),
        StatusCode::OK
    );
}
