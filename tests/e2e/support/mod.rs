//! Test harness: a real server on a random port over a fresh database.
//!
//! Every storage test runs on SQLite (a new file per test) and, when
//! `ZHMP_TEST_DATABASE_URL` points at a PostgreSQL server, again on a new PostgreSQL
//! database created for that test and dropped afterwards.

pub mod browser;
pub mod cards;
pub mod careers;
pub mod conformance;
pub mod quiz;

use std::path::PathBuf;

use reqwest::{Client, Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use zhmp::accounts::domain::{DisplayName, Level, Login, NewPassword, Role};
use zhmp::accounts::service::{bootstrap, people};
use zhmp::config::Config;
use zhmp::startup;
use zhmp::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn(TestApp)` once per backend, as `NAME::sqlite` and
/// `NAME::postgres` (the latter passes without running when PostgreSQL is not set up).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn($crate::support::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::support::TestApp::spawn($crate::support::Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

pub const PASSWORD: &str = "очень-надёжный-пароль";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub client: Client,
    pub admin_password: String,
    pub database_url: String,
    pub dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    postgres: Option<PgDatabase>,
}

impl TestApp {
    /// Starts the app; `None` for PostgreSQL when `ZHMP_TEST_DATABASE_URL` is unset.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, postgres) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("zhmp.db").display()),
                None,
            ),
            Backend::Postgres => {
                let pg = PgDatabase::create().await?;
                (pg.url.clone(), Some(pg))
            }
        };
        let mut app = TestApp::start(&database_url, dir).await;
        app.postgres = postgres;
        Some(app)
    }

    /// A second instance on this app's database, with its own data directory (so its own
    /// search index) and content directory: a replica.
    pub async fn replica(&self) -> TestApp {
        TestApp::start(&self.database_url, tempfile::tempdir().expect("temp dir")).await
    }

    async fn start(database_url: &str, dir: tempfile::TempDir) -> TestApp {
        let database_url = database_url.to_owned();
        let config = Config::for_paths(&database_url, dir.path());
        let state = startup::prepare(config).await.expect("app prepares");
        let admin_password = bootstrap::ensure_first_admin(&state)
            .await
            .expect("first admin")
            .map(|p| p.expose().to_owned())
            .unwrap_or_default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let (tx, rx) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let _ = startup::serve(serving, listener, async {
                let _ = rx.await;
            })
            .await;
        });
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        let app = TestApp {
            base,
            state,
            client,
            admin_password,
            database_url,
            dir,
            shutdown: Some(tx),
            postgres: None,
        };
        app.wait_until_ready().await;
        app
    }

    /// The server imports content before it accepts requests; wait for that.
    async fn wait_until_ready(&self) {
        for _ in 0..200 {
            if let Ok(response) = self.client.get(self.url("/readyz")).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("server at {} never became ready", self.base);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.state.config.content_dir.clone()
    }

    /// Sends a JSON request, with a bearer token when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request is sent")
    }

    /// [`call`](Self::call) and parse the JSON answer, whatever its status.
    pub async fn call_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        self.call(method, path, token, body)
            .await
            .json()
            .await
            .expect("JSON answer")
    }

    /// GET with a token, parsed as JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        self.call_json(Method::GET, path, Some(token), None).await
    }

    /// GET without credentials.
    pub async fn get_public(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login": login, "password": password})),
        )
        .await
    }

    pub async fn token(&self, login: &str, password: &str) -> String {
        let response = self.login(login, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {login}");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token("admin", &self.admin_password.clone()).await
    }

    /// Creates a person directly through the service layer (password [`PASSWORD`]).
    pub async fn add_user(
        &self,
        login: &str,
        role: Role,
        level: Level,
        location_id: Option<i32>,
    ) -> i32 {
        people::insert_validated(
            &self.state,
            &Login::parse(login).expect("login"),
            &DisplayName::parse(&format!("Тест {login}")).expect("name"),
            role,
            level,
            location_id,
            &NewPassword::parse(PASSWORD).expect("password"),
        )
        .await
        .expect("user inserted")
        .id
    }

    /// A signed-in person without a password (no argon2 hash to pay for): the raw
    /// token of a session inserted directly. For tests that need many people.
    pub async fn session_for(&self, login: &str, role: Role, level: Level) -> String {
        use zhmp::accounts::domain::token;
        use zhmp::accounts::storage::{sessions, users};
        let row = users::insert(
            &self.state.db,
            users::NewUser {
                login,
                name: login,
                role: role.as_str(),
                level: level.as_str(),
                location_id: None,
                password_hash: "no password".into(),
            },
        )
        .await
        .expect("user inserted");
        let raw = token::generate();
        let expires = chrono::Utc::now() + chrono::Duration::days(1);
        sessions::insert(&self.state.db, row.id, token::hash(&raw), expires)
            .await
            .expect("session inserted");
        raw
    }

    /// Imports the content directory now (the same as the watcher or SIGHUP would) and
    /// fails the test if any file has errors.
    pub async fn reload_content(&self) -> zhmp::cards::service::import::ImportSummary {
        let summary = self.reload_content_allowing_errors().await;
        let diagnostics = self.state.content.read().await.diagnostics.clone();
        assert_eq!(
            summary.errors, 0,
            "test content has errors: {diagnostics:?}"
        );
        summary
    }

    /// Imports the content directory now, whatever its errors.
    pub async fn reload_content_allowing_errors(
        &self,
    ) -> zhmp::cards::service::import::ImportSummary {
        zhmp::cards::service::import::import(&self.state)
            .await
            .expect("content imports")
    }

    /// Copies the good card and bank fixtures (tests/fixtures/{cards,quizzes}/good) into
    /// this app's content and quizzes directories and imports them.
    pub async fn load_fixture_content(&self) {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        copy_tree(&fixtures.join("cards/good"), &self.content_dir());
        copy_tree(
            &fixtures.join("quizzes/good"),
            &self.state.config.quizzes_dir,
        );
        self.reload_content().await;
    }

    pub async fn add_location(&self, name: &str) -> i32 {
        zhmp::accounts::storage::locations::insert(&self.state.db, name, "Москва")
            .await
            .expect("location inserted")
            .id
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(pg) = self.postgres.take() {
            pg.drop_blocking();
        }
    }
}

/// Asserts a problem+json answer with the given status and code; returns the body.
/// Copies every file under `from` into `to`, keeping sub-folders.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::create_dir_all(to).expect("target dir");
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The response's `content-type`, or "" when it has none.
pub fn content_type(response: &Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn expect_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status for expected «{code}»");
    assert_eq!(content_type(&response), "application/problem+json");
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert_eq!(body["type"], format!("urn:zhmp:problem:{code}"), "{body}");
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

/// A PostgreSQL database made for one test.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create() -> Option<PgDatabase> {
        let admin_url = std::env::var("ZHMP_TEST_DATABASE_URL").ok()?;
        if !admin_url.starts_with("postgres") {
            return None;
        }
        let name = format!("zhmp_t_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url)
            .await
            .expect("connect to ZHMP_TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        admin.close().await.ok();
        let url = match admin_url.rfind('/') {
            Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin_url[..slash]),
            _ => panic!(
                "ZHMP_TEST_DATABASE_URL must name a database, like postgres://user@host/test"
            ),
        };
        Some(PgDatabase {
            admin_url,
            name,
            url,
        })
    }

    /// Drop runs outside async context, so the database is dropped on a helper thread
    /// with its own runtime. FORCE ends the app's pooled connections.
    fn drop_blocking(self) {
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&self.admin_url).await.ok()?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        self.name
                    ))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}
