//! What every benchmark shares: where its database is, and how figures are printed.

#![allow(dead_code)] // Each bench uses the part it needs.

pub mod chain;
pub mod load;
pub mod quarter_close;

use std::path::Path;
use std::time::Duration;

/// `ZHMP_BENCH_DATABASE_URL` (an empty PostgreSQL database), or SQLite under `dir`; with
/// the backend's name for the report.
pub fn database(dir: &Path) -> (String, &'static str) {
    let url = std::env::var("ZHMP_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("bench.db").display()));
    let backend = if url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    (url, backend)
}

/// The `q` quantile of sorted samples (nearest rank).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}
