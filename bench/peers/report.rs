//! The run's findings as one Markdown table: each scenario, zhmp's figure, the peer's
//! figure where there is one, the target, and whether it is met.

use std::time::Duration;

use crate::common::load::Stats;
use crate::common::percentile;
use crate::common::quarter_close::Step;
use crate::dataset::{self, Prepared};
use crate::flood::Flood;
use crate::peers::Wrk;

pub struct Row {
    scenario: String,
    zhmp: String,
    peer: String,
    target: String,
    met: Option<bool>,
}

impl Row {
    pub fn once(scenario: &str, took: Duration, target: &str) -> Row {
        let limit = Duration::from_secs(3);
        Row::new(scenario, secs(took), "", target, Some(took <= limit))
    }

    /// A memory reading against the 150 MB: decimal megabytes, which is 143 MiB.
    pub fn memory(scenario: &str, mib: f64, target: &str) -> Row {
        let mb = mib * 1024.0 * 1024.0 / 1e6;
        Row::new(
            scenario,
            format!("{mib:.0} MiB ({mb:.0} MB)"),
            "",
            target,
            Some(mb <= 150.0),
        )
    }

    fn new(scenario: &str, zhmp: String, peer: &str, target: &str, met: Option<bool>) -> Row {
        Row {
            scenario: scenario.to_owned(),
            zhmp,
            peer: peer.to_owned(),
            target: target.to_owned(),
            met,
        }
    }
}

pub struct Report {
    notes: Vec<String>,
    rows: Vec<Row>,
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn latency(stats: &Stats) -> String {
    format!(
        "p50 {} / p95 {} / p99 {} ms; {:.0}/s; {} errors",
        ms(stats.p(0.50)),
        ms(stats.p(0.95)),
        ms(stats.p(0.99)),
        stats.per_second(),
        stats.errors
    )
}

fn wrk(w: &Wrk) -> String {
    format!(
        "{:.0} req/s; p50 {} / p99 {} ms; {} errors",
        w.per_second,
        ms(w.p50),
        ms(w.p99),
        w.errors
    )
}

impl Report {
    pub fn new(shipped: usize) -> Report {
        Report {
            notes: vec![format!(
                "Cards: {} ({shipped} shipped + {} synthetic); staff: {} in 50 locations, 8 quarters.",
                dataset::CARDS,
                dataset::CARDS - shipped,
                dataset::STAFF
            )],
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    pub fn dataset(&mut self, data: &Prepared, backend: &str) {
        self.notes.push(format!(
            "{backend}: first import of 10,000 cards {}; chain generated in {} ({} result rows).",
            secs(data.first_import),
            secs(data.generated),
            data.result_rows
        ));
    }

    pub fn note(&mut self, text: String) {
        self.notes.push(text);
    }

    pub fn skipped(&mut self, what: &str) {
        self.notes.push(format!("Skipped: {what}."));
    }

    pub fn search(
        &mut self,
        cached: &Stats,
        unique: &Stats,
        top3: usize,
        pg: Option<&(Stats, usize)>,
    ) {
        let total = dataset::QUERIES.len();
        let peer = pg.map_or(
            "skipped (no ZHMP_BENCH_DATABASE_URL)".to_owned(),
            |(s, _)| format!("PostgreSQL FTS: {}", latency(s)),
        );
        for (name, stats) in [
            ("search, 16 clients, the fixed query set", cached),
            (
                "search, 16 clients, every query new (results cache bypassed)",
                unique,
            ),
        ] {
            let met = pg.map(|(s, _)| stats.p(0.99) * 10 <= s.p(0.99));
            self.rows.push(Row::new(
                name,
                latency(stats),
                &peer,
                "p99 ≤ 1/10 of PostgreSQL FTS",
                met,
            ));
        }
        let peer = pg.map_or(String::new(), |(_, n)| {
            format!("PostgreSQL FTS: {n} of {total}")
        });
        self.rows.push(Row::new(
            "intended card in the top 3",
            format!("{top3} of {total}"),
            &peer,
            "",
            None,
        ));
    }

    pub fn flood(&mut self, name: &str, searched: &Stats, flood: &Flood, unloaded_p99: Duration) {
        let during = searched.p(0.99);
        self.rows.push(Row::new(
            &format!("search p99 during a wrong-password flood {name}"),
            format!(
                "p99 {} ms (unloaded {} ms); {:.0}/s; {} errors",
                ms(during),
                ms(unloaded_p99),
                searched.per_second(),
                searched.errors
            ),
            &format!(
                "flood: {:.0} logins/s; 401: {}, 429: {}, other: {}",
                flood.requests as f64 / flood.wall.as_secs_f64(),
                flood.rejected_401,
                flood.limited_429,
                flood.other
            ),
            "≤ 2× unloaded p99",
            Some(during <= unloaded_p99 * 2),
        ));
    }

    pub fn cards(&mut self, nginx: &Wrk, json: &Wrk, page: &Wrk) {
        let peer = format!("nginx, same JSON as files: {}", wrk(nginx));
        let met = json.per_second * 2.0 >= nginx.per_second && json.errors == 0;
        self.rows.push(Row::new(
            "card JSON, wrk 64 connections",
            wrk(json),
            &peer,
            "≥ ½ of nginx",
            Some(met),
        ));
        self.rows.push(Row::new(
            "card page (HTML), wrk 64 connections",
            wrk(page),
            &peer,
            "",
            None,
        ));
    }

    pub fn submits(&mut self, backend: &str, steps: &[Step; 3]) {
        let errors: usize = steps.iter().map(|s| s.errors).sum();
        let mut submits = steps[2].samples.clone();
        submits.sort();
        let (p50, p99) = if submits.is_empty() {
            (Duration::ZERO, Duration::ZERO)
        } else {
            (percentile(&submits, 0.5), percentile(&submits, 0.99))
        };
        self.rows.push(Row::new(
            &format!("quiz submission, 500 people at one instant (+50 double taps), {backend}"),
            format!(
                "p50 {} / p99 {} ms; {} submits; {errors} errors in start, autosave and submit",
                ms(p50),
                ms(p99),
                submits.len()
            ),
            "",
            "0 errors, p99 ≤ 50 ms",
            Some(errors == 0 && p99 <= Duration::from_millis(50)),
        ));
    }

    pub fn print(&self, took: Duration) {
        println!("\n## zhmp against its peers\n");
        println!("{}", machine());
        for note in &self.notes {
            println!("- {note}");
        }
        println!("\n| scenario | zhmp | peer | target | met |\n|---|---|---|---|---|");
        for row in &self.rows {
            let met = match row.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            };
            println!(
                "| {} | {} | {} | {} | {met} |",
                row.scenario, row.zhmp, row.peer, row.target
            );
        }
        println!("\nWhole run: {:.1} min.", took.as_secs_f64() / 60.0);
    }
}

/// The machine the figures come from.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = memory
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    format!(
        "Machine: {} cores ({model}), {total:.0} GiB; client, servers and PostgreSQL share it.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    )
}
