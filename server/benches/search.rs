//! Search at scale: a 10,000-card synthetic corpus.
//!
//! `cargo bench --bench search` measures
//! - cold start: parse + validate all files, and build the search index from them
//!   (target ≤ 3 s), and separately the first full import into the database;
//! - search over HTTP with 16 concurrent clients on a mixed query set (single words,
//!   word forms, typos, questions, filters): p50, p99, max (target p99 ≤ 5 ms).
//!
//! `ZHMP_BENCH_CARDS` changes the corpus size; `ZHMP_BENCH_DATABASE_URL` runs on
//! PostgreSQL (an empty database).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::time::{Duration, Instant};

use common::load::urlencode;
use common::{ms, percentile};
use reqwest::Client;
use zhmp::accounts::domain::{DisplayName, Level, Login, NewPassword, Role};
use zhmp::accounts::service::people;
use zhmp::cards::domain::check_corpus;
use zhmp::cards::service::index_sync::search_doc;
use zhmp::cards::synthetic;
use zhmp::config::Config;
use zhmp::search::SearchIndex;
use zhmp::startup;

const CLIENTS: usize = 16;
const SEARCHES_PER_CLIENT: usize = 400;
const QUERIES: &[&str] = &[
    "капучино",
    "гостю",
    "пролил американо",
    "что делать если гость пролил кофе",
    "молоко температура",
    "капучмно",
    "аллергены десерт",
    "мелочью",
    "туалет",
    "очередь",
    "ntktajy",
    "паровая трубка",
    "день рождения",
    "обжарка зерна",
    "извинитесь",
    "счёт отдельно",
];

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("ZHMP_BENCH_CARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    synthetic::write_corpus(&content, count, 1).unwrap();

    // Cold start, the part the target speaks of: read + parse + validate, then index.
    let started = Instant::now();
    let files = zhmp::cards::service::import::read_dir(&content).unwrap();
    let (cards, diagnostics) = check_corpus(&files);
    let parsed = started.elapsed();
    assert_eq!(cards.len(), count, "{:?}", diagnostics.first());
    let index = SearchIndex::open_or_create(&dir.path().join("cold-index")).unwrap();
    let docs = cards.iter().map(|(_, card)| search_doc(card)).collect();
    index.rebuild(docs, "bench").unwrap();
    let cold = started.elapsed();
    drop(index);

    // The first full import into a database, for the record.
    let (url, backend) = common::database(dir.path());
    let mut config = Config::for_paths(&url, dir.path());
    config.content_dir = content.clone();
    let state = startup::prepare(config).await.unwrap();
    let started = Instant::now();
    let summary = zhmp::cards::service::import::import(&state).await.unwrap();
    let first_import = started.elapsed();
    assert_eq!(summary.created, count);
    let started = Instant::now();
    let again = zhmp::cards::service::import::import(&state).await.unwrap();
    let unchanged_import = started.elapsed();
    assert_eq!(again.unchanged, count);

    people::insert_validated(
        &state,
        &Login::parse("bench").unwrap(),
        &DisplayName::parse("Замер").unwrap(),
        Role::Staff,
        Level::Barista,
        None,
        &NewPassword::parse("пароль-для-замеров").unwrap(),
    )
    .await
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(startup::serve(state, listener, std::future::pending()));
    let client = Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let token = loop {
        let sent = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "bench", "password": "пароль-для-замеров"}))
            .send()
            .await;
        if let Ok(response) = sent {
            let body: serde_json::Value = response.json().await.unwrap();
            break body["token"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    let urls: Vec<String> = QUERIES
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let filter = if n % 4 == 0 { "&track=service" } else { "" };
            format!("{base}/api/v1/search?q={}{filter}", urlencode(q))
        })
        .collect();
    // Warm up caches the way a running server has them.
    for url in &urls {
        client.get(url).bearer_auth(&token).send().await.unwrap();
    }
    let repeated = drive(&client, &token, &urls, false).await;
    let unique = drive(&client, &token, &urls, true).await;

    println!(
        "corpus: {count} cards, {} files; backend: {backend}; cores: {}",
        files.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| measure | value |");
    println!("|---|---|");
    println!("| parse + validate {count} cards | {} |", ms(parsed));
    println!("| cold start: parse + build index | {} |", ms(cold));
    println!(
        "| first import into {backend} (parse, store revisions, index) | {} |",
        ms(first_import)
    );
    println!("| re-import, nothing changed | {} |", ms(unchanged_import));
    for (name, run) in [
        ("repeated query set (cache warm)", &repeated),
        ("every query unique (no cache hits)", &unique),
    ] {
        println!(
            "| search, {CLIENTS} clients, {name}, {} requests: p50 / p99 / max | {} / {} / {} |",
            run.samples.len(),
            ms(percentile(&run.samples, 0.50)),
            ms(percentile(&run.samples, 0.99)),
            ms(*run.samples.last().unwrap())
        );
        println!(
            "| searches per second, {name} | {:.0} |",
            run.samples.len() as f64 / run.wall.as_secs_f64()
        );
    }
}

struct Run {
    samples: Vec<Duration>,
    wall: Duration,
}

/// `CLIENTS` concurrent clients cycling through `urls`. With `unique`, each request adds a
/// distinct number to its query, so no two requests share a cache entry.
async fn drive(client: &Client, token: &str, urls: &[String], unique: bool) -> Run {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CLIENTS {
        let (client, token, urls) = (client.clone(), token.to_owned(), urls.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(SEARCHES_PER_CLIENT);
            for n in 0..SEARCHES_PER_CLIENT {
                let mut url = urls[(worker + n) % urls.len()].clone();
                if unique {
                    let marker = format!("?q={}%20", worker * SEARCHES_PER_CLIENT + n + 100_000);
                    url = url.replacen("?q=", &marker, 1);
                }
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
    let wall = started.elapsed();
    samples.sort();
    Run { samples, wall }
}
