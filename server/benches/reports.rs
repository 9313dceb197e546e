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

use common::{ms, percentile};
use rand::{Rng, SeedableRng};
use reqwest::Client;
use sea_orm::{EntityTrait, Set};
use zhmp::accounts::domain::token;
use zhmp::accounts::storage::{locations, sessions, users};
use zhmp::certification::domain::Quarter;
use zhmp::config::Config;
use zhmp::startup;

const LOCATIONS: usize = 50;
const QUARTERS: usize = 8;

async fn signed_in(state: &zhmp::state::AppState, user_id: i32) -> String {
    let raw = token::generate();
    sessions::insert(
        &state.db,
        user_id,
        token::hash(&raw),
        chrono::Utc::now() + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    raw
}

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
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let hash = state.hasher.hash("пароль-для-замеров").await.unwrap();
    let cards = zhmp::cards::storage::cards::all(&state.db).await.unwrap();
    let questions: Vec<String> = ["coffee", "service", "bar"]
        .iter()
        .map(|t| async {
            zhmp::quizzes::storage::questions::drawable(&state.db, t)
                .await
                .unwrap()
        })
        .collect::<futures_util::future::JoinAll<_>>()
        .await
        .into_iter()
        .flatten()
        .map(|q| q.id)
        .collect();
    let quarters: Vec<Quarter> = {
        let mut q = Quarter::containing(chrono::Utc::now());
        let mut all = vec![q];
        for _ in 1..QUARTERS {
            q = q.previous();
            all.push(q);
        }
        all
    };
    let levels = [
        "trainee", "barista", "barista", "barista", "senior", "senior", "leader",
    ];
    let mut leader_of_first = None;
    let mut staff = Vec::new();
    for l in 0..LOCATIONS {
        let location = locations::insert(&state.db, &format!("Кофейня №{l}"), "Москва")
            .await
            .unwrap()
            .id;
        for n in 0..staff_per_location {
            let level = if n == 0 {
                "leader"
            } else {
                levels[rng.random_range(0..levels.len())]
            };
            let login = format!("s{l}-{n}");
            let row = users::insert(
                &state.db,
                users::NewUser {
                    login: &login,
                    name: &format!("Сотрудник {l}-{n}"),
                    role: "staff",
                    level,
                    location_id: Some(location),
                    password_hash: hash.clone(),
                },
            )
            .await
            .unwrap();
            if l == 0 && n == 0 {
                leader_of_first = Some(row.id);
            }
            staff.push((row.id, location, level));
        }
    }
    // Results: every person, every quarter, three directions (a 90 % participation).
    use zhmp::reports::storage::entities::{attempt_result, question_result};
    let mut batch = Vec::new();
    let mut attempt_id = 0;
    for q in &quarters {
        let at =
            q.first_day().and_hms_opt(12, 0, 0).unwrap().and_utc() + chrono::Duration::days(30);
        for &(user, location, level) in &staff {
            if rng.random_bool(0.1) {
                continue;
            }
            attempt_id += 1;
            for track in ["coffee", "service", "bar"] {
                let percent: f64 = rng.random_range(30.0..100.0);
                batch.push(attempt_result::ActiveModel {
                    attempt_id: Set(attempt_id),
                    campaign_id: Set(1),
                    user_id: Set(user),
                    location_id: Set(Some(location)),
                    level: Set(level.to_owned()),
                    quarter: Set(q.code()),
                    track: Set(track.to_owned()),
                    percent: Set((percent * 10.0).round() / 10.0),
                    passed: Set(percent >= 70.0),
                    submitted_at: Set(at),
                    ..Default::default()
                });
                if batch.len() == 1000 {
                    attempt_result::Entity::insert_many(std::mem::take(&mut batch))
                        .exec(state.db.writer())
                        .await
                        .unwrap();
                }
            }
        }
    }
    if !batch.is_empty() {
        attempt_result::Entity::insert_many(batch)
            .exec(state.db.writer())
            .await
            .unwrap();
    }
    let results_rows = attempt_id * 3;
    // Question tallies: each location meets 300 of the questions every quarter.
    let mut tallies = Vec::new();
    let mut tally_rows = 0;
    for q in &quarters {
        for l in 0..LOCATIONS {
            let location = staff[l * staff_per_location].1;
            let share = 300.0 / questions.len() as f64;
            for question in &questions {
                if !rng.random_bool(share.min(1.0)) {
                    continue;
                }
                let answered: i64 = rng.random_range(1..12);
                tallies.push(question_result::ActiveModel {
                    quarter: Set(q.code()),
                    question_id: Set(question.clone()),
                    location_id: Set(location),
                    answered: Set(answered),
                    failed: Set(rng.random_range(0..=answered)),
                });
                tally_rows += 1;
                if tallies.len() == 1000 {
                    question_result::Entity::insert_many(std::mem::take(&mut tallies))
                        .exec(state.db.writer())
                        .await
                        .unwrap();
                }
            }
        }
    }
    if !tallies.is_empty() {
        question_result::Entity::insert_many(tallies)
            .exec(state.db.writer())
            .await
            .unwrap();
    }
    // Reading confirmations: each person has confirmed 20 cards.
    use zhmp::cards::storage::entities::ack;
    let mut acks = Vec::new();
    let mut ack_rows = 0;
    for &(user, _, _) in &staff {
        let share = 20.0 / cards.len() as f64;
        for c in &cards {
            if !rng.random_bool(share.min(1.0)) {
                continue;
            }
            acks.push(ack::ActiveModel {
                user_id: Set(user),
                card_id: Set(c.id.clone()),
                revision: Set(c.revision),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            });
            ack_rows += 1;
            if acks.len() == 1000 {
                ack::Entity::insert_many(std::mem::take(&mut acks))
                    .exec(state.db.writer())
                    .await
                    .unwrap();
            }
        }
    }
    if !acks.is_empty() {
        ack::Entity::insert_many(acks)
            .exec(state.db.writer())
            .await
            .unwrap();
    }
    // Certificates: half the staff hold one; a few lapsed.
    for &(user, _, level) in staff.iter().step_by(2) {
        let level = level
            .parse()
            .unwrap_or(zhmp::accounts::domain::Level::Barista);
        let cert = zhmp::certification::service::promotion::issue(
            &state,
            user,
            level,
            None,
            chrono::Utc::now(),
            "certificate_issued",
        )
        .await
        .unwrap();
        if rng.random_bool(0.05) {
            zhmp::certification::storage::end_certificate(
                &state.db,
                cert.id,
                "lapsed",
                chrono::Utc::now(),
                "missed",
            )
            .await
            .unwrap();
        }
    }
    let generated = started.elapsed();
    let hr_id = users::insert(
        &state.db,
        users::NewUser {
            login: "bench-hr",
            name: "HR",
            role: "hr",
            level: "senior",
            location_id: None,
            password_hash: hash.clone(),
        },
    )
    .await
    .unwrap()
    .id;
    let hr = signed_in(&state, hr_id).await;
    let leader = signed_in(&state, leader_of_first.unwrap()).await;
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
        "\n{backend}: {} staff in {LOCATIONS} locations, {results_rows} result rows, {tally_rows} question tallies, {ack_rows} confirmations; generated in {:.1} s\n",
        staff.len(),
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
                            user_id: Set(staff[0].0),
                            location_id: Set(Some(staff[0].1)),
                            level: Set("barista".into()),
                            quarter: Set(quarters[0].code()),
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
