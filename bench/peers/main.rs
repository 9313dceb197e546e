//! zhmp against its peers on one machine, end to end: `bench/run` (or `cargo bench
//! --bench peers`). Builds a 10,000-card, 5,000-person dataset, starts the release zhmp
//! binary on it, drives it over HTTP, and measures the same work done by what a chain
//! would otherwise use: PostgreSQL full-text search, and nginx serving the same JSON as
//! static files. Prints one Markdown table (docs/performance.md, «Against the peers»).
//!
//! `ZHMP_BENCH_DATABASE_URL` (an empty PostgreSQL database) adds the PostgreSQL rows
//! (FTS peer, submissions on PostgreSQL); without it they are reported as skipped.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../server/benches/common/mod.rs"]
mod common;
mod dataset;
mod flood;
mod peers;
mod process;
mod report;

use std::path::Path;
use std::time::{Duration, Instant};

use common::load::{closed_loop, urlencode};
use common::quarter_close;
use report::{Report, Row};
use reqwest::Client;
use serde_json::Value;

/// How long each load phase runs.
const PHASE: Duration = Duration::from_secs(8);
const SEARCH_CLIENTS: usize = 16;

#[tokio::main]
async fn main() {
    let begun = Instant::now();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scratch = tempfile::tempdir().expect("scratch dir");
    if std::env::var_os("ZHMP_BENCH_KEEP").is_some() {
        // For a post-mortem: the data, the content and each server's log (zhmp.log).
        eprintln!("peers: keeping {}", scratch.path().display());
    }
    let content = scratch.path().join("content");
    let shipped = dataset::content(&repo, &content).expect("content");
    let quizzes = repo.join("quizzes");
    let mut report = Report::new(shipped);

    // The dataset, on SQLite (the embedded default).
    let sqlite_dir = scratch.path().join("sqlite");
    std::fs::create_dir_all(&sqlite_dir).unwrap();
    let url = format!("sqlite://{}", sqlite_dir.join("zhmp.db").display());
    let data = dataset::prepare(&url, &sqlite_dir, &content, &repo).await;
    report.dataset(&data, "SQLite");

    // Cold start: the database holds the cards, the search index is gone: the server
    // reads and checks all 10,000 files and builds the index before it says ready.
    std::fs::remove_dir_all(sqlite_dir.join("search")).expect("index dir");
    let server = process::zhmp(&url, &sqlite_dir, &content, &quizzes).await;
    let (rss, start_peak) = server.rss_mib();
    report.push(Row::once(
        "cold start: read, check and index 10,000 cards, to ready",
        server.started_in,
        "≤ 3 s",
    ));
    report.push(Row::memory("RSS at ready", rss, "≤ 150 MB"));
    report.push(Row::memory(
        "peak RSS during the cold start (import + index rebuild)",
        start_peak,
        "≤ 150 MB",
    ));
    // RSS settles once the start-up's freed memory is handed back: read it a second later.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (settled, _) = server.rss_mib();
    report.push(Row::memory("RSS 1 s after ready", settled, "≤ 150 MB"));
    server.reset_peak();
    let mut phase_peaks: Vec<(String, f64)> = Vec::new();
    let base = server.base.clone();
    let client = Client::builder()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();

    // Search: zhmp over HTTP, and PostgreSQL FTS on the same cards and queries.
    let queries: Vec<&'static str> = dataset::QUERIES.iter().map(|(q, _)| *q).collect();
    if wanted("search") {
        progress("search");
        let zhmp_top3 = top3(dataset::QUERIES, |q| {
            zhmp_ids(&client, &base, &data.reader, q)
        })
        .await;
        let search = search_load(&client, &base, &data.reader, &queries, false).await;
        let unique = search_load(&client, &base, &data.reader, &queries, true).await;
        let pg = match std::env::var("ZHMP_BENCH_DATABASE_URL") {
            Ok(pg_url) => {
                let docs = docs(&content);
                let fts = peers::PgFts::load(&pg_url, &docs).await;
                let top3 = top3(dataset::QUERIES, |q| {
                    let fts = &fts;
                    async move { fts.search(q).await.unwrap_or_default() }
                })
                .await;
                Some((fts.drive(&queries, PHASE).await, top3))
            }
            Err(_) => None,
        };
        report.search(&search, &unique, zhmp_top3, pg.as_ref());
        phase_peak(&server, "search", &mut phase_peaks);
        if wanted("flood") {
            // A login flood while search runs: from one address, and from many.
            for (name, spread) in [("from one address", false), ("from 4,096 addresses", true)] {
                let (searched, flood) =
                    flood::during_search(&client, &base, &data.reader, &queries, spread).await;
                progress(name);
                report.flood(name, &searched, &flood, search.p(0.99));
                phase_peak(&server, &format!("the flood {name}"), &mut phase_peaks);
            }
        }
    }

    // Card JSON and the card page vs nginx serving the same JSON as static files.
    if wanted("cards") {
        progress("cards");
        let ids = card_ids(&content, 2000);
        let root = scratch.path().join("static");
        for id in &ids {
            let body = client
                .get(format!("{base}/api/v1/cards/{id}"))
                .bearer_auth(&data.reader)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let file = root.join("api/v1/cards").join(id);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, body).unwrap();
        }
        let json_paths: Vec<String> = ids.iter().map(|id| format!("/api/v1/cards/{id}")).collect();
        let page_paths: Vec<String> = ids.iter().map(|id| format!("/cards/{id}")).collect();
        let nginx_dir = scratch.path().join("nginx");
        std::fs::create_dir_all(&nginx_dir).unwrap();
        let nginx = process::nginx(&root, &nginx_dir).await;
        let seconds = PHASE.as_secs() as u32;
        let static_json = peers::wrk(&nginx.base, &json_paths, None, 64, seconds, scratch.path());
        drop(nginx);
        let bearer = format!("Authorization: Bearer {}", data.reader);
        let card_json = peers::wrk(
            &base,
            &json_paths,
            Some(&bearer),
            64,
            seconds,
            scratch.path(),
        );
        let cookie = format!("Cookie: zhmp_session={}", data.reader);
        let card_page = peers::wrk(
            &base,
            &page_paths,
            Some(&cookie),
            64,
            seconds,
            scratch.path(),
        );
        report.cards(&static_json, &card_json, &card_page);
        phase_peak(&server, "card JSON and pages", &mut phase_peaks);
    }

    // The quarter's close: 500 people submit at the same instant.
    if wanted("submit") {
        progress("submit (SQLite)");
        let campaign = quarter_close::create_campaign(&client, &base, &data.admin).await;
        let steps = quarter_close::run(&client, &base, campaign, data.submitters.clone(), 0).await;
        report.submits("SQLite", &steps);
        phase_peak(&server, "the submissions", &mut phase_peaks);
    }
    let peak = phase_peaks.iter().map(|(_, p)| *p).fold(0.0, f64::max);
    report.push(Row::memory(
        "peak RSS under load, after start (SQLite server)",
        peak,
        "≤ 150 MB",
    ));
    let phases: Vec<String> = phase_peaks
        .iter()
        .map(|(name, p)| format!("{name} {p:.0} MiB"))
        .collect();
    report.note(format!("Peak RSS by phase: {}.", phases.join("; ")));
    drop(server);

    // The same close on PostgreSQL, with the same dataset.
    if !wanted("submit") {
    } else if let Ok(pg_url) = std::env::var("ZHMP_BENCH_DATABASE_URL") {
        progress("submit (PostgreSQL)");
        let pg_dir = scratch.path().join("postgres");
        std::fs::create_dir_all(&pg_dir).unwrap();
        let data = dataset::prepare(&pg_url, &pg_dir, &content, &repo).await;
        report.dataset(&data, "PostgreSQL");
        let server = process::zhmp(&pg_url, &pg_dir, &content, &quizzes).await;
        let campaign = quarter_close::create_campaign(&client, &server.base, &data.admin).await;
        let steps = quarter_close::run(&client, &server.base, campaign, data.submitters, 0).await;
        report.submits("PostgreSQL", &steps);
    } else {
        report.skipped("submissions on PostgreSQL (set ZHMP_BENCH_DATABASE_URL)");
    }
    report.print(begun.elapsed());
    if std::env::var_os("ZHMP_BENCH_KEEP").is_some() {
        let _ = scratch.keep();
    }
}

