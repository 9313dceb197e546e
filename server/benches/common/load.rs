//! A closed-loop load generator: N clients, each sending its next request as soon as the
//! previous one is answered, for a fixed time. Latency is measured per request.

use std::future::Future;
use std::time::{Duration, Instant};

use super::percentile;

/// Latencies (sorted) and failures of one run.
pub struct Stats {
    pub samples: Vec<Duration>,
    pub errors: usize,
    pub wall: Duration,
}

impl Stats {
    pub fn p(&self, q: f64) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        percentile(&self.samples, q)
    }

    pub fn max(&self) -> Duration {
        self.samples.last().copied().unwrap_or_default()
    }

    pub fn per_second(&self) -> f64 {
        self.samples.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// `clients` concurrent loops for `length`; `request(worker, n)` sends request `n` of
/// `worker` and says whether it succeeded.
pub async fn closed_loop<F, Fut>(clients: usize, length: Duration, request: F) -> Stats
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let started = Instant::now();
    let deadline = started + length;
    let mut tasks = Vec::new();
    for worker in 0..clients {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let (mut samples, mut errors) = (Vec::new(), 0);
            let mut n = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let ok = request(worker, n).await;
                samples.push(sent.elapsed());
                errors += usize::from(!ok);
                n += 1;
            }
            (samples, errors)
        }));
    }
    let mut stats = Stats {
        samples: Vec::new(),
        errors: 0,
        wall: Duration::ZERO,
    };
    for task in tasks {
        let (samples, errors) = task.await.expect("load task");
        stats.samples.extend(samples);
        stats.errors += errors;
    }
    stats.wall = started.elapsed();
    stats.samples.sort();
    stats
}

/// Percent-encodes a query parameter value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
