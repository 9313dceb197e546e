//! Dashboards at chain scale: 5,000 staff in 50 locations with 8 quarters of results.
//!
//! `cargo bench --bench reports` imports the shipped content into a fresh SQLite database
//! (`ZHMP_BENCH_DATABASE_URL=postgres://…` for an empty PostgreSQL database), generates
//! the people, their quarterly results (3 directions × 8 quarters each), question tallies,
//! reading confirmations and certificates, serves the app, and times every report
//! endpoint and the dashboard page as HR (the whole chain) and as a shop leader: p50, p95
//! and max of 30 sequential requests after 3 warm-ups (target: p95 ≤ 200 ms), then the
//! people export once. `ZHMP_BENCH_STAFF=10000` for the export's 10,000 × 8 case.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::time::{Duration, Instant};

use common::chain::{LOCATIONS, signed_in};
use common::{ms, percentile};
use reqwest::Client;
use sea_orm::{EntityTrait, Set};
use zhmp::accounts::storage::users;
use zhmp::certification::domain::Quarter;
use zhmp::config::Config;
use zhmp::reports::storage::entities::attempt_result;
use zhmp::startup;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (url, backend) = common::database(dir.path());
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut config = Config::for_paths(&url, dir.path());
    config.content_dir = repo.join("content");
    config.quizzes_dir = repo.join("quizzes");
    let state = startup::prepare(config).await.unwrap();
    zhmp::cards::service::import::import(&state).await.unwrap();
    // `ZHMP_BENCH_STAFF` (default 5,000) people, spread over the 50 locations.
    let staff_per_location: usize = std::env::var("ZHMP_BENCH_STAFF")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(100, |n| (n / LOCATIONS).max(1));
    let started = Instant::now();
    let chain = common::chain::generate(&state, staff_per_location).await;
    let generated = started.elapsed();
    let hr_id = users::insert(
        &state.db,
        users::NewUser {
            login: "bench-hr",
            name: "HR",
            role: "hr",
            level: "senior",
            location_id: None,
            password_hash: chain.hash.clone(),
        },
    )
    .await
    .unwrap()
    .id;
    let hr = signed_in(&state, hr_id).await;
    let leader = signed_in(&state, chain.leader_of_first).await;
    let db = state.db.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(startup::serve(state, listener, std::future::pending()));
    let client = Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "\n{backend}: {} staff in {LOCATIONS} locations, {} result rows, {} question tallies, {} confirmations; generated in {:.1} s\n",
        chain.staff.len(),
        chain.results_rows,
        chain.tally_rows,
        chain.ack_rows,
        generated.as_secs_f64()
    );
    println!("| who | request | cache | p50 | p95 | max | bytes |\n|---|---|---|---|---|---|---|");
    let endpoints = [
        "/api/v1/reports/results?by=location,track",
        "/api/v1/reports/results?by=level,track",
        "/api/v1/reports/results?by=quarter,track",
        "/api/v1/reports/trends",
        "/api/v1/reports/trends.svg",
        "/api/v1/reports/weakest",
        "/api/v1/reports/coverage",
        "/api/v1/reports/results.xlsx?by=location,track",
        "/reports",
        "/api/v1/reports/certificates?list=expiring",
        "/api/v1/reports/certificates?list=lapsed",
        "/api/v1/reports/promotion-candidates",
        "/api/v1/reports/onboarding",
        "/hr",
    ];
    // Warm: nothing changes between requests, aggregates are reused. Cold: a new result
    // arrives before every request (a submission on any replica), so every aggregate is
    // computed again; coverage is kept for a minute either way.
    let mut fact = 10_000_000;
    for (who, token) in [("hr", &hr), ("leader", &leader)] {
        for path in endpoints {
            for cold in [false, true] {
                let mut times = Vec::new();
                let mut bytes = 0;
                for i in 0..33 {
                    if cold {
                        fact += 1;
                        attempt_result::Entity::insert(attempt_result::ActiveModel {
                            attempt_id: Set(fact),
                            campaign_id: Set(1),
                            user_id: Set(chain.staff[0].0),
                            location_id: Set(Some(chain.staff[0].1)),
                            level: Set("barista".into()),
                            quarter: Set(Quarter::containing(chrono::Utc::now()).code()),
                            track: Set("coffee".into()),
                            percent: Set(80.0),
                            passed: Set(true),
                            submitted_at: Set(chrono::Utc::now()),
                            ..Default::default()
                        })
                        .exec(db.writer())
                        .await
                        .unwrap();
                    }
                    let t = Instant::now();
                    let response = client
                        .get(format!("{base}{path}"))
                        .header("cookie", format!("zhmp_session={token}"))
                        .send()
                        .await
                        .unwrap();
                    assert!(
                        response.status().is_success(),
                        "{path}: {}",
                        response.status()
                    );
                    bytes = response.bytes().await.unwrap().len();
                    if i >= 3 {
                        times.push(t.elapsed());
                    }
                }
                times.sort();
                println!(
                    "| {who} | `{path}` | {} | {} | {} | {} | {bytes} |",
                    if cold { "cold" } else { "warm" },
                    ms(percentile(&times, 0.5)),
                    ms(percentile(&times, 0.95)),
                    ms(*times.last().unwrap())
                );
            }
        }
    }
    // The big export, once: every person × 8 quarters.
    for path in ["/api/v1/reports/people.csv", "/api/v1/reports/people.xlsx"] {
        let t = Instant::now();
        let body = client
            .get(format!("{base}{path}"))
            .header("cookie", format!("zhmp_session={hr}"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        println!(
            "| hr | `{path}` (once) | | {} | | | {} |",
            ms(t.elapsed()),
            body.len()
        );
    }
    // Server and client share this process: its peak resident memory bounds both.
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    println!(
        "\npeak memory of the bench process (server + client): {}",
        peak.trim()
    );
}
