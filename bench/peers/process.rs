//! The servers under test, each its own process: zhmp (the release binary cargo built for
//! this bench) and nginx (Debian's package) serving static files.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub started_in: Duration,
}

impl Server {
    /// Resident memory now and at its peak, in MiB (Linux /proc).
    pub fn rss_mib(&self) -> (f64, f64) {
        let [now, peak] = self.status_mib(["VmRSS:", "VmHWM:"]);
        (now, peak)
    }

    /// Fields of /proc/PID/status given in kB, in MiB (0 when missing).
    fn status_mib<const N: usize>(&self, names: [&str; N]) -> [f64; N] {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        names.map(|name| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        })
    }

    /// Resident memory now: anonymous (the heap), and mapped files plus shared memory
    /// (the binary, the index, SQLite's WAL index), in MiB.
    pub fn rss_split_mib(&self) -> (f64, f64) {
        let [anon, files, shared] = self.status_mib(["RssAnon:", "RssFile:", "RssShmem:"]);
        (anon, files + shared)
    }

    /// Restarts the peak (VmHWM) from the current RSS (Linux 4.0+), so the peak under
    /// load is measured apart from the start-up's.
    pub fn reset_peak(&self) {
        let path = format!("/proc/{}/clear_refs", self.child.id());
        if let Err(e) = std::fs::write(&path, "5") {
            eprintln!("cannot reset the peak RSS ({path}: {e}); the peak includes start-up");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM: nginx's master then stops its workers (SIGKILL would orphan them).
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts zhmp on `database_url` and waits until /readyz says ready (content imported and
/// indexed); `started_in` is the time from spawning to ready.
pub async fn zhmp(database_url: &str, data_dir: &Path, content: &Path, quizzes: &Path) -> Server {
    let port = free_port();
    let log = std::fs::File::create(data_dir.join("zhmp.log")).expect("log file");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_zhmp"))
        .arg("serve")
        .env("ZHMP_ADDR", format!("127.0.0.1:{port}"))
        .env("ZHMP_DATABASE_URL", database_url)
        .env("ZHMP_DATA_DIR", data_dir)
        .env("ZHMP_CONTENT_DIR", content)
        .env("ZHMP_QUIZZES_DIR", quizzes)
        // ZHMP_BENCH_LOG=zhmp=debug shows, say, the submission batches in zhmp.log.
        .env(
            "ZHMP_LOG",
            std::env::var("ZHMP_BENCH_LOG").unwrap_or_else(|_| "warn".to_owned()),
        )
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("zhmp starts");
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), Duration::from_secs(120)).await;
    Server {
        child,
        base,
        started_in: started.elapsed(),
    }
}

/// nginx serving `root` on a free port with its defaults for static files (sendfile,
/// keep-alive, one worker per core); every file is sent as JSON.
pub async fn nginx(root: &Path, scratch: &Path) -> Server {
    let port = free_port();
    let conf = scratch.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\nworker_processes auto;\npid {pid};\nerror_log {err} warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 100000;\n\
               default_type application/json;\n\
               client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n  fastcgi_temp_path {tmp};\n\
               uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n\
               server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n",
            pid = scratch.join("nginx.pid").display(),
            err = scratch.join("nginx-error.log").display(),
            tmp = scratch.display(),
            root = root.display(),
        ),
    )
    .expect("nginx config");
    let started = Instant::now();
    let child = Command::new(nginx_binary())
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(scratch)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts (apt-get install nginx)");
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base, Duration::from_secs(10)).await;
    Server {
        child,
        base,
        started_in: started.elapsed(),
    }
}

pub fn nginx_binary() -> PathBuf {
    PathBuf::from("/usr/sbin/nginx")
}

async fn wait_ready(url: &str, limit: Duration) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    let deadline = Instant::now() + limit;
    loop {
        let ready = client.get(url).send().await.ok();
        // nginx answers 403/404 for its root: it is up.
        if ready.is_some_and(|r| r.status().is_success() || r.status().is_client_error()) {
            return;
        }
        assert!(Instant::now() < deadline, "{url} not ready in {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
