//! The quarter's close as staff live it: start an attempt, autosave every answer, submit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};
use tokio::sync::Barrier;

pub const QUESTIONS: u32 = 15;

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

pub struct Step {
    pub name: &'static str,
    pub samples: Vec<Duration>,
    pub errors: usize,
}

/// A 15-question campaign (5 per direction) open now for everyone; its id.
pub async fn create_campaign(client: &Client, base: &str, admin: &str) -> i64 {
    let now = chrono::Utc::now();
    let per_track = QUESTIONS / 3;
    let campaign: Value = client
        .post(format!("{base}/api/v1/campaigns"))
        .bearer_auth(admin)
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
    campaign["id"].as_i64().expect("campaign created")
}

/// Everyone with a token starts, answers and submits (at one instant after a barrier, or
/// spread over `spread_ms`), every tenth person tapping submit twice. The steps' samples
/// and errors, in that order.
pub async fn run(
    client: &Client,
    base: &str,
    campaign: i64,
    tokens: Vec<String>,
    spread_ms: u64,
) -> [Step; 3] {
    let people = tokens.len();
    let barrier = Arc::new(Barrier::new(people));
    let mut tasks = Vec::new();
    for (n, token) in tokens.into_iter().enumerate() {
        let (client, base, barrier) = (client.clone(), base.to_owned(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let timed = |r: reqwest::Result<reqwest::Response>, t: Instant| match r {
                Ok(r) if r.status().is_success() => (t.elapsed(), true, Some(r)),
                Ok(r) => {
                    report_first_failure(r.url().path(), &r.status().to_string());
                    (t.elapsed(), false, Some(r))
                }
                Err(e) => {
                    report_first_failure("request", &e.to_string());
                    (t.elapsed(), false, None)
                }
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
                    // Everyone else waits for this person at the barrier.
                    barrier.wait().await;
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
    steps
}

/// Prints the first failed request of a run, so an error count comes with its cause.
fn report_first_failure(what: &str, why: &str) {
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !REPORTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        eprintln!("first failure: {what}: {why}");
    }
}
