//! The quarter closes: 500 people answer and submit at once.
//!
//! `cargo bench --bench submit` serves the shipped content and question banks on a fresh
//! SQLite database (`ZHMP_BENCH_DATABASE_URL=postgres://…` for an empty PostgreSQL
//! database), signs in `ZHMP_BENCH_PEOPLE` (default 500) staff, and has all of them
//! - start an attempt of a 15-question campaign at once,
//! - autosave every answer at once (15 PUTs each),
//! - submit at the same moment (a barrier), every tenth person tapping twice; with
//!   `ZHMP_BENCH_SPREAD_MS=N` each person submits at a random moment within N ms after
//!   the barrier instead (the close as it happens: within a few seconds, not one instant).
//!
//! Prints p50 / p99 / max per step and the error count (target: submit p99 ≤ 50 ms, no
//! errors). Client and server share the machine, so run it on a quiet one.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::time::{Duration, Instant};

use common::{ms, percentile};
use reqwest::Client;
use zhmp::accounts::domain::token;
use zhmp::accounts::storage::{sessions, users};
use zhmp::config::Config;
use zhmp::startup;

use common::quarter_close::{self, QUESTIONS};

/// A signed-in person without paying argon2 per person: the bench is about submitting.
async fn person(state: &zhmp::state::AppState, n: usize, role: &str, hash: &str) -> String {
    let login = format!("bench-{role}-{n}");
    let row = users::insert(
        &state.db,
        users::NewUser {
            login: &login,
            name: &login,
            role,
            level: "barista",
            location_id: None,
            password_hash: hash.to_owned(),
        },
    )
    .await
    .unwrap();
    let raw = token::generate();
    sessions::insert(
        &state.db,
        row.id,
        token::hash(&raw),
        chrono::Utc::now() + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    raw
}

#[tokio::main]
async fn main() {
    let spread_ms: u64 = std::env::var("ZHMP_BENCH_SPREAD_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let people: usize = std::env::var("ZHMP_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().unwrap();
    let (url, backend) = common::database(dir.path());
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut config = Config::for_paths(&url, dir.path());
    config.content_dir = repo.join("content");
    config.quizzes_dir = repo.join("quizzes");
    let state = startup::prepare(config).await.unwrap();
    zhmp::cards::service::import::import(&state).await.unwrap();
    let hash = state.hasher.hash("пароль-для-замеров").await.unwrap();
    let admin = person(&state, 0, "admin", &hash).await;
    let mut tokens = Vec::with_capacity(people);
    for n in 0..people {
        tokens.push(person(&state, n, "staff", &hash).await);
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(startup::serve(state, listener, std::future::pending()));
    let client = Client::builder()
        .pool_max_idle_per_host(people)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let campaign = quarter_close::create_campaign(&client, &base, &admin).await;
    let started = Instant::now();
    let mut steps = quarter_close::run(&client, &base, campaign, tokens, spread_ms).await;
    let wall = started.elapsed();
    println!(
        "{people} people, {QUESTIONS} questions each, submits spread over {spread_ms} ms; backend: {backend}; cores: {}; wall {:.1} s",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        wall.as_secs_f64()
    );
    println!("| step | requests | p50 | p99 | max | errors |");
    println!("|---|---|---|---|---|---|");
    for step in &mut steps {
        step.samples.sort();
        if step.samples.is_empty() {
            println!("| {} | 0 | – | – | – | {} |", step.name, step.errors);
            continue;
        }
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            step.name,
            step.samples.len(),
            ms(percentile(&step.samples, 0.50)),
            ms(percentile(&step.samples, 0.99)),
            ms(*step.samples.last().unwrap()),
            step.errors
        );
    }
}
