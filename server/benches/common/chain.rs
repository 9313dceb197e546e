//! A coffee chain at scale for the benchmarks: people in locations with quarters of
//! results, question tallies, reading confirmations and certificates, written straight
//! into the database (the benchmarks are about reading them back, not about writing).

use rand::{Rng, SeedableRng};
use sea_orm::{EntityTrait, Set};
use zhmp::accounts::domain::token;
use zhmp::accounts::storage::{locations, sessions, users};
use zhmp::certification::domain::Quarter;
use zhmp::state::AppState;

pub const LOCATIONS: usize = 50;
pub const QUARTERS: usize = 8;
/// Every generated person's password.
pub const PASSWORD: &str = "пароль-для-замеров";

/// What was generated, for the report and for signing people in.
pub struct Chain {
    /// (user id, location id, level) of every person.
    pub staff: Vec<(i32, i32, &'static str)>,
    /// The leader of the first location.
    pub leader_of_first: i32,
    /// Everyone's password hash (one hash: argon2 per person would dominate the set-up).
    pub hash: String,
    pub results_rows: usize,
    pub tally_rows: usize,
    pub ack_rows: usize,
}

/// A session for `user_id` without a sign-in (and its argon2 cost).
pub async fn signed_in(state: &AppState, user_id: i32) -> String {
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

/// `staff_per_location` people in each of the `LOCATIONS`, with `QUARTERS` quarters of
/// results in three directions (90 % participation). The content must be imported first.
pub async fn generate(state: &AppState, staff_per_location: usize) -> Chain {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let hash = state.hasher.hash(PASSWORD).await.unwrap();
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
    // Past quarters' attempts are not stored, only their results: number them far above
    // any attempt the benchmark itself makes (results are unique per attempt and track).
    const FIRST_PAST_ATTEMPT: i32 = 1_000_000_000;
    let mut attempt_id = FIRST_PAST_ATTEMPT;
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
    let results_rows = (attempt_id - FIRST_PAST_ATTEMPT) * 3;
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
            state,
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
    Chain {
        staff,
        leader_of_first: leader_of_first.unwrap(),
        hash,
        results_rows: results_rows as usize,
        tally_rows,
        ack_rows,
    }
}
