//! The `zhmp` binary: user management with the server running, config errors, help,
//! demo data, and a first start.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::on_both_backends;
use crate::support::{Backend, TestApp};

const CONFIG_VARS: &[&str] = &[
    "ZHMP_CONFIG",
    "ZHMP_ADDR",
    "ZHMP_DATABASE_URL",
    "ZHMP_CONTENT_DIR",
    "ZHMP_QUIZZES_DIR",
    "ZHMP_DATA_DIR",
    "ZHMP_LOG",
    "ZHMP_LOG_FORMAT",
    "ZHMP_SECURE_COOKIES",
];

pub(crate) fn zhmp() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhmp"));
    for var in CONFIG_VARS {
        command.env_remove(var);
    }
    command.env("ZHMP_LOG", "warn");
    command
}

/// Runs the binary against the test app's database with `stdin` as input.
pub(crate) fn run(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let mut child = zhmp()
        .args(args)
        .env("ZHMP_DATABASE_URL", &app.database_url)
        .env("ZHMP_DATA_DIR", app.dir.path())
        .env("ZHMP_CONTENT_DIR", app.dir.path().join("content"))
        .env("ZHMP_QUIZZES_DIR", app.dir.path().join("quizzes"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zhmp runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

on_both_backends!(
    user_add_and_passwd_work_while_the_server_runs,
    demo_accounts_can_sign_in
);

async fn user_add_and_passwd_work_while_the_server_runs(app: TestApp) {
    let shop = app.add_location("Кофейня у вокзала").await;
    let added = run(
        &app,
        &[
            "user",
            "add",
            "nina",
            "--role",
            "trainer",
            "--name",
            "Нина Петрова",
            "--location",
            "Кофейня у вокзала",
            "--level",
            "senior",
            "--password-stdin",
        ],
        "пароль-нины-2026\n",
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let login = app.login("nina", "пароль-нины-2026").await;
    assert_eq!(login.status(), StatusCode::OK);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["user"]["role"], "trainer");
    assert_eq!(body["user"]["level"], "senior");
    assert_eq!(body["user"]["location_id"], shop);

    let again = run(
        &app,
        &["user", "add", "nina", "--role", "staff", "--password-stdin"],
        "пароль-нины-2026\n",
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("уже занят"), "{}", stderr(&again));

    let short = run(
        &app,
        &["user", "add", "lev", "--role", "staff", "--password-stdin"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(
        stderr(&short).contains("не короче 10"),
        "{}",
        stderr(&short)
    );

    let unknown_role = run(
        &app,
        &["user", "add", "lev", "--role", "boss", "--password-stdin"],
        "пароль-льва-2026\n",
    );
    assert!(
        stderr(&unknown_role).contains("staff, trainer, hr, admin"),
        "{}",
        stderr(&unknown_role)
    );

    let nowhere = run(
        &app,
        &[
            "user",
            "add",
            "lev",
            "--role",
            "staff",
            "--location",
            "Луна",
            "--password-stdin",
        ],
        "пароль-льва-2026\n",
    );
    assert!(
        stderr(&nowhere).contains("Кофейня у вокзала"),
        "lists known locations: {}",
        stderr(&nowhere)
    );

    let token = app.token("nina", "пароль-нины-2026").await;
    let passwd = run(
        &app,
        &["user", "passwd", "nina", "--password-stdin"],
        "другой-пароль-нины\n",
    );
    assert!(passwd.status.success(), "{}", stderr(&passwd));
    assert_eq!(
        app.get("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED,
        "sessions ended"
    );
    assert_eq!(
        app.login("nina", "пароль-нины-2026").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("nina", "другой-пароль-нины").await.status(),
        StatusCode::OK
    );
}

async fn demo_accounts_can_sign_in(app: TestApp) {
    let output = run(&app, &["demo"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    let accounts: Vec<(String, String)> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("demo-"))
        .map(|l| {
            let login = l.split_whitespace().next().unwrap().to_owned();
            let password = l.rsplit("password: ").next().unwrap().trim().to_owned();
            (login, password)
        })
        .collect();
    let logins: Vec<&str> = accounts.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        logins,
        [
            "demo-staff",
            "demo-leader",
            "demo-trainer",
            "demo-hr",
            "demo-admin",
            "demo-trainee"
        ]
    );
    for (login, password) in &accounts {
        assert_eq!(
            app.login(login, password).await.status(),
            StatusCode::OK,
            "{login}"
        );
    }
    let locations = zhmp::accounts::storage::locations::list(&app.state.db)
        .await
        .unwrap();
    assert_eq!(locations.len(), 2);
    // Running it again creates nothing twice.
    assert!(run(&app, &["demo"], "").status.success());
    assert_eq!(
        zhmp::accounts::storage::locations::list(&app.state.db)
            .await
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn bad_configuration_fails_fast_with_a_clear_message() {
    let cases: [(&str, &str, &str); 4] = [
        ("ZHMP_ADDR", "not-an-address", "ZHMP_ADDR"),
        (
            "ZHMP_DATABASE_URL",
            "mysql://root@localhost/zhmp",
            "ZHMP_DATABASE_URL",
        ),
        ("ZHMP_LOG_FORMAT", "xml", "ZHMP_LOG_FORMAT"),
        ("ZHMP_LOG", "zhmp=loud", "ZHMP_LOG"),
    ];
    for (var, value, named) in cases {
        let output = zhmp().arg("migrate").env(var, value).output().unwrap();
        assert!(!output.status.success(), "{var}={value} accepted");
        let text = stderr(&output);
        assert!(
            text.contains("invalid configuration") && text.contains(named),
            "{var}: {text}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zhmp.toml");
    std::fs::write(&file, "addr = \"127.0.0.1:1\"\nlisten = true\n").unwrap();
    let output = zhmp()
        .args(["--config", file.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("zhmp.toml:2"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "passwd", "--help"],
        vec!["demo", "--help"],
    ] {
        let output = zhmp().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

/// The newcomer's path: start with no arguments in an empty directory, read the printed
/// password, sign in.
#[tokio::test]
async fn first_start_creates_an_admin_who_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::cli::ServerProcess::start(dir.path(), &[]);
    let (port, rx) = (server.port, &server.lines);
    let started = Instant::now();
    let mut password = None;
    let mut serving = false;
    while !(serving && password.is_some()) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(p) = line.trim().strip_prefix("password:") {
                password = Some(p.trim().to_owned());
            }
            serving |= line.contains("serving on");
        }
    }
    assert!(
        dir.path().join("data/zhmp.db").exists(),
        "SQLite file under ./data"
    );
    assert!(dir.path().join("content").is_dir() && dir.path().join("quizzes").is_dir());
    let client = reqwest::Client::new();
    let mut login = None;
    for _ in 0..50 {
        match client
            .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "admin", "password": password.clone().unwrap()}))
            .send()
            .await
        {
            Ok(response) => {
                login = Some(response.status());
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    assert_eq!(login, Some(StatusCode::OK));
}

#[tokio::test]
async fn migrate_command_prepares_a_database() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let output = run(&app, &["migrate"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("up to date"));
}

/// JSON logs: every line written while serving a request carries its request id, the same
/// one the response returns.
#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::cli::ServerProcess::start(
        dir.path(),
        &[("ZHMP_LOG_FORMAT", "json"), ("ZHMP_LOG", "info")],
    );
    let (port, rx) = (server.port, &server.lines);
    let client = reqwest::Client::new();
    let mut answered = None;
    for _ in 0..100 {
        let sent = client
            .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
            .header("x-request-id", "trace-me-42")
            .json(&serde_json::json!({"login": "nobody", "password": "неправильный-пароль"}))
            .send()
            .await;
        if let Ok(response) = sent {
            answered = Some(
                response.headers()["x-request-id"]
                    .to_str()
                    .unwrap()
                    .to_owned(),
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(answered.as_deref(), Some("trace-me-42"));
    let started = Instant::now();
    let mut tagged = Vec::new();
    while started.elapsed() < Duration::from_secs(10) && tagged.len() < 2 {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && line.contains("trace-me-42")
        {
            tagged
                .push(serde_json::from_str::<serde_json::Value>(&line).expect("log line is JSON"));
        }
    }
    let messages: Vec<&str> = tagged
        .iter()
        .filter_map(|l| l["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"failed login"),
        "the handler's own line is tagged: {messages:?}"
    );
    assert!(
        messages.contains(&"request"),
        "the access line is tagged: {messages:?}"
    );
    for line in &tagged {
        assert_eq!(line["span"]["request_id"], "trace-me-42", "{line}");
    }
}

/// A `zhmp` server process started in `dir` on a free port, with its stderr lines arriving
/// on a channel. Dropping it kills the process.
pub(crate) struct ServerProcess {
    pub child: std::process::Child,
    pub port: u16,
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl ServerProcess {
    pub(crate) fn start(dir: &std::path::Path, env: &[(&str, &str)]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = zhmp();
        command
            .current_dir(dir)
            .env("ZHMP_ADDR", format!("127.0.0.1:{port}"))
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        ServerProcess { child, port, lines }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Waits until the process answers `/readyz` with 200 (content imported, index built).
    pub(crate) async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log: Vec<String> = self.lines.try_iter().collect();
                panic!("the server exited with {status}: {log:#?}");
            }
            if let Ok(r) = client.get(self.url("/readyz")).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server on port {} never became ready", self.port);
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
