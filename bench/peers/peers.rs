//! The peers zhmp is measured against: PostgreSQL full-text search over the same cards,
//! and wrk (Debian's package) as the HTTP load generator for static-file comparisons.

use std::path::Path;
use std::time::{Duration, Instant};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

use crate::common::load::{Stats, closed_loop};
use zhmp::search::SearchDoc;

/// PostgreSQL FTS as a team would set it up: one row per card, a generated `tsvector`
/// with the `russian` configuration (title weighted A, the rest B) and a GIN index;
/// queries through `websearch_to_tsquery`, ordered by `ts_rank`, 20 per page like zhmp.
pub struct PgFts {
    db: DatabaseConnection,
}

const RANKED: &str = "SELECT id FROM peer_fts_cards, websearch_to_tsquery('russian', $1) AS q \
                      WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 20";

impl PgFts {
    pub async fn load(url: &str, docs: &[SearchDoc]) -> PgFts {
        let mut options = ConnectOptions::new(url);
        options.max_connections(16).sqlx_logging(false);
        let db = Database::connect(options).await.expect("PostgreSQL");
        for sql in [
            "DROP TABLE IF EXISTS peer_fts_cards",
            "CREATE TABLE peer_fts_cards (id text PRIMARY KEY, title text NOT NULL, body text NOT NULL, \
             tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('russian', title), 'A') || \
             setweight(to_tsvector('russian', body), 'B')) STORED)",
        ] {
            db.execute_unprepared(sql).await.expect("FTS table");
        }
        for chunk in docs.chunks(500) {
            let mut values = Vec::new();
            let mut params = Vec::new();
            for doc in chunk {
                let n = params.len();
                values.push(format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
                params.push(doc.id.clone().into());
                params.push(doc.title.clone().into());
                params.push(body(doc).into());
            }
            let sql = format!(
                "INSERT INTO peer_fts_cards (id, title, body) VALUES {}",
                values.join(", ")
            );
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                params,
            ))
            .await
            .expect("FTS rows");
        }
        for sql in [
            "CREATE INDEX peer_fts_cards_tsv ON peer_fts_cards USING GIN (tsv)",
            "ANALYZE peer_fts_cards",
        ] {
            db.execute_unprepared(sql).await.expect("FTS index");
        }
        PgFts { db }
    }

    /// The ids of the first page for `query`.
    pub async fn search(&self, query: &str) -> Result<Vec<String>, sea_orm::DbErr> {
        let rows = self.db.query_all_raw(ranked(query)).await?;
        rows.iter().map(|r| r.try_get::<String>("", "id")).collect()
    }

    /// 16 clients cycling through `queries` for `length`.
    pub async fn drive(&self, queries: &[&'static str], length: Duration) -> Stats {
        let queries = queries.to_vec();
        let db = self.db.clone();
        closed_loop(16, length, move |worker, n| {
            let (db, query) = (db.clone(), queries[(worker + n) % queries.len()]);
            async move { db.query_all_raw(ranked(query)).await.is_ok() }
        })
        .await
    }
}

/// The first page of ranked matches for `query`.
fn ranked(query: &str) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, RANKED, [query.into()])
}

/// Everything zhmp indexes besides the title, as one text.
fn body(doc: &SearchDoc) -> String {
    let mut parts = vec![doc.tags.join(" "), doc.situation.clone()];
    parts.extend(doc.steps.iter().cloned());
    parts.extend([
        doc.example.clone(),
        doc.anti_example.clone(),
        doc.explanation.clone(),
    ]);
    parts.extend(doc.taboo.iter().cloned());
    parts.join("\n")
}

/// What wrk reported for one run.
pub struct Wrk {
    pub per_second: f64,
    pub errors: u64,
    pub p50: Duration,
    pub p99: Duration,
}

/// wrk with 2 threads and `connections` connections for `seconds`, cycling through
/// `paths` on `base`, with `header` (e.g. `Authorization: Bearer …`) on every request.
pub fn wrk(
    base: &str,
    paths: &[String],
    header: Option<&str>,
    connections: u32,
    seconds: u32,
    scratch: &Path,
) -> Wrk {
    let script = scratch.join(format!("wrk-{}.lua", Instant::now().elapsed().as_nanos()));
    let list: String = paths.iter().map(|p| format!("  {p:?},\n")).collect();
    let header = header
        .map(|h| {
            let (name, value) = h.split_once(": ").expect("Name: value");
            format!("wrk.headers[{name:?}] = {value:?}\n")
        })
        .unwrap_or_default();
    // Lua strings accept the same escapes as Rust's {:?} for these ASCII paths.
    std::fs::write(
        &script,
        format!(
            "local paths = {{\n{list}}}\nlocal i = 0\n{header}\
             request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n\
             done = function(s, latency, requests)\n\
               local e = s.errors.connect + s.errors.read + s.errors.write + s.errors.status + s.errors.timeout\n\
               io.write(string.format(\"WRK %d %d %d %d %d %d\\n\", s.requests, s.duration, e,\n\
                 latency:percentile(50), latency:percentile(99), latency.max))\n\
             end\n"
        ),
    )
    .expect("wrk script");
    let out = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "-s",
        ])
        .arg(&script)
        .arg(base)
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("WRK "))
        .unwrap_or_else(|| panic!("wrk printed no summary: {text}"));
    let n: Vec<u64> = line.split(' ').map(|v| v.parse().unwrap_or(0)).collect();
    let us = Duration::from_micros;
    Wrk {
        per_second: n[0] as f64 / (n[1] as f64 / 1e6),
        errors: n[2],
        p50: us(n[3]),
        p99: us(n[4]),
    }
}
