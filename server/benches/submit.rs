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

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ms, percentile};
use reqwest::Client;
use serde_json::{Value, json};
use tokio::sync::Barrier;
use zhmp::accounts::domain::token;
use zhmp::accounts::storage::{sessions, users};
use zhmp::config::Config;
use zhmp::startup;

const QUESTIONS: u32 = 15;

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

/// Some answer of the right shape for a drawn question (marks do not matter here).
fn some_answer(q: &Value) -> Value {
    let n = |list: &str| q[list].as_array().map_or(0, Vec::len);
    match q["type"].as_str().unwrap_or_default() {
        "single" => json!({"choice": 0}),
        "multiple" => json!({"choices": [0]}),
        "true_false" => json!({"value": true}),
        "short" | "numeric" => json!({"text": "18"}),
        "ordering" => json!({"order": (0..n("items")).collect::<Vec<_>>()}),
        _ => json!({"matches": vec![Some(0); n("items")]}),
    }
}

struct Step {
    name: &'static str,
    samples: Vec<Duration>,
    errors: usize,
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
    let now = chrono::Utc::now();
    let per_track = QUESTIONS / 3;
    let campaign: Value = client
        .post(format!("{base}/api/v1/campaigns"))
        .bearer_auth(&admin)
        .json(&json!({
            "title": "Замер: конец квартала",
            "opens_at": now - chrono::Duration::hours(1),
            "closes_at": now + chrono::Duration::days(1),
            "audience": {},
            "blueprint": {"coffee": per_track, "service": per_track, "bar": per_track},
            "time_limit_minutes": 60,
            "pass_percent": {"coffee": 60, "service": 60, "bar": 60, "overall": 60},
            "attempts_allowed": 1
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let campaign = campaign["id"].as_i64().expect("campaign created");

    let barrier = Arc::new(Barrier::new(people));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, token) in tokens.into_iter().enumerate() {
        let (client, base, barrier) = (client.clone(), base.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let timed = |r: reqwest::Result<reqwest::Response>, t: Instant| match r {
                Ok(r) if r.status().is_success() => (t.elapsed(), true, Some(r)),
                Ok(r) => (t.elapsed(), false, Some(r)),
                Err(_) => (t.elapsed(), false, None),
            };
            let mut out = [Vec::new(), Vec::new(), Vec::new()];
            let mut errors = [0usize; 3];
            let t = Instant::now();
            let sent = client
                .post(format!("{base}/api/v1/campaigns/{campaign}/attempts"))
                .bearer_auth(&token)
                .send()
                .await;
            let (took, ok, response) = timed(sent, t);
            out[0].push(took);
            let attempt: Value = match (ok, response) {
                (true, Some(r)) => r.json().await.unwrap_or_default(),
                _ => {
                    errors[0] += 1;
                    return (out, errors);
                }
            };
            let id = attempt["id"].as_i64().unwrap_or_default();
            for q in attempt["questions"].as_array().cloned().unwrap_or_default() {
                let t = Instant::now();
                let sent = client
                    .put(format!(
                        "{base}/api/v1/attempts/{id}/answers/{}",
                        q["question_id"].as_str().unwrap_or_default()
                    ))
                    .bearer_auth(&token)
                    .json(&some_answer(&q))
                    .send()
                    .await;
                let (took, ok, _) = timed(sent, t);
                out[1].push(took);
                errors[1] += usize::from(!ok);
            }
            barrier.wait().await;
            if spread_ms > 0 {
                // Spread deterministically over the window: person n of N at n/N of it.
                let at = spread_ms * n as u64 / people as u64;
                tokio::time::sleep(Duration::from_millis(at)).await;
            }
            let taps = if n % 10 == 0 { 2 } else { 1 };
            for _ in 0..taps {
                let t = Instant::now();
                let sent = client
                    .post(format!("{base}/api/v1/attempts/{id}/submit"))
                    .bearer_auth(&token)
                    .send()
                    .await;
                let (took, ok, _) = timed(sent, t);
                out[2].push(took);
                errors[2] += usize::from(!ok);
            }
            (out, errors)
        }));
    }
    let mut steps = [
        Step {
            name: "start an attempt",
            samples: Vec::new(),
            errors: 0,
        },
        Step {
            name: "autosave an answer",
            samples: Vec::new(),
            errors: 0,
        },
        Step {
            name: "submit",
            samples: Vec::new(),
            errors: 0,
        },
    ];
    for task in tasks {
        let (samples, errors) = task.await.unwrap();
        for (i, (s, e)) in samples.into_iter().zip(errors).enumerate() {
            steps[i].samples.extend(s);
            steps[i].errors += e;
        }
    }
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
