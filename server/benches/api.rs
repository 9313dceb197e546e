//! HTTP benchmarks against a real server on loopback.
//!
//! `cargo bench --bench api` runs the app in-process on a fresh SQLite database (or on
//! PostgreSQL with `ZHMP_BENCH_DATABASE_URL=postgres://…`, which must name an empty
//! database) and prints a Markdown table for docs/performance.md:
//!
//! - sign-in: sequential logins, dominated by argon2id (m = 19 MiB, t = 2);
//! - `GET /api/v1/me` with 16 concurrent clients: token lookup and JSON, the path every
//!   authenticated request shares.
//!
//! Timings are wall-clock latencies seen by the client, so run it on a quiet machine.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::json;
use zhmp::accounts::domain::{DisplayName, Level, Login, NewPassword, Role};
use zhmp::accounts::service::people;
use zhmp::config::Config;
use zhmp::startup;

const PASSWORD: &str = "пароль-для-замеров";
const LOGINS: usize = 40;
const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 500;

struct Summary {
    what: String,
    count: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
    per_second: f64,
}

fn summarise(what: &str, mut samples: Vec<Duration>, wall: Duration) -> Summary {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    Summary {
        what: what.to_owned(),
        count: samples.len(),
        p50: at(0.50),
        p99: at(0.99),
        max: *samples.last().expect("samples"),
        per_second: samples.len() as f64 / wall.as_secs_f64(),
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, backend) = common::database(dir.path());
    let state = startup::prepare(Config::for_paths(&url, dir.path()))
        .await
        .expect("app prepares");
    people::insert_validated(
        &state,
        &Login::parse("bench").unwrap(),
        &DisplayName::parse("Замер").unwrap(),
        Role::Staff,
        Level::Barista,
        None,
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .expect("bench user (the database must be empty)");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(startup::serve(state, listener, std::future::pending()));
    let client = Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let login = json!({"login": "bench", "password": PASSWORD});

    let mut samples = Vec::new();
    let mut token = String::new();
    let started = Instant::now();
    for _ in 0..LOGINS {
        let sent = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&login)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "login failed: {}",
            response.status()
        );
        let body: serde_json::Value = response.json().await.unwrap();
        samples.push(sent.elapsed());
        token = body["token"].as_str().unwrap().to_owned();
    }
    let logins = summarise(
        "POST /api/v1/auth/login, sequential",
        samples,
        started.elapsed(),
    );

    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let client = client.clone();
        let url = format!("{base}/api/v1/me");
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for _ in 0..REQUESTS_PER_CLIENT {
                let sent = Instant::now();
                let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
                assert!(response.status().is_success());
                response.bytes().await.unwrap();
                samples.push(sent.elapsed());
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.unwrap());
    }
    let me = summarise(
        &format!("GET /api/v1/me, {CLIENTS} concurrent clients"),
        samples,
        started.elapsed(),
    );

    println!(
        "backend: {backend}, cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| benchmark | requests | p50 | p99 | max | requests/s |");
    println!("|---|---|---|---|---|---|");
    for s in [logins, me] {
        println!(
            "| {} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} |",
            s.what,
            s.count,
            s.p50.as_secs_f64() * 1e3,
            s.p99.as_secs_f64() * 1e3,
            s.max.as_secs_f64() * 1e3,
            s.per_second
        );
    }
}