/// Phases named on the command line (`bench/run search cards`), or all of them.
fn wanted(phase: &str) -> bool {
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    named.is_empty() || named.iter().any(|n| n == phase)
}

fn progress(phase: &str) {
    eprintln!("peers: {phase}");
}

/// 16 clients cycling through the queries for one phase. With `unique`, every request
/// carries a distinct number as an extra word, so none is answered from the results cache.
async fn search_load(
    client: &Client,
    base: &str,
    token: &str,
    queries: &[&str],
    unique: bool,
) -> common::load::Stats {
    let urls: Vec<String> = queries
        .iter()
        .map(|q| format!("{base}/api/v1/search?q={}", urlencode(q)))
        .collect();
    let (client, token) = (client.clone(), token.to_owned());
    closed_loop(SEARCH_CLIENTS, PHASE, move |worker, n| {
        let mut url = urls[(worker + n) % urls.len()].clone();
        if unique {
            url.push_str(&format!("%20{}", worker * 1_000_000 + n + 100_000));
        }
        let request = client.get(url).bearer_auth(&token);
        async move {
            match request.send().await {
                Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await
}

async fn zhmp_ids(client: &Client, base: &str, token: &str, query: &str) -> Vec<String> {
    let answer: Value = client
        .get(format!("{base}/api/v1/search?q={}", urlencode(query)))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["hits"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// How many queries have their intended card among the first three results.
async fn top3<F, Fut>(queries: &[(&'static str, &'static str)], search: F) -> usize
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Vec<String>>,
{
    let mut found = 0;
    for &(query, card) in queries {
        let ids = search(query).await;
        found += usize::from(ids.iter().take(3).any(|id| id == card));
    }
    found
}

/// The search documents of every card, as zhmp builds them.
fn docs(content: &Path) -> Vec<zhmp::search::SearchDoc> {
    let files = zhmp::cards::service::import::read_dir(content).expect("content");
    let (cards, _) = zhmp::cards::domain::check_corpus(&files);
    cards
        .iter()
        .map(|(_, card)| zhmp::cards::service::index_sync::search_doc(card))
        .collect()
}

/// `n` card ids, the shipped ones first.
fn card_ids(content: &Path, n: usize) -> Vec<String> {
    let mut ids: Vec<String> = docs(content).into_iter().map(|d| d.id).collect();
    ids.sort_by_key(|id| (id.starts_with("synthetic-"), id.clone()));
    ids.truncate(n);
    ids
}

/// The peak RSS since the last call (or since start), recorded under `phase`.
fn phase_peak(server: &process::Server, phase: &str, peaks: &mut Vec<(String, f64)>) {
    let (_, peak) = server.rss_mib();
    let (anon, files) = server.rss_split_mib();
    eprintln!("peers: {phase}: peak {peak:.0} MiB; now anonymous {anon:.0}, files {files:.0} MiB");
    peaks.push((phase.to_owned(), peak));
    server.reset_peak();
}
