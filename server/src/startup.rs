//! Bringing the server up: database, migrations, first administrator, HTTP.

use std::time::Duration;

use anyhow::Context;
use poem::Server;
use poem::listener::{Acceptor, TcpAcceptor};

use crate::accounts::service::{auth, bootstrap};
use crate::cards::service::{import, index_sync};
use crate::config::Config;
use crate::db::Db;
use crate::http;
use crate::state::AppState;

/// Connects to the database, applies migrations and makes sure the local directories
/// exist; opens the search index. For `serve`.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    let db = connect(&config).await?;
    AppState::new(db, config)
}

/// The same for command-line tools that may run beside a live server (no on-disk index).
pub async fn prepare_offline(config: Config) -> anyhow::Result<AppState> {
    let db = connect(&config).await?;
    AppState::offline(db, config)
}

async fn connect(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&config.database_url)))?;
    db.migrate()
        .await
        .context("cannot apply database migrations")?;
    for dir in [&config.data_dir, &config.content_dir, &config.quizzes_dir] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(db)
}

/// Creates the first administrator when there is none and prints the password once.
pub async fn announce_first_admin(state: &AppState) -> anyhow::Result<()> {
    if let Some(password) = bootstrap::ensure_first_admin(state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the first administrator: {}", e.detail))?
    {
        eprintln!(
            "\nzhmp: created the first administrator (shown only once, change it in the profile):\n  login:    {}\n  password: {}\n",
            bootstrap::FIRST_ADMIN_LOGIN,
            password.expose()
        );
    }
    Ok(())
}

/// Serves HTTP on an already bound listener until `shutdown` resolves.
pub async fn serve(
    state: AppState,
    listener: std::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let acceptor = TcpAcceptor::from_std(listener)?;
    let local = acceptor.local_addr();
    // Report facts for attempts submitted before reports existed (once).
    if let Err(err) = crate::reports::service::backfill::backfill(&state).await {
        tracing::error!(error = %err, "report facts backfill failed");
    }
    start_content(&state).await;
    state.reporter.spawn(state.db.clone());
    spawn_housekeeping(state.clone());
    if let Some(addr) = local.first().and_then(|a| a.as_socket_addr()) {
        eprintln!("zhmp: serving on http://{addr}");
    }
    tracing::info!(addr = ?local, "serving");
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(http::app(state), shutdown, Some(Duration::from_secs(10)))
        .await
        .context("HTTP server failed")
}

/// Imports the content directory, brings the search index up to date, and keeps both
/// current: file watcher, SIGHUP, and polling for changes made by other replicas. A failed
/// first import is logged and reported by /readyz rather than stopping the server.
async fn start_content(state: &AppState) {
    // Watch and take SIGHUP before the first import: a signal that arrives during start-up
    // must queue a reload, not kill the process (SIGHUP's default action).
    import::spawn_watchers(state.clone());
    match import::import(state).await {
        Ok(summary) => tracing::info!(?summary, "content loaded"),
        Err(err) => tracing::error!(error = %err, "content import failed"),
    }
    index_sync::spawn_poller(state.clone());
    release_free_memory();
}

/// The first import reads, parses and indexes every card at once; mimalloc keeps the
/// freed pages for reuse, which would leave a large chain's server holding that peak for
/// the rest of its life. Returns them to the system (a no-op under another allocator).
fn release_free_memory() {
    // SAFETY: mi_collect takes no pointers; it only walks mimalloc's own heaps.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// mimalloc's `mi_option_purge_delay` (its position in mimalloc 3's option enum, which
/// libmimalloc-sys does not name; a test checks it against the option's default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Call first thing in `main`. mimalloc 3 keeps freed pages for a second before giving
/// them back; a burst of requests then holds the memory of every request in that second.
/// With 10 ms (mimalloc 2's default) the server stood at 109 MiB instead of 137–142 MiB
/// once ready, with no change in throughput (docs/performance.md).
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
pub fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mi_option_set takes plain integers.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
}

fn spawn_housekeeping(state: AppState) {
    // Certificates renew and lapse as quarterly tests close: check every minute.
    let certificates = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(err) = crate::certification::service::sweep::sweep(&certificates).await {
                tracing::warn!(error = %err, "certificate sweep failed");
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match auth::housekeeping(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "expired sessions removed"),
                Err(err) => tracing::warn!(error = %err, "session housekeeping failed"),
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Hides a password in a database URL before it is printed.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_we_think() {
        // 1000 ms is mimalloc 3's default for the purge delay and no other option's.
        // SAFETY: mi_option_get takes a plain integer.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay, 1000);
        }
    }

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            super::redact("sqlite://data/zhmp.db"),
            "sqlite://data/zhmp.db"
        );
    }
}
