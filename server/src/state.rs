//! Everything a request handler needs, shared across the process.

use std::sync::Arc;

use crate::accounts::hashing::Hasher;
use crate::accounts::rate_limit::LoginLimiter;
use crate::accounts::session_cache::SessionCache;
use crate::cards::service::import::SharedStatus;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::http::metrics::Metrics;
use crate::http::routes::RouteNames;
use crate::search::SearchIndex;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The time the server acts on (moved forward by tests, never in production).
    pub clock: Clock,
    pub config: Arc<Config>,
    pub hasher: Hasher,
    pub limiter: LoginLimiter,
    /// Recently resolved tokens (cleared on any change to people or sessions).
    pub sessions: SessionCache,
    pub metrics: Metrics,
    pub routes: Arc<RouteNames>,
    /// This instance's search index (under the data directory).
    pub search: SearchIndex,
    /// The last content import: when, and the problems found.
    pub content: SharedStatus,
    /// One content import at a time.
    pub import_lock: Arc<tokio::sync::Mutex<()>>,
    /// Report aggregates, reused while their data is unchanged.
    pub reports: crate::reports::storage::cache::ReportCache,
    /// One index sync at a time.
    pub index_lock: Arc<tokio::sync::Mutex<()>>,
    /// Submissions are stored in batches by one writer task (group commit).
    pub submissions: crate::quizzes::service::submit_queue::SubmitQueue,
    /// Pinned question revisions (immutable), so attempts need not read them each time.
    pub question_bodies: crate::quizzes::storage::bodies::BodyCache,
    /// Attempts in progress as this instance last saw them, checked against their count
    /// of saves before use.
    pub open_attempts: crate::quizzes::service::open_attempts::OpenAttempts,
    /// Live cards as read (evicted by the index sync when they change).
    pub cards: crate::cards::service::card_cache::CardCache,
    /// The questions new attempts are drawn from, read once for a burst of starts.
    pub draw_pool: crate::quizzes::service::draw_pool::DrawPool,
    /// Writes report facts after submissions (started with the server).
    pub reporter: crate::reports::service::reporter::Reporter,
}

impl AppState {
    /// State for the server: the search index on disk under the data directory.
    pub fn new(db: Db, config: Config) -> anyhow::Result<AppState> {
        let search = SearchIndex::open_or_create(&config.data_dir.join("search"))
            .map_err(|e| anyhow::anyhow!("cannot open the search index: {e}"))?;
        Ok(AppState::with_index(db, config, search))
    }

    /// State for command-line tools that run beside a live server: the on-disk index is
    /// the server's (tantivy allows one writer per directory), so they get an empty one in
    /// memory. None of them search.
    pub fn offline(db: Db, config: Config) -> anyhow::Result<AppState> {
        let search = SearchIndex::in_memory()
            .map_err(|e| anyhow::anyhow!("cannot create a search index: {e}"))?;
        Ok(AppState::with_index(db, config, search))
    }

    fn with_index(db: Db, config: Config, search: SearchIndex) -> AppState {
        AppState {
            db,
            clock: Clock::default(),
            config: Arc::new(config),
            hasher: Hasher::new(),
            limiter: LoginLimiter::default(),
            sessions: SessionCache::default(),
            metrics: Metrics::new(),
            routes: Arc::new(RouteNames::from_spec(
                &crate::http::openapi().spec(),
                crate::http::API_PREFIX,
            )),
            search,
            content: Default::default(),
            import_lock: Default::default(),
            reports: Default::default(),
            index_lock: Default::default(),
            submissions: Default::default(),
            question_bodies: Default::default(),
            open_attempts: Default::default(),
            cards: Default::default(),
            draw_pool: Default::default(),
            reporter: Default::default(),
        }
    }
}
